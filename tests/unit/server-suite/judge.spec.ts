/**
 * The server suite's judge on hand-made observations: a deliberately broken server (its wire
 * perturbed the way CORS_CONFORM_BREAK perturbs a real one) must fail with the server, policy,
 * probe and reason named; a declared quirk must pass only while the framework still shows it.
 */
import { test, expect } from '@playwright/test';
import type { StepResult } from '../../../harness/browser/runner';
import { expectFor, probesFor, probeTestName, serializedOrigins, type PolicyCase } from '../../../harness/server-suite/model';
import { failureMessage, judgeServerProbe, type ServerObservation } from '../../../harness/server-suite/judge';
import { describePolicy } from '../../../servers/policy';
import type { ServerName } from '../../../servers/reference/common';
import type { WireEntry } from '../../../harness/core/wire';
import { POLICY_TABLE } from '../../servers/policies';

test.describe.configure({ mode: 'parallel' });

const PORT = 41000;
const APP = serializedOrigins(PORT).app;
const BROWSER = { name: 'chromium', version: 'test' };

function policyCase(id: string): PolicyCase {
  const c = POLICY_TABLE.find((p) => p.id === id);
  if (!c) throw new Error(`no policy ${id}`);
  return c;
}

/** One single-step probe as the suite would run it, with what the server sent and what the page saw. */
function observe(
  server: ServerName,
  policyId: string,
  probeBase: string,
  sent: Array<[string, string]>,
  seen: Partial<StepResult>,
): ServerObservation {
  const pc = policyCase(policyId);
  const policy = pc.policy(serializedOrigins(PORT));
  const probe = probesFor(policy).find((p) => p.base === probeBase)!;
  const s = probe.steps[0]!;
  const url = `http://${policyId}.${server}.localhost:5000${s.path}?cc=tok`;
  const step = {
    url,
    method: s.method,
    headers: s.headers,
    body: s.body,
    client: s.client,
    credentials: s.credentials,
    redirect: 'follow' as const,
    delayMs: 0,
    timeoutMs: 1000,
  };
  const credentialed = s.credentials === 'include';
  const wire: WireEntry[] = [
    {
      token: 'tok',
      hop: 0,
      method: s.method,
      host: new URL(url).host,
      path: `${s.path}?cc=tok`,
      preflight: false,
      origin: APP,
      acrm: null,
      acrh: null,
      cookie: credentialed ? 'cc_session=1' : null,
      headers: {},
      status: 200,
      responseHeaders: [...sent, ['X-Request-Id', 'tok'], ['Content-Type', 'text/plain']],
    },
  ];
  const result: StepResult = {
    outcome: 'allowed',
    status: 200,
    type: 'cors',
    headers: [['content-type', 'text/plain']],
    body: '',
    error: null,
    startedAt: 0,
    ms: 1,
    browserReason: null,
    ...seen,
  };
  return {
    server,
    policyCase: pc,
    policyText: describePolicy(policy),
    probe: {
      probe,
      token: 'tok',
      page: probe.page,
      pageUrl: `${APP}/__page`,
      pageOrigin: APP,
      hopUrls: [url],
      steps: [step],
      inputs: [
        {
          origin: APP,
          url,
          method: step.method,
          headers: step.headers,
          credentials: step.credentials,
          client: step.client,
          redirect: 'follow',
        },
      ],
      at: [0],
    },
    steps: [result],
    wire,
    expected: expectFor(server, pc, probe, PORT),
  };
}

const BLOCKED = { outcome: 'blocked' as const, status: null, type: null, headers: [], error: 'TypeError: Failed to fetch' };

test('a server that answers as the policy means passes', () => {
  const judged = judgeServerProbe(
    observe(
      'node-http',
      'single-origin',
      'app-origin-simple-get',
      [
        ['Access-Control-Allow-Origin', APP],
        ['Vary', 'Origin'],
      ],
      {},
    ),
    BROWSER,
  );
  expect(judged.record.problems).toEqual([]);
  expect(judged.record.verdict).toBe('pass');
  expect(judged.record.suite).toBe('servers');
  expect(judged.record.server).toBe('node-http');
  expect(judged.record.policy).toBe('single-origin');
  expect(judged.record.quirk).toBeNull();
});

