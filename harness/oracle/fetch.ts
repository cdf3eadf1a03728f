/**
 * The oracle's entry point: what a browser must do, per the Fetch Standard, when a page on
 * `input.origin` runs one fetch() or XHR and the server answers as `respond` says. It walks the
 * same steps as the standard – main fetch (#main-fetch), HTTP fetch (#http-fetch) with its preflight (#cors-preflight-fetch) and
 * cache (#cors-preflight-cache), the CORS check (#cors-check) and HTTP-redirect fetch (#http-redirect-fetch) – and records each request
 * the browser would send, so tests can compare the wire as well as the outcome.
 */
import { contains, normalizeValue, sortedLowercaseSet, extractTokenList, values, type Header, type HeaderList } from './headers';
import { corsCheck } from './cors-check';
import { clear, headerMatch, MAX_AGE_CAP_SECONDS, methodMatch, store, type CacheRequest, type PreflightCache } from './cache';
import { checkPreflightResponse, needsPreflight, preflightHeaders } from './preflight';
import {
  isForbiddenRequestHeader,
  isSafelistedMethod,
  isSafelistedResponseHeaderName,
  normalizeMethod,
  unsafeRequestHeaderNames,
} from './safelist';
import { includesCredentials, isRedirectTainted, originOf, OPAQUE, sameOrigin } from './origin';
import type { Reason } from './reasons';
import { requestModes } from './requesters';
import type { Client, LimitsOf, CredentialsMode, ProbeInput, BrowserQuirk, Responder, OracleVerdict, WireRequest } from './types';

export interface PredictOptions {
  /** Whose implementation-defined limits to apply (max-age cap). Default: the standard's (none). */
  browser?: LimitsOf;
  /** Preflight cache state before this probe, for cases that are about the cache. */
  cache?: PreflightCache;
  /** Milliseconds on the cache's clock. */
  now?: number;
  /** Network partition key (top-level site); defaults to the page origin. */
  partitionKey?: string;
  /** Model a known browser deviation instead of the standard (see BrowserQuirk). Never for expectations. */
  quirks?: ReadonlySet<BrowserQuirk>;
}

export interface Prediction extends OracleVerdict {
  /** The preflight cache after this probe. */
  cache: PreflightCache;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Fetch #terminology-headers "request-body-header name": dropped when a redirect turns the method into GET. */
const REQUEST_BODY_HEADERS = ['content-encoding', 'content-language', 'content-location', 'content-type'];

/**
 * The author's header list as the browser holds it: forbidden request-headers silently dropped
 * (Headers "append" with guard "request", Fetch #headers-class), values normalized, and for XHR repeated
 * names combined into one header (XHR setRequestHeader uses "combine", Fetch #terminology-headers).
 */
export function requestHeaderList(headers: HeaderList, client: Client): Header[] {
  const kept: Header[] = [];
  for (const [name, raw] of headers) {
    const value = normalizeValue(raw);
    if (isForbiddenRequestHeader(name, value)) continue;
    if (client === 'xhr') {
      const i = kept.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
      if (i >= 0) {
        kept[i] = [kept[i]![0], `${kept[i]![1]}, ${value}`];
        continue;
      }
    }
    kept.push([name, value]);
  }
  return kept;
}

/** The request's credentials mode, as its requester sets it (requesters.ts). */
export function effectiveCredentials(input: Pick<ProbeInput, 'client' | 'credentials' | 'crossorigin'>): CredentialsMode {
  return requestModes(input).credentials;
}

/** Fetch #main-fetch step 14 and "CORS filtered response" (#responses): what the page can read. */
export function readableHeaders(headers: HeaderList, credentials: CredentialsMode): string[] {
  const names = sortedLowercaseSet(headers.map(([n]) => n));
  const extracted = extractTokenList(headers, 'Access-Control-Expose-Headers');
  let exposed: string[];
  if (credentials !== 'include' && Array.isArray(extracted) && extracted.includes('*')) exposed = names;
  // A failure to parse leaves the list empty in effect; a `*` left here only matches a header
  // literally named `*`.
  else exposed = Array.isArray(extracted) ? extracted : [];
  return names.filter((n) => isSafelistedResponseHeaderName(n, exposed));
}

function headersRecord(list: HeaderList): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of list) {
    const lower = name.toLowerCase();
    out[lower] = lower in out ? `${out[lower]}, ${value}` : value;
  }
  return out;
}

