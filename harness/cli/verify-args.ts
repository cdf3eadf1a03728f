/**
 * `cors-conform verify` arguments: parsed with node:util parseArgs (strict), every mistake a
 * one-line UsageError (exit code 2). Pure apart from reading nothing: the expect file is loaded
 * by run.ts.
 */
import { parseArgs } from 'node:util';
import { isForbiddenMethod, isForbiddenRequestHeader, isToken } from '../oracle';
import { UsageError } from '../core/errors';
import { FORMATS, type Format } from '../verify/formats';
import { SEVERITIES, type Severity } from '../verify/types';

export const VERIFY_USAGE = `usage: cors-conform verify [<url>] --origin <origin> [--origin ...] [--credentials]
         [--method M]... [--header Name[: value]]... [--expect <file>]
         [--browser chromium|firefox|all] [--format table|json|junit|markdown] [--out <file> [--force]]
         [--fail-on critical|high|medium|low] [--timeout <ms>] [--concurrency N] [--insecure]

  Checks the server at <url> in a real browser, from pages that really live on each --origin and on
  attacker origins derived from them. Sends only GET, HEAD, an empty form POST and the preflights a
  browser sends, plus the methods you name with --method. Without <url>: verifies a bundled sample.

  exit 0 pass · 1 a finding at or above --fail-on (default high) or an expectation not met ·
  2 bad usage or an unreachable target`;

export type BrowserChoice = 'chromium' | 'firefox' | 'all';

export interface VerifyOptions {
  /** Null: verify the bundled sample server. */
  url: string | null;
  origins: string[];
  credentials: boolean;
  methods: string[];
  headers: Array<[string, string]>;
  expect: string | null;
  browser: BrowserChoice;
  format: Format;
  out: string | null;
  force: boolean;
  failOn: Severity;
  timeoutMs: number;
  concurrency: number;
  insecure: boolean;
  help: boolean;
}

export const DEFAULTS = { browser: 'chromium', format: 'table', failOn: 'high', timeoutMs: 10_000, concurrency: 2 } as const;

const LIMITS = { origins: 16, methods: 8, headers: 8 };

function oneOf<T extends string>(option: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${option} "${value}" is not one of ${allowed.join(', ')}`);
  return value as T;
}

function integer(option: string, value: string | undefined, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`--${option} "${value}" is not a whole number from ${min} to ${max}`);
  }
  return Number(value);
}

export function parseTargetUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`"${value}" is not a URL: give the full address, e.g. https://api.example.com/data`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`"${value}" is not an http(s) URL`);
  if (url.username !== '' || url.password !== '')
    throw new UsageError(`"${value}" has a user name or password in it: fetch() refuses such URLs`);
  url.hash = '';
  return url.href;
}

export function parseOrigin(value: string): string {
  if (value === 'null')
    throw new UsageError('--origin null: the null origin is probed as an attacker origin anyway; name the origins your pages live on');
  // The URL parser takes `*` as a host character, so a pattern would pass as one odd origin and
  // then never be probed: say so instead.
  if (value.includes('*'))
    throw new UsageError(
      `--origin "${value}" is a pattern, not an origin: a page lives on one origin; put sub-domain patterns in the expect file (allow: [{ "origin": "https://*.example.com" }]) and name real origins with --origin`,
    );
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--origin "${value}" is not an origin: give scheme://host[:port], e.g. https://app.example.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--origin "${value}" is not an http(s) origin`);
  if (url.origin !== value) throw new UsageError(`--origin "${value}" is not a serialized origin: did you mean ${url.origin}?`);
  if (url.hostname.startsWith('[')) throw new UsageError(`--origin "${value}": IPv6 page origins are not supported; use a host name`);
  return value;
}

export function parseMethod(value: string): string {
  if (!isToken(value)) throw new UsageError(`--method "${value}" is not an HTTP method token`);
  if (isForbiddenMethod(value)) throw new UsageError(`--method ${value} is a forbidden method: fetch() and XHR refuse to send it`);
  return value;
}

