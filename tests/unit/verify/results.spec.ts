/**
 * From what a page saw to a probe result (harness/verify/results.ts): a failure on the network is
 * the outcome `error`, never a CORS block; a verdict needs evidence. Pure, no browser.
 */
import { test, expect } from '@playwright/test';
import type { PageObservation } from '../../../harness/verify/browser-run';
import type { WireEvent } from '../../../harness/browser/proxy';
import { isMet, networkFailure, resolveReadHeaders, toResult } from '../../../harness/verify/results';
import { buildPlan } from '../../../harness/verify/plan';
import { resolveExpectations } from '../../../harness/verify/expect-file';
import { APP, policyServer, simulate, TARGET } from './helpers';

const event = (end: WireEvent['end'], status: number | null): WireEvent => ({
  method: 'GET',
  preflight: false,
  url: TARGET,
  requestHeaders: [],
  responseHeaders: [],
  status,
  end,
  detail: end === 'network-error' ? 'the connection ended before the body did' : 'no complete answer',
});
const blocked = (
  wire: WireEvent[],
  browserReason: string | null = null,
): Pick<PageObservation, 'wire' | 'pageError' | 'browserReason'> => ({ wire, pageError: 'TypeError: Failed to fetch', browserReason });
const oracle = (outcome: 'allowed' | 'blocked') => ({
  outcome,
  reason: outcome === 'allowed' ? 'allowed' : 'allow-origin-missing',
  preflight: false,
});

test('a block with nothing wrong on the wire is CORS; a failure before the headers is the network', () => {
  expect(networkFailure(blocked([event('complete', 200)]), oracle('blocked'))).toBeNull();
  expect(networkFailure(blocked([event('network-error', null)]), oracle('allowed'))).toBe(
    'network-error: the connection ended before the body did',
  );
  expect(networkFailure(blocked([event('timeout', null)]), null)).toBe('timeout');
  expect(networkFailure({ wire: [], pageError: 'timeout', browserReason: null }, null)).toBe('timeout');
});

test('after the headers, the CORS check decided: a failure counts only where the headers pass it', () => {
  // Firefox (no browser reasons): the oracle on the recorded headers decides.
  expect(networkFailure(blocked([event('timeout', 200)]), oracle('blocked'))).toBeNull();
  expect(networkFailure(blocked([event('timeout', 200)]), oracle('allowed'))).toBe('timeout');
  // A block Chromium explains is CORS's, whatever happened to the body afterwards.
  expect(networkFailure(blocked([event('network-error', 200)], 'MissingAllowOriginHeader'), oracle('allowed'))).toBeNull();
});

test('toResult: a network failure is the outcome error, never met, and never a finding', () => {
  const plan = buildPlan({
    targetUrl: TARGET,
    expectations: resolveExpectations(null, { origins: [APP], credentials: false }),
    methods: [],
    headers: [],
  });
  const probe = plan.probes.find((p) => p.role === 'allowed' && p.method === 'GET' && !p.credentials && p.client === 'xhr')!;
  const obs: PageObservation = {
    outcome: 'blocked',
    status: null,
    headers: [],
    browserReason: null,
    pageError: 'xhr error',
    notRun: null,
    wire: [event('network-error', null)],
  };
  const r = toResult(probe, `${TARGET}?_cors_conform=x`, obs, null);
  expect([r.outcome, r.reason, r.met]).toEqual(['error', 'network-error: the connection ended before the body did', false]);
});

test('not run meets an expectation only where the plan chose it or an attacker origin was refused', () => {
  const plan = buildPlan({
    targetUrl: TARGET,
    expectations: resolveExpectations({ allow: [{ origin: APP, readableHeaders: [] }] }, { origins: [], credentials: false }),
    methods: [],
    headers: [],
  });
  const named = plan.probes.find((p) => p.role === 'allowed' && p.skip === null)!;
  const nothingToRead = resolveReadHeaders(plan.probes, { actual: () => null, preflight: () => null, all: () => [] }).find(
    (p) => p.shape === 'read-headers',
  )!;
  const attacker = plan.probes.find((p) => p.role === 'attacker')!;
  expect(nothingToRead.skip).toMatch(/lists no readable headers/);
  expect([isMet(named, 'not-run'), isMet(nothingToRead, 'not-run'), isMet(attacker, 'not-run')]).toEqual([false, true, true]);
  expect([isMet(named, 'error'), isMet(attacker, 'error')]).toEqual([false, false]);
});

test('a page the browser would not open on the origin the user named fails the verdict', () => {
  const server = policyServer((o) => o === APP);
  expect(simulate(server).run.verdict).toBe('pass');
  const { run, report } = simulate(server, { refuse: [APP] });
  expect(report.probes.filter((p) => p.probe.page.origin === APP && p.outcome === 'not-run' && !p.met).length).toBeGreaterThan(0);
  expect(run.verdict).toBe('fail');
});

test('a header the server lists in Access-Control-Expose-Headers but does not send is not read, and says so', () => {
  // A shared middleware exposing X-Trace-Id on every route; this route never sends it.
  const lists = policyServer((o) => o === APP, { exposed: ['X-Trace-Id'] });
  const { report, run } = simulate(lists);
  const read = report.probes.filter((p) => p.probe.shape === 'read-headers');
  expect(read.length).toBeGreaterThan(0);
  expect(read.every((p) => p.outcome === 'not-run' && p.met && /lists x-trace-id .* does not carry it/.test(p.reason))).toBe(true);
  expect(run.verdict).toBe('pass');
  // Listed and sent: read as before.
  const sends = simulate(
    policyServer((o) => o === APP, { credentials: true, exposed: ['X-Trace-Id', 'X-Request-Id'] }),
    {
      credentials: true,
    },
  ).report;
  expect(sends.probes.filter((p) => p.probe.shape === 'read-headers').map((p) => [p.probe.readHeaders, p.outcome])).toEqual([
    [['x-request-id'], 'allowed'],
    [['x-request-id'], 'allowed'],
  ]);
});

test('a readable header the expect file names but the response lacks: header-not-sent, not header-not-exposed', () => {
  const server = policyServer((o) => o === APP, { exposed: ['X-Request-Id'] });
  const missing = simulate(server, { expect: { allow: [{ origin: APP, readableHeaders: ['X-Total-Count'] }] } });
  const read = missing.report.probes.filter((p) => p.probe.shape === 'read-headers');
  expect(read.map((p) => [p.outcome, p.reason, p.met])).toContainEqual(['blocked', 'header-not-sent: x-total-count', false]);
  const unexposed = simulate(
    policyServer((o) => o === APP),
    { expect: { allow: [{ origin: APP, readableHeaders: ['X-Request-Id'] }] } },
  );
  expect(unexposed.report.probes.filter((p) => p.probe.shape === 'read-headers').map((p) => p.reason)).toContain(
    'header-not-exposed: x-request-id',
  );
});
