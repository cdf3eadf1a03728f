/**
 * The probe runner's two dependencies on browser instrumentation (harness/probe/quiet.ts,
 * browser-reasons.ts), checked in the real browser so a Playwright or browser upgrade that moves
 * them fails here instead of silently costing speed or dropping Chromium's reasons:
 *   – Chromium names its own reason for every CORS block of a batch (the judge checks a reason
 *     only when one came, so a capture that broke would otherwise pass unnoticed);
 *   – probing pages run without Playwright's per-request network events where the suite does not
 *     need them (Firefox always; Chromium when no reasons are collected).
 * Tagged @harness: checks of the harness, not CORS cases, so the matrix leaves them out.
 */
import { test, expect } from '../../harness/fixtures';
import type { CaseSpec } from '../../harness/case';
import { runCases } from '../../harness/run-cases';
import { HARNESS_TAG } from '../../reports/collect';

const ACAO = 'Access-Control-Allow-Origin';

/** Blocked cases with the Chromium corsError each must produce (Fetch Standard §4.10, §4.8). */
const BLOCKED: Array<{ spec: CaseSpec; chromium: string }> = [
  {
    chromium: 'WildcardOriginNotAllowed',
    spec: { id: 'wildcard-with-credentials', category: 'credentials', title: '* with credentials', spec: '§4.10', request: { credentials: 'include' }, response: { headers: [[ACAO, '*']] } },
  },
  {
    chromium: 'MissingAllowOriginHeader',
    spec: { id: 'no-allow-origin', category: 'allow-origin', title: 'no ACAO', spec: '§4.10', response: { headers: [] } },
  },
  {
    chromium: 'PreflightInvalidStatus',
    spec: {
      id: 'preflight-500',
      category: 'preflight',
      title: 'preflight answered 500',
      spec: '§4.8',
      request: { method: 'PUT' },
      preflight: { status: 500, headers: [[ACAO, '{origin}'], ['Access-Control-Allow-Methods', 'PUT']] },
      response: { headers: [[ACAO, '{origin}']] },
    },
  },
];

test('every CORS block in a batch comes with the browser’s own reason in Chromium, none in Firefox', { tag: HARNESS_TAG }, async ({ protocol }) => {
  const observed = await runCases(protocol, BLOCKED.map((b) => b.spec));
  const reasons = BLOCKED.map((b) => ({ id: b.spec.id, outcome: observed.get(b.spec.id)?.steps[0]?.outcome, reason: observed.get(b.spec.id)?.steps[0]?.browserReason }));
  const want = BLOCKED.map((b) => ({ id: b.spec.id, outcome: 'blocked', reason: protocol.browser.kind === 'chromium' ? b.chromium : null }));
  expect(reasons).toEqual(want);
});

test('probing pages run without Playwright’s network events unless Chromium’s reasons need them', { tag: HARNESS_TAG }, async ({ protocol }) => {
  const url = protocol.plan.pageUrl('app');
  const quiet = await protocol.browser.newProbingPage({ browserReasons: false });
  const withReasons = await protocol.browser.newProbingPage({ browserReasons: true });
  try {
    // page.goto's Response is built from those events: null shows they are really off.
    const quietResponse = await quiet.page.goto(url);
    const reasonsResponse = await withReasons.page.goto(url);
    const firefox = protocol.browser.kind === 'firefox';
    expect({ quiet: quiet.quiet, gotoResponse: quietResponse === null }).toEqual({ quiet: true, gotoResponse: true });
    expect({ quiet: withReasons.quiet, gotoResponse: reasonsResponse === null }).toEqual({ quiet: firefox, gotoResponse: firefox });
  } finally {
    await quiet.page.close();
    await withReasons.page.close();
  }
});
