/**
 * The Playwright `target` project's settings, from the environment, validated by the same parser
 * as the command line (so CORS_ORIGINS=... means exactly what --origin means):
 *
 *   CORS_TARGET_URL=https://api.example.com/data   the server to check (required)
 *   CORS_ORIGINS=https://app.example.com,https://admin.example.com   (required unless CORS_EXPECT)
 *   CORS_CREDENTIALS=1   CORS_METHODS=PUT,DELETE   CORS_HEADERS=X-Api-Key,Authorization
 *   CORS_EXPECT=cors-expect.json   CORS_FAIL_ON=high   CORS_TIMEOUT=10000   CORS_CONCURRENCY=2
 *   CORS_INSECURE=1
 */
import { parseVerifyArgs, type VerifyOptions } from './verify-args';

export type TargetSettings = { run: VerifyOptions } | { unset: string } | { invalid: string };

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
const flag = (value: string | undefined) => value !== undefined && /^(1|true|yes)$/i.test(value);

export function targetFromEnv(env: NodeJS.ProcessEnv): TargetSettings {
  const url = env.CORS_TARGET_URL;
  const origins = list(env.CORS_ORIGINS);
  if (!url || (origins.length === 0 && !env.CORS_EXPECT)) {
    return {
      unset:
        'set CORS_TARGET_URL (the server to check) and CORS_ORIGINS (comma-separated origins your pages live on), e.g. CORS_TARGET_URL=https://api.example.com/data CORS_ORIGINS=https://app.example.com npx playwright test --project=target',
    };
  }
  const argv = [url, ...origins.flatMap((o) => ['--origin', o])];
  if (flag(env.CORS_CREDENTIALS)) argv.push('--credentials');
  for (const m of list(env.CORS_METHODS)) argv.push('--method', m);
  for (const h of list(env.CORS_HEADERS)) argv.push('--header', h);
  if (env.CORS_EXPECT) argv.push('--expect', env.CORS_EXPECT);
  if (env.CORS_FAIL_ON) argv.push('--fail-on', env.CORS_FAIL_ON);
  if (env.CORS_TIMEOUT) argv.push('--timeout', env.CORS_TIMEOUT);
  if (env.CORS_CONCURRENCY) argv.push('--concurrency', env.CORS_CONCURRENCY);
  if (flag(env.CORS_INSECURE)) argv.push('--insecure');
  try {
    return { run: parseVerifyArgs(argv) };
  } catch (error) {
    return {
      invalid: (error as Error).message.replace(
        /--([a-z-]+)/g,
        (_m, name: string) => `CORS_${name.toUpperCase().replace(/-/g, '_')} (--${name})`,
      ),
    };
  }
}
