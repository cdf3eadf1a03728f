/**
 * The probe URL scheme: how a probe's unique token rides in its URLs, so that no HTTP or
 * preflight cache joins two probes, a server's wire log files each request under its probe, and a
 * browser's console reason finds its probe. The one place the scheme is spelled out:
 *
 *   /p/<token>/<hop>        the scripted server (protocol suite): hop N of a redirect chain
 *   ?cc=<token>             the reference servers (server suite); /redirect keeps the query
 *   ?_cors_conform=<token>  verify, on the user's own URL (a name no real API uses)
 *   cc_<token>              the cookie a case sets to see whether a request carries it
 */
import { randomBytes } from 'node:crypto';

/** Characters a token is made of (hex and base-36 digits, `-` and `_` from a run id). */
const TOKEN = '[A-Za-z0-9_-]+';

export const SCRIPTED_PATH = '/p/';
export const REFERENCE_PARAM = 'cc';
export const VERIFY_PARAM = '_cors_conform';

let sequence = 0;

/** A token no other probe of any run has: a per-process counter and 40 random bits. */
export function newToken(): string {
  return `${(sequence++).toString(36)}${randomBytes(5).toString('hex')}`;
}

/** Hop `hop` of a scripted case's redirect chain, on `origin`. */
export function scriptedUrl(origin: string, token: string, hop: number): string {
  return `${origin}${SCRIPTED_PATH}${token}/${hop}`;
}

/** The path every hop of a scripted case starts with (where its cookie lives). */
export function scriptedPathOf(token: string): string {
  return `${SCRIPTED_PATH}${token}`;
}

/** A reference server's endpoint (`/data`, `/cookie`, `/redirect`) for one probe. */
export function referenceUrl(base: string, path: string, token: string): string {
  return `${base}${path}?${REFERENCE_PARAM}=${token}`;
}

/** The user's URL with a probe's token added (verify). */
export function verifyUrl(targetUrl: string, token: string): string {
  const u = new URL(targetUrl);
  u.searchParams.append(VERIFY_PARAM, token);
  return u.href;
}

/** A URL as the user wrote it: without verify's token parameter. */
export function shown(url: string): string {
  const u = new URL(url);
  if (!u.searchParams.has(VERIFY_PARAM)) return url;
  u.searchParams.delete(VERIFY_PARAM);
  return u.href;
}

const SCRIPTED = new RegExp(`^${SCRIPTED_PATH}(${TOKEN})(?:/(\\d+))?`);
const QUERY = new RegExp(`[?&](?:${REFERENCE_PARAM}|${VERIFY_PARAM})=(${TOKEN})`);

/**
 * The token (and hop) of a request target – a path with its query (`/p/abc/1`, `/data?cc=abc`) or
 * a whole URL – or null when it carries none.
 */
export function tokenOf(target: string): { token: string; hop: number } | null {
  let path = target;
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
    try {
      const u = new URL(target);
      path = `${u.pathname}${u.search}`;
    } catch {
      return null;
    }
  }
  const scripted = SCRIPTED.exec(path);
  if (scripted) return { token: scripted[1]!, hop: Number(scripted[2] ?? 0) };
  const query = QUERY.exec(path);
  return query ? { token: query[1]!, hop: 0 } : null;
}

/** What ties a request to its probe across redirects: its token, else the URL itself. */
export function probeKey(url: string): string {
  const at = tokenOf(url);
  return at ? `token:${at.token}` : url.replace(/#.*$/, '');
}

/** The cookie a probe sets (on its own path) to see whether a request carries it. */
export function tokenCookieName(token: string): string {
  return `cc_${token.replace(/-/g, '_')}`;
}

/** Patterns that find a token in any URL or cookie of a record (reports replace them with `{token}`). */
export const TOKEN_PATTERNS: readonly RegExp[] = [
  new RegExp(`${SCRIPTED_PATH}([A-Za-z0-9_-]{4,})(?=[/?#]|$)`),
  new RegExp(`[?&](?:${REFERENCE_PARAM}|${VERIFY_PARAM})=([A-Za-z0-9_-]{4,})`),
];
