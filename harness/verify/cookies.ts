/**
 * The cookies a verify run's credentialed probes carry, as a signed-in user's browser would: some
 * servers answer differently once a request has a cookie (Starlette with allow_origins=['*'] and
 * allow_credentials=True echoes any Origin only then), so a probe without one would miss the hole.
 *
 * - By default a harmless marker cookie (`cors_conform_session=1`) for every target host.
 * - `--cookie name=value` (repeatable): those instead, for every target host.
 * - `--storage-state <file>`: the user's own session, in Playwright's storage-state format (what a
 *   login set-up project saves), each cookie on its own domain and path.
 *
 * The browser gets them in its context (Secure and SameSite=None, so they go with cross-site
 * requests); Node's credentialed requests send the same Cookie header (tough-cookie matches
 * domain, path and Secure for each URL). Preflights never carry cookies (Fetch #cors-preflight-fetch).
 */
import { Cookie, CookieJar } from 'tough-cookie';
import { z } from 'zod';
import { UsageError } from '../core/errors';
import { readJsonFile } from '../core/json-file';

export const MARKER_COOKIE = 'cors_conform_session';

/** A cookie as Playwright's BrowserContext.addCookies takes it. */
export interface BrowserCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  expires?: number;
  httpOnly?: boolean;
  secure: boolean;
  sameSite: 'Strict' | 'Lax' | 'None';
}

export type CookieSource =
  | { kind: 'marker' }
  | { kind: 'given'; pairs: Array<[string, string]> }
  | { kind: 'storage-state'; file: string; cookies: BrowserCookie[] };

/** Playwright's storage state (only its cookies matter here). */
const storageStateSchema = z.looseObject({
  cookies: z.array(
    z.looseObject({
      name: z.string().min(1),
      value: z.string(),
      domain: z.string().min(1),
      path: z.string().default('/'),
      expires: z.number().optional(),
      httpOnly: z.boolean().optional(),
      secure: z.boolean().optional(),
      sameSite: z.enum(['Strict', 'Lax', 'None']).optional(),
    }),
  ),
});

export function loadStorageState(file: string): CookieSource {
  const state = readJsonFile(file, storageStateSchema, {
    name: `storage state ${file}`,
    invalid: `storage state ${file} is not Playwright's storage state (context.storageState())`,
    missing: `storage state ${file} does not exist: save one with context.storageState({ path: '${file}' })`,
    maxBytes: 1024 * 1024,
    error: (message) => new UsageError(message),
  });
  return {
    kind: 'storage-state',
    file,
    cookies: state.cookies.map((c) => ({
      name: c.name,
      value: c.value,
      domain: c.domain,
      path: c.path,
      ...(c.expires !== undefined && c.expires > 0 ? { expires: c.expires } : {}),
      httpOnly: c.httpOnly ?? false,
      secure: c.secure ?? false,
      sameSite: c.sameSite ?? 'Lax',
    })),
  };
}

/** `name=value`, checked as a browser would store it. */
export function parseCookiePair(text: string, option = '--cookie'): [string, string] {
  const eq = text.indexOf('=');
  const name = eq < 0 ? '' : text.slice(0, eq).trim();
  const value = eq < 0 ? '' : text.slice(eq + 1).trim();
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name))
    throw new UsageError(`${option} "${text}" is not name=value (a cookie name is a token)`);
  // RFC 6265 §4.1.1 cookie-octet: no controls, whitespace, DQUOTE, comma, semicolon or backslash.
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  if (/[;\s,"\\\u0000-\u001f\u007f]/.test(value))
    throw new UsageError(`${option} ${name}: the value has a character a cookie value cannot hold`);
  return [name, value];
}

export interface ProbeCookies {
  /** One line for the report: what the credentialed probes carried. */
  describe: string;
  /** The cookies to put in the probing browser for these targets. */
  forBrowser(targetUrls: readonly string[]): BrowserCookie[];
  /** The Cookie header Node's credentialed requests to this URL send (null: none matches). */
  header(url: string): string | null;
}

export function probeCookies(source: CookieSource): ProbeCookies {
  if (source.kind !== 'storage-state') {
    const pairs = source.kind === 'marker' ? ([[MARKER_COOKIE, '1']] as Array<[string, string]>) : source.pairs;
    const header = pairs.map(([n, v]) => `${n}=${v}`).join('; ');
    return {
      describe:
        source.kind === 'marker'
          ? `a marker cookie (${MARKER_COOKIE}=1) for each target host`
          : `${pairs.map(([n]) => n).join(', ')} (--cookie) for each target host`,
      forBrowser: (targetUrls) =>
        [...new Set(targetUrls.map((u) => new URL(u).hostname))].flatMap((domain) =>
          pairs.map(([name, value]) => ({ name, value, domain, path: '/', secure: true, sameSite: 'None' as const })),
        ),
      header: () => header,
    };
  }
  const jar = new CookieJar();
  for (const c of source.cookies) {
    const cookie = new Cookie({
      key: c.name,
      value: c.value,
      domain: c.domain.replace(/^\./, ''),
      path: c.path,
      secure: c.secure,
      httpOnly: c.httpOnly ?? false,
      hostOnly: !c.domain.startsWith('.'),
      expires: c.expires !== undefined ? new Date(c.expires * 1000) : 'Infinity',
    });
    jar.setCookieSync(cookie, `https://${c.domain.replace(/^\./, '')}${c.path}`, { ignoreError: true });
  }
  return {
    describe: `the ${source.cookies.length} cookie${source.cookies.length === 1 ? '' : 's'} of ${source.file}`,
    forBrowser: () => source.cookies,
    header: (url) => jar.getCookieStringSync(url) || null,
  };
}
