/**
 * From what a page saw to a probe result: the outcome (for read-headers probes: were the headers
 * readable), the reason (Chromium's own, mapped to the oracle's vocabulary, else the oracle's
 * from the raw responses), and whether the expectation was met. Pure.
 *
 * A page cannot tell a CORS block from a network failure; the proxy can (it saw the exchange), so
 * a request the target reset, cut short or never finished is the outcome `error`, never `blocked`
 * – and never a CORS finding. A verdict needs evidence: `error` never meets an expectation, and
 * neither does a probe from an origin the user named that could not run (the plan's own choices
 * not to send something – a method not named with --method – are not that).
 */
import { CHROMIUM_CORS_ERRORS, isSafelistedResponseHeaderName, extractTokenList } from '../oracle';
import type { PageObservation } from './browser-run';
import { lastResponse, oracleAnswer, preflightShape, unreadReason, type EvidenceStore } from './evidence';
import type { ProbeResult, RawExchange, VerifyProbe } from './types';

/** Response headers never worth "reading" (hop-by-hop, cookies). */
const NOT_READ = new Set(['connection', 'keep-alive', 'transfer-encoding', 'set-cookie', 'set-cookie2']);
const MAX_READ = 6;

/**
 * read-headers probes whose headers come from the server: the names its Access-Control-Expose-
 * Headers lists (for `*`, every non-safelisted header it sends). Nothing to read: not run.
 */
export function resolveReadHeaders(probes: readonly VerifyProbe[], evidence: EvidenceStore): VerifyProbe[] {
  return probes.map((p) => {
    if (p.shape !== 'read-headers' || p.skip) return p;
    if (p.readHeaders !== null) {
      return p.readHeaders.length > 0 ? p : { ...p, skip: 'the expect file lists no readable headers for this origin' };
    }
    const raw = lastResponse(evidence.actual(p));
    const listed = raw ? extractTokenList(raw.headers, 'Access-Control-Expose-Headers') : null;
    const sent = new Set((raw?.headers ?? []).map(([n]) => n.toLowerCase()));
    let names: string[] = [];
    if (Array.isArray(listed)) {
      names = listed.includes('*') ? [...sent].filter((n) => !NOT_READ.has(n) && !isSafelistedResponseHeaderName(n, [])) : listed;
    }
    names = [...new Set(names.map((n) => n.toLowerCase()))].filter((n) => n !== '*');
    // A listed header this response does not carry cannot be read whatever CORS says (a shared
    // middleware often lists X-Request-Id for every route, and only some routes send it).
    const unsent = names.filter((n) => !sent.has(n));
    names = names.filter((n) => sent.has(n)).slice(0, MAX_READ);
    if (names.length === 0 && unsent.length > 0) {
      return {
        ...p,
        readHeaders: [],
        skip: `nothing to read: the server lists ${unsent.join(', ')} in Access-Control-Expose-Headers but this response does not carry ${unsent.length > 1 ? 'them' : 'it'}`,
      };
    }
    if (names.length === 0) {
      return {
        ...p,
        readHeaders: [],
        skip: 'nothing to read: the server lists no Access-Control-Expose-Headers for this origin and no expect file names readable headers',
      };
    }
    return { ...p, readHeaders: names, because: `${p.because}; the server lists ${names.join(', ')} in Access-Control-Expose-Headers` };
  });
}

/**
 * Why a blocked probe failed on the network rather than by CORS, from the proxy's log; null when
 * the block is CORS's (as far as anyone can tell). A block Chromium explains is CORS's. A failure
 * after the response headers came counts only where the oracle, on the headers Node recorded,
 * finds nothing wrong: the CORS check is made on the headers, before any body.
 */