test('a broken server (ACAO with a trailing slash) fails naming server, policy, probe and reason', () => {
  const obs = observe('node-http', 'single-origin', 'app-origin-simple-get', [['Access-Control-Allow-Origin', `${APP}/`]], {
    ...BLOCKED,
    browserReason: 'AllowOriginMismatch',
  });
  const judged = judgeServerProbe(obs, BROWSER);
  // The browser agrees with the Fetch Standard on what was sent; the policy's intent is broken.
  expect(judged.standard).toEqual([]);
  expect(judged.intent).toEqual([
    '[policy intent] the policy means allowed (admitted), the browser blocked it (AllowOriginMismatch); on the headers node-http sent the Fetch Standard says blocked (allow-origin-invalid)',
  ]);
  expect(judged.record.verdict).toBe('fail');
  const name = probeTestName(obs.probe.probe, obs.expected.expected);
  expect(name).toBe('app-origin-simple-get-is-allowed');
  expect(failureMessage(obs, name, 'intent')).toMatch(
    /^node-http › single-origin › app-origin-simple-get-is-allowed: the browser against the policy's intent \(policy \{"origin":"http:\/\/app\.localhost:41000","optionsSuccessStatus":200\}; a simple GET from the app page\)$/,
  );
});

test('a browser that reads what the Fetch Standard forbids fails the standard check', () => {
  const obs = observe('node-http', 'single-origin', 'app-origin-simple-get', [['Access-Control-Allow-Origin', `${APP}/`]], {});
  const judged = judgeServerProbe(obs, BROWSER);
  expect(judged.standard).toEqual([
    '[Fetch Standard] on the headers node-http sent, the Fetch Standard says blocked (allow-origin-invalid), the browser allowed it (status 200)',
  ]);
});

test('a declared quirk is expected, named in the record, and fails once the framework stops showing it', () => {
  const quirky = observe(
    'express-cors',
    'wildcard-with-credentials',
    'app-origin-credentialed-get',
    [
      ['Access-Control-Allow-Origin', '*'],
      ['Access-Control-Allow-Credentials', 'true'],
    ],
    { ...BLOCKED, browserReason: 'WildcardOriginNotAllowed' },
  );
  const judged = judgeServerProbe(quirky, BROWSER);
  expect(judged.record.problems).toEqual([]);
  expect(judged.record.quirk).toMatch(/^wildcard-with-credentials: origin '\*' with credentials: true goes out as/);
  expect(probeTestName(quirky.probe.probe, quirky.expected.expected)).toBe('app-origin-credentialed-get-is-blocked');
  expect(quirky.expected.intent.steps[0]!.outcome).toBe('allowed');

  // Had cors started reflecting the origin, the browser would allow it: the quirk is gone, and that fails.
  const fixed = observe(
    'express-cors',
    'wildcard-with-credentials',
    'app-origin-credentialed-get',
    [
      ['Access-Control-Allow-Origin', APP],
      ['Access-Control-Allow-Credentials', 'true'],
    ],
    {},
  );
  expect(judgeServerProbe(fixed, BROWSER).intent).toEqual([
    '[policy intent] the policy means blocked (credentialed requests are not admitted), the browser allowed it (status 200); on the headers express-cors sent the Fetch Standard says allowed (allowed)',
  ]);
});

test('the oracle is asked only about requests the server recorded; a missing one is named', () => {
  const obs = observe('fastify-cors', 'public-api', 'app-origin-preflighted-put', [['Access-Control-Allow-Origin', '*']], {});
  const judged = judgeServerProbe(obs, BROWSER);
  expect(judged.standard).toContain(
    "[Fetch Standard] the oracle needed the server's answer to preflight OPTIONS /data?cc=tok, which the browser never sent",
  );
});

test("Chromium's own reason must agree with the oracle's", () => {
  const agrees = observe(
    'node-http',
    'single-origin',
    'app-origin-simple-get',
    [
      ['Access-Control-Allow-Origin', '*'],
      ['Access-Control-Allow-Origin', APP],
    ],
    { ...BLOCKED, browserReason: 'MultipleAllowOriginValues' },
  );
  expect(judgeServerProbe(agrees, BROWSER).standard).toEqual([]);
  const disagrees = observe(
    'node-http',
    'single-origin',
    'app-origin-simple-get',
    [
      ['Access-Control-Allow-Origin', '*'],
      ['Access-Control-Allow-Origin', APP],
    ],
    { ...BLOCKED, browserReason: 'MissingAllowOriginHeader' },
  );
  expect(judgeServerProbe(disagrees, BROWSER).standard).toEqual([
    '[Fetch Standard] blocked for another reason: on the headers node-http sent the Fetch Standard says allow-origin-multiple-values, Chromium says MissingAllowOriginHeader',
  ]);
});
