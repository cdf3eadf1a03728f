/**
 * Evidence: the raw headers behind each probe, sent again by Node exactly as the browser sends
 * them where that is safe – the GET or HEAD with the page's Origin, and the OPTIONS preflight
 * with the same Origin, Access-Control-Request-Method and Access-Control-Request-Headers. Never a
 * POST or any other method: for those probes the GET response stands in (said in the evidence).
 *
 * The oracle then replays those raw responses (harness/oracle predict) to give the Fetch
 * Standard's reason where the browser gives none (Firefox, and Chromium for some failures).
 */
import { randomBytes } from 'node:crypto';
import { predict, type Outcome, type ProbeInput, type Responder, type WireResponse } from '../oracle';
import { verifyUrl } from '../core/probe-url';
import { exchange, type RawOptions } from './raw-http';
import type { RawExchange, VerifyProbe } from './types';

export function newRunId(): string {
  return randomBytes(4).toString('hex');
}

/** What the oracle is asked for a probe: the page's request, as its requester makes it. */
export function probeInput(probe: VerifyProbe, url: string): ProbeInput {
  return {
    origin: probe.page.origin,
    url,
    method: probe.method,
    headers: probe.headers,
    credentials: probe.credentials ? 'include' : 'omit',
    client: probe.client,
    ...(probe.crossorigin ? { crossorigin: probe.crossorigin } : {}),
  };
}

/** The preflight a browser sends for this probe (null when it sends none), per the oracle. */
export function preflightShape(probe: VerifyProbe, url: string): Record<string, string> | null {
  const p = predict(probeInput(probe, url), () => null);
  if (!p.preflightRequest) return null;
  const { accept: _accept, ...shape } = p.preflightRequest.headers;
  return shape;
}

function actualMethod(probe: VerifyProbe): 'GET' | 'HEAD' {
  return probe.method === 'HEAD' ? 'HEAD' : 'GET';
}

function key(method: string, headers: Record<string, string>): string {
  return `${method} ${JSON.stringify(Object.entries(headers).sort())}`;
}

export interface EvidenceStore {
  actual(probe: VerifyProbe): RawExchange | null;
  preflight(probe: VerifyProbe): RawExchange | null;
  /** Every exchange, in the order sent. */
  all(): RawExchange[];
}

/** Sends the distinct safe requests the probes need (bounded by the limiter) and keeps the answers. */
export async function collectEvidence(
  targetUrl: string,
  probes: readonly VerifyProbe[],
  options: RawOptions,
  runId: string,
  seed: RawExchange[] = [],
): Promise<EvidenceStore> {
  const byKey = new Map<string, Promise<RawExchange>>();
  for (const s of seed) byKey.set(key(s.request.method, s.request.headers), Promise.resolve(s));
  let n = 0;
  const send = (method: 'GET' | 'HEAD' | 'OPTIONS', headers: Record<string, string>) => {
    const k = key(method, headers);
    if (!byKey.has(k)) byKey.set(k, exchange(method, verifyUrl(targetUrl, `${runId}-raw${n++}`), headers, options));
    return k;
  };
  const actualKeys = new Map<string, string>();
  const preflightKeys = new Map<string, string>();
  // A credentialed request carries the run's cookies, as the browser's does (a server may answer
  // differently once it sees one); a preflight never does.
  const cookie = options.cookieFor?.(targetUrl) ?? null;
  for (const probe of probes) {
    if (probe.skip) continue;
    const headers: Record<string, string> = { origin: probe.page.origin };
    if (probe.credentials && cookie) headers.cookie = cookie;
    actualKeys.set(probe.id, send(actualMethod(probe), headers));
    const shape = preflightShape(probe, targetUrl);
    if (shape) preflightKeys.set(probe.id, send('OPTIONS', shape));
  }
  const settled = new Map<string, RawExchange>();
  await Promise.all([...byKey].map(async ([k, p]) => settled.set(k, await p)));
  return {
    actual: (probe) => settled.get(actualKeys.get(probe.id) ?? '') ?? null,
    preflight: (probe) => settled.get(preflightKeys.get(probe.id) ?? '') ?? null,
    all: () => [...settled.values()],
  };
}

/** The raw answers as the oracle's responder: preflights get the OPTIONS answer, the n-th actual request the n-th hop. */
export function responderFrom(actual: RawExchange | null, preflight: RawExchange | null): Responder {
  const hops = actual ? [actual, ...(actual.hops ?? [])] : [];
  let n = 0;
  return (request): WireResponse | null => {
    if (request.preflight) return preflight?.response ?? null;
    return hops[n++]?.response ?? null;
  };
}

/** The response the page reads: after redirects, the last hop's. */
export function lastResponse(actual: RawExchange | null): RawExchange['response'] {
  return (actual?.hops?.at(-1) ?? actual)?.response ?? null;
}

/**
 * Why the page could not read headers it should: `header-not-sent` when the server's response
 * (as Node recorded it) does not carry one of them at all – no CORS header can make an absent
 * header readable – else `header-not-exposed` (Fetch #cors-unsafe-response-header-names: only
 * safelisted names and those Access-Control-Expose-Headers lists, `*` only without credentials).
 */
export function unreadReason(missing: readonly string[], actual: RawExchange | null): string {
  const sent = new Set((lastResponse(actual)?.headers ?? []).map(([n]) => n.toLowerCase()));
  const absent = missing.filter((h) => !sent.has(h));
  if (lastResponse(actual) && absent.length > 0) return `header-not-sent: ${absent.join(', ')}`;
  return `header-not-exposed: ${missing.join(', ')}`;
}

export interface OracleAnswer {
  outcome: Outcome;
  reason: string;
  preflight: boolean;
  readableHeaders: string[];
}

/** The Fetch Standard's answer for this probe given the raw responses (null without evidence). */
export function oracleAnswer(
  probe: VerifyProbe,
  url: string,
  actual: RawExchange | null,
  preflight: RawExchange | null,
): OracleAnswer | null {
  if (!actual?.response) return null;
  const p = predict(probeInput(probe, url), responderFrom(actual, preflight));
  if (probe.shape === 'read-headers' && p.outcome === 'allowed') {
    const missing = (probe.readHeaders ?? []).map((h) => h.toLowerCase()).filter((h) => !p.readableHeaders.includes(h));
    if (missing.length > 0)
      return {
        outcome: 'blocked',
        reason: unreadReason(missing, actual),
        preflight: p.preflight,
        readableHeaders: p.readableHeaders,
      };
  }
  return { outcome: p.outcome, reason: p.reason, preflight: p.preflight, readableHeaders: p.readableHeaders };
}
