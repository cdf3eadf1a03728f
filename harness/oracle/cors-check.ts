/**
 * Fetch #cors-check "CORS check", with the failure classified so a person can tell *why* it failed.
 * The verdict itself follows the standard's byte comparisons exactly; the classification only
 * picks which of our stable reason codes to report.
 */
import { get, type HeaderList } from './headers';
import { isOriginOrNull } from './origin';
import type { CredentialsMode } from './types';

export type CorsFailure =
  | 'allow-origin-missing'
  | 'allow-origin-multiple-values'
  | 'allow-origin-wildcard-with-credentials'
  | 'allow-origin-invalid'
  | 'allow-origin-mismatch'
  | 'allow-credentials-invalid';

/**
 * @param serializedOrigin the byte-serialized request origin (`null` for an opaque or a
 *   redirect-tainted origin)
 * @param headers the response's header list, values already normalized
 */
export function corsCheck(serializedOrigin: string, credentials: CredentialsMode, headers: HeaderList): CorsFailure | null {
  // Step 1: "get" joins repeated headers with ", ", so two ACAO headers never pass.
  const origin = get(headers, 'Access-Control-Allow-Origin');
  // Step 2: null (absent) is not `null` (the value).
  if (origin === null) return 'allow-origin-missing';
  // Step 3: `*` only for requests whose credentials mode is not "include".
  if (credentials !== 'include' && origin === '*') return null;
  // Step 4: byte-for-byte comparison – no case folding, no trailing-slash or default-port leniency.
  if (origin !== serializedOrigin) {
    if (origin === '*') return 'allow-origin-wildcard-with-credentials';
    if (origin.includes(',')) return 'allow-origin-multiple-values';
    if (!isOriginOrNull(origin)) return 'allow-origin-invalid';
    return 'allow-origin-mismatch';
  }
  // Step 5.
  if (credentials !== 'include') return null;
  // Steps 6-8: exactly `true` (the ABNF is %s"true", case-sensitive); `True` or `true, true` fail.
  return get(headers, 'Access-Control-Allow-Credentials') === 'true' ? null : 'allow-credentials-invalid';
}
