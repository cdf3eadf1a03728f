/**
 * What a caller asks `verify` to do – the CLI's flags, the programmatic `verify()`, the Playwright
 * fixture – checked the same way for all of them, before any request: every mistake is one
 * UsageError line naming the option the way the caller names it (`--origin` on the command line,
 * `origins` in code).
 */
import {
  BROWSER_KINDS,
  CLIENTS,
  sendsPageRequest,
  isForbiddenMethod,
  isForbiddenRequestHeader,
  isToken,
  type BrowserKind,
  type Client,
} from '../oracle';
import { UsageError } from '../core/errors';
import { loadExpectFile, parseExpectFile, type ExpectFile } from './expect-file';
import { SEVERITIES, type Severity } from './types';

export type BrowserChoice = BrowserKind | 'all';
export const BROWSER_CHOICES: readonly BrowserChoice[] = [...BROWSER_KINDS, 'all'];

/** What a caller may leave out. */
export const DEFAULTS = { browser: 'chromium', failOn: 'high', timeoutMs: 10_000, concurrency: 2 } as const;
export const LIMITS = { origins: 16, methods: 8, headers: 8, timeoutMs: [100, 600_000], concurrency: [1, 16] } as const;

/** How the caller names each option in messages. */
export interface OptionNames {
  url: string;
  origin: string;
  method: string;
  header: string;
  expect: string;
  browser: string;
  failOn: string;
  timeout: string;
  concurrency: string;
  as: string;
}

export const CLI_NAMES: OptionNames = {
  url: '<url>',
  origin: '--origin',
  method: '--method',
  header: '--header',
  expect: '--expect',
  browser: '--browser',
  failOn: '--fail-on',
  timeout: '--timeout',
  concurrency: '--concurrency',
  as: '--as',
};

export const API_NAMES: OptionNames = {
  url: 'url',
  origin: 'origins',
  method: 'methods',
  header: 'headers',
  expect: 'expect',
  browser: 'browser',
  failOn: 'failOn',
  timeout: 'timeoutMs',
  concurrency: 'concurrency',
  as: 'as',
};

/** The URL of a target; `name` (a config field) starts the message when given. */
export function parseTargetUrl(value: string, name: string | null = null): string {
  const at = name === null ? '' : `${name} `;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${at}"${value}" is not a URL: give the full address, e.g. https://api.example.com/data`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${at}"${value}" is not an http(s) URL`);
  if (url.username !== '' || url.password !== '')
    throw new UsageError(`${at}"${value}" has a user name or password in it: fetch() refuses such URLs`);
  url.hash = '';
  return url.href;
}

export function parseOrigin(value: string, name = CLI_NAMES.origin): string {
  if (value === 'null')
    throw new UsageError(`${name} null: the null origin is probed as an attacker origin anyway; name the origins your pages live on`);
  // The URL parser takes `*` as a host character, so a pattern would pass as one odd origin and
  // then never be probed: say so instead.
  if (value.includes('*'))
    throw new UsageError(
      `${name} "${value}" is a pattern, not an origin: a page lives on one origin; put sub-domain patterns in the expect file (allow: [{ "origin": "https://*.example.com" }]) and name real origins with ${name}`,
    );
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${name} "${value}" is not an origin: give scheme://host[:port], e.g. https://app.example.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${name} "${value}" is not an http(s) origin`);
  if (url.origin !== value) throw new UsageError(`${name} "${value}" is not a serialized origin: did you mean ${url.origin}?`);
  if (url.hostname.startsWith('[')) throw new UsageError(`${name} "${value}": IPv6 page origins are not supported; use a host name`);
  return value;
}

export function parseMethod(value: string, name = CLI_NAMES.method): string {
  if (!isToken(value)) throw new UsageError(`${name} "${value}" is not an HTTP method token`);
  if (isForbiddenMethod(value)) throw new UsageError(`${name} ${value} is a forbidden method: fetch() and XHR refuse to send it`);
  return value;
}

