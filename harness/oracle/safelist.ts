/**
 * The safelists and forbidden lists of Fetch #methods (methods) and #terminology-headers (headers).
 */
import { decodeAndSplit, type HeaderList, sortedLowercaseSet } from './headers';
import { mimeEssence } from './mime';
import { NO_BROWSER_QUIRKS, type BrowserQuirk } from './types';

/** Fetch #cors-safelisted-method: byte-exact, so only after normalization. */
export function isSafelistedMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'POST';
}

/**
 * Fetch #concept-method-normalize: only DELETE, GET, HEAD, OPTIONS, POST and PUT are
 * uppercased. `patch` stays `patch`, so a preflight for it asks for `patch`, and
 * `Access-Control-Allow-Methods: PATCH` does not match it (the method check is case-sensitive).
 */
export function normalizeMethod(method: string): string {
  const upper = method.toUpperCase();
  return ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'].includes(upper) ? upper : method;
}

/** Fetch #forbidden-method: fetch() and XHR throw for these. */
export function isForbiddenMethod(method: string): boolean {
  return ['CONNECT', 'TRACE', 'TRACK'].includes(method.toUpperCase());
}

/** Fetch #terminology-headers "CORS-unsafe request-header byte". */
export function isUnsafeByte(code: number): boolean {
  if (code < 0x20 && code !== 0x09) return true;
  return [0x22, 0x28, 0x29, 0x3a, 0x3c, 0x3e, 0x3f, 0x40, 0x5b, 0x5c, 0x5d, 0x7b, 0x7d, 0x7f].includes(code);
}

/** With quirk `non-ascii-bytes-unsafe`, bytes 0x80-0xFF count as unsafe too. */
function hasUnsafeByte(value: string, quirks: ReadonlySet<BrowserQuirk>): boolean {
  const nonAscii = quirks.has('non-ascii-bytes-unsafe');
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (isUnsafeByte(code) || (nonAscii && code >= 0x80)) return true;
  }
  return false;
}

/**
 * Quirk `client-hints-safelisted`: client-hint headers a page may set without a preflight when
 * their values parse (a number; `on` for Save-Data). None is on the standard's safelist.
 */
const CLIENT_HINTS: Readonly<Record<string, (value: string) => boolean>> = {
  dpr: (v) => /^[0-9]+(\.[0-9]+)?$/.test(v),
  'device-memory': (v) => /^[0-9]+(\.[0-9]+)?$/.test(v),
  'viewport-width': (v) => /^[0-9]+(\.[0-9]+)?$/.test(v),
  width: (v) => /^[0-9]+(\.[0-9]+)?$/.test(v),
  'save-data': (v) => v === 'on',
};

/** Fetch #cors-safelisted-request-header – Accept-Language / Content-Language bytes. */
function isLanguageValue(value: string): boolean {
  return /^[0-9A-Za-z *,\-.;=]*$/.test(value);
}

/**
 * Fetch #simple-range-header-value "parse a single range header value": `bytes=N-` or `bytes=N-M` (and
 * `bytes=-M`, which the safelist then rejects). Returns [start, end] or null for failure. The
 * digits are "interpreted as decimal number" and compared exactly, so they are BigInts: as
 * doubles, 9007199254740993 and 9007199254740992 are both 2^53, and `bytes=9007199254740993-9007199254740992`
 * would pass for a valid range (start ≤ end) when it is a failure, so not safelisted.
 */
export function parseSingleRange(value: string, allowWhitespace: boolean): [bigint | null, bigint | null] | null {
  const ws = allowWhitespace ? '[\\t ]*' : '';
  const m = new RegExp(`^bytes${ws}=${ws}([0-9]*)${ws}-${ws}([0-9]*)$`).exec(value);
  if (!m) return null;
  const start = m[1] === '' ? null : BigInt(m[1]!);
  const end = m[2] === '' ? null : BigInt(m[2]!);
  if (start === null && end === null) return null;
  if (start !== null && end !== null && start > end) return null;
  return [start, end];
}

/**
 * Fetch #cors-safelisted-request-header. Values are byte sequences; fetch() and XHR only
 * accept ByteStrings, so one JS character is one byte here.
 */
