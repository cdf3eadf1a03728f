/**
 * Findings without a browser (harness/verify/findings.ts): results from the oracle standing in for
 * a standards-conforming browser, against scripted servers. The browser suite (tests/verify) runs
 * the same ids in real browsers.
 */
import { test, expect } from '@playwright/test';
import { FINDING_IDS, type FindingId } from '../../../harness/verify/types';
import { FIXED_SEVERITY, TRUST_SEVERITY } from '../../../harness/verify/findings';
import { APP, policyServer, simulate, type Server } from './helpers';

const ids = (server: Server, options = {}) => simulate(server, { credentials: true, ...options }).report.findings.map((f) => f.id);
const exactApp = (o: string) => o === APP;

const CASES: Array<{ id: FindingId; trigger: Server; twin: Server; options?: object }> = [
  { id: 'reflects-any-origin', trigger: policyServer(() => true), twin: policyServer(exactApp), options: { credentials: false } },
  { id: 'reflects-any-origin-with-credentials', trigger: policyServer(() => true, { credentials: true }), twin: policyServer(() => true) },
  {
    id: 'trusts-null-origin',
    trigger: policyServer((o) => o === APP || o === 'null', { credentials: true }),
    twin: policyServer(exactApp, { credentials: true }),
  },
  {
    id: 'trusts-prefix-lookalike',
    trigger: policyServer((o) => o.startsWith(APP), { credentials: true }),
    twin: policyServer(exactApp, { credentials: true }),
  },
  {
    id: 'trusts-suffix-lookalike',
    trigger: policyServer((o) => o.endsWith('app.example.com'), { credentials: true }),
    twin: policyServer(exactApp, { credentials: true }),
  },
  {
    id: 'trusts-unescaped-dot',
    trigger: policyServer((o) => /^https:\/\/app.example.com$/.test(o), { credentials: true }),
    twin: policyServer(exactApp, { credentials: true }),
  },
  {
    id: 'trusts-any-subdomain',
    trigger: policyServer((o) => /^https:\/\/([a-z]+\.)*app\.example\.com$/.test(o), { credentials: true }),
    twin: policyServer(exactApp, { credentials: true }),
  },
  {
    id: 'trusts-http-origin',
    trigger: policyServer((o) => /^https?:\/\/app\.example\.com$/.test(o), { credentials: true }),
    twin: policyServer(exactApp, { credentials: true }),
  },
  {
    id: 'wildcard-with-credentials',
    trigger: () => ({
      status: 200,
      headers: [
        ['Access-Control-Allow-Origin', '*'],
        ['Access-Control-Allow-Credentials', 'true'],
      ],
    }),
    twin: () => ({ status: 200, headers: [['Access-Control-Allow-Origin', '*']] }),
    options: { credentials: false },
  },
  {
    id: 'missing-vary-origin',
    trigger: policyServer(exactApp, { vary: false }),
    twin: policyServer(exactApp),
    options: { credentials: false },
  },
  {
    id: 'invalid-allow-origin',
    trigger: policyServer(exactApp, { value: (o) => `${o}/` }),
    twin: policyServer(exactApp),
    options: { credentials: false },
  },
  {
    id: 'preflight-failed',
    trigger: policyServer(exactApp, { credentials: true, methods: ['GET'] }),
    twin: policyServer(exactApp, { credentials: true }),
    options: { methods: ['PUT'] },
  },
  {
    id: 'allowed-origin-blocked',
    trigger: policyServer((o) => o === 'https://other.example.com', { credentials: true }),
    twin: policyServer(exactApp, { credentials: true }),
  },
];

test('every id is covered here', () => {
  expect(CASES.map((c) => c.id).sort()).toEqual([...FINDING_IDS].sort());
});

for (const c of CASES) {
  test(`${c.id}: found on the trigger, not on the twin`, () => {
    expect(ids(c.trigger, c.options)).toContain(c.id);
    expect(ids(c.twin, c.options)).not.toContain(c.id);
  });
}

test('severities: credentialed trust of an attacker origin is critical (high for sub-domains and http), without credentials medium or low', () => {
  expect(Object.fromEntries(Object.entries(TRUST_SEVERITY).map(([k, v]) => [k, [v.id, v.credentials, v.plain]]))).toEqual({
    unrelated: ['reflects-any-origin', 'critical', 'medium'],
    null: ['trusts-null-origin', 'critical', 'medium'],
    'prefix-lookalike': ['trusts-prefix-lookalike', 'critical', 'medium'],
    'special-character': ['trusts-prefix-lookalike', 'critical', 'medium'],
    'suffix-lookalike': ['trusts-suffix-lookalike', 'critical', 'medium'],
    'unescaped-dot': ['trusts-unescaped-dot', 'critical', 'medium'],
    subdomain: ['trusts-any-subdomain', 'high', 'low'],
    'http-twin': ['trusts-http-origin', 'high', 'low'],
  });
  expect(FIXED_SEVERITY).toEqual({
    'reflects-any-origin-with-credentials': 'critical',
    'wildcard-with-credentials': 'medium',
    'missing-vary-origin': 'low',
    'invalid-allow-origin': 'medium',
    'preflight-failed': 'high',
    'allowed-origin-blocked': 'high',
  });
  const { report } = simulate(
    policyServer((o) => o === APP || o === 'null', { credentials: true }),
    { credentials: true },
  );
  expect(report.findings.find((f) => f.id === 'trusts-null-origin')!.severity).toBe('critical');
  const plain = simulate(
    policyServer((o) => o === APP || o === 'null'),
    { credentials: false },
  ).report;
  expect(plain.findings.find((f) => f.id === 'trusts-null-origin')!.severity).toBe('medium');
});

