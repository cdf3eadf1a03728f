/**
 * Origins as the URL Standard serializes them, and the Fetch Standard's request-origin rules.
 * An opaque origin serializes to "null" and is never same origin with anything, not even another
 * opaque origin – which is why the oracle never compares "null" strings for sameness.
 */

export const OPAQUE = 'null';

/** The ASCII serialization of a URL's origin ("null" for non-tuple origins). */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return OPAQUE;
  }
}

export function sameOrigin(a: string, b: string): boolean {
  return a !== OPAQUE && b !== OPAQUE && a === b;
}

/**
 * Fetch #concept-request-tainted-origin (request) reduced to what CORS needs: once a hop goes from one
 * origin to another and the request's origin was not the origin redirected from, the request
 * origin serializes as `null` (#requests "serializing a request origin").
 */
export function isRedirectTainted(requestOrigin: string, urlList: readonly string[]): boolean {
  for (let i = 1; i < urlList.length; i++) {
    const last = originOf(urlList[i - 1]!);
    const url = originOf(urlList[i]!);
    if (!sameOrigin(url, last) && !sameOrigin(requestOrigin, last)) return true;
  }
  return false;
}

/** Fetch #http-new-header-syntax `origin-or-null`, used only to classify a mismatching Allow-Origin as invalid. */
const SERIALIZED_ORIGIN =
  /^[a-z][a-z0-9+\-.]*:\/\/(?:(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]*[a-z0-9])?|\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:]+\])(?::\d{1,5})?$/;
export function isOriginOrNull(value: string): boolean {
  return value === 'null' || SERIALIZED_ORIGIN.test(value);
}

/** URL Standard "includes credentials": a username or a password. */
export function includesCredentials(url: URL): boolean {
  return url.username !== '' || url.password !== '';
}
