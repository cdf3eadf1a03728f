/**
 * `cors-conform verify` arguments: parsed with node:util parseArgs (strict), then checked by
 * verify's own checkRequest (the expect file is read there), every mistake a one-line UsageError
 * (exit code 2).
 */
import { parseArgs } from 'node:util';
import { UsageError } from '../core/errors';
import type { Client } from '../oracle';
import {
  CLI_NAMES,
  FORMATS,
  LIMITS,
  checkRequest,
  parseShard,
  oneOf,
  type BrowserChoice,
  type CheckedRequest,
  type Format,
  type Severity,
} from '../verify';

export const VERIFY_USAGE = `usage: cors-conform verify [<url>] --origin <origin> [--origin ...] [--credentials]
         [--method M]... [--header Name[: value]]... [--expect <file>] [--as <requester>]
         [--cookie name=value]... [--storage-state <file>]
         [--browser chromium|firefox|webkit|all] [--fail-on critical|high|medium|low] [--timeout <ms>] [--concurrency N] [--insecure]
         [--format table|json|junit|markdown|sarif[,...]] [--out <file> | --out-dir <dir>] [--force]
       cors-conform verify --config <cors-conform.config.json|.ts|.mjs> [--shard i/n] [--list] [output options]
       cors-conform verify --targets <file|-> | --openapi <file> [--openapi-server <url>] --origin <origin> [...] [--shard i/n] [--list]

  Checks the server at <url> in a real browser, from pages that really live on each --origin and on
  attacker origins derived from them. Sends only GET, HEAD, an empty form POST and the preflights a
  browser sends, plus the methods you name with --method. Without <url>: verifies a bundled sample.
  --as font|module|img|script|stylesheet|import|eventsource|worker|module-worker probes the URL as
  that element or API loads it (a font CDN: --as font), instead of with fetch and XHR.
  --config, --targets (one URL a line; - reads stdin) and --openapi verify many targets in one
  browser. --list prints the targets and sends nothing. Credentialed probes carry a marker cookie,
  or --cookie / --storage-state (Playwright's format). --out-dir writes every --format to its file.

  exit 0 pass · 1 a finding at or above --fail-on (default high) or an expectation not met ·
  2 bad usage or an unreachable target`;

/** Where the targets come from: one URL (or the bundled sample), a config file, a URL list, an OpenAPI file. */
export type TargetSource =
  | { kind: 'url' }
  | { kind: 'config'; file: string }
  | { kind: 'targets'; file: string }
  | { kind: 'openapi'; file: string; server: string | null };

/** The command line's options: what verify checks, plus where the output goes. */
export interface VerifyOptions extends CheckedRequest {
  source: TargetSource;
  /** The formats asked for, in order; the first is the one printed when there is no --out-dir. */
  formats: Format[];
  /** The first of `formats`. */
  format: Format;
  out: string | null;
  outDir: string | null;
  force: boolean;
  help: boolean;
  /** Print the targets and send nothing. */
  list: boolean;
  cookies: string[];
  storageState: string | null;
  shard: { index: number; total: number } | null;
  /** Which of the options below --config may override were given (the rest come from the file). */
  given: Set<string>;
}

