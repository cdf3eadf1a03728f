/**
 * A verify probe as the project's case record (harness/core/record.ts, suite 'target'), so the matrix
 * reporter, JUnit and the baseline see a user's server the way they see the protocol suite.
 */
import type { CaseRecord, RecordVerdict } from '../core/record';
import { shown } from '../core/probe-url';
import type { ProbeResult, RawExchange } from './types';

function answer(x: RawExchange | null): { status: number; headers: Array<[string, string]> } {
  return x?.response
    ? { status: x.response.status, headers: x.response.headers.map(([n, v]) => [n, v] as [string, string]) }
    : { status: 0, headers: [] };
}

export function problemsOf(r: ProbeResult): string[] {
  if (r.met) return [];
  if (r.outcome === 'not-run')
    return [
      `could not run (${r.reason}), so nothing shows that ${r.probe.expected === 'allowed' ? 'it works' : 'it is blocked'}: expected because ${r.probe.because}`,
    ];
  if (r.outcome === 'error')
    return [
      `the exchange failed on the network (${r.reason}): not a CORS answer either way; expected ${r.probe.expected} because ${r.probe.because}`,
    ];
  return [
    `expected ${r.probe.expected}, the browser ${r.outcome === 'allowed' ? 'allowed it' : `blocked it (${r.reason})`}: expected because ${r.probe.because}`,
  ];
}

export function toCaseRecord(r: ProbeResult, browser: { name: string; version: string }): CaseRecord {
  const p = r.probe;
  // Without the per-run token, so the same probe gives the same record on every run.
  const url = shown(r.url);
  const verdict: RecordVerdict = !r.met ? 'fail' : r.outcome === 'not-run' ? 'not-run' : 'pass';
  return {
    suite: 'target',
    caseId: p.id,
    category: p.role === 'attacker' ? `attacker-${p.kind}` : p.role === 'denied' ? 'denied-origin' : p.shape,
    title: `${p.method} from ${p.page.origin}${p.derivedFrom ? ` (looks like ${p.derivedFrom})` : ''}: expected ${p.expected} because ${p.because}`,
    spec: 'Fetch #http-cors-protocol, #cors-preflight-fetch, #cors-check',
    browser,
    server: url,
    responses: [{ url, preflight: answer(r.evidence.preflight), response: answer(r.evidence.actual) }],
    steps: [
      {
        request: {
          from: p.page.origin,
          url,
          method: p.method,
          headers: p.headers,
          client: p.client,
          credentials: p.credentials ? 'include' : 'omit',
          redirect: 'follow',
        },
        expected: {
          outcome: p.expected,
          reason: r.oracle?.reason ?? '',
          preflight: r.preflight,
          status: null,
          readableHeaders: p.readHeaders ?? [],
        },
        observed: {
          outcome: r.outcome === 'allowed' ? 'allowed' : 'blocked',
          status: r.status,
          readableHeaders: r.readableHeaders,
          browserReason: r.browserReason,
          browserReasonCode: r.outcome === 'blocked' ? r.reason : null,
          error: r.pageError,
        },
      },
    ],
    wire: { expected: [], observed: [] },
    deviation: null,
    verdict,
    problems: problemsOf(r),
    ...(r.outcome === 'not-run' ? { notRunReason: r.reason } : {}),
  };
}
