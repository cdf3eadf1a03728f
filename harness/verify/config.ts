/**
 * `verify --config <file>`: a whole API in one file – shared origins and options, a list of
 * targets each with its own methods, headers, readable headers and expectations, suppressions.
 * JSON (`cors-conform.config.json`), or TypeScript / JavaScript (`.ts`, `.mts`, `.mjs`, `.js`,
 * loaded with jiti) exporting the object as default, typed with `defineConfig`. Checked with zod,
 * then each target the way the command line is checked; every mistake is one UsageError line
 * naming the field (`config cors.json: targets[3].origins[0]: ...`).
 *
 *   {
 *     "origins": ["https://app.example.com"],
 *     "credentials": true,
 *     "targets": [
 *       "https://api.example.com/health",
 *       { "url": "https://api.example.com/orders", "methods": ["PUT"], "headers": ["X-Api-Key"],
 *         "readableHeaders": ["X-Request-Id"] }
 *     ],
 *     "suppress": [{ "finding": "missing-vary-origin", "target": "https://api.example.com/health",
 *                    "reason": "static, cached per origin by the CDN", "until": "2027-03-31" }]
 *   }
 *
 * Paths in the file (expect files, storageState, openapi) are relative to the file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { UsageError } from '../core/errors';
import { firstIssue, readJsonFile } from '../core/json-file';
import { expectFileSchema } from './expect-file';
import { BROWSER_KINDS, CLIENTS } from '../oracle';
import { targetsFromOpenApi } from './openapi';
import { BROWSER_CHOICES, checkRequest, type OptionNames, type VerifyRequest } from './options';
import { browsersOf, cookieSource, MAX_TARGETS, targetSpecOf, type RunRequest } from './targets';
import { FINDING_IDS, SEVERITIES } from './types';

const header = z.union([z.string(), z.tuple([z.string(), z.string()])]);
const expect = z.union([z.string().min(1), expectFileSchema]);

/** What a target may set for itself; anything left out comes from the top level. */
const targetObject = z.strictObject({
  url: z.string().min(1),
  origins: z.array(z.string()).optional(),
  credentials: z.boolean().optional(),
  methods: z.array(z.string()).optional(),
  headers: z.array(header).optional(),
  /** Response headers the pages must be able to read (Access-Control-Expose-Headers). */
  readableHeaders: z
    .array(z.string().regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, { message: 'not a header name' }))
    .max(32)
    .optional(),
  expect: expect.optional(),
  /** Who loads this URL on the pages, when not fetch()/XHR: `font`, `module`, `img`, … */
  as: z.enum(CLIENTS).optional(),
});

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'not a date (YYYY-MM-DD)' });

export const configSchema = z.strictObject({
  $schema: z.string().optional(),
  origins: z.array(z.string()).optional(),
  credentials: z.boolean().optional(),
  methods: z.array(z.string()).optional(),
  headers: z.array(header).optional(),
  expect: expect.optional(),
  as: z.enum(CLIENTS).optional(),
  browser: z.enum(BROWSER_CHOICES).optional(),
  browsers: z.array(z.enum(BROWSER_KINDS)).min(1).optional(),
  failOn: z.enum(SEVERITIES).optional(),
  timeoutMs: z.number().optional(),
  concurrency: z.number().optional(),
  insecure: z.boolean().optional(),
  /** `name=value` cookies the credentialed probes carry (default: a marker cookie). */
  cookies: z.array(z.string()).optional(),
  /** Playwright storage state (a signed-in session) whose cookies the credentialed probes carry. */
  storageState: z.string().min(1).optional(),
  targets: z
    .array(z.union([z.string().min(1), targetObject]))
    .max(MAX_TARGETS)
    .optional(),
  /** An OpenAPI 3.x file whose paths are targets too (openapi.ts); `server` replaces its servers. */
  openapi: z.union([z.string().min(1), z.strictObject({ file: z.string().min(1), server: z.string().optional() })]).optional(),
  suppress: z
    .array(
      z.strictObject({
        finding: z.enum(FINDING_IDS),
        target: z.string().min(1).optional(),
        origin: z.string().min(1).optional(),
        reason: z.string().min(1),
        until: date.optional(),
      }),
    )
    .optional(),
});

/** A cors-conform config file's contents (docs/verify.md). */
export type CorsConformConfig = z.input<typeof configSchema>;

/** Types a config written in TypeScript or JavaScript: `export default defineConfig({ ... })`. */
export function defineConfig(config: CorsConformConfig): CorsConformConfig {
  return config;
}

const CODE = /\.(?:[cm]?ts|[cm]?js)$/;

/** Reads a config file (JSON, or code through jiti) and checks its shape. */
export async function readConfig(file: string): Promise<z.output<typeof configSchema>> {
  const name = `config ${file}`;
  if (!CODE.test(file)) {
    return readJsonFile(file, configSchema, {
      name,
      invalid: name,
      missing: `${name} does not exist: give the path of your cors-conform config (JSON, or .ts/.mjs exporting it)`,
      maxBytes: 4 * 1024 * 1024,
      error: (message) => new UsageError(message),
    });
  }
  const abs = path.resolve(file);
  if (!fs.existsSync(abs)) throw new UsageError(`${name} does not exist: give the path of your cors-conform config`);
  let loaded: unknown;
  try {
    const { createJiti } = await import('jiti');
    const jiti = createJiti(__filename, { moduleCache: false, fsCache: false });
    loaded = await jiti.import(abs, { default: true });
  } catch (error) {
    throw new UsageError(`${name} could not be loaded: ${String((error as Error).message ?? error).split('\n')[0]}`);
  }
  const checked = configSchema.safeParse(loaded);
  if (!checked.success) throw new UsageError(`${name}: ${firstIssue(checked.error)}`);
  return checked.data;
}

