/**
 * The protocol judge (harness/protocol/judge.ts) on synthetic observations: each way a browser can disagree
 * with the oracle must show up as a problem, and a known deviation must be judged against the
 * quirk – and fail when the browser follows the standard after all.
 */
import { test, expect } from '@playwright/test';
import { materialize, type CaseSpec } from '../../../harness/protocol/case';
import { judge, predictCase, caseWire } from '../../../harness/protocol/judge';
import { OriginPlan } from '../../../harness/browser/origins';
import type { Observation } from '../../../harness/protocol/run';
import type { StepResult } from '../../../harness/browser/runner';
import type { WireEntry } from '../../../harness/core/wire';

const plan = new OriginPlan({ http: 41000, https: 41001 });
const chromium = { name: 'chromium', version: '156' };

function step(outcome: 'allowed' | 'blocked', extra: Partial<StepResult> = {}): StepResult {
  return {
    outcome,
    status: outcome === 'allowed' ? 200 : null,
    type: null,
    headers: [],
    body: null,
    error: null,
    startedAt: 0,
    ms: 1,
    browserReason: null,
    ...extra,
  };
}

/** The wire exactly as the oracle predicts it, as the server would have logged it. */
function predictedWire(spec: CaseSpec, token = 'tok'): WireEntry[] {
  const m = materialize(spec, plan, token);
  return caseWire(m, predictCase(m, 'chromium')).map((w) => ({
    token,
    hop: w.hop,
    method: w.method,
    host: '',
    path: '',
    preflight: w.preflight,
    origin: w.origin,
    acrm: w.acrm,
    acrh: w.acrh,
    cookie: null,
    headers: {},
  }));
}

function observe(spec: CaseSpec, steps: StepResult[], wire = predictedWire(spec)): Observation {
  return { case: materialize(spec, plan, 'tok'), steps, wire };
}

const exact: CaseSpec = {
  id: 'exact',
  category: 'allow-origin',
  title: 't',
  spec: 's',
  response: {
    headers: [
      ['Access-Control-Allow-Origin', '{origin}'],
      ['X-Custom', '1'],
    ],
  },
};
const wildcardCreds: CaseSpec = {
  id: 'wc',
  category: 'credentials',
  title: 't',
  spec: 's',
  request: { credentials: 'include' },
  response: {
    headers: [
      ['Access-Control-Allow-Origin', '*'],
      ['Access-Control-Allow-Credentials', 'true'],
    ],
  },
};

test('agreement on outcome, status, readable headers and wire passes', () => {
  const r = judge(observe(exact, [step('allowed', { headers: [['content-length', '3']] })]), chromium);
  expect(r.problems).toEqual([]);
  expect(r.verdict).toBe('pass');
});

test('a different outcome is a problem naming both', () => {
  const r = judge(observe(exact, [step('blocked', { browserReason: 'AllowOriginMismatch' })]), chromium);
  expect(r.verdict).toBe('fail');
  expect(r.problems[0]).toBe('expected allowed (allowed), the browser blocked it (AllowOriginMismatch)');
});

test('an extra readable header (scripted but not exposed) is a problem', () => {
  const r = judge(observe(exact, [step('allowed', { headers: [['x-custom', '1']] })]), chromium);
  expect(r.problems).toEqual(['expected readable headers [], the page could read [x-custom]']);
});

test('a wrong status is a problem', () => {
  const r = judge(observe(exact, [step('allowed', { status: 204 })]), chromium);
  expect(r.problems).toEqual(['expected status 200, the page saw 204']);
});

test('a preflight the oracle did not predict makes the wire differ', () => {
  const wire = predictedWire(exact);
  wire.unshift({ ...wire[0]!, method: 'OPTIONS', preflight: true, acrm: 'GET' });
  const r = judge(observe(exact, [step('allowed')], wire), chromium);
  expect(r.problems).toHaveLength(1);
  expect(r.problems[0]).toMatch(
    /^the wire differs: expected \[GET hop0 Origin=http:\/\/app\.localhost:41000\], the server saw \[preflight OPTIONS hop0/,
  );
});

test("Chromium's reason must agree with the oracle's where its name is known", () => {
  const agree = judge(observe(wildcardCreds, [step('blocked', { browserReason: 'WildcardOriginNotAllowed' })]), chromium);
  expect(agree.problems).toEqual([]);
  expect(agree.steps[0]!.observed.browserReasonCode).toBe('allow-origin-wildcard-with-credentials');
  const disagree = judge(observe(wildcardCreds, [step('blocked', { browserReason: 'InvalidAllowCredentials' })]), chromium);
  expect(disagree.problems).toEqual([
    'blocked for another reason: the Fetch Standard says allow-origin-wildcard-with-credentials, Chromium says InvalidAllowCredentials',
  ]);
  const unknown = judge(observe(wildcardCreds, [step('blocked', { browserReason: 'net::ERR_FAILED' })]), chromium);
  expect(unknown.problems).toEqual([]);
});

test('a known deviation is judged against its quirk and shown as a deviation', () => {
  const spec: CaseSpec = {
    id: 'authorization-not-covered-by-wildcard',
    category: 'request-headers',
    title: 't',
    spec: 's',
    request: { headers: [['Authorization', 'Bearer t']] },
    preflight: {
      status: 204,
      headers: [
        ['Access-Control-Allow-Origin', '{origin}'],
        ['Access-Control-Allow-Headers', '*'],
      ],
    },
    response: { headers: [['Access-Control-Allow-Origin', '{origin}']] },
  };
  const m = materialize(spec, plan, 'tok');
  const quirked = predictCase(m, 'chromium', ['authorization-covered-by-wildcard']);
  const wire = caseWire(m, quirked).map((w) => ({ ...w, cookie: null, token: 'tok', host: '', path: '', headers: {} }));
  const asBrowserDoes = judge({ case: m, steps: [step('allowed')], wire }, chromium);
  expect(asBrowserDoes.verdict).toBe('deviation');
  expect(asBrowserDoes.deviation?.section).toMatch(/#cors-preflight-fetch step 7\.6/);
  expect(asBrowserDoes.steps[0]!.expected.outcome).toBe('blocked');

  // The browser follows the standard after all: the deviation is gone, and that fails the case.
  const standardWire = predictedWire(spec);
  const asStandard = judge(
    { case: m, steps: [step('blocked', { browserReason: 'HeaderDisallowedByPreflightResponse' })], wire: standardWire },
    chromium,
  );
  expect(asStandard.verdict).toBe('fail');
  expect(asStandard.problems[0]).toMatch(/the known deviation is gone: chromium now follows the Fetch Standard/);
});
