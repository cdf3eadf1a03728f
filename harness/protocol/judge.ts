/**
 * Judges one observed case: the oracle's prediction (from the same hops the server answered
 * with) against what the page saw and what reached the server. Pure; the tests assert on its
 * `problems`, the reporter shows the whole record.
 */
import { chromiumReasonAgrees, predictSteps, limitsOf, type LimitsOf, type Prediction, type BrowserQuirk } from '../oracle';
import { stepRecords } from '../browser/steps';
import { tokenCookieName, tokenOf } from '../core/probe-url';
import type { CaseRecord, WireSummary } from '../core/record';
import { hasCookie, predictedWire, recordedWire, wireDifference } from '../core/wire-summary';
import type { Materialized } from './case';
import { deviationFor, type KnownDeviation } from './deviations';
import type { Observation } from './run';

/** The oracle's answers for each step of a case (the standard's, or with a deviation's quirks). */
export function predictCase(m: Materialized, browser: LimitsOf, quirks?: readonly BrowserQuirk[]): Prediction[] {
  return predictSteps(m.inputs, m.at, m.respond, { browser, quirks: quirks ? new Set(quirks) : undefined });
}

/** The wire the oracle predicts for a case: hops by their `/p/<token>/<hop>` path. */
export function caseWire(m: Materialized, predictions: readonly Prediction[]): WireSummary[] {
  return predictedWire(
    predictions.flatMap((p) => p.requests),
    (url) => tokenOf(url)?.hop ?? -1,
    m.spec.cookie === true,
  );
}

/** The wire the scripted server recorded for a case. */
export function caseWireSeen(obs: Observation): WireSummary[] {
  const cookie = tokenCookieName(obs.case.token);
  return recordedWire(obs.wire, (e) => e.hop, obs.case.spec.cookie ? (header) => hasCookie(header, cookie) : null);
}

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
  const differs = wireDifference(caseWire(m, predictions), caseWireSeen(obs));
  if (differs) problems.push(`the wire differs: expected [${differs.expected}], the server saw [${differs.observed}]`);
  return problems;
}

export function judge(
  obs: Observation,
  browser: { name: string; version: string },
  suite = 'protocol',
  server = 'node-http (scripted)',
): CaseRecord {
  const m = obs.case;
  const kind = limitsOf(browser.name);
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
    wire: { expected: caseWire(m, expected), observed: caseWireSeen(obs) },
    deviation: deviation ? { section: deviation.section, observed: deviation.observed, standard: deviation.standard } : null,
    verdict: problems.length > 0 ? 'fail' : deviation ? 'deviation' : 'pass',
    problems,
  };
}