export function networkFailure(
  obs: Pick<PageObservation, 'wire' | 'pageError' | 'browserReason'>,
  oracle: ProbeResult['oracle'],
): string | null {
  if (obs.browserReason && CHROMIUM_CORS_ERRORS[obs.browserReason]) return null;
  const failed = obs.wire.find((e) => e.end === 'timeout' || e.end === 'network-error');
  if (failed) {
    if (failed.status !== null && oracle?.outcome === 'blocked') return null;
    return failed.end === 'timeout' ? 'timeout' : `network-error: ${failed.detail ?? 'the exchange failed'}`;
  }
  if (obs.pageError === 'timeout') return 'timeout';
  return null;
}

function reasonFor(obs: PageObservation, oracle: ProbeResult['oracle'], missing: string[], actual: RawExchange | null): string {
  if (obs.outcome === 'not-run') return obs.notRun ?? 'not run';
  if (obs.outcome === 'allowed') return missing.length > 0 ? unreadReason(missing, actual) : 'allowed';
  // Chromium's CORS reason in the oracle's words; a bare net error (net::ERR_FAILED) says less
  // than the oracle's reason from the raw headers, unless the oracle saw nothing wrong.
  const mapped = obs.browserReason ? CHROMIUM_CORS_ERRORS[obs.browserReason] : undefined;
  if (mapped) return mapped;
  if (oracle && oracle.outcome === 'blocked') return oracle.reason;
  return obs.browserReason ?? 'blocked-without-reason';
}

export function toResult(probe: VerifyProbe, url: string, obs: PageObservation, evidence: EvidenceStore | null): ProbeResult {
  const actual: RawExchange | null = evidence?.actual(probe) ?? null;
  const preflight: RawExchange | null = evidence?.preflight(probe) ?? null;
  const answer = oracleAnswer(probe, url, actual, preflight);
  const oracle = answer ? { outcome: answer.outcome, reason: answer.reason, preflight: answer.preflight } : null;
  if (probe.via === 'node-preflight') {
    // The browser never sent it: the oracle's judgement of Node's preflight (and of the GET's
    // answer standing in for the request's) is the outcome, and says so.
    const outcome = oracle ? oracle.outcome : 'not-run';
    return {
      probe,
      url,
      outcome,
      reason: oracle ? oracle.reason : `the preflight got no answer${preflight?.error ? ` (${preflight.error})` : ''}`,
      browserReason: null,
      oracle,
      preflight: true,
      status: null,
      readableHeaders: [],
      pageError: null,
      evidence: { actual, preflight },
      via: probe.via,
      met: isMet(probe, outcome),
    };
  }
  const readable = obs.headers.map(([n]) => n.toLowerCase()).sort();
  const missing =
    probe.shape === 'read-headers' && obs.outcome === 'allowed'
      ? (probe.readHeaders ?? []).map((h) => h.toLowerCase()).filter((h) => !readable.includes(h))
      : [];
  const failure = obs.outcome === 'blocked' ? networkFailure(obs, oracle) : null;
  const outcome = failure ? 'error' : obs.outcome === 'allowed' && missing.length > 0 ? 'blocked' : obs.outcome;
  return {
    probe,
    url,
    outcome,
    reason: failure ?? reasonFor(obs, oracle, missing, actual),
    browserReason: obs.browserReason,
    oracle,
    preflight: answer?.preflight ?? preflightShape(probe, url) !== null,
    status: obs.status,
    readableHeaders: readable,
    pageError: obs.pageError,
    evidence: { actual, preflight },
    via: probe.via,
    met: isMet(probe, outcome),
  };
}

/**
 * Whether a probe's outcome meets its expectation. Not run meets it only where not running says
 * nothing the user relies on: a probe the plan chose not to send (`skip`), or an attacker origin a
 * browser refuses to host; a probe from an origin the user named that could not run does not.
 */
export function isMet(probe: VerifyProbe, outcome: ProbeResult['outcome']): boolean {
  if (outcome === 'not-run') return probe.skip !== null || probe.role === 'attacker';
  return outcome === probe.expected;
}