/**
 * What in a header value a browser refuses to send, or null. The Fetch Standard's header value has
 * no NUL, CR or LF (#terminology-headers "header value"); Web IDL's ByteString refuses code points above U+00FF.
 * Measured, Chromium 156 and Firefox 153: exactly these throw in `new Request()` and
 * `setRequestHeader`; every other byte (tab, other controls, 0x7F-0xFF) is sent.
 */
export function refusedValueChar(value: string): string | null {
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (code === 0) return 'a NUL byte';
    if (code === 0x0a) return 'a line feed (LF)';
    if (code === 0x0d) return 'a carriage return (CR)';
    if (code > 0xff) return `the character U+${code.toString(16).toUpperCase().padStart(4, '0')} (above U+00FF)`;
  }
  return null;
}

/** `Name` or `Name: value`; the value defaults to something that forces a preflight. */
export function parseHeader(value: string): [string, string] {
  const colon = value.indexOf(':');
  const name = (colon < 0 ? value : value.slice(0, colon)).trim();
  if (!isToken(name)) throw new UsageError(`--header "${value}" is not a header name (or 'Name: value')`);
  const given = colon < 0 ? null : value.slice(colon + 1).trim();
  const fallback =
    name.toLowerCase() === 'content-type'
      ? 'application/json'
      : name.toLowerCase() === 'authorization'
        ? 'Bearer cors-conform-probe'
        : 'cors-conform';
  const headerValue = given === null || given === '' ? fallback : given;
  const bad = refusedValueChar(headerValue);
  if (bad !== null)
    throw new UsageError(
      `--header ${name}: the value has ${bad}, which browsers refuse in a header value (fetch() and XHR throw before sending)`,
    );
  if (isForbiddenRequestHeader(name, headerValue))
    throw new UsageError(`--header ${name} is a forbidden request header: pages cannot set it, so it says nothing about CORS`);
  return [name, headerValue];
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
  const url = positionals[0] === undefined ? null : parseTargetUrl(positionals[0]);
  const origins = [...new Set((values.origin ?? []).map(parseOrigin))];
  const methods = [...new Set((values.method ?? []).map(parseMethod))];
  const headers = (values.header ?? []).map(parseHeader);
  if (origins.length > LIMITS.origins) throw new UsageError(`at most ${LIMITS.origins} --origin values per run`);
  if (methods.length > LIMITS.methods) throw new UsageError(`at most ${LIMITS.methods} --method values per run`);
  if (headers.length > LIMITS.headers) throw new UsageError(`at most ${LIMITS.headers} --header values per run`);
  const options: VerifyOptions = {
    url,
    origins,
    credentials: values.credentials ?? false,
    methods,
    headers,
    expect: values.expect ?? null,
    browser: oneOf('browser', values.browser, ['chromium', 'firefox', 'all'] as const, DEFAULTS.browser),
    format: oneOf('format', values.format, FORMATS, DEFAULTS.format),
    out: values.out ?? null,
    force: values.force ?? false,
    failOn: oneOf('fail-on', values['fail-on'], SEVERITIES, DEFAULTS.failOn),
    timeoutMs: integer('timeout', values.timeout, 100, 600_000, DEFAULTS.timeoutMs),
    concurrency: integer('concurrency', values.concurrency, 1, 16, DEFAULTS.concurrency),
    insecure: values.insecure ?? false,
    help: values.help ?? false,
  };
  if (options.help) return options;
  if (options.force && options.out === null) throw new UsageError('--force only makes sense with --out <file>');
  if (url === null) {
    const given = ['origin', 'credentials', 'method', 'header', 'expect', 'insecure'].filter(
      (k) => values[k as keyof typeof values] !== undefined,
    );
    if (given.length > 0) {
      throw new UsageError(
        `--${given[0]} needs the URL of the server to check (without a URL, verify runs the bundled sample): cors-conform verify <url> --origin <origin>`,
      );
    }
    return options;
  }
  if (origins.length === 0 && options.expect === null) {
    throw new UsageError(
      '--origin is required: the origin your pages live on, e.g. --origin https://app.example.com (or an --expect file listing them)',
    );
  }
  const targetOrigin = new URL(url).origin;
  if (origins.includes(targetOrigin))
    throw new UsageError(`--origin ${targetOrigin} is the target's own origin: requests from it are same-origin and CORS does not apply`);
  return options;
}
