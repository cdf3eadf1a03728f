/**
 * Citations of the Fetch Standard. A citation names an anchor – `#cors-check step 3`,
 * `#cors-preflight-fetch step 7.6 (#cors-non-wildcard-request-header-name)` – never a section
 * number: the standard renumbers its sections (what this project once cited as §3.2 CORS protocol
 * is §3.3 today), its anchors stay. Every anchor cited anywhere must be on this list, which was
 * checked against the standard's source (whatwg/fetch fetch.bs at 586cd2a, 2026): section ids and
 * explicit definition ids as written there, generated definition ids as Bikeshed makes them and as
 * implementations link them. tests/unit/oracle/spec.spec.ts holds every citation to the list.
 */

export const FETCH_STANDARD = 'https://fetch.spec.whatwg.org/';

/** Anchor → the name of what it points at, as the standard says it. */
export const FETCH_ANCHORS = {
  // Sections
  methods: 'Methods',
  'terminology-headers': 'Headers',
  statuses: 'Statuses',
  requests: 'Requests',
  responses: 'Responses',
  'http-cors-protocol': 'CORS protocol',
  'http-requests': 'CORS protocol: HTTP requests',
  'http-responses': 'CORS protocol: HTTP responses',
  'http-new-header-syntax': 'CORS protocol: HTTP new-header syntax',
  'cors-protocol-and-credentials': 'CORS protocol and credentials',
  'main-fetch': 'Main fetch',
  'http-fetch': 'HTTP fetch',
  'http-redirect-fetch': 'HTTP-redirect fetch',
  'http-network-or-cache-fetch': 'HTTP-network-or-cache fetch',
  'cors-preflight-fetch': 'CORS-preflight fetch',
  'cors-preflight-cache': 'CORS-preflight cache',
  'cors-check': 'CORS check',
  'headers-class': 'Headers class',
  'request-class': 'Request class',
  // Definitions
  'cors-safelisted-method': 'CORS-safelisted method',
  'forbidden-method': 'forbidden method',
  'concept-method-normalize': 'normalize (a method)',
  'cors-safelisted-request-header': 'CORS-safelisted request-header',
  'simple-range-header-value': 'parse a single range header value',
  'cors-unsafe-request-header-names': 'CORS-unsafe request-header names',
  'cors-unsafe-request-header-byte': 'CORS-unsafe request-header byte',
  'cors-non-wildcard-request-header-name': 'CORS non-wildcard request-header name',
  'cors-safelisted-response-header-name': 'CORS-safelisted response-header name',
  'forbidden-request-header': 'forbidden request-header',
  'concept-header-list-get-decode-split': 'get, decode, and split (a header list)',
  'extract-header-list-values': 'extract header list values',
  'concept-header-list-get': 'get (a header list)',
  'header-list-contains': 'contains (a header list)',
  'concept-header-value-normalize': 'normalize (a header value)',
  'convert-header-names-to-a-sorted-lowercase-set': 'convert header names to a sorted-lowercase set',
  'ok-status': 'ok status',
  'concept-request-tainted-origin': 'redirect-taint',
  'concept-request-response-tainting': 'response tainting',
  'byte-serializing-a-request-origin': 'byte-serializing a request origin',
  'concept-filtered-response-cors': 'CORS filtered response',
  'cors-preflight-request': 'CORS-preflight request',
  'concept-cache-match': 'cache entry match',
  'concept-cache-match-header': 'header-name cache entry match',
  'concept-cache-clear': 'clear cache entries',
  'concept-cache-create-entry': 'create a new cache entry',
} as const;

export type FetchAnchor = keyof typeof FETCH_ANCHORS;

/** `#id` not inside backticks or a word: ABNF list rules (`#method`) are written in backticks. */
const ANCHOR = /(?<![`\w])#([a-z0-9]+(?:-[a-z0-9]+)*)/g;

/** The anchors a citation names, in order. */
export function citedAnchors(citation: string): string[] {
  return [...citation.matchAll(ANCHOR)].map((m) => m[1]!);
}

export function isFetchAnchor(anchor: string): anchor is FetchAnchor {
  return Object.hasOwn(FETCH_ANCHORS, anchor);
}

export function anchorUrl(anchor: FetchAnchor): string {
  return `${FETCH_STANDARD}#${anchor}`;
}

/** A citation cut into its text and its anchors (for renderers that escape the text themselves). */
export function citationParts(citation: string): Array<{ text: string } | { anchor: FetchAnchor; name: string; url: string }> {
  const parts: Array<{ text: string } | { anchor: FetchAnchor; name: string; url: string }> = [];
  let last = 0;
  for (const m of citation.matchAll(ANCHOR)) {
    const anchor = m[1]!;
    if (!isFetchAnchor(anchor)) continue;
    if (m.index > last) parts.push({ text: citation.slice(last, m.index) });
    parts.push({ anchor, name: FETCH_ANCHORS[anchor], url: anchorUrl(anchor) });
    last = m.index + m[0].length;
  }
  if (last < citation.length) parts.push({ text: citation.slice(last) });
  return parts;
}

/**
 * A citation with each anchor replaced by what `link` makes of it (a Markdown or HTML link); the
 * rest of the text (step numbers, notes) stays. Plain text by default: the names alone.
 */
export function renderCitation(citation: string, link: (name: string, url: string) => string = (name) => name): string {
  return citation.replace(ANCHOR, (whole, anchor: string) =>
    isFetchAnchor(anchor) ? link(FETCH_ANCHORS[anchor], anchorUrl(anchor)) : whole,
  );
}
