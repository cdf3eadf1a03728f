/**
 * Stable reason codes. `cors-conform explain`, the reports and other tools read these strings, so
 * they only ever get added to, never renamed. Each names the Fetch Standard step that failed.
 */

export const REASONS = {
  // success
  allowed: 'The CORS check passed; the page can read the response (Fetch #cors-check).',
  'same-origin': 'Same-origin request: no CORS involved (Fetch #main-fetch).',
  'no-cors-opaque':
    'A no-cors load from another origin (an element without crossorigin): it loads, but the response is opaque to the page; no CORS check (Fetch #main-fetch, opaque response tainting).',
  'opaque-redirect': 'redirect: "manual" returned an opaque-redirect response; nothing is readable (Fetch #http-fetch).',
  // CORS check on the actual response (Fetch #cors-check)
  'allow-origin-missing': 'No Access-Control-Allow-Origin header (Fetch #cors-check step 2).',
  'allow-origin-multiple-values':
    'Access-Control-Allow-Origin holds a list or was sent more than once; the joined value never equals one origin (Fetch #concept-header-list-get, #cors-check).',
  'allow-origin-wildcard-with-credentials':
    'Access-Control-Allow-Origin is * but the request includes credentials (Fetch #cors-check step 3).',
  'allow-origin-invalid':
    'Access-Control-Allow-Origin is not a serialized origin, null or * (Fetch #http-new-header-syntax), so it cannot match.',
  'allow-origin-mismatch': 'Access-Control-Allow-Origin is not byte-for-byte the request origin (Fetch #cors-check step 4).',
  'allow-credentials-invalid':
    'Credentials were included but Access-Control-Allow-Credentials is not exactly `true` (Fetch #cors-check steps 6-8).',
  // CORS-preflight fetch (Fetch #cors-preflight-fetch)
  'preflight-status-not-ok': 'The preflight response status is not 200-299 (Fetch #cors-preflight-fetch step 7, ok status).',
  'preflight-redirect':
    'The preflight was answered with a redirect; preflights never follow redirects (Fetch #cors-preflight-fetch step 7).',
  'preflight-allow-origin-missing':
    'The preflight response has no Access-Control-Allow-Origin (Fetch #cors-preflight-fetch step 7, CORS check).',
  'preflight-allow-origin-multiple-values':
    'The preflight Access-Control-Allow-Origin holds a list or was sent twice (Fetch #cors-preflight-fetch, #cors-check).',
  'preflight-allow-origin-wildcard-with-credentials':
    'The preflight answered * to a credentialed request (Fetch #cors-preflight-fetch, #cors-check step 3).',
  'preflight-allow-origin-invalid':
    'The preflight Access-Control-Allow-Origin is not an origin, null or * (Fetch #cors-preflight-fetch, #http-cors-protocol).',
  'preflight-allow-origin-mismatch':
    'The preflight Access-Control-Allow-Origin is not the request origin (Fetch #cors-preflight-fetch, #cors-check step 4).',
  'preflight-allow-credentials-invalid':
    'The preflight response lacks Access-Control-Allow-Credentials: true for a credentialed request (Fetch #cors-preflight-fetch, #cors-check).',
  'preflight-allow-methods-invalid': 'Access-Control-Allow-Methods does not parse as `#method` (Fetch #cors-preflight-fetch step 7.3).',
  'preflight-allow-headers-invalid': 'Access-Control-Allow-Headers does not parse as `#field-name` (Fetch #cors-preflight-fetch step 7.3).',
  'preflight-method-not-allowed':
    'The method is not in Access-Control-Allow-Methods (case-sensitive; * only without credentials) (Fetch #cors-preflight-fetch step 7.5).',
  'preflight-authorization-not-covered-by-wildcard':
    'Authorization must be listed by name; Access-Control-Allow-Headers: * never covers it (Fetch #cors-preflight-fetch step 7.6).',
  'preflight-header-not-allowed':
    'A CORS-unsafe request header is not in Access-Control-Allow-Headers (* only without credentials) (Fetch #cors-preflight-fetch step 7.7).',
  // HTTP-redirect fetch (Fetch #http-redirect-fetch)
  'redirect-mode-error': 'The response is a redirect and the request used redirect: "error" (Fetch #http-fetch, redirect mode).',
  'redirect-location-invalid':
    'The redirect Location does not parse as a URL, or was sent twice (Fetch #responses location URL, #http-redirect-fetch step 5).',
  'redirect-scheme-not-http': 'The redirect leads to a non-HTTP(S) URL (Fetch #http-redirect-fetch step 6).',
  'redirect-too-many': 'More than 20 redirects (Fetch #http-redirect-fetch step 7).',
  'redirect-contains-credentials':
    'A CORS request was redirected to a URL with a username or password (Fetch #http-redirect-fetch steps 9-10).',
  // the network
  'no-response': 'The server gave no HTTP response (connection refused, reset or timed out).',
} as const;

