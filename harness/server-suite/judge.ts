/**
 * Judges one server-suite probe twice:
 *   (a) intent – the browser's outcome against what the policy means to allow, with the server's
 *       declared quirks applied (harness/server-suite/model.ts);
 *   (b) standard – the oracle's verdict on the headers the server actually sent (replayed from
 *       the wire log) against the browser's outcome, readable headers and the requests it sent.
 * Pure: the suite feeds it what the page saw and what the server recorded.
 */
import { chromiumReasonAgrees, predictSteps, limitsOf, type LimitsOf, type Prediction, type Responder, type WireResponse } from '../oracle';
import { stepRecords, type PageSteps } from '../browser/steps';
import type { StepResult } from '../browser/runner';
import type { CaseRecord, WireSummary } from '../core/record';
import { hasCookie, predictedWire, recordedWire, wireDifference } from '../core/wire-summary';
import type { Expected, PolicyCase, ServerPage, ServerProbe } from './model';
import { quirkText } from './model';
import type { ServerName } from '../../servers/reference/common';
import type { WireEntry } from '../core/wire';

/** The cookie every target host holds (set before the batch); credentialed requests must carry it. */
export const SESSION_COOKIE = 'cc_session';

export interface MaterializedProbe extends PageSteps {
  probe: ServerProbe;
  token: string;
  page: ServerPage;
  pageUrl: string;
  pageOrigin: string;
  /** The URL requested, then the one /redirect leads to (hop 1). */
  hopUrls: string[];
}

export interface ServerObservation {
  server: ServerName;
  policyCase: PolicyCase;
  /** The policy as run, for the report. */
  policyText: string;
  probe: MaterializedProbe;
  steps: StepResult[];
  wire: WireEntry[];
  expected: Expected;
}

const pathOf = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

/**
 * The server as the oracle sees it: each request the oracle asks about is answered with what the
 * server really sent for that request (same kind, method and path, in order). A request the
 * browser never sent has no recorded answer: the responder says so (null = no response) and
 * lists it in `missing`.
 */
export function replayResponder(wire: readonly WireEntry[]): { respond: Responder; missing: string[] } {
  const used = new Set<WireEntry>();
  const missing: string[] = [];
  const respond: Responder = (request) => {
    const path = pathOf(request.url);
    const entry = wire.find((e) => !used.has(e) && e.preflight === request.preflight && e.method === request.method && e.path === path);
    if (!entry || entry.status === undefined) {
      missing.push(`${request.preflight ? 'preflight ' : ''}${request.method} ${path}`);
      return null;
    }
    used.add(entry);
    const response: WireResponse = { status: entry.status, headers: entry.responseHeaders ?? [] };
    return response;
  };
  return { respond, missing };
}

export function predictProbe(m: MaterializedProbe, respond: Responder, browser: LimitsOf): Prediction[] {
  return predictSteps(m.inputs, m.at, respond, { browser });
}

/** Which hop of the probe a URL or path is (-1: none of them). */
function hopIndex(m: MaterializedProbe, target: string): number {
  const path = target.startsWith('/') ? target : pathOf(target);
  return m.hopUrls.findIndex((u) => pathOf(u) === path);
}

/** The wire the oracle predicts for a probe; credentialed requests must carry the session cookie. */
export function probeWire(m: MaterializedProbe, predictions: readonly Prediction[]): WireSummary[] {
  return predictedWire(
    predictions.flatMap((p) => p.requests),
    (url) => hopIndex(m, url),
    true,
  );
}

/** The wire the reference server recorded for a probe. */
export function probeWireSeen(m: MaterializedProbe, wire: readonly WireEntry[]): WireSummary[] {
  return recordedWire(
    wire,
    (e) => hopIndex(m, e.path),
    (header) => hasCookie(header, SESSION_COOKIE),
  );
}

const seenText = (s: StepResult) =>
  s.outcome === 'allowed' ? `allowed it (status ${s.status})` : `blocked it (${s.browserReason ?? s.error ?? 'no reason given'})`;

/** (a) The browser against the policy's intent (quirks applied); the oracle's verdict is quoted as the reason. */
export function intentProblems(obs: ServerObservation, predictions: readonly Prediction[] = []): string[] {
  const problems: string[] = [];
  const { expected } = obs.expected;
  const dataNames = new Set(['x-request-id', 'x-total-count']);
  expected.steps.forEach((want, i) => {
    const seen = obs.steps[i];
    const label = expected.steps.length > 1 ? `step ${i + 1}: ` : '';
    if (!seen) return void problems.push(`${label}no result from the page`);
    const oracle = predictions[i]
      ? `; on the headers ${obs.server} sent the Fetch Standard says ${predictions[i].outcome} (${predictions[i].reason})`
      : '';
    if (seen.outcome !== want.outcome)
      return void problems.push(`${label}the policy means ${want.outcome} (${want.why}), the browser ${seenText(seen)}${oracle}`);
    if (want.outcome !== 'allowed') return;
    const okStatus = want.status === 'ok' ? seen.status !== null && seen.status >= 200 && seen.status < 300 : seen.status === want.status;
    if (!okStatus) problems.push(`${label}expected status ${want.status === 'ok' ? '2xx' : want.status}, the page saw ${seen.status}`);
    if (want.readable !== null) {
      const got = [...new Set(seen.headers.map(([n]) => n.toLowerCase()).filter((n) => dataNames.has(n)))].sort();
      if (got.join() !== [...want.readable].sort().join())
        problems.push(
          `${label}the policy exposes [${want.readable.join(', ')}] of X-Request-Id/X-Total-Count, the page could read [${got.join(', ')}]`,
        );
    }
  });
  if (expected.preflights !== null) {
    const sent = obs.wire.filter((e) => e.preflight).length;
    if (sent !== expected.preflights) {
      problems.push(
        `expected ${expected.preflights === 1 ? 'the second PUT to reuse the cached preflight (1 preflight)' : 'a new preflight for the second PUT (2 preflights)'}, the server saw ${sent}`,
      );
    }
  }
  return problems;
}

