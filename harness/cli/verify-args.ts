/**
 * `cors-conform verify` arguments: parsed with node:util parseArgs (strict), then checked by
 * verify's own checkRequest (the expect file is read there), every mistake a one-line UsageError
 * (exit code 2).
 */
import { parseArgs } from 'node:util';
import { UsageError } from '../core/errors';
import {
  CLI_NAMES,
  FORMATS,
  LIMITS,
  checkRequest,
  oneOf,
  type BrowserChoice,
  type CheckedRequest,
  type Format,
  type Severity,
} from '../verify';

export const VERIFY_USAGE = `usage: cors-conform verify [<url>] --origin <origin> [--origin ...] [--credentials]
         [--method M]... [--header Name[: value]]... [--expect <file>]
         [--browser chromium|firefox|all] [--format table|json|junit|markdown] [--out <file> [--force]]
         [--fail-on critical|high|medium|low] [--timeout <ms>] [--concurrency N] [--insecure]

  Checks the server at <url> in a real browser, from pages that really live on each --origin and on
  attacker origins derived from them. Sends only GET, HEAD, an empty form POST and the preflights a
  browser sends, plus the methods you name with --method. Without <url>: verifies a bundled sample.

  exit 0 pass · 1 a finding at or above --fail-on (default high) or an expectation not met ·
  2 bad usage or an unreachable target`;

/** The command line's options: what verify checks, plus where the output goes. */
export interface VerifyOptions extends CheckedRequest {
  format: Format;
  out: string | null;
  force: boolean;
  help: boolean;
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
        browser: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        force: { type: 'boolean' },
        'fail-on': { type: 'string' },
        timeout: { type: 'string' },
        concurrency: { type: 'string' },
        insecure: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(`${firstSentence((error as Error).message)}: see cors-conform verify --help`);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError(`one URL at a time: got ${positionals.length} (${positionals.join(' ')})`);
  const format = oneOf('--format', values.format, FORMATS, 'table');
  const out = values.out ?? null;
  const force = values.force ?? false;
  const help = values.help ?? false;
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
  };
  if (help) return { ...checkRequest({}, CLI_NAMES), format, out, force, help };
  if (force && out === null) throw new UsageError('--force only makes sense with --out <file>');
  return { ...checkRequest({ ...request, expect: values.expect ?? null }, CLI_NAMES), format, out, force, help };
}
