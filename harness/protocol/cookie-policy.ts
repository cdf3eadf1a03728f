/**
 * Third-party cookies as browsers ship them. Whether a credentialed cross-site request carries a
 * cookie is not the Fetch Standard's to say: it appends whatever the user agent's cookie store
 * returns (#http-network-or-cache-fetch, "append a request `Cookie` header"), and blocking or
 * partitioning third-party cookies is the store's policy. The protocol suite runs every engine
 * with third-party cookies allowed, so the credentials cases test CORS alone; these cases show
 * what the same credentialed requests do under each engine's default policy too, so a user sees
 * "works in Chrome with cookies allowed, fails in Safari" before their users do.
 *
 * The expected answers are each engine's documented default policy, with the source next to it,
 * and the cases fail when a browser stops behaving so.
 */
import type { BrowserKind } from '../oracle';
import type { FoundBrowser } from '../browser/engines';
import { newToken, scriptedPathOf, scriptedUrl, tokenCookieName } from '../core/probe-url';
import { policyRecord, type CaseRecord, type WireSummary } from '../core/record';
import { hasCookie, recordedWire } from '../core/wire-summary';
import { runScriptedFetches, type ProtocolEnv } from './run';

export type CookiePolicy = 'allowed' | 'as-shipped';

export type CookieCaseId = 'site-cookie-sent-cross-site' | 'cookie-set-cross-site-is-kept';

export interface CookieCase {
  id: CookieCaseId;
  title: string;
}

export const COOKIE_CASES: readonly CookieCase[] = [
  {
    id: 'site-cookie-sent-cross-site',
    title: "The API's own cookie (set when the user visited it) on a credentialed fetch from another site",
  },
  {
    id: 'cookie-set-cross-site-is-kept',
    title: 'A cookie the API sets in answer to a credentialed cross-site fetch, on the next such fetch',
  },
];

/** What an engine's policy does, with why (its documentation or the setting that decides it). */
export interface PolicyAnswer {
  carried: Record<CookieCaseId, boolean>;
  why: string;
}

const ALLOWED: PolicyAnswer = {
  carried: { 'site-cookie-sent-cross-site': true, 'cookie-set-cross-site-is-kept': true },
  why: 'third-party cookies allowed (the suites run so: Chromium cookie_controls_mode 0, Firefox network.cookie.cookieBehavior 0, WebKitGTK --cookies-policy=always)',
};

/**
 * Each engine's default, for the builds this project can drive. Playwright's own WebKit is not
 * measured here (it cannot be installed on this machine): its answer is unknown, so not run.
 */
const AS_SHIPPED: Record<BrowserKind, PolicyAnswer | null> = {
  chromium: {
    carried: { 'site-cookie-sent-cross-site': false, 'cookie-set-cross-site-is-kept': false },
    why: 'Chromium as Playwright starts it (a fresh profile) blocks third-party cookies: neither sent nor stored in a cross-site context',
  },
  firefox: {
    carried: { 'site-cookie-sent-cross-site': false, 'cookie-set-cross-site-is-kept': true },
    why: "Firefox's Total Cookie Protection (network.cookie.cookieBehavior 5, the default): a cross-site request uses a cookie jar partitioned by the top-level site, which holds none of the API's own cookies but keeps one the API sets there",
  },
  webkit: {
    carried: { 'site-cookie-sent-cross-site': true, 'cookie-set-cross-site-is-kept': false },
    why: "WebKitGTK's default policy no-third-party: a cross-site response may not set cookies, but the API's existing cookies are sent (Safari's Intelligent Tracking Prevention, which also withholds them, is not part of WebKitGTK)",
  },
};

/** What a policy should do in this browser; null when not known (so not run). */
export function policyAnswer(found: FoundBrowser, policy: CookiePolicy): PolicyAnswer | null {
  if (policy === 'allowed') return ALLOWED;
  if (found.kind === 'webkit' && found.source !== 'webkitgtk') return null;
  return AS_SHIPPED[found.kind];
}

export interface CookieObservation {
  carried: boolean;
  /** Whether the page could read each response (the CORS side, which must always pass here). */
  readable: boolean[];
  wire: WireSummary[];
}

/**
 * Runs a cookie case from the https app page to the https API (so `Secure; SameSite=None` cookies
 * are valid in every engine): every response lets the app origin read with credentials, so only
 * the cookie store decides what the last request carries.
 */
export async function runCookieCase(env: ProtocolEnv, c: CookieCase): Promise<CookieObservation> {
  const token = newToken();
  const name = tokenCookieName(token);
  const page = env.plan.origin('app-https');
  const api = env.plan.origin('api-https');
  const cors: Array<[string, string]> = [
    ['Access-Control-Allow-Origin', page],
    ['Access-Control-Allow-Credentials', 'true'],
  ];
  const setCookie: Array<[string, string]> = [['Set-Cookie', `${name}=1; Path=${scriptedPathOf(token)}; SameSite=None; Secure`]];
  const hops =
    c.id === 'site-cookie-sent-cross-site'
      ? [{ preflight: { status: 204, headers: [] }, response: { status: 200, headers: cors } }]
      : [
          { preflight: { status: 204, headers: [] }, response: { status: 200, headers: [...cors, ...setCookie] } },
          { preflight: { status: 204, headers: [] }, response: { status: 200, headers: cors } },
        ];
  if (c.id === 'site-cookie-sent-cross-site')
    await env.browser.addCookies([
      { name, value: '1', domain: new URL(api).hostname, path: scriptedPathOf(token), secure: true, sameSite: 'None' },
    ]);
  const { steps, wire } = await runScriptedFetches(
    env,
    token,
    hops,
    env.plan.pageUrl('app-https'),
    hops.map((_, hop) => ({ url: scriptedUrl(api, token, hop), method: 'GET', credentials: 'include' })),
  );
  const last = wire.filter((e) => e.hop === hops.length - 1 && !e.preflight).at(-1);
  return {
    carried: hasCookie(last?.cookie ?? null, name),
    readable: steps.map((s) => s.outcome === 'allowed'),
    wire: recordedWire(
      wire,
      (e) => e.hop,
      (cookie) => hasCookie(cookie, name),
    ),
  };
}

/** The record of one cookie case under one policy, for the matrix (caseId `<case> (<policy>)`). */
export function cookieRecord(
  c: CookieCase,
  policy: CookiePolicy,
  browser: { name: string; version: string },
  answer: PolicyAnswer | null,
  seen: CookieObservation | null,
  problems: string[],
  notRunReason?: string,
): CaseRecord {
  return policyRecord({
    caseId: `${c.id} (third-party cookies ${policy})`,
    category: 'third-party-cookies',
    title: `${c.title}; third-party cookies ${policy === 'allowed' ? 'allowed' : 'as the engine ships'}: ${answer ? `${answer.carried[c.id] ? 'carried' : 'not carried'} (${answer.why})` : 'not known'}.`,
    spec: '#http-network-or-cache-fetch (the Cookie header comes from the user agent’s cookie store and its policy)',
    browser,
    wire: seen?.wire,
    problems,
    notRunReason,
  });
}
