/**
 * Fetch #cors-preflight-fetch "CORS-preflight fetch": when one is needed, what it carries, and whether its
 * response lets the actual request go ahead.
 */
import { extractDeltaSeconds, extractTokenList, isFailure, type HeaderList } from './headers';
import { corsCheck } from './cors-check';
import { DEFAULT_MAX_AGE_SECONDS } from './cache';
import { isNonWildcardRequestHeaderName, isSafelistedMethod, unsafeRequestHeaderNames } from './safelist';
import { NO_BROWSER_QUIRKS, type CredentialsMode, type BrowserQuirk } from './types';
import type { Reason } from './reasons';

/**
 * Fetch #main-fetch, the "use-CORS-preflight flag / unsafe-request flag" branch: fetch() and
 * XHR set the unsafe-request flag, so a preflight is needed when the method is not safelisted or
 * any request header is CORS-unsafe.
 */
export function needsPreflight(
  method: string,
  headers: HeaderList,
  forcePreflight = false,
  quirks: ReadonlySet<BrowserQuirk> = NO_BROWSER_QUIRKS,
): boolean {
  return forcePreflight || !isSafelistedMethod(method) || unsafeRequestHeaderNames(headers, quirks).length > 0;
}

/**
 * Fetch #cors-preflight-fetch steps 1-5: OPTIONS with `Accept: *\/*`, `Access-Control-Request-Method` and, when
 * there are CORS-unsafe headers, `Access-Control-Request-Headers` as a lowercased, sorted list
 * joined by "," without spaces (deliberately not "combine", see the note in #cors-preflight-fetch step 5).
 */
export function preflightHeaders(
  serializedOrigin: string,
  method: string,
  headers: HeaderList,
  quirks: ReadonlySet<BrowserQuirk> = NO_BROWSER_QUIRKS,
): Record<string, string> {
  const out: Record<string, string> = {
    accept: '*/*',
    'access-control-request-method': method,
  };
  const unsafe = unsafeRequestHeaderNames(headers, quirks);
  if (unsafe.length > 0) out['access-control-request-headers'] = unsafe.join(',');
  out.origin = serializedOrigin;
  return out;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export interface PreflightSuccess {
  ok: true;
  methods: string[];
  headerNames: string[];
  maxAge: number;
}
export interface PreflightFailure {
  ok: false;
  reason: Reason;
}

/**
 * Fetch #cors-preflight-fetch steps 7-8: validate the preflight response for `request`.
 * @param maxAgeCap the user agent's imposed limit on max-age (#cors-preflight-fetch step 7.10)
 */
export function checkPreflightResponse(
  request: { method: string; headers: HeaderList; credentials: CredentialsMode; serializedOrigin: string; forcePreflight?: boolean },
  response: { status: number; headers: HeaderList },
  maxAgeCap: number,
  quirks: ReadonlySet<BrowserQuirk> = NO_BROWSER_QUIRKS,
): PreflightSuccess | PreflightFailure {
  // Step 7: an ok status (200-299), so redirects and 4xx/5xx all fail; preflights are fetched
  // with redirect mode "manual" in practice and never followed.
  if (response.status < 200 || response.status > 299) {
    return { ok: false, reason: REDIRECT_STATUSES.has(response.status) ? 'preflight-redirect' : 'preflight-status-not-ok' };
  }
  // Step 7 also runs the CORS check with the *actual* request's credentials mode, so a
  // credentialed request needs `Access-Control-Allow-Credentials: true` on the preflight too.
  const cors = corsCheck(request.serializedOrigin, request.credentials, response.headers);
  if (cors !== null) return { ok: false, reason: `preflight-${cors}` as Reason };

  // Steps 7.1-7.3.
  const extractedMethods = extractTokenList(response.headers, 'Access-Control-Allow-Methods');
  const extractedHeaders = extractTokenList(response.headers, 'Access-Control-Allow-Headers');
  if (isFailure(extractedMethods)) return { ok: false, reason: 'preflight-allow-methods-invalid' };
  if (isFailure(extractedHeaders)) return { ok: false, reason: 'preflight-allow-headers-invalid' };
  const include = request.credentials === 'include';

  // Step 7.4: a preflight forced by the use-CORS-preflight flag caches its own method.
  const methods = extractedMethods ?? (request.forcePreflight ? [request.method] : []);
  const headerNames = extractedHeaders ?? [];

  // Step 7.5: method match is byte-exact (case-sensitive); `*` counts only without credentials.
  if (!methods.includes(request.method) && !isSafelistedMethod(request.method) && (include || !methods.includes('*'))) {
    return { ok: false, reason: 'preflight-method-not-allowed' };
  }
  const allowed = (name: string) => headerNames.some((h) => h.toLowerCase() === name.toLowerCase());
  // Step 7.6: Authorization must be named; `*` never covers it, with or without credentials.
  for (const [name] of request.headers) {
    const wildcardCovers = quirks.has('authorization-covered-by-wildcard') && !include && headerNames.includes('*');
    if (isNonWildcardRequestHeaderName(name) && !allowed(name) && !wildcardCovers) {
      return {
        ok: false,
        reason: headerNames.includes('*') && !include ? 'preflight-authorization-not-covered-by-wildcard' : 'preflight-header-not-allowed',
      };
    }
  }
  // Step 7.7: every CORS-unsafe header must be listed (case-insensitively), or `*` without credentials.
  for (const name of unsafeRequestHeaderNames(request.headers, quirks)) {
    if (!allowed(name) && (include || !headerNames.includes('*'))) return { ok: false, reason: 'preflight-header-not-allowed' };
    // (Step 7.7's `*` covers Authorization here too; step 7.6 above is what excludes it.)
  }
  // Steps 7.8-7.10.
  const extractedMaxAge = extractDeltaSeconds(response.headers, 'Access-Control-Max-Age');
  let maxAge = extractedMaxAge === null || isFailure(extractedMaxAge) ? DEFAULT_MAX_AGE_SECONDS : extractedMaxAge;
  if (isFailure(extractedMaxAge) && quirks.has('invalid-max-age-not-cached')) maxAge = 0;
  return { ok: true, methods, headerNames, maxAge: Math.min(maxAge, maxAgeCap) };
}
