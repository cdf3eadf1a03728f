/**
 * Fetch #cors-preflight-cache "CORS-preflight cache", as immutable data so the oracle stays pure: every function
 * takes the cache and returns a new one. Times are milliseconds on a clock the caller chooses.
 */
import type { LimitsOf } from './types';

export interface CacheEntry {
  /** Network partition key: the top-level site the page lives in. */
  key: string;
  /** Byte-serialized request origin. */
  origin: string;
  url: string;
  /** True when stored by a request whose credentials mode was "include". */
  credentials: boolean;
  method: string | null;
  headerName: string | null;
  expiresAt: number;
}

export type PreflightCache = readonly CacheEntry[];

/** The request fields that the cache looks at. */
export interface CacheRequest {
  key: string;
  origin: string;
  url: string;
  include: boolean;
  /** Model of the `cache-credentials-must-match` quirk; never set for the standard's answer. */
  strictCredentials?: boolean;
  /** Quirk `cached-wildcard-covers-authorization`: a cached `*` header entry also matches Authorization. */
  wildcardCoversAuthorization?: boolean;
}

/**
 * Fetch #cors-preflight-fetch step 7.10 lets a user agent impose a limit on max-age. These are implementation
 * limits, not standard ones, so browsers legitimately differ; the protocol suite only asserts
 * behaviour that holds under every limit.
 * Chromium caps at 2 hours, Firefox at 24 hours, WebKit at 10 minutes (as documented for
 * `Access-Control-Max-Age` on MDN).
 */
export const MAX_AGE_CAP_SECONDS: Readonly<Record<LimitsOf, number>> = {
  chromium: 7200,
  firefox: 86400,
  webkit: 600,
  spec: Number.POSITIVE_INFINITY,
};

/** Fetch #cors-preflight-fetch step 7.9: no or unparsable Access-Control-Max-Age means 5 seconds. */
export const DEFAULT_MAX_AGE_SECONDS = 5;

/** Fetch #concept-cache-match. A credentialed entry also serves uncredentialed requests. */
function entryMatches(entry: CacheEntry, request: CacheRequest, now: number): boolean {
  return (
    entry.expiresAt > now &&
    entry.key === request.key &&
    entry.origin === request.origin &&
    entry.url === request.url &&
    // The quirk `cache-credentials-must-match` (Firefox) wants the same mode both ways.
    (request.strictCredentials ? entry.credentials === request.include : entry.credentials || !request.include)
  );
}

/** Fetch #cors-preflight-cache "method cache entry match": the method itself or `*`. */
export function methodMatch(cache: PreflightCache, request: CacheRequest, method: string, now: number): boolean {
  return cache.some((e) => entryMatches(e, request, now) && (e.method === method || e.method === '*'));
}

/**
 * Fetch #concept-cache-match-header: case-insensitive, and a `*` entry never
 * stands in for Authorization.
 */
export function headerMatch(cache: PreflightCache, request: CacheRequest, headerName: string, now: number): boolean {
  const lower = headerName.toLowerCase();
  return cache.some(
    (e) =>
      entryMatches(e, request, now) &&
      e.headerName !== null &&
      (e.headerName.toLowerCase() === lower ||
        (e.headerName === '*' && (lower !== 'authorization' || request.wildcardCoversAuthorization === true))),
  );
}

/**
 * Fetch #cors-preflight-fetch steps 7.12-7.15: refresh matching entries, create the missing ones. A refreshed
 * entry restarts its lifetime, as browsers replace the whole cached result.
 */
export function store(
  cache: PreflightCache,
  request: CacheRequest,
  methods: readonly string[],
  headerNames: readonly string[],
  maxAgeSeconds: number,
  now: number,
): PreflightCache {
  const expiresAt = now + maxAgeSeconds * 1000;
  let next = [...cache];
  const base = { key: request.key, origin: request.origin, url: request.url, credentials: request.include, expiresAt };
  for (const method of methods) {
    const i = next.findIndex((e) => entryMatches(e, request, now) && (e.method === method || e.method === '*'));
    if (i >= 0) next[i] = { ...next[i]!, expiresAt };
    else next.push({ ...base, method, headerName: null });
  }
  for (const headerName of headerNames) {
    const lower = headerName.toLowerCase();
    const i = next.findIndex(
      (e) =>
        entryMatches(e, request, now) &&
        e.headerName !== null &&
        (e.headerName.toLowerCase() === lower ||
          (e.headerName === '*' && (lower !== 'authorization' || request.wildcardCoversAuthorization === true))),
    );
    if (i >= 0) next[i] = { ...next[i]!, expiresAt };
    else next.push({ ...base, method: null, headerName });
  }
  next = next.filter((e) => e.expiresAt > now);
  return next;
}

/** Fetch #concept-cache-clear: a failed CORS-with-preflight fetch forgets its URL. */
export function clear(cache: PreflightCache, request: CacheRequest): PreflightCache {
  return cache.filter((e) => !(e.key === request.key && e.origin === request.origin && e.url === request.url));
}