test('reflecting any origin folds the lookalikes into one finding, with the origins it also trusted', () => {
  const { report } = simulate(
    policyServer(() => true, { credentials: true }),
    { credentials: true },
  );
  expect(report.findings.map((f) => f.id)).toEqual(['reflects-any-origin-with-credentials']);
  const f = report.findings[0]!;
  expect(f.origin).toBe('https://evil-example.test');
  expect(f.evidence.alsoTrusted).toEqual(
    expect.arrayContaining([
      'null',
      'https://app.example.com.evil-example.test',
      'https://evilapp.example.com',
      'https://appxexample.com',
      'https://evil.app.example.com',
      'http://app.example.com',
    ]),
  );
});

test('variants of one mistake (both special characters) are one finding', () => {
  const { report } = simulate(
    policyServer((o) => /^https:\/\/app\.example\.com[^.a-z0-9-]/.test(o), { credentials: true }),
    { credentials: true },
  );
  const prefix = report.findings.filter((f) => f.id === 'trusts-prefix-lookalike');
  expect(prefix).toHaveLength(1);
  expect([prefix[0]!.origin, ...(prefix[0]!.evidence.alsoTrusted ?? [])].sort()).toEqual([
    'https://app.example.com_.evil-example.test',
    'https://app.example.com`.evil-example.test',
  ]);
});

test('origin trust needs the browser: a page that did not run is no finding', () => {
  const { report } = simulate(
    policyServer((o) => o === APP || o === 'null', { credentials: true }),
    { credentials: true, refuse: ['null'] },
  );
  expect(report.findings.map((f) => f.id)).not.toContain('trusts-null-origin');
  const evidence = simulate(
    policyServer((o) => o === APP || o === 'null', { credentials: true }),
    { credentials: true },
  ).report.findings[0]!.evidence;
  expect(evidence).toMatchObject({
    level: 'browser',
    browser: { name: 'chromium', outcome: 'allowed' },
    reason: { source: 'oracle', code: 'allowed' },
  });
  expect(evidence.request!.headers).toEqual({ origin: 'null' });
  expect(evidence.response!.headers).toContainEqual(['Access-Control-Allow-Origin', 'null']);
});

test('Access-Control-Allow-Origin: * without credentials is a public API, not a finding; the expectations decide', () => {
  const { report } = simulate(() => ({ status: 200, headers: [['Access-Control-Allow-Origin', '*']] }));
  expect(report.findings).toEqual([]);
  expect(report.verdict).toBe('fail');
  expect(
    simulate(() => ({ status: 200, headers: [['Access-Control-Allow-Origin', '*']] }), {
      expect: { allow: [{ origin: APP }], public: true },
    }).report.verdict,
  ).toBe('pass');
});

test('header-level findings say so, with the raw response', () => {
  const { report } = simulate(() => ({ status: 200, headers: [['Access-Control-Allow-Origin', 'https://a.example, https://b.example']] }));
  const f = report.findings.find((x) => x.id === 'invalid-allow-origin')!;
  expect(f.evidence.level).toBe('header');
  expect(f.evidence.summary).toMatch(
    /^header-level: Access-Control-Allow-Origin: https:\/\/a\.example, https:\/\/b\.example is not \*, null or one serialized origin/,
  );
  const twice = simulate(() => ({
    status: 200,
    headers: [
      ['Access-Control-Allow-Origin', APP],
      ['Access-Control-Allow-Origin', APP],
    ],
  })).report;
  expect(twice.findings.find((x) => x.id === 'invalid-allow-origin')!.evidence.summary).toMatch(/2 Access-Control-Allow-Origin headers/);
});

test('a missing Vary: Origin needs an Allow-Origin that changes with the Origin', () => {
  // The same Allow-Origin for every request origin: nothing for a cache to mix up.
  expect(ids(() => ({ status: 200, headers: [['Access-Control-Allow-Origin', APP]] }), { credentials: false })).not.toContain(
    'missing-vary-origin',
  );
  expect(ids(policyServer(exactApp, { vary: false }), { credentials: false })).toContain('missing-vary-origin');
});

test('the verdict follows --fail-on', () => {
  const server = policyServer(exactApp, { vary: false });
  expect(simulate(server).report.verdict).toBe('pass');
  expect(simulate(server, { failOn: 'low' }).report.verdict).toBe('fail');
});

test('every finding carries a fix for each stack, naming the allowed origins', () => {
  const { report } = simulate(
    policyServer(() => true, { credentials: true }),
    { credentials: true },
  );
  const fix = report.findings[0]!.fix;
  for (const text of [fix.express, fix.fastify, fix.php, fix.aspnet]) expect(text).toContain(APP);
  expect(fix.express).toContain("cors({ origin: ['https://app.example.com'], credentials: true })");
  expect(fix.aspnet).toContain('WithOrigins("https://app.example.com").AllowCredentials()');
});
