/**
 * Runs Playwright in a child process on the matrix fixture project (tests/reports/fixtures), with
 * every output in a temporary directory: the developer's reports/out is never touched, and the
 * variables of this run (CI, $GITHUB_STEP_SUMMARY, CORS_BASELINE, the runner's own) are not passed on.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const FIXTURE_CONFIG = path.join(ROOT, 'tests', 'reports', 'fixtures', 'matrix-fixture.config.ts');
export const MERGE_CONFIG = path.join(ROOT, 'reports', 'merge.config.ts');
const CLI = require.resolve('@playwright/test/cli');

export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function playwright(args: string[], env: Record<string, string>, timeoutMs = 60_000): ChildResult {
  const clean: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(CI|GITHUB_STEP_SUMMARY|CORS_BASELINE|CORS_REPORT_DIR|FORCE_COLOR|TEST_.*|PW_.*|PLAYWRIGHT_(?!BROWSERS_PATH).*)$/.test(k))
      continue;
    clean[k] = v;
  }
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...clean, ...env }, encoding: 'utf8', timeout: timeoutMs });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
