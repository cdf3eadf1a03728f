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
  'dom-global-fetch': 'fetch() method',
  'concept-request-mode': 'request mode',
  'concept-request-credentials-mode': 'request credentials mode',
  'concept-request-destination': 'request destination',
  'concept-filtered-response-opaque': 'opaque filtered response',
} as const;

/**
 * Other standards a request's mode, credentials mode and destination come from (HTML, XHR, CSS
 * Fonts), cited as `HTML #anchor`: the standard's name, then an anchor on its list here. Checked
 * against each standard's published text, 2026.
 */
export const OTHER_STANDARDS = {
  HTML: {
    url: 'https://html.spec.whatwg.org/',
    anchors: {
      'cors-settings-attribute': 'CORS settings attribute',
      'create-a-potential-cors-request': 'create a potential-CORS request',
      'update-the-image-data': 'update the image data',
      'prepare-the-script-element': 'prepare the script element',
      'fetch-a-module-script-tree': 'fetch a module script graph',
      hostloadimportedmodule: 'HostLoadImportedModule',
      'link-type-stylesheet': 'link type "stylesheet"',
      'dom-eventsource': 'EventSource()',
      'fetch-a-module-worker-script-tree': 'fetch a module worker script graph',
      'muted-errors': 'muted errors',
    },
  },
  XHR: { url: 'https://xhr.spec.whatwg.org/', anchors: { 'dom-xmlhttprequest-withcredentials': 'withCredentials' } },
  'CSS Fonts 4': {
    url: 'https://www.w3.org/TR/css-fonts-4/',
    anchors: { 'font-fetching-requirements': 'font fetching requirements' },
  },
} as const satisfies Record<string, { url: string; anchors: Record<string, string> }>;

export type OtherStandard = keyof typeof OTHER_STANDARDS;

export type FetchAnchor = keyof typeof FETCH_ANCHORS;

/**
 * `#id` not inside backticks or a word (ABNF list rules, `#method`, are written in backticks),
 * after the name of another standard when it is one of those (`HTML #muted-errors`).
 */
const ANCHOR = /(?:(HTML|XHR|CSS Fonts 4) )?(?<![`\w])#([a-z0-9]+(?:-[a-z0-9]+)*)/g;

/** The Fetch Standard anchors a citation names, in order. */
export function citedAnchors(citation: string): string[] {
  return [...citation.matchAll(ANCHOR)].filter((m) => m[1] === undefined).map((m) => m[2]!);
}

/** The other standards' anchors a citation names, in order. */
export function citedOtherAnchors(citation: string): Array<{ standard: OtherStandard; anchor: string }> {
  return [...citation.matchAll(ANCHOR)].filter((m) => m[1] !== undefined).map((m) => ({ standard: m[1] as OtherStandard, anchor: m[2]! }));
}

/** Whether `anchor` is on the checked list of `standard`. */
export function isOtherAnchor(standard: OtherStandard, anchor: string): boolean {
  return Object.hasOwn(OTHER_STANDARDS[standard].anchors, anchor);
}

/** What an anchor match names and where it links, if it is on a checked list. */
function linkOf(standard: string | undefined, anchor: string): { name: string; url: string; standard: string } | null {
  if (standard === undefined)
    return isFetchAnchor(anchor) ? { name: FETCH_ANCHORS[anchor], url: anchorUrl(anchor), standard: 'Fetch Standard' } : null;
  const other = OTHER_STANDARDS[standard as OtherStandard];
  const anchors: Record<string, string> = other.anchors;
  return Object.hasOwn(anchors, anchor) ? { name: `${standard} ${anchors[anchor]}`, url: `${other.url}#${anchor}`, standard } : null;
}

export function isFetchAnchor(anchor: string): anchor is FetchAnchor {
  return Object.hasOwn(FETCH_ANCHORS, anchor);
}

export function anchorUrl(anchor: FetchAnchor): string {
  return `${FETCH_STANDARD}#${anchor}`;
}

/** A citation cut into its text and its anchors (for renderers that escape the text themselves). */
export function citationParts(citation: string): Array<{ text: string } | { anchor: string; name: string; url: string; standard: string }> {
  const parts: Array<{ text: string } | { anchor: string; name: string; url: string; standard: string }> = [];
  let last = 0;
  for (const m of citation.matchAll(ANCHOR)) {
    const link = linkOf(m[1], m[2]!);
    if (link === null) continue;
    if (m.index > last) parts.push({ text: citation.slice(last, m.index) });
    parts.push({ anchor: m[2]!, ...link });
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
  return citation.replace(ANCHOR, (whole, standard: string | undefined, anchor: string) => {
    const found = linkOf(standard, anchor);
    return found ? link(found.name, found.url) : whole;
  });
}
