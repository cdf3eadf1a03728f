/**
 * Small builders for the oracle's unit tests: header lists from `Name: value` lines and scripted
 * servers (a Responder) keyed by URL. Test data only – no rule of the Fetch Standard lives here.
 */
import type { Header, Responder, WireRequest, WireResponse } from '../../../harness/oracle';

export const APP = 'https://app.example';
export const API = 'https://api.example';
export const OTHER = 'https://other.example';

/** `h('A: 1', 'B: 2')` → [['A', '1'], ['B', '2']]; the value is kept as written after ': '. */
export function h(...lines: string[]): Header[] {
  return lines.map((line) => {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`test data: "${line}" is not a header line`);
    return [line.slice(0, colon), line.slice(colon + 1).replace(/^ /, '')] as const;
  });
}

export function response(status: number, ...lines: string[]): WireResponse {
  return { status, headers: h(...lines) };
}

/** A preflight response that allows `origin` the given methods and headers (204, no credentials). */
export function okPreflight(origin: string, ...extra: string[]): WireResponse {
  return response(204, `Access-Control-Allow-Origin: ${origin}`, ...extra);
}

export interface Route {
  preflight?: WireResponse | null;
  actual?: WireResponse | null;
}

/**
 * A server scripted per URL (exact string, as the oracle requests it). An unscripted request is a
 * test bug, so it throws instead of inventing an answer.
 */
export function router(routes: Record<string, Route>): Responder {
  return (request: WireRequest) => {
    const route = routes[request.url];
    const answer = route === undefined ? undefined : request.preflight ? route.preflight : route.actual;
    if (answer === undefined) throw new Error(`test data: no ${request.preflight ? 'preflight' : 'actual'} response for ${request.url}`);
    return answer;
  };
}
