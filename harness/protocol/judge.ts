/**
 * Judges one observed case: the oracle's prediction (from the same hops the server answered
 * with) against what the page saw and what reached the server. Pure; the tests assert on its
 * `problems`, the reporter shows the whole record.
 */
import { CHROMIUM_CORS_ERRORS, chromiumReasonAgrees, predict, type BrowserName, type Prediction, type Quirk } from '../oracle';
import type { Materialized } from './case';
import type { Observation } from './run';
import { caseCookieName } from './run';
import type { CaseRecord, StepRecord, WireSummary } from '../core/record';
import type { InPageStep } from '../browser/in-page';
import type { StepResult } from '../browser/runner';
import { deviationFor, type KnownDeviation } from './deviations';

/** The oracle's answers for each step of a case, carrying the preflight cache from step to step. */
export function predictCase(m: Materialized, browser: BrowserName, quirks?: readonly Quirk[]): Prediction[] {
  let cache: Prediction['cache'] = [];
  return m.inputs.map((input, i) => {
    const p = predict(input, m.respond, { browser, cache, now: m.at[i] ?? 0, quirks: quirks ? new Set(quirks) : undefined });
    cache = p.cache;
    return p;
  });
}

function hopOf(url: string): number {
  const m = /\/p\/[^/]+\/(\d+)/.exec(new URL(url).pathname);
  return m ? Number(m[1]) : -1;
}

export function expectedWire(m: Materialized, predictions: Prediction[]): WireSummary[] {
  return predictions.flatMap((p) =>
    p.requests.map((r) => ({
      hop: hopOf(r.url),
      method: r.method,
      preflight: r.preflight,
      origin: r.headers.origin ?? null,
      acrm: r.preflight ? (r.headers['access-control-request-method'] ?? null) : null,
      acrh: r.preflight ? (r.headers['access-control-request-headers'] ?? null) : null,
      cookie: m.spec.cookie ? r.credentials : null,
    })),
  );
}

export function observedWire(obs: Observation): WireSummary[] {
  const cookie = caseCookieName(obs.case.token);
  return obs.wire.map((e) => ({
    hop: e.hop,
    method: e.method,
    preflight: e.preflight,
    origin: e.origin,
    acrm: e.preflight ? e.acrm : null,
    acrh: e.preflight ? e.acrh : null,
    cookie: obs.case.spec.cookie ? (e.cookie ?? '').split(/;\s*/).some((c) => c.startsWith(`${cookie}=`)) : null,
  }));
}

const wireLine = (w: WireSummary) =>
  `${w.preflight ? 'preflight ' : ''}${w.method} hop${w.hop} Origin=${w.origin}${w.acrm ? ` ACRM=${w.acrm}` : ''}${w.acrh ? ` ACRH=${w.acrh}` : ''}${w.cookie === null ? '' : w.cookie ? ' +cookie' : ' -cookie'}`;

/** Compares a prediction with an observation; returns what differs, in words. */
function compare(m: Materialized, predictions: Prediction[], obs: Observation): string[] {
  const problems: string[] = [];
  const relevant = (names: string[]) => names.filter((n) => m.scriptedHeaderNames.includes(n)).sort();
  predictions.forEach((p, i) => {
    const seen = obs.steps[i];
    const label = predictions.length > 1 ? `step ${i + 1}: ` : '';
    if (!seen) {
      problems.push(`${label}no result from the page`);
      return;
    }
    if (seen.outcome !== p.outcome) {
      problems.push(
        `${label}expected ${p.outcome} (${p.reason}), the browser ${seen.outcome === 'allowed' ? 'allowed it' : `blocked it (${seen.browserReason ?? seen.error ?? 'no reason given'})`}`,
      );
      return;
    }
    // Chromium says why it blocked; where its name maps to ours, it must be the same why.
    if (p.outcome === 'blocked' && chromiumReasonAgrees(p.reason, seen.browserReason) === false) {
      problems.push(`${label}blocked for another reason: the Fetch Standard says ${p.reason}, Chromium says ${seen.browserReason}`);
    }
    if (p.outcome === 'allowed') {
      if (seen.status !== p.status) problems.push(`${label}expected status ${p.status}, the page saw ${seen.status}`);
      const want = relevant(p.readableHeaders);
      const got = relevant(seen.headers.map(([n]) => n.toLowerCase()));
      if (want.join() !== got.join())
        problems.push(`${label}expected readable headers [${want.join(', ')}], the page could read [${got.join(', ')}]`);
    }
  });
  const want = expectedWire(m, predictions).map(wireLine);
  const got = observedWire(obs).map(wireLine);
  if (want.join('\n') !== got.join('\n')) {
    problems.push(`the wire differs: expected [${want.join(' | ')}], the server saw [${got.join(' | ')}]`);
  }
  return problems;
}

