/** Vocabulary shared by the oracle, the probes and the reports (docs/architecture.md). */
import type { HeaderList } from './headers';
import type { Reason } from './reasons';

export type CredentialsMode = 'omit' | 'same-origin' | 'include';
/**
 * Who sends the request (oracle/requesters.ts gives each its mode, credentials mode and
 * destination): fetch(), XMLHttpRequest, fetch() in a dedicated worker, `<img>`, a classic
 * `<script>`, `<script type="module">`, dynamic `import()`, `<link rel="stylesheet">`,
 * `@font-face`, EventSource, and a module worker whose graph imports the URL.
 */
export type Client =
  'fetch' | 'xhr' | 'worker' | 'img' | 'script' | 'module' | 'import' | 'stylesheet' | 'font' | 'eventsource' | 'module-worker';
/** An element's `crossorigin` attribute (HTML #cors-settings-attribute); absent is its own state. */
export type CrossOriginAttribute = 'anonymous' | 'use-credentials';
export type RedirectMode = 'follow' | 'error' | 'manual';
/**
 * allowed: the page can read (or use, for an element) the response · blocked: it gets a network
 * error · opaque: a no-cors load that succeeds but stays opaque – an image shown but tainting its
 * canvas, a script run with its errors muted, a stylesheet applied whose rules cannot be read
 * (Fetch #concept-filtered-response-opaque).
 */
export type Outcome = 'allowed' | 'blocked' | 'opaque';
/** The browser engines the project knows. */
export type BrowserKind = 'chromium' | 'firefox' | 'webkit';
export const BROWSER_KINDS: readonly BrowserKind[] = ['chromium', 'firefox', 'webkit'];

/** Whose implementation-defined limits (the max-age cap) the oracle applies; `spec` imposes none. */
export type LimitsOf = BrowserKind | 'spec';

/** The limits for a browser named in a record (`spec` for anything that is not an engine). */
export function limitsOf(name: string): LimitsOf {
  return (BROWSER_KINDS as readonly string[]).includes(name) ? (name as BrowserKind) : 'spec';
}

/** What a page asks for: one fetch() or XMLHttpRequest, or one load by another requester (Client). */
export interface ProbeInput {
  /** The page's origin, serialized (`null` for an opaque origin such as a sandboxed document). */
  origin: string;
  url: string;
  /** As the page passes it; normalized by the oracle (Fetch #methods). Default GET. */
  method?: string;
  /** As the page sets them, in order. Forbidden request-headers are dropped as fetch() does. */
  headers?: HeaderList;
  /**
   * fetch()'s credentials mode. For XHR and EventSource, `include` means `withCredentials = true`;
   * for a module worker it is the Worker's `credentials` option. Elements take theirs from
   * `crossorigin`. Default same-origin.
   */
  credentials?: CredentialsMode;
  /** Default fetch. */
  client?: Client;
  /** For `img`, `script`, `module` and `stylesheet`: the `crossorigin` attribute (default: none). */
  crossorigin?: CrossOriginAttribute;
  redirect?: RedirectMode;
  /** The use-CORS-preflight flag (set by XHR when upload listeners are registered). */
  forcePreflight?: boolean;
}

/** One HTTP request the browser sends, as the oracle predicts it. */
export interface WireRequest {
  url: string;
  method: string;
  /** Request headers the CORS protocol is about (Origin, Access-Control-Request-*, author headers). */
  headers: Record<string, string>;
  preflight: boolean;
  /** Whether cookies (credentials) may be attached to this request. */
  credentials: boolean;
}

/** A response as written on the wire: status and headers in order, repeats included. */
export interface WireResponse {
  status: number;
  headers: HeaderList;
}

/** How the server under test answers; null means no HTTP response at all. */
export type Responder = (request: WireRequest) => WireResponse | null;

export interface OracleVerdict {
  preflight: boolean;
  outcome: Outcome;
  reason: Reason;
  /** Lowercased, sorted names of the response headers the page can read. */
  readableHeaders: string[];
  /** The first preflight the browser sends, if any. */
  preflightRequest: { method: 'OPTIONS'; headers: Record<string, string> } | null;
  /** The status the page sees, when allowed (0 for an opaque redirect). */
  status: number | null;
  /** Every request the browser sends for this probe, in order. */
  requests: WireRequest[];
  /** The rules applied, each naming its Fetch Standard section. */
  trace: string[];
}

/**
 * A known way a real browser departs from the Fetch Standard. The oracle's own answer never uses
 * these; they exist so a deviation can be stated precisely (what the browser does instead) and
 * checked on every run – a deviation that disappears fails its case as surely as a new one.
 */
export type BrowserQuirk =
  /** #cors-preflight-fetch step 7.6 says `Access-Control-Allow-Headers: *` never covers Authorization; the browser lets it. */
  | 'authorization-covered-by-wildcard'
  /** #main-fetch says a failed CORS-with-preflight fetch clears the URL's cache entries; the browser keeps them. */
  | 'cache-kept-after-failed-request'
  /** #cors-preflight-fetch step 7.9 says an unparsable Max-Age means 5 s; the browser does not cache at all. */
  | 'invalid-max-age-not-cached'
  /** #cors-preflight-cache lets a credentialed entry serve uncredentialed requests; the browser wants the same mode. */
  | 'cache-credentials-must-match'
  /**
   * #http-redirect-fetch re-runs main fetch, which preflights only if the redirected request needs it, with the
   * tainted origin; the browser preflights again whenever the original request was preflighted,
   * and that preflight carries the page's own origin.
   */
  | 'redirect-repeats-preflight-with-page-origin'
  /** #http-redirect-fetch step 13 drops Authorization on a hop to another origin; the browser keeps it (so that hop is preflighted). */
  | 'redirect-keeps-authorization'
  /** #concept-cache-match-header: a cached `*` never matches Authorization; the browser lets it, so no new preflight is sent. */
  | 'cached-wildcard-covers-authorization'
  /** #terminology-headers makes safelisted values unsafe once they add up to over 1024 bytes; the browser has no such limit. */
  | 'no-safelist-total-size-limit'
  /** #cors-unsafe-request-header-names checks each header-list entry; the browser checks a repeated name's combined value. */
  | 'safelist-checks-combined-value'
  /** #cors-unsafe-request-header-byte leaves bytes 0x80-0xFF safe in Accept and Content-Type; the browser makes them unsafe. */
  | 'non-ascii-bytes-unsafe'
  /** #cors-safelisted-request-header has no client hints; the browser safelists DPR, Device-Memory, Viewport-Width, Width and Save-Data. */
  | 'client-hints-safelisted'
  /** HTML #muted-errors: a no-cors classic script's errors reach the page as "Script error."; the browser gives the full message. */
  | 'script-errors-not-muted'
  /**
   * CSS Fonts 4 #font-fetching-requirements fetches fonts in mode "cors" with credentials "same-origin"; the
   * browser loads them without a CORS check, sending `Origin: null` and the cookies.
   */
  | 'font-loaded-without-cors';

export const NO_BROWSER_QUIRKS: ReadonlySet<BrowserQuirk> = new Set();
