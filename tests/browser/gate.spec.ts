/**
 * The in-page gate (harness/browser/in-page.ts), in the real browser: it bounds the requests in
 * flight on a page, a step that waits before it is sent (the preflight-cache cases) holds no slot
 * while it waits, and once it has waited it goes ahead of the requests still queued. The checks
 * read the order of the page's own timestamps, not durations, so a slow machine cannot fail them.
 * Tagged @harness: checks of the harness, not CORS cases, so the matrix leaves them out.
 */
import { suiteTest as test, expect } from '../../harness/fixtures';
import type { CaseSpec } from '../../harness/protocol/case';
import { ProbeSession } from '../../harness/browser/runner';
import { runCases, type ProtocolEnv } from '../../harness/protocol/run';
import { HARNESS_TAG } from '../../reports/collect';

const allowed = { headers: [['Access-Control-Allow-Origin', '{origin}']] as Array<[string, string]> };

/** Runs the cases with `concurrency` requests in flight per page, in a session of their own. */
async function runWithSlots(protocol: ProtocolEnv, concurrency: number, specs: CaseSpec[]) {
  const session = new ProbeSession(protocol.browser, { concurrency });
  try {
    const observed = await runCases({ ...protocol, session }, specs);
    return specs.map((s) => observed.get(s.id)!.steps);
  } finally {
    await session.close();
  }
}

test('one slot: requests never overlap, and a step waiting to be sent holds no slot', { tag: HARNESS_TAG }, async ({ protocol }) => {
  // Three cases of two requests 300 ms apart. Had the wait held the only slot, each case would
  // finish before the next began.
  const specs: CaseSpec[] = ['a', 'b', 'c'].map((x) => ({
    id: `gate-wait-${x}`,
    category: 'preflight-cache',
    title: 'two GETs 300 ms apart',
    spec: '#cors-preflight-cache',
    steps: [{}, { delayMs: 300 }],
    response: allowed,
  }));
  const steps = await runWithSlots(protocol, 1, specs);
  expect(steps.flat().map((s) => s.outcome)).toEqual(Array(6).fill('allowed'));
  const firsts = steps.map((s) => s[0]!.startedAt);
  const seconds = steps.map((s) => s[1]!.startedAt);
  expect(Math.max(...firsts), 'every first request is sent before any second one').toBeLessThan(Math.min(...seconds));
  const spans = steps
    .flat()
    .map((s) => [s.startedAt, s.startedAt + s.ms] as const)
    .sort((x, y) => x[0] - y[0]);
  for (let i = 1; i < spans.length; i++)
    expect(spans[i]![0], `request ${i} starts after request ${i - 1} ended`).toBeGreaterThanOrEqual(spans[i - 1]![1]);
});

test('one slot: a step that has waited goes ahead of the requests still queued', { tag: HARNESS_TAG }, async ({ protocol }) => {
  // One case waits 50 ms between its two GETs while 200 single-GET cases queue behind its first;
  // one at a time they take far longer than 50 ms, so the waited step must not go last.
  const waiting: CaseSpec = {
    id: 'gate-urgent',
    category: 'preflight-cache',
    title: 'two GETs 50 ms apart',
    spec: '#cors-preflight-cache',
    steps: [{}, { delayMs: 50 }],
    response: allowed,
  };
  const queued: CaseSpec[] = Array.from({ length: 200 }, (_, i) => ({
    id: `gate-queued-${i}`,
    category: 'allow-origin',
    title: 'a GET',
    spec: '#cors-check',
    response: allowed,
  }));
  const [urgent, ...rest] = await runWithSlots(protocol, 1, [waiting, ...queued]);
  const lastQueued = Math.max(...rest.map((s) => s[0]!.startedAt));
  expect(urgent![1]!.startedAt, 'the waited step is sent before the last queued request').toBeLessThan(lastQueued);
});