/**
 * What in a header value a browser refuses to send, or null. The Fetch Standard's header value has
 * no NUL, CR or LF (#terminology-headers "header value"); Web IDL's ByteString refuses code points
 * above U+00FF. Measured, Chromium 156 and Firefox 153: exactly these throw in `new Request()` and
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

/** `Name`, `Name: value` or a [name, value] pair; a value left out is one that forces a preflight. */
export function parseHeader(value: string | readonly [string, string], option = CLI_NAMES.header): [string, string] {
  const text = typeof value === 'string' ? value : `${value[0]}: ${value[1]}`;
  const colon = typeof value === 'string' ? value.indexOf(':') : value[0].length;
  const name = (colon < 0 ? text : text.slice(0, colon)).trim();
  if (!isToken(name)) throw new UsageError(`${option} "${text}" is not a header name (or 'Name: value')`);
  const given = colon < 0 ? null : typeof value === 'string' ? text.slice(colon + 1).trim() : value[1].trim();
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
      `${option} ${name}: the value has ${bad}, which browsers refuse in a header value (fetch() and XHR throw before sending)`,
    );
  if (isForbiddenRequestHeader(name, headerValue))
    throw new UsageError(`${option} ${name} is a forbidden request header: pages cannot set it, so it says nothing about CORS`);
  return [name, headerValue];
}

export function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${name} "${value}" is not one of ${allowed.join(', ')}`);
  return value as T;
}

export function inRange(name: string, value: number | undefined, [min, max]: readonly [number, number], fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max)
    throw new UsageError(`${name} "${value}" is not a whole number from ${min} to ${max}`);
  return value;
}

/** What a caller asks for, before it is checked. */
export interface VerifyRequest {
  /** The server to check; leave it out for the bundled sample. */
  url?: string | null;
  /** The origins your pages live on, e.g. `['https://app.example.com']`. */
  origins?: readonly string[];
  /** Whether your pages send credentials (cookies) to the server. */
  credentials?: boolean;
  /** Methods besides GET, HEAD and POST your pages send; the only others ever sent. */
  methods?: readonly string[];
  /** Request headers your pages set: `'X-Api-Key'`, `'X-Api-Key: value'` or `['X-Api-Key', 'value']`. */
  headers?: ReadonlyArray<string | readonly [string, string]>;
  /** What the server should allow: an expect file's path, or its contents. */
  expect?: string | ExpectFile | null;
  browser?: BrowserChoice;
  /** The least severe finding that fails the verdict (default high). */
  failOn?: Severity;
  /** Deadline of each exchange, headers and body, in ms (default 10000). */
  timeoutMs?: number;
  /** The most requests in flight to the target at once (default 2). */
  concurrency?: number;
  /** Accept the target's TLS certificate without checking it. */
  insecure?: boolean;
  /**
   * Who loads the URL on your pages, when it is not fetch()/XHR: `font` for a font CDN, `module`
   * for scripts, `img`, `stylesheet`, `eventsource`, … (every requester: CLIENTS). Its probes then
   * replace the fetch and XHR ones; `fetch` or `xhr` keeps only that client's.
   */
  as?: Client;
}

/** A request, checked: every value valid, the expect file read. */
export interface CheckedRequest {
  url: string | null;
  origins: string[];
  credentials: boolean;
  methods: string[];
  headers: Array<[string, string]>;
  expect: ExpectFile | null;
  browser: BrowserChoice;
  failOn: Severity;
  timeoutMs: number;
  concurrency: number;
  insecure: boolean;
  /** The requester, or null for fetch() and XHR both. */
  as: Client | null;
}

/** Pages on the target's own origin would be same-origin: CORS does not apply to them. */
export function checkTargetOrigin(url: string, origins: readonly string[], names: OptionNames = API_NAMES): void {
  const targetOrigin = new URL(url).origin;
  if (origins.includes(targetOrigin))
    throw new UsageError(
      `${names.origin} ${targetOrigin} is the target's own origin: requests from it are same-origin and CORS does not apply`,
    );
}