/**
 * The per-step part of a record: what the page asked, what the oracle expects, what the browser
 * did (with Chromium's reason mapped to ours where the name is known). Shared by every suite.
 */
export function stepRecords(
  m: { pageOrigin: string; steps: ReadonlyArray<Pick<InPageStep, 'url' | 'method' | 'headers' | 'client' | 'credentials' | 'redirect'>> },
  predictions: readonly Prediction[],
  seenSteps: readonly StepResult[],
): StepRecord[] {
  return m.steps.map((s, i) => {
    const p = predictions[i]!;
    const seen = seenSteps[i];
    return {
      request: {
        from: m.pageOrigin,
        url: s.url,
        method: s.method,
        headers: s.headers,
        client: s.client,
        credentials: s.credentials,
        redirect: s.redirect,
      },
      expected: { outcome: p.outcome, reason: p.reason, preflight: p.preflight, status: p.status, readableHeaders: p.readableHeaders },
      observed: {
        // `unsent` (the page refused to build the request) is recorded as blocked, its error kept.
        outcome: seen?.outcome === 'allowed' ? 'allowed' : 'blocked',
        status: seen?.status ?? null,
        readableHeaders: (seen?.headers ?? []).map(([n]) => n.toLowerCase()).sort(),
        browserReason: seen?.browserReason ?? null,
        browserReasonCode: seen?.browserReason ? (CHROMIUM_CORS_ERRORS[seen.browserReason] ?? null) : null,
        error: seen?.error ?? null,
      },
    };
  });
}

export function judge(
  obs: Observation,
  browser: { name: string; version: string },
  suite = 'protocol',
  server = 'node-http (scripted)',
): CaseRecord {
  const m = obs.case;
  const kind = (['chromium', 'firefox', 'webkit'].includes(browser.name) ? browser.name : 'spec') as BrowserName;
  const standard = predictCase(m, kind);
  const deviation: KnownDeviation | undefined = deviationFor(m.spec.id, browser.name);
  let expected = standard;
  const problems: string[] = [];
  if (deviation) {
    expected = predictCase(m, kind, deviation.quirks);
    const key = (ps: Prediction[]) => JSON.stringify(ps.map((x) => [x.outcome, x.reason, x.readableHeaders, x.requests]));
    const sameAsStandard = key(expected) === key(standard);
    if (sameAsStandard)
      problems.push(
        `the known deviation (${deviation.section}) does not change what this case expects: fix harness/protocol/deviations.ts`,
      );
    else if (compare(m, standard, obs).length === 0) {
      problems.push(
        `the known deviation is gone: ${browser.name} now follows the Fetch Standard (${deviation.section}); remove it from harness/protocol/deviations.ts`,
      );
    }
  }
  problems.push(...compare(m, expected, obs));

  const steps = stepRecords(m, standard, obs.steps);
  return {
    suite,
    caseId: m.spec.id,
    category: m.spec.category,
    title: m.spec.title,
    spec: m.spec.spec,
    browser,
    server,
    responses: m.hops.map((h, i) => ({ url: m.hopUrls[i]!, preflight: h.preflight, response: h.response })),
    steps,
    wire: { expected: expectedWire(m, expected), observed: observedWire(obs) },
    deviation: deviation ? { section: deviation.section, observed: deviation.observed, standard: deviation.standard } : null,
    verdict: problems.length > 0 ? 'fail' : deviation ? 'deviation' : 'pass',
    problems,
  };
}
