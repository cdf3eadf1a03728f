/** Small builders that keep the case tables short without hiding what a case does. */
import type { CaseSpec } from '../../../harness/protocol/case';

export const ACAO = 'Access-Control-Allow-Origin';
export const ACAC = 'Access-Control-Allow-Credentials';
export const ACAM = 'Access-Control-Allow-Methods';
export const ACAH = 'Access-Control-Allow-Headers';
export const ACEH = 'Access-Control-Expose-Headers';
export const ACMA = 'Access-Control-Max-Age';

/** The same case sent with XMLHttpRequest (withCredentials when the fetch used credentials: include). */
export function viaXhr(c: CaseSpec): CaseSpec {
  const withClient = (r: NonNullable<CaseSpec['request']>) => ({ ...r, client: 'xhr' as const });
  return {
    ...c,
    id: `xhr-${c.id}`,
    title: `${c.title} (XMLHttpRequest)`,
    request: c.request ? withClient(c.request) : c.steps ? undefined : { client: 'xhr' },
    steps: c.steps?.map(withClient),
  };
}

/** Both clients: the fetch() case as written, then its XHR twin. */
export function bothClients(cases: CaseSpec[]): CaseSpec[] {
  return cases.flatMap((c) => [c, viaXhr(c)]);
}

/** A preflight answer that admits `method` and `headers` for the requesting origin. */
export function preflightAllowing(opts: { methods?: string; headers?: string; credentials?: boolean; maxAge?: string } = {}) {
  const headers: Array<[string, string]> = [[ACAO, '{origin}']];
  if (opts.methods) headers.push([ACAM, opts.methods]);
  if (opts.headers) headers.push([ACAH, opts.headers]);
  if (opts.credentials) headers.push([ACAC, 'true']);
  if (opts.maxAge !== undefined) headers.push([ACMA, opts.maxAge]);
  return { status: 204, headers };
}

/** An actual response that shares with the requesting origin. */
export function sharedWithOrigin(extra: Array<[string, string]> = [], status = 200) {
  return { status, headers: [[ACAO, '{origin}'] as [string, string], ...extra] };
}