/**
 * Checks everything that can be checked before a request; throws a one-line UsageError. `list`:
 * the options for a list of targets (--targets, --openapi), given without a URL of their own;
 * each target is then checked against them with checkTargetOrigin. `options`: only the values
 * given (a config file's command-line overrides), nothing required.
 */
export function checkRequest(
  request: VerifyRequest,
  names: OptionNames = API_NAMES,
  mode: 'one' | 'list' | 'options' = 'one',
): CheckedRequest {
  const url =
    request.url === undefined || request.url === null ? null : parseTargetUrl(request.url, names === CLI_NAMES ? null : names.url);
  const origins = [...new Set((request.origins ?? []).map((o) => parseOrigin(o, names.origin)))];
  const methods = [...new Set((request.methods ?? []).map((m) => parseMethod(m, names.method)))];
  const headers = (request.headers ?? []).map((h) => parseHeader(h, names.header));
  if (origins.length > LIMITS.origins) throw new UsageError(`at most ${LIMITS.origins} ${names.origin} values per run`);
  if (methods.length > LIMITS.methods) throw new UsageError(`at most ${LIMITS.methods} ${names.method} values per run`);
  if (headers.length > LIMITS.headers) throw new UsageError(`at most ${LIMITS.headers} ${names.header} values per run`);
  const expect =
    request.expect === undefined || request.expect === null
      ? null
      : typeof request.expect === 'string'
        ? loadExpectFile(request.expect)
        : parseExpectFile(request.expect, names.expect);
  const checked: CheckedRequest = {
    url,
    origins,
    credentials: request.credentials ?? false,
    methods,
    headers,
    expect,
    browser: oneOf(names.browser, request.browser, BROWSER_CHOICES, DEFAULTS.browser),
    failOn: oneOf(names.failOn, request.failOn, SEVERITIES, DEFAULTS.failOn),
    timeoutMs: inRange(names.timeout, request.timeoutMs, LIMITS.timeoutMs, DEFAULTS.timeoutMs),
    concurrency: inRange(names.concurrency, request.concurrency, LIMITS.concurrency, DEFAULTS.concurrency),
    insecure: request.insecure ?? false,
    as: request.as === undefined ? null : oneOf(names.as, request.as, CLIENTS, 'fetch'),
  };
  if (checked.as !== null && !sendsPageRequest(checked.as) && (methods.length > 0 || headers.length > 0))
    throw new UsageError(
      `${names.as} ${checked.as} loads the URL with a plain GET: ${methods.length > 0 ? names.method : names.header} goes with fetch, xhr or worker`,
    );
  if (url === null && mode === 'one') {
    const given = (
      [
        ['origin', origins.length > 0],
        ['credentials', request.credentials !== undefined],
        ['method', methods.length > 0],
        ['header', headers.length > 0],
        ['expect', expect !== null],
        ['insecure', request.insecure !== undefined],
        ['as', request.as !== undefined],
      ] as const
    ).find(([, set]) => set);
    if (given) {
      const name = given[0] in names ? names[given[0] as keyof OptionNames] : names === CLI_NAMES ? `--${given[0]}` : given[0];
      throw new UsageError(
        `${name} needs the URL of the server to check (without a URL, verify runs the bundled sample): cors-conform verify <url> --origin <origin>`,
      );
    }
    return checked;
  }
  if (mode === 'options') return checked;
  if (origins.length === 0 && expect === null) {
    throw new UsageError(
      `${names.origin} is required: the origin your pages live on, e.g. ${names === CLI_NAMES ? '--origin https://app.example.com' : "origins: ['https://app.example.com']"} (or an expect file listing them)`,
    );
  }
  if (url !== null) checkTargetOrigin(url, origins, names);
  return checked;
}