/** A whole number given as text (`--timeout 5000`); any other text is named as it was given. */
function wholeNumber(name: string, value: string | undefined, [min, max]: readonly [number, number]): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${name} "${value}" is not a whole number from ${min} to ${max}`);
  return Number(value);
}

/** Options that take a value: `--timeout -1` is read as `--timeout=-1`, so the value gets its own check. */
const VALUE_OPTIONS = new Set([
  '--origin',
  '--method',
  '--header',
  '--expect',
  '--browser',
  '--format',
  '--out',
  '--fail-on',
  '--timeout',
  '--concurrency',
  '--config',
  '--targets',
  '--openapi',
  '--openapi-server',
  '--cookie',
  '--storage-state',
  '--out-dir',
  '--shard',
  '--as',
]);

function joinNegativeValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if (VALUE_OPTIONS.has(arg) && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/** node:util's parse errors are several sentences on several lines: the first, on one line. */
export function firstSentence(message: string): string {
  return message
    .split(/\.(?:\s|$)/)[0]!
    .replace(/\s+/g, ' ')
    .trim();
}

export function parseVerifyArgs(argv: string[]): VerifyOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: joinNegativeValues(argv),
      strict: true,
      allowPositionals: true,
      options: {
        origin: { type: 'string', multiple: true },
        credentials: { type: 'boolean' },
        method: { type: 'string', multiple: true },
        header: { type: 'string', multiple: true },
        expect: { type: 'string' },
        as: { type: 'string' },
        browser: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        force: { type: 'boolean' },
        'fail-on': { type: 'string' },
        timeout: { type: 'string' },
        concurrency: { type: 'string' },
        insecure: { type: 'boolean' },
        config: { type: 'string' },
        targets: { type: 'string' },
        openapi: { type: 'string' },
        'openapi-server': { type: 'string' },
        cookie: { type: 'string', multiple: true },
        'storage-state': { type: 'string' },
        'out-dir': { type: 'string' },
        shard: { type: 'string' },
        list: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(`${firstSentence((error as Error).message)}: see cors-conform verify --help`);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1)
    throw new UsageError(
      `one URL at a time: got ${positionals.length} (${positionals.join(' ')}); list many with --targets <file> or --config <file>`,
    );
  const sources = [
    ...(positionals.length ? ['<url>'] : []),
    ...(['config', 'targets', 'openapi'] as const).filter((k) => values[k] !== undefined).map((k) => `--${k}`),
  ];
  if (sources.length > 1) throw new UsageError(`${sources.join(' and ')} together: give one of <url>, --config, --targets, --openapi`);
  const source: TargetSource =
    values.config !== undefined
      ? { kind: 'config', file: values.config }
      : values.targets !== undefined
        ? { kind: 'targets', file: values.targets }
        : values.openapi !== undefined
          ? { kind: 'openapi', file: values.openapi, server: values['openapi-server'] ?? null }
          : { kind: 'url' };
  if (values['openapi-server'] !== undefined && source.kind !== 'openapi')
    throw new UsageError('--openapi-server only makes sense with --openapi <file>');
  const formats = formatList(values.format);
  const out = values.out ?? null;
  const outDir = values['out-dir'] ?? null;
  const force = values.force ?? false;
  const help = values.help ?? false;
  const list = values.list ?? false;
  if (out !== null && outDir !== null)
    throw new UsageError('--out and --out-dir together: --out writes one format to a file, --out-dir every format to its own file');
  if (formats.length > 1 && outDir === null)
    throw new UsageError(`--format ${formats.join(',')}: several formats need --out-dir <dir> (each is written to its own file)`);
  if (force && out === null && outDir === null) throw new UsageError('--force only makes sense with --out <file> or --out-dir <dir>');
  const shard = values.shard === undefined ? null : parseShard(values.shard);
  if ((shard !== null || list) && source.kind === 'url')
    throw new UsageError(`${shard ? '--shard' : '--list'} works on a list of targets: give --config, --targets or --openapi`);
  const given = new Set(Object.keys(values).filter((k) => values[k as keyof typeof values] !== undefined));
  if (source.kind === 'config') {
    // The file says what each target is; the command line only says how to run it.
    for (const [flag, field] of [
      ['origin', 'origins'],
      ['credentials', 'credentials'],
      ['method', 'methods'],
      ['header', 'headers'],
      ['expect', 'expect'],
      ['as', 'as'],
    ] as const)
      if (given.has(flag))
        throw new UsageError(`--${flag} with --config: set ${field} in the config file (for all targets, or per target)`);
  }
  const request = {
    url: positionals[0] ?? null,
    origins: values.origin,
    credentials: values.credentials,
    methods: values.method,
    headers: values.header,
    browser: values.browser as BrowserChoice | undefined,
    failOn: values['fail-on'] as Severity | undefined,
    timeoutMs: wholeNumber('--timeout', values.timeout, LIMITS.timeoutMs),
    concurrency: wholeNumber('--concurrency', values.concurrency, LIMITS.concurrency),
    insecure: values.insecure,
    as: values.as as Client | undefined,
  };
  const rest = {
    source,
    formats,
    format: formats[0]!,
    out,
    outDir,
    force,
    help,
    list,
    cookies: values.cookie ?? [],
    storageState: values['storage-state'] ?? null,
    shard,
    given,
  };
  if (help) return { ...checkRequest({}, CLI_NAMES), ...rest };
  if ((rest.cookies.length > 0 || rest.storageState !== null) && source.kind === 'url' && request.url === null)
    throw new UsageError(
      `${rest.cookies.length ? '--cookie' : '--storage-state'} needs the URL of the server to check (without a URL, verify runs the bundled sample)`,
    );
  const mode = source.kind === 'url' ? 'one' : 'list';
  // --config: the file's own checks come later; here only the overrides the command line gives.
  const checked =
    source.kind === 'config'
      ? checkRequest({ ...request, url: null }, CLI_NAMES, 'options')
      : checkRequest({ ...request, expect: values.expect ?? null }, CLI_NAMES, mode);
  return { ...checked, ...rest };
}

/** `--format a,b,c`: each one of FORMATS, no repeats. */
function formatList(value: string | undefined): Format[] {
  if (value === undefined) return ['table'];
  const list = value.split(',').map((s) => s.trim());
  const formats = list.map((f) => oneOf('--format', f, FORMATS, 'table'));
  if (new Set(formats).size !== formats.length) throw new UsageError(`--format ${value} names a format twice`);
  return formats;
}
