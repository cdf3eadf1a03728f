/**
 * The wire in a record: one short summary per request (hop, method, preflight or not, Origin,
 * Access-Control-Request-*, cookie), made the same way from what the oracle predicts a browser
 * sends and from what a server recorded, so the two can be compared line by line. Both suites
 * judge the wire with these.
 */
import type { WireRequest } from '../oracle';
import type { WireSummary } from './record';
import type { WireEntry } from './wire';

/** What the oracle says the browser sends. `cookies`: whether the case looks at cookies at all. */
export function predictedWire(requests: readonly WireRequest[], hopOf: (url: string) => number, cookies: boolean): WireSummary[] {
  return requests.map((r) => ({
    hop: hopOf(r.url),
    method: r.method,
    preflight: r.preflight,
    origin: r.headers.origin ?? null,
    acrm: r.preflight ? (r.headers['access-control-request-method'] ?? null) : null,
    acrh: r.preflight ? (r.headers['access-control-request-headers'] ?? null) : null,
    cookie: cookies ? r.credentials : null,
  }));
}

/** What reached the server. `carriesCookie` is null when the case does not look at cookies. */
export function recordedWire(
  entries: readonly WireEntry[],
  hopOf: (entry: WireEntry) => number,
  carriesCookie: ((cookieHeader: string | null) => boolean) | null,
): WireSummary[] {
  return entries.map((e) => ({
    hop: hopOf(e),
    method: e.method,
    preflight: e.preflight,
    origin: e.origin,
    acrm: e.preflight ? e.acrm : null,
    acrh: e.preflight ? e.acrh : null,
    cookie: carriesCookie ? carriesCookie(e.cookie) : null,
  }));
}

/** Whether a Cookie header carries the cookie named `name`. */
export function hasCookie(cookieHeader: string | null, name: string): boolean {
  return (cookieHeader ?? '').split(/;\s*/).some((c) => c.startsWith(`${name}=`));
}

export function wireLine(w: WireSummary): string {
  const cookie = w.cookie === null ? '' : w.cookie ? ' +cookie' : ' -cookie';
  return `${w.preflight ? 'preflight ' : ''}${w.method} hop${w.hop} Origin=${w.origin}${w.acrm ? ` ACRM=${w.acrm}` : ''}${w.acrh ? ` ACRH=${w.acrh}` : ''}${cookie}`;
}

/** Null when the two wires agree, else both, each as `a | b | c`. */
export function wireDifference(
  expected: readonly WireSummary[],
  observed: readonly WireSummary[],
): { expected: string; observed: string } | null {
  const want = expected.map(wireLine);
  const got = observed.map(wireLine);
  return want.join('\n') === got.join('\n') ? null : { expected: want.join(' | '), observed: got.join(' | ') };
}
