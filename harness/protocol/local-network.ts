/**
 * Local Network Access (https://wicg.github.io/local-network-access/, shipped in Chromium 142): a
 * page on the public internet that requests a more private address space – the user's own machine
 * (`loopback`) or network (`local`) – is blocked before anything is sent, unless the page is a
 * secure context and the user granted it the `local-network-access` permission. It is not part of
 * the Fetch Standard yet, so these cases cite the WICG draft; Firefox and WebKit do not implement
 * it, so there the cases are not applicable (not run, with the reason).
 *
 * Here every server is on loopback, so a page is made public with `Content-Security-Policy:
 * treat-as-public-address` (page-host.ts, `/__page?public`) and a target is made `local` with
 * Chromium's `--ip-address-space-overrides` (measured with Chromium 156: no
 * `Access-Control-Request-Private-Network` header is sent, and a non-secure page cannot be granted
 * the permission). Pages live on `<token>.lna.test` (mapped to loopback by host-resolver rules):
 * a `*.localhost` page would be a secure context even over http.
 */
import type { BrowserKind } from '../oracle';
import { newToken, scriptedUrl } from '../core/probe-url';
import type { AddressSpace } from '../core/address-space';
import { runScriptedFetches, type ProtocolEnv } from './run';

/** The target's address space in these cases: more private than the public page. */
export type TargetSpace = Exclude<AddressSpace, 'public'>;

export interface LocalNetworkCase {
  id: string;
  target: TargetSpace;
  secure: boolean;
  permission: boolean;
  method: 'GET' | 'PUT';
  /** What Local Network Access says. */
  expected: 'allowed' | 'blocked';
  why: string;
}

function lnaCase(target: TargetSpace, secure: boolean, permission: boolean, method: 'GET' | 'PUT'): LocalNetworkCase {
  const page = `${secure ? 'secure' : 'non-secure'}-public-page`;
  const id = `${page}-to-${target}${method === 'PUT' ? '-put' : ''}-${permission ? 'with' : 'without'}-permission-is-${secure && permission ? 'allowed' : 'blocked'}`;
  const why = !secure
    ? 'a non-secure context may never reach a more private address space (the permission cannot be granted to it)'
    : permission
      ? 'a secure public page the user granted local-network-access may reach it; CORS then applies as usual'
      : 'a secure public page needs the local-network-access permission first';
  return { id, target, secure, permission, method, expected: secure && permission ? 'allowed' : 'blocked', why };
}

export const LOCAL_NETWORK_CASES: readonly LocalNetworkCase[] = (['loopback', 'local'] as const).flatMap((target) => [
  lnaCase(target, false, false, 'GET'),
  lnaCase(target, false, true, 'GET'),
  lnaCase(target, true, false, 'GET'),
  lnaCase(target, true, true, 'GET'),
  lnaCase(target, true, true, 'PUT'),
]);

/** Where the cases' pages live: the browser maps it to loopback (LNA_RESOLVER_RULES). */
export const LNA_PAGE_DOMAIN = 'lna.test';
export const LNA_RESOLVER_RULES = [`MAP *.${LNA_PAGE_DOMAIN} 127.0.0.1`];

/** Null where Local Network Access applies, else why not. */
export function localNetworkNotApplicable(kind: BrowserKind): string | null {
  return kind === 'chromium'
    ? null
    : `Local Network Access is not applicable: ${kind} does not implement it (Chromium has since version 142)`;
}

export interface LocalNetworkObservation {
  /** Whether the browser let the permission be granted (false when the case asks for none). */
  granted: boolean;
  outcome: 'allowed' | 'blocked';
  /** What reached the server: `OPTIONS`, `GET`, `PUT`. */
  wire: string[];
}

/**
 * Runs one case: a public page on a host of its own (so a permission granted to one case's origin
 * never serves another), a request to the scripted server's https listener that CORS allows.
 */
export async function runLocalNetworkCase(env: ProtocolEnv, c: LocalNetworkCase): Promise<LocalNetworkObservation> {
  const token = newToken();
  const host = `${token}.${LNA_PAGE_DOMAIN}`;
  const origin = c.secure ? `https://${host}:${env.server.httpsPort}` : `http://${host}:${env.server.httpPort}`;
  // Chromium refuses to grant the permission to a non-secure origin (an error, measured): that
  // refusal is part of what the case shows.
  let granted = false;
  if (c.permission)
    granted = await (env.browser.grantPermissions?.(['local-network-access'], origin) ?? Promise.reject(new Error('cannot grant'))).then(
      () => true,
      () => false,
    );
  const allow = {
    status: 200,
    headers: [
      ['Access-Control-Allow-Origin', '*'],
      ['Access-Control-Allow-Methods', 'PUT'],
    ] as Array<[string, string]>,
  };
  const { steps, wire } = await runScriptedFetches(env, token, [{ preflight: allow, response: allow }], `${origin}/__page?public`, [
    { url: scriptedUrl(`https://api.localhost:${env.server.httpsPort}`, token, 0), method: c.method, credentials: 'omit' },
  ]);
  return {
    granted,
    outcome: steps[0]?.outcome === 'allowed' ? 'allowed' : 'blocked',
    wire: wire.map((e) => (e.preflight ? 'OPTIONS' : e.method)),
  };
}