/** (b) The browser against the Fetch Standard on what the server really sent. */
export function standardProblems(obs: ServerObservation, predictions: Prediction[], missing: readonly string[]): string[] {
  const problems: string[] = [];
  const m = obs.probe;
  predictions.forEach((p, i) => {
    const seen = obs.steps[i];
    const label = predictions.length > 1 ? `step ${i + 1}: ` : '';
    if (!seen) return void problems.push(`${label}no result from the page`);
    if (seen.outcome !== p.outcome)
      return void problems.push(
        `${label}on the headers ${obs.server} sent, the Fetch Standard says ${p.outcome} (${p.reason}), the browser ${seenText(seen)}`,
      );
    // Chromium says why it blocked; where its name maps to ours, it must be the same why.
    if (p.outcome === 'blocked' && chromiumReasonAgrees(p.reason, seen.browserReason) === false) {
      problems.push(
        `${label}blocked for another reason: on the headers ${obs.server} sent the Fetch Standard says ${p.reason}, Chromium says ${seen.browserReason}`,
      );
    }
    if (p.outcome !== 'allowed') return;
    if (seen.status !== p.status) problems.push(`${label}the Fetch Standard says status ${p.status}, the page saw ${seen.status}`);
    // Judge readability on the headers the server recorded (the browser may add its own).
    const last = [...obs.wire].reverse().find((e) => !e.preflight);
    const sentNames = new Set((last?.responseHeaders ?? []).map(([n]) => n.toLowerCase()));
    const want = p.readableHeaders.filter((n) => sentNames.has(n)).sort();
    const got = [...new Set(seen.headers.map(([n]) => n.toLowerCase()).filter((n) => sentNames.has(n)))].sort();
    if (want.join() !== got.join())
      problems.push(`${label}the Fetch Standard makes [${want.join(', ')}] readable, the page could read [${got.join(', ')}]`);
  });
  const differs = wireDifference(probeWire(m, predictions), probeWireSeen(m, obs.wire));
  if (differs) problems.push(`the wire differs: the Fetch Standard sends [${differs.expected}], ${obs.server} saw [${differs.observed}]`);
  for (const request of missing) problems.push(`the oracle needed the server's answer to ${request}, which the browser never sent`);
  return problems;
}

export interface ServerJudgement {
  record: CaseRecord;
  intent: string[];
  standard: string[];
}

export function judgeServerProbe(obs: ServerObservation, browser: { name: string; version: string }): ServerJudgement {
  const m = obs.probe;
  const kind = limitsOf(browser.name);
  const { respond, missing } = replayResponder(obs.wire);
  const predictions = predictProbe(m, respond, kind);
  const intent = intentProblems(obs, predictions).map((p) => `[policy intent] ${p}`);
  const standard = standardProblems(obs, predictions, missing).map((p) => `[Fetch Standard] ${p}`);
  const problems = [...intent, ...standard];
  const quirk = quirkText(obs.expected.quirks, obs.policyCase);

  const steps = stepRecords(m, predictions, obs.steps);
  const blank = { status: 0, headers: [] as Array<[string, string]> };
  const responses = m.hopUrls
    .map((url) => {
      const here = obs.wire.filter((e) => e.path === pathOf(url));
      const pre = here.find((e) => e.preflight);
      const actual = here.find((e) => !e.preflight);
      if (!pre && !actual) return null;
      return {
        url,
        preflight: pre ? { status: pre.status ?? 0, headers: pre.responseHeaders ?? [] } : blank,
        response: actual ? { status: actual.status ?? 0, headers: actual.responseHeaders ?? [] } : blank,
      };
    })
    .filter((r) => r !== null);
  const record: CaseRecord = {
    suite: 'servers',
    caseId: `${obs.server} › ${obs.policyCase.id} › ${m.probe.base}`,
    category: m.probe.category,
    title: `${obs.policyCase.title} Probe: ${m.probe.title}. Intent: ${obs.expected.intent.steps.map((s) => `${s.outcome} (${s.why})`).join(', then ')}.`,
    spec: m.probe.spec,
    browser,
    server: obs.server,
    policy: obs.policyCase.id,
    responses,
    steps,
    wire: { expected: probeWire(m, predictions), observed: probeWireSeen(m, obs.wire) },
    deviation: null,
    quirk,
    verdict: problems.length > 0 ? 'fail' : 'pass',
    problems,
  };
  return { record, intent, standard };
}

/** The assertion message: server, policy, probe (the test's path), the policy as run, the quirk in effect. */
export function failureMessage(obs: ServerObservation, name: string, which: 'intent' | 'standard' | 'all'): string {
  const quirk = quirkText(obs.expected.quirks, obs.policyCase);
  const what = {
    intent: "the browser against the policy's intent",
    standard: 'the browser against the Fetch Standard on the headers the server sent',
    all: 'every check',
  }[which];
  return `${obs.server} › ${obs.policyCase.id} › ${name}: ${what} (policy ${obs.policyText}; ${obs.probe.probe.title})${quirk ? ` [quirk ${quirk}]` : ''}`;
}