export function predict(input: ProbeInput, respond: Responder, options: PredictOptions = {}): Prediction {
  const client = input.client ?? 'fetch';
  const quirks: ReadonlySet<BrowserQuirk> = options.quirks ?? new Set();
  const fontWithoutCors = client === 'font' && quirks.has('font-loaded-without-cors');
  const modes = fontWithoutCors
    ? { ...requestModes(input), mode: 'no-cors' as const, credentials: 'include' as const }
    : requestModes(input);
  const credentials = modes.credentials;
  const include = credentials === 'include';
  const redirectMode = input.redirect ?? 'follow';
  const maxAgeCap = MAX_AGE_CAP_SECONDS[options.browser ?? 'spec'];
  const now = options.now ?? 0;
  const partitionKey = options.partitionKey ?? input.origin;
  /** Whether the request as the page made it went through a preflight (for a Firefox quirk). */
  let firstHopPreflighted = false;
  let cache = options.cache ?? [];
  let method = normalizeMethod(input.method ?? 'GET');
  let headers = requestHeaderList(input.headers ?? [], client);
  const urlList = [input.url];
  let tainting: 'basic' | 'cors' | 'opaque' | null = null;
  let redirectCount = 0;
  const requests: WireRequest[] = [];
  const trace: string[] = [];
  let preflightRequest: OracleVerdict['preflightRequest'] = null;
  /** Whether main fetch took the CORS-with-preflight branch for any hop (#main-fetch, see `done`). */
  let corsWithPreflight = false;
  /** The cache key of the request as it stands now (current URL, serialized origin). */
  let currentCacheRequest: CacheRequest | null = null;

  const done = (outcome: OracleVerdict['outcome'], reason: Reason, extra: { status?: number; readable?: string[] } = {}): Prediction => {
    // Fetch #main-fetch, CORS-with-preflight branch: "If corsWithPreflightResponse is a network
    // error, then clear cache entries using request" – any network error (a failed preflight, a
    // failed CORS check, a refused redirect, no response), keyed by the request's current URL.
    if (outcome === 'blocked' && corsWithPreflight && currentCacheRequest !== null && !quirks.has('cache-kept-after-failed-request')) {
      cache = clear(cache, currentCacheRequest);
    }
    return {
      preflight: preflightRequest !== null,
      outcome,
      reason,
      readableHeaders: modes.readsResponse ? (extra.readable ?? []) : [],
      preflightRequest,
      status: outcome === 'allowed' && modes.readsResponse ? (extra.status ?? null) : null,
      requests,
      trace,
      cache,
    };
  };

  for (;;) {
    const url = urlList[urlList.length - 1]!;
    const serializedOrigin = isRedirectTainted(input.origin, urlList) ? OPAQUE : input.origin;
    const crossOrigin = tainting === 'cors' || tainting === 'opaque' || !sameOrigin(originOf(url), input.origin);
    // #main-fetch step 12: a cross-origin request in mode "no-cors" gets response tainting
    // "opaque" – no preflight, no CORS check, and the page gets an opaque filtered response.
    const noCors = crossOrigin && modes.mode === 'no-cors';
    const corsRequest = crossOrigin && !noCors;
    const cacheRequest: CacheRequest = {
      key: partitionKey,
      origin: serializedOrigin,
      url,
      include,
      strictCredentials: quirks.has('cache-credentials-must-match'),
      wildcardCoversAuthorization: quirks.has('cached-wildcard-covers-authorization'),
    };
    currentCacheRequest = cacheRequest;
    if (noCors) {
      tainting = 'opaque';
      trace.push(`#main-fetch: ${modes.section} sends this in mode "no-cors", so opaque tainting: no CORS protocol, nothing readable.`);
    } else if (!corsRequest) {
      tainting = 'basic';
      trace.push('#main-fetch: same origin and basic tainting, so no CORS protocol.');
    } else {
      tainting = 'cors';
      if (serializedOrigin === OPAQUE && input.origin !== OPAQUE) {
        trace.push('#concept-request-tainted-origin: a cross-origin hop from a third origin makes the request origin serialize as "null".');
      }
    }

    // Fetch #main-fetch: the CORS-with-preflight branch, then #http-fetch step 4.1: skip the preflight when
    // the cache holds the method and every CORS-unsafe header name.
    const repeatPreflight = quirks.has('redirect-repeats-preflight-with-page-origin') && redirectCount > 0 && firstHopPreflighted;
    const withPreflight = corsRequest && (needsPreflight(method, headers, input.forcePreflight, quirks) || repeatPreflight);
    if (withPreflight) {
      corsWithPreflight = true;
      if (redirectCount === 0) firstHopPreflighted = true;
      const unsafe = unsafeRequestHeaderNames(headers, quirks);
      const methodCached = methodMatch(cache, cacheRequest, method, now);
      const needMethod = !methodCached && (!isSafelistedMethod(method) || input.forcePreflight === true || repeatPreflight);
      const needHeader = unsafe.some((h) => !headerMatch(cache, cacheRequest, h, now));
      if (needMethod || needHeader) {
        // The quirk's preflight carries the page's own origin, not the redirect-tainted one.
        const preflightOrigin = repeatPreflight ? input.origin : serializedOrigin;
        const shape = preflightHeaders(preflightOrigin, method, headers, quirks);
        preflightRequest ??= { method: 'OPTIONS', headers: shape };
        const request: WireRequest = { url, method: 'OPTIONS', headers: shape, preflight: true, credentials: false };
        requests.push(request);
        trace.push(
          `#cors-preflight-fetch: ${!isSafelistedMethod(method) ? `method ${method} is not CORS-safelisted` : 'forced'}${unsafe.length ? `; CORS-unsafe headers: ${unsafe.join(',')}` : ''}.`,
        );
        const response = respond(request);
        if (response === null) return done('blocked', 'no-response');
        const responseHeaders = response.headers.map(([n, v]) => [n, normalizeValue(v)] as const);
        const result = checkPreflightResponse(
          { method, headers, credentials, serializedOrigin: preflightOrigin, forcePreflight: input.forcePreflight ?? false },
          { status: response.status, headers: responseHeaders },
          maxAgeCap,
          quirks,
        );
        if (!result.ok) {
          trace.push(`#cors-preflight-fetch the preflight response fails: ${result.reason}.`);
          return done('blocked', result.reason);
        }
        cache = store(cache, cacheRequest, result.methods, result.headerNames, result.maxAge, now);
        trace.push(
          `#cors-preflight-cache cached for ${result.maxAge} s: methods [${result.methods.join(', ')}], headers [${result.headerNames.join(', ')}].`,
        );
      } else {
        trace.push('#http-fetch step 4.1: the CORS-preflight cache already allows this request; no preflight.');
      }
    }

    // The actual request. Cookies go with it only in credentials mode "include" once it is
    // cross-origin (#http-network-or-cache-fetch "includeCredentials").
    const actualHeaders: Record<string, string> = headersRecord(headers);
    // #http-network-or-cache-fetch step "append a request `Origin` header" (#http-cors-protocol): always with response tainting "cors";
    // otherwise whenever the method is neither GET nor HEAD. Every requester here that sends other
    // methods uses mode "cors", so the referrer policy never replaces it with `null`; a no-cors
    // element's GET carries no Origin.
    if (corsRequest || (method !== 'GET' && method !== 'HEAD')) actualHeaders.origin = serializedOrigin;
    if (noCors && fontWithoutCors) actualHeaders.origin = OPAQUE;
    const actual: WireRequest = {
      url,
      method,
      headers: actualHeaders,
      preflight: false,
      credentials: corsRequest || noCors ? include : credentials !== 'omit',
    };
    requests.push(actual);
    const response = respond(actual);
    if (response === null) return done('blocked', 'no-response');
    const responseHeaders = response.headers.map(([n, v]) => [n, normalizeValue(v)] as const);

    if (corsRequest) {
      // #http-fetch step 4.3: the CORS check applies to every response, redirects included.
      const failure = corsCheck(serializedOrigin, credentials, responseHeaders);
      if (failure !== null) {
        trace.push(`#cors-check fails: ${failure}.`);
        return done('blocked', failure);
      }
      trace.push('#cors-check passes.');
    }

    // #http-fetch HTTP fetch: the redirect mode applies to every redirect status, Location or not.
    const isRedirect = REDIRECT_STATUSES.has(response.status);
    if (isRedirect && redirectMode === 'error') return done('blocked', 'redirect-mode-error');
    if (isRedirect && redirectMode === 'manual') return done('allowed', 'opaque-redirect', { status: 0 });
    // #http-redirect-fetch step 4: with no Location, the redirect response itself is the response.
    const locations = isRedirect ? values(responseHeaders, 'Location') : [];
    if (locations.length > 0) {
      // Fetch #http-redirect-fetch. Step 5: the #responses "location URL" is failure when it does
      // not parse, and when there are two `Location` headers ("extract header list values" on a
      // header whose ABNF allows a single one).
      if (locations.length > 1) return done('blocked', 'redirect-location-invalid');
      let next: URL;
      try {
        next = new URL(locations[0]!, url);
      } catch {
        return done('blocked', 'redirect-location-invalid');
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') return done('blocked', 'redirect-scheme-not-http');
      if (redirectCount === 20) return done('blocked', 'redirect-too-many');
      redirectCount++;
      if (includesCredentials(next) && (tainting === 'cors' || !sameOrigin(input.origin, next.origin))) {
        return done('blocked', 'redirect-contains-credentials');
      }
      if (
        ((response.status === 301 || response.status === 302) && method === 'POST') ||
        (response.status === 303 && method !== 'GET' && method !== 'HEAD')
      ) {
        method = 'GET';
        headers = headers.filter(([n]) => !REQUEST_BODY_HEADERS.includes(n.toLowerCase()));
        trace.push(`#http-redirect-fetch step 12: a ${response.status} turns the method into GET and drops request-body headers.`);
      }
      if (!sameOrigin(originOf(url), next.origin) && !quirks.has('redirect-keeps-authorization')) {
        // #http-redirect-fetch step 13: Authorization does not survive a hop to another origin.
        if (contains(headers, 'Authorization')) headers = headers.filter(([n]) => n.toLowerCase() !== 'authorization');
      }
      trace.push(`#http-redirect-fetch redirect ${response.status} to ${next.href}.`);
      urlList.push(next.href);
      continue;
    }

    if (tainting === 'opaque') {
      // The quirks: what loaded is used as if readable (a font applied, a script's errors in full).
      if (fontWithoutCors || (client === 'script' && quirks.has('script-errors-not-muted'))) return done('allowed', 'allowed');
      return done('opaque', 'no-cors-opaque');
    }
    const readable =
      tainting === 'cors'
        ? readableHeaders(responseHeaders, credentials)
        : sortedLowercaseSet(responseHeaders.map(([n]) => n)).filter((n) => n !== 'set-cookie' && n !== 'set-cookie2');
    return done('allowed', tainting === 'cors' ? 'allowed' : 'same-origin', { status: response.status, readable });
  }
}

/**
 * `cors-conform explain`'s model: one preflight response and one actual response, the same for
 * every URL (so a redirect to itself runs into the 20-redirect limit, as it would in a browser).
 */
export function staticResponder(
  response: { status: number; headers: HeaderList },
  preflight: { status: number; headers: HeaderList },
): Responder {
  return (request) => (request.preflight ? preflight : response);
}

/**
 * Several requests from one page in order (the steps of one case or probe), the preflight cache
 * carried from each to the next: `at[i]` is when step i starts on the cache's clock (ms).
 */
export function predictSteps(
  inputs: readonly ProbeInput[],
  at: readonly number[],
  respond: Responder,
  options: Pick<PredictOptions, 'browser' | 'quirks'> = {},
): Prediction[] {
  let cache: PreflightCache = [];
  return inputs.map((input, i) => {
    const p = predict(input, respond, { ...options, cache, now: at[i] ?? 0 });
    cache = p.cache;
    return p;
  });
}
