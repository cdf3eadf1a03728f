/**
 * The probe runner's two dependencies on browser instrumentation (harness/browser/quiet.ts,
 * reasons.ts), checked in the real browser so a Playwright or browser upgrade that moves
 * them fails here instead of silently costing speed or dropping Chromium's reasons:
 *   – Chromium names its own reason for every CORS block of a batch, read from its console
 *     message (the judge checks a reason only when one came, so a capture that broke – or a
 *     reworded message – would otherwise pass unnoticed): fetch and XHR, a redirected request, a
 *     sentence Chromium shares between a response error and its preflight twin;
 *   – probing pages run without Playwright's per-request network events.
 * Tagged @harness: checks of the harness, not CORS cases, so the matrix leaves them out.
 */
import { suiteTest as test, expect } from '../../harness/fixtures';
import type { CaseSpec } from '../../harness/protocol/case';
import { runCases } from '../../harness/protocol/run';
import { HARNESS_TAG } from '../../reports/collect';

const ACAO = 'Access-Control-Allow-Origin';

/** Blocked cases with the Chromium CorsError each must produce (Fetch Standard #cors-check, #cors-preflight-fetch). */
const BLOCKED: Array<{ spec: CaseSpec; chromium: string }> = [
  {
    chromium: 'WildcardOriginNotAllowed',
    spec: {
      id: 'wildcard-with-credentials',
      category: 'credentials',
      title: '* with credentials',
      spec: '#cors-check',
      request: { credentials: 'include' },
      response: { headers: [[ACAO, '*']] },
    },
  },
  {
    chromium: 'MissingAllowOriginHeader',
    spec: { id: 'no-allow-origin', category: 'allow-origin', title: 'no ACAO', spec: '#cors-check', response: { headers: [] } },
  },
  {
    chromium: 'WildcardOriginNotAllowed',
    spec: {
      id: 'xhr-wildcard-with-credentials',
      category: 'credentials',
      title: 'XHR withCredentials, *',
      spec: '#cors-check',
      request: { client: 'xhr', credentials: 'include' },
      response: { headers: [[ACAO, '*']] },
    },
  },
  {
    chromium: 'MissingAllowOriginHeader',
    spec: {
      id: 'redirect-target-without-allow-origin',
      category: 'redirects',
      title: 'the hop after a redirect has no ACAO',
      spec: '#cors-check',
      hops: [
        {
          response: {
            status: 302,
            headers: [
              [ACAO, '{origin}'],
              ['Location', '{hop1}'],
            ],
          },
        },
        { response: { headers: [] } },
      ],
    },
  },
  {
    chromium: 'PreflightAllowOriginMismatch',
    spec: {
      id: 'preflight-names-another-origin',
      category: 'preflight',
      title: 'preflight ACAO names another origin',
      spec: '#cors-preflight-fetch',
      request: { method: 'PUT' },
      preflight: {
        status: 204,
        headers: [
          [ACAO, '{evil}'],
          ['Access-Control-Allow-Methods', 'PUT'],
        ],
      },
      response: { headers: [[ACAO, '{origin}']] },
    },
  },
  {
    chromium: 'PreflightInvalidStatus',
    spec: {
      id: 'preflight-500',
      category: 'preflight',
      title: 'preflight answered 500',
      spec: '#cors-preflight-fetch',
      request: { method: 'PUT' },
      preflight: {
        status: 500,
        headers: [
          [ACAO, '{origin}'],
          ['Access-Control-Allow-Methods', 'PUT'],
        ],
      },
      response: { headers: [[ACAO, '{origin}']] },
    },
  },
];

test(
  'every CORS block in a batch comes with the browser’s own reason in Chromium, none in Firefox',
  { tag: HARNESS_TAG },
  async ({ protocol }) => {
    const observed = await runCases(
      protocol,
      BLOCKED.map((b) => b.spec),
    );
    const reasons = BLOCKED.map((b) => ({
      id: b.spec.id,
      outcome: observed.get(b.spec.id)?.steps[0]?.outcome,
      reason: observed.get(b.spec.id)?.steps[0]?.browserReason,
    }));
    const want = BLOCKED.map((b) => ({
      id: b.spec.id,
      outcome: 'blocked',
      reason: protocol.browser.kind === 'chromium' ? b.chromium : null,
    }));
    expect(reasons).toEqual(want);
  },
);

test('probing pages run without Playwright’s network events', { tag: HARNESS_TAG }, async ({ protocol }) => {
  const probing = await protocol.browser.newProbingPage();
  try {
    // page.goto's Response is built from those events: null shows they are really off.
    const response = await probing.page.goto(protocol.plan.pageUrl('app'));
    expect({ quiet: probing.quiet, gotoResponse: response === null }).toEqual({ quiet: true, gotoResponse: true });
  } finally {
    await probing.page.close();
  }
});
