/**
 * Header lists as the Fetch Standard sees them (#terminology-headers "Headers").
 *
 * A header list is an ordered multimap: the same name can appear more than once, and the
 * difference between one header `A: x, y` and two headers `A: x` + `A: y` matters for some
 * CORS rules (a repeated `Access-Control-Allow-Origin` fails the CORS check, a repeated
 * `Access-Control-Max-Age` is a parse failure). So the oracle never uses a plain object here.
 */

export type Header = readonly [name: string, value: string];
export type HeaderList = readonly Header[];

/** HTTP tab or space (Fetch #terminology-headers "HTTP tab or space byte"). */
const TAB_OR_SPACE = /^[\t ]+|[\t ]+$/g;

/**
 * Fetch #terminology-headers "normalize": strip leading and trailing HTTP whitespace. HTTP/1.1 parsers drop
 * optional whitespace around a field value, so a server that writes `ACAO:  http://a ` is seen by
 * the browser as `http://a`. The oracle takes header values as written on the wire and
 * normalizes them here, exactly once.
 */
export function normalizeValue(value: string): string {
  return value.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
}

export function normalizeList(list: HeaderList): Header[] {
  return list.map(([name, value]) => [name, normalizeValue(value)] as const);
}

/** Fetch #header-list-contains: byte-case-insensitive name match. */
export function contains(list: HeaderList, name: string): boolean {
  const lower = name.toLowerCase();
  return list.some(([n]) => n.toLowerCase() === lower);
}

/** All values of `name`, in order, not combined. */
export function values(list: HeaderList, name: string): string[] {
  const lower = name.toLowerCase();
  return list.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
}

/**
 * Fetch #concept-header-list-get: the values of every header named `name`, joined by 0x2C 0x20, or null.
 * This is why two `Access-Control-Allow-Origin` headers fail the CORS check: the browser
 * compares the joined `a, a`, never either copy alone.
 */
export function get(list: HeaderList, name: string): string | null {
  const found = values(list, name);
  return found.length === 0 ? null : found.join(', ');
}

/** Fetch #terminology-headers "get, decode, and split" for a header value (quoted strings keep their commas). */
export function decodeAndSplit(value: string): string[] {
  const out: string[] = [];
  let temporary = '';
  let i = 0;
  for (;;) {
    while (i < value.length && value[i] !== '"' && value[i] !== ',') temporary += value[i++];
    if (i < value.length && value[i] === '"') {
      // collect an HTTP quoted string, keeping the quotes (extract-value false)
      temporary += value[i++];
      while (i < value.length) {
        const c = value[i++];
        temporary += c;
        if (c === '\\' && i < value.length) temporary += value[i++];
        else if (c === '"') break;
      }
      if (i < value.length) continue;
    }
    out.push(temporary.replace(TAB_OR_SPACE, ''));
    temporary = '';
    if (i >= value.length) return out;
    i++; // the comma
  }
}

/** Fetch #terminology-headers "get, decode, and split" from a header list. */
export function getDecodeSplit(list: HeaderList, name: string): string[] | null {
  const value = get(list, name);
  return value === null ? null : decodeAndSplit(value);
}

/** RFC 9110 §5.6.2 token: the `method` and `field-name` productions. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
export function isToken(s: string): boolean {
  return TOKEN.test(s);
}

export type Failure = { failure: true };
export const FAILURE: Failure = { failure: true };
export function isFailure(x: unknown): x is Failure {
  return typeof x === 'object' && x !== null && (x as Failure).failure === true;
}

/**
 * Fetch #extract-header-list-values for the `#token` lists of #http-new-header-syntax: `#method` for
 * Access-Control-Allow-Methods, `#field-name` for Access-Control-Allow-Headers and
 * Access-Control-Expose-Headers. Null when absent; failure when any element is not
 * a token (e.g. `GET PUT` or `x header`). Empty elements are allowed by RFC 9110 §5.6.1.
 */
export function extractTokenList(list: HeaderList, name: string): string[] | null | Failure {
  if (!contains(list, name)) return null;
  const out: string[] = [];
  for (const value of values(list, name)) {
    for (const element of value.split(',')) {
      const trimmed = element.replace(TAB_OR_SPACE, '');
      if (trimmed === '') continue;
      if (!isToken(trimmed)) return FAILURE;
      out.push(trimmed);
    }
  }
  return out;
}

/**
 * Fetch #extract-header-list-values for `Access-Control-Max-Age = delta-seconds`
 * (#http-new-header-syntax): a single header of one or more digits. Two headers, a sign or any other byte is a
 * failure (and #cors-preflight-fetch then falls back to 5 seconds).
 */
export function extractDeltaSeconds(list: HeaderList, name: string): number | null | Failure {
  const found = values(list, name);
  if (found.length === 0) return null;
  if (found.length > 1) return FAILURE;
  const value = found[0]!.replace(TAB_OR_SPACE, '');
  if (!/^[0-9]+$/.test(value)) return FAILURE;
  return Number(value);
}

/** Lowercased, deduplicated, byte-sorted (Fetch #convert-header-names-to-a-sorted-lowercase-set). */
export function sortedLowercaseSet(names: Iterable<string>): string[] {
  return [...new Set([...names].map((n) => n.toLowerCase()))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Parse `Name: value` as given on a command line or in a case table. */
export function parseHeaderLine(line: string): Header | null {
  const colon = line.indexOf(':');
  if (colon <= 0) return null;
  const name = line.slice(0, colon).trim();
  if (!isToken(name)) return null;
  return [name, line.slice(colon + 1)] as const;
}