export type Reason = keyof typeof REASONS;

/**
 * Chromium reports its own reason through CDP (`Network.loadingFailed` →
 * `corsErrorStatus.corsError`). This maps those names to ours so the report can say whether the
 * browser and the Fetch Standard agree on *why*, not only on whether.
 */
export const CHROMIUM_CORS_ERRORS: Readonly<Record<string, Reason>> = {
  MissingAllowOriginHeader: 'allow-origin-missing',
  MultipleAllowOriginValues: 'allow-origin-multiple-values',
  WildcardOriginNotAllowed: 'allow-origin-wildcard-with-credentials',
  InvalidAllowOriginValue: 'allow-origin-invalid',
  AllowOriginMismatch: 'allow-origin-mismatch',
  InvalidAllowCredentials: 'allow-credentials-invalid',
  PreflightInvalidStatus: 'preflight-status-not-ok',
  PreflightDisallowedRedirect: 'preflight-redirect',
  PreflightMissingAllowOriginHeader: 'preflight-allow-origin-missing',
  PreflightMultipleAllowOriginValues: 'preflight-allow-origin-multiple-values',
  PreflightWildcardOriginNotAllowed: 'preflight-allow-origin-wildcard-with-credentials',
  PreflightInvalidAllowOriginValue: 'preflight-allow-origin-invalid',
  PreflightAllowOriginMismatch: 'preflight-allow-origin-mismatch',
  PreflightInvalidAllowCredentials: 'preflight-allow-credentials-invalid',
  InvalidAllowMethodsPreflightResponse: 'preflight-allow-methods-invalid',
  InvalidAllowHeadersPreflightResponse: 'preflight-allow-headers-invalid',
  MethodDisallowedByPreflightResponse: 'preflight-method-not-allowed',
  HeaderDisallowedByPreflightResponse: 'preflight-header-not-allowed',
  RedirectContainsCredentials: 'redirect-contains-credentials',
};

export function isReason(s: string): s is Reason {
  return Object.prototype.hasOwnProperty.call(REASONS, s);
}

/**
 * Chromium classifies some failures more coarsely than the standard's steps do (for instance any
 * Allow-Origin that parses as a URL but differs is `AllowOriginMismatch`, even `https://APP` or a
 * trailing slash, which are not serialized origins at all). These are the oracle reasons each of
 * Chromium's names is compatible with; names not listed make no claim.
 */
const CHROMIUM_COMPATIBLE: Readonly<Record<string, readonly Reason[]>> = {
  AllowOriginMismatch: ['allow-origin-mismatch', 'allow-origin-invalid'],
  MultipleAllowOriginValues: ['allow-origin-multiple-values', 'allow-origin-invalid'],
  PreflightAllowOriginMismatch: ['preflight-allow-origin-mismatch', 'preflight-allow-origin-invalid'],
  PreflightMultipleAllowOriginValues: ['preflight-allow-origin-multiple-values', 'preflight-allow-origin-invalid'],
  HeaderDisallowedByPreflightResponse: ['preflight-header-not-allowed', 'preflight-authorization-not-covered-by-wildcard'],
  // Network errors without a CORS status (Chromium's net error names).
  'net::ERR_INVALID_REDIRECT': ['preflight-redirect', 'redirect-location-invalid'],
  'net::ERR_UNSAFE_REDIRECT': ['redirect-scheme-not-http'],
  'net::ERR_TOO_MANY_REDIRECTS': ['redirect-too-many'],
};

/**
 * Whether Chromium's own reason agrees with the oracle's: true or false when the name is known,
 * null when it makes no claim (an unmapped name, or none given).
 */
export function chromiumReasonAgrees(expected: Reason, chromium: string | null): boolean | null {
  if (chromium === null) return null;
  const compatible = CHROMIUM_COMPATIBLE[chromium] ?? (CHROMIUM_CORS_ERRORS[chromium] ? [CHROMIUM_CORS_ERRORS[chromium]!] : null);
  return compatible === null ? null : compatible.includes(expected);
}