/** How a target's options are named in messages: where in the file the value came from. */
function namesFor(i: number, own: Partial<Record<'origins' | 'methods' | 'headers' | 'expect' | 'url' | 'as', boolean>>): OptionNames {
  const at = (field: string, here: boolean | undefined) => (here ? `targets[${i}].${field}` : field);
  return {
    url: own.url ? `targets[${i}].url` : `targets[${i}]`,
    origin: at('origins', own.origins),
    method: at('methods', own.methods),
    header: at('headers', own.headers),
    expect: at('expect', own.expect),
    browser: 'browser',
    failOn: 'failOn',
    timeout: 'timeoutMs',
    concurrency: 'concurrency',
    as: at('as', own.as),
  };
}

/** The config file as a checked run: its targets (and its OpenAPI file's), options, cookies, suppressions. */
export async function loadConfig(file: string): Promise<RunRequest> {
  const config = await readConfig(file);
  const dir = path.dirname(path.resolve(file));
  const here = (p: string) => path.resolve(dir, p);
  const prefix = (error: unknown) =>
    error instanceof UsageError && !error.message.startsWith('config ') ? new UsageError(`config ${file}: ${error.message}`) : error;
  try {
    if (config.browser && config.browsers) throw new UsageError('browser and browsers together: give one');
    if (!config.targets?.length && !config.openapi) throw new UsageError('no targets: list them in targets (or give an openapi file)');
    const shared: VerifyRequest = {
      origins: config.origins,
      credentials: config.credentials,
      methods: config.methods,
      headers: config.headers,
      expect: typeof config.expect === 'string' ? here(config.expect) : (config.expect ?? null),
      failOn: config.failOn,
      timeoutMs: config.timeoutMs,
      concurrency: config.concurrency,
      insecure: config.insecure,
      as: config.as,
    };
    const targets = (config.targets ?? []).map((t, i) => {
      const own = typeof t === 'string' ? { url: t } : t;
      const names = namesFor(i, {
        url: typeof t !== 'string',
        origins: own.origins !== undefined,
        methods: own.methods !== undefined,
        headers: own.headers !== undefined,
        expect: own.expect !== undefined,
        as: own.as !== undefined,
      });
      const request: VerifyRequest = {
        ...shared,
        url: own.url,
        ...(own.origins !== undefined ? { origins: own.origins } : {}),
        ...(own.credentials !== undefined ? { credentials: own.credentials } : {}),
        ...(own.methods !== undefined ? { methods: own.methods } : {}),
        ...(own.headers !== undefined ? { headers: own.headers } : {}),
        ...(own.as !== undefined ? { as: own.as } : {}),
        ...(own.expect !== undefined ? { expect: typeof own.expect === 'string' ? here(own.expect) : own.expect } : {}),
      };
      return targetSpecOf(checkRequest(request, names), own.readableHeaders ? { readableHeaders: own.readableHeaders } : {});
    });
    const checked = checkRequest({ ...shared, url: null }, { ...namesFor(0, {}), url: 'url' }, 'options');
    const unrun: RunRequest['unrun'] = [];
    if (config.openapi) {
      const spec = typeof config.openapi === 'string' ? { file: config.openapi } : config.openapi;
      const listed = await targetsFromOpenApi(here(spec.file), spec.server ?? null);
      for (const t of listed.targets) {
        if (targets.some((x) => x.targetUrl === t.url)) continue;
        targets.push(
          targetSpecOf(checkRequest({ ...shared, url: t.url }, { ...namesFor(0, {}), url: `openapi path ${t.url}` }), {
            listedMethods: t.listedMethods,
          }),
        );
      }
      unrun.push(...listed.unrun);
    }
    const seen = new Set<string>();
    for (const t of targets) {
      if (seen.has(t.targetUrl)) throw new UsageError(`targets: ${t.targetUrl} is listed twice`);
      seen.add(t.targetUrl);
    }
    if (targets.length > MAX_TARGETS)
      throw new UsageError(`${targets.length} targets: at most ${MAX_TARGETS} per run; split the run with --shard i/n`);
    return {
      targets,
      unrun,
      browsers: config.browsers ?? browsersOf(config.browser ?? 'chromium'),
      failOn: checked.failOn,
      timeoutMs: checked.timeoutMs,
      concurrency: checked.concurrency,
      insecure: config.insecure ?? false,
      cookies: cookieSource(
        { cookies: config.cookies, storageState: config.storageState ? here(config.storageState) : null },
        { cookie: 'cookies', storageState: 'storageState' },
      ),
      suppress: config.suppress ?? [],
      many: true,
    };
  } catch (error) {
    throw prefix(error);
  }
}