export function isSafelistedRequestHeader(name: string, value: string, quirks: ReadonlySet<BrowserQuirk> = NO_BROWSER_QUIRKS): boolean {
  // "If value's length is greater than 128, then return false."
  if (value.length > 128) return false;
  const lower = name.toLowerCase();
  if (quirks.has('client-hints-safelisted') && lower in CLIENT_HINTS) return CLIENT_HINTS[lower]!(value);
  switch (lower) {
    case 'accept':
      return !hasUnsafeByte(value, quirks);
    case 'accept-language':
    case 'content-language':
      return isLanguageValue(value);
    case 'content-type': {
      if (hasUnsafeByte(value, quirks)) return false;
      // Deliberately "parse a MIME type", not the forgiving "extract a MIME type" (see the
      // warning in #terminology-headers): only these three essences avoid a preflight.
      const essence = mimeEssence(value);
      return essence === 'application/x-www-form-urlencoded' || essence === 'multipart/form-data' || essence === 'text/plain';
    }
    case 'range': {
      const range = parseSingleRange(value, false);
      // `bytes=-500` parses but is not safelisted: browsers never emitted suffix ranges.
      return range !== null && range[0] !== null;
    }
    default:
      return false;
  }
}

/**
 * Fetch #cors-unsafe-request-header-names: every header that is not safelisted, plus all
 * safelisted ones once their values add up to more than 1024 bytes; lowercased and sorted.
 */
export function unsafeRequestHeaderNames(headers: HeaderList, quirks: ReadonlySet<BrowserQuirk> = NO_BROWSER_QUIRKS): string[] {
  const unsafe: string[] = [];
  const potentiallyUnsafe: string[] = [];
  let safelistValueSize = 0;
  for (const [name, value] of quirks.has('safelist-checks-combined-value') ? combineByName(headers) : headers) {
    if (!isSafelistedRequestHeader(name, value, quirks)) unsafe.push(name);
    else {
      potentiallyUnsafe.push(name);
      safelistValueSize += value.length;
    }
  }
  if (safelistValueSize > 1024 && !quirks.has('no-safelist-total-size-limit')) unsafe.push(...potentiallyUnsafe);
  return sortedLowercaseSet(unsafe);
}

/**
 * Quirk `safelist-checks-combined-value`: a name set more than once is judged as one header whose
 * value is the values joined with ", " (as a header list "get" combines them), not entry by entry.
 */
function combineByName(headers: HeaderList): Array<[string, string]> {
  const byName = new Map<string, [string, string[]]>();
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    const entry = byName.get(lower);
    if (entry) entry[1].push(value);
    else byName.set(lower, [name, [value]]);
  }
  return [...byName.values()].map(([name, values]) => [name, values.join(', ')]);
}

/** Fetch #cors-non-wildcard-request-header-name: `*` never covers Authorization. */
export function isNonWildcardRequestHeaderName(name: string): boolean {
  return name.toLowerCase() === 'authorization';
}

const FORBIDDEN_REQUEST_HEADER_NAMES = new Set([
  'accept-charset',
  'accept-encoding',
  'access-control-request-headers',
  'access-control-request-method',
  'connection',
  'content-length',
  'cookie',
  'cookie2',
  'date',
  'dnt',
  'expect',
  'host',
  'keep-alive',
  'origin',
  'referer',
  'set-cookie',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'via',
]);

/**
 * Fetch #forbidden-request-header: fetch() and XHR silently drop these, so a page cannot
 * forge `Origin` or `Cookie`, and setting one never causes a preflight.
 */
export function isForbiddenRequestHeader(name: string, value: string): boolean {
  const lower = name.toLowerCase();
  if (FORBIDDEN_REQUEST_HEADER_NAMES.has(lower)) return true;
  if (lower.startsWith('proxy-') || lower.startsWith('sec-')) return true;
  if (lower === 'x-http-method' || lower === 'x-http-method-override' || lower === 'x-method-override') {
    // Fetch #terminology-headers step 3: "getting, decoding, and splitting" the value, so a comma inside a
    // quoted string does not split and only HTTP tab or space is trimmed (not String#trim's set).
    return decodeAndSplit(value).some((m) => isForbiddenMethod(m));
  }
  return false;
}

const SAFELISTED_RESPONSE_HEADER_NAMES = new Set([
  'cache-control',
  'content-language',
  'content-length',
  'content-type',
  'expires',
  'last-modified',
  'pragma',
]);

/** Fetch #terminology-headers "forbidden response-header name": never readable, whatever Expose-Headers says. */
export function isForbiddenResponseHeaderName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === 'set-cookie' || lower === 'set-cookie2';
}

/**
 * Fetch #cors-safelisted-response-header-name given the CORS-exposed header-name list.
 */
export function isSafelistedResponseHeaderName(name: string, exposed: readonly string[]): boolean {
  const lower = name.toLowerCase();
  if (SAFELISTED_RESPONSE_HEADER_NAMES.has(lower)) return true;
  return exposed.some((e) => e.toLowerCase() === lower) && !isForbiddenResponseHeaderName(lower);
}
