/** The probe plan (harness/verify/plan.ts): what is sent, from where, expecting what. */
import { test, expect } from '@playwright/test';
import { resolveExpectations } from '../../../harness/verify/expect-file';
import { buildPlan } from '../../../harness/verify/plan';

const APP = 'https://app.example.com';
const TARGET = 'https://api.example.com/data';

const plan = (
  credentials: boolean,
  methods: string[] = [],
  headers: Array<[string, string]> = [],
  file: Parameters<typeof resolveExpectations>[0] = null,
) => buildPlan({ targetUrl: TARGET, expectations: resolveExpectations(file, { origins: [APP], credentials }), methods, headers });

test('per allowed origin: GET, HEAD, empty form POST, each named method and header, read-headers; fetch and XHR, with and without credentials', () => {
  const p = plan(true, ['PUT'], [['X-Api-Key', 'k']]);
  const mine = p.probes.filter((x) => x.role === 'allowed');
  expect(mine.map((x) => x.id)).toEqual([
    ...['GET', 'HEAD', 'POST'].flatMap((m) => ['fetch', 'fetch+credentials', 'xhr', 'xhr+credentials'].map((v) => `${APP} ${m} ${v}`)),
    ...['fetch', 'fetch+credentials', 'xhr', 'xhr+credentials'].map((v) => `${APP} PUT (preflighted) ${v}`),
    ...['fetch', 'fetch+credentials', 'xhr', 'xhr+credentials'].map((v) => `${APP} GET with X-Api-Key (preflighted) ${v}`),
    `${APP} GET read exposed headers fetch`,
    `${APP} GET read exposed headers fetch+credentials`,
  ]);
  expect(mine.every((x) => x.expected === 'allowed')).toBe(true);
  const post = mine.find((x) => x.method === 'POST')!;
  expect([post.headers, post.body]).toEqual([[['Content-Type', 'application/x-www-form-urlencoded']], '']);
});

test('attackers: GET with and without credentials, expected blocked; ids unique; pages listed once', () => {
  const p = plan(true);
  const attackers = p.probes.filter((x) => x.role === 'attacker');
  expect(attackers.length).toBe(18);
  expect(attackers.every((x) => x.method === 'GET' && x.client === 'fetch' && x.expected === 'blocked')).toBe(true);
  expect(new Set(p.probes.map((x) => x.id)).size).toBe(p.probes.length);
  expect(p.pages.map((x) => x.pageUrl)).toEqual([...new Set(p.probes.map((x) => x.page.pageUrl))]);
  expect(p.pages).toHaveLength(10);
});

test('safe by default: the browser sends GET, HEAD and POST unless a method is named; an expect-file method alone goes out as its preflight, from Node', () => {
  const sent = (p: ReturnType<typeof plan>) =>
    [...new Set(p.probes.filter((x) => !x.skip && x.via === 'browser').map((x) => x.method))].sort();
  expect(sent(plan(false))).toEqual(['GET', 'HEAD', 'POST']);
  expect(sent(plan(false, ['DELETE']))).toEqual(['DELETE', 'GET', 'HEAD', 'POST']);
  const fromFile = plan(false, [], [], { allow: [{ origin: APP, methods: ['PATCH'] }] });
  const patch = fromFile.probes.filter((x) => x.method === 'PATCH');
  expect(patch.map((x) => [x.id, x.via, x.skip])).toEqual([
    [`${APP} PATCH (preflight only, from Node)`, 'node-preflight', null],
    [`${APP} PATCH (preflight only, from Node) +credentials`, 'node-preflight', null],
  ]);
  expect(sent(fromFile)).toEqual(['GET', 'HEAD', 'POST']);
});

test('expectations: credentials only with --credentials; methods and headers not in the allow entry are expected blocked', () => {
  const noCreds = plan(false);
  expect(noCreds.probes.filter((x) => x.role === 'allowed' && x.credentials).every((x) => x.expected === 'blocked')).toBe(true);
  const p = plan(
    false,
    ['PUT', 'DELETE'],
    [
      ['X-Api-Key', 'k'],
      ['X-Other', 'o'],
    ],
    { allow: [{ origin: APP, credentials: true, methods: ['PUT'], requestHeaders: ['x-api-key'] }] },
  );
  const expected = (id: string) => p.probes.find((x) => x.id === id)!.expected;
  expect(expected(`${APP} PUT (preflighted) xhr+credentials`)).toBe('allowed');
  expect(expected(`${APP} DELETE (preflighted) fetch`)).toBe('blocked');
  expect(expected(`${APP} GET with X-Api-Key (preflighted) fetch`)).toBe('allowed');
  expect(expected(`${APP} GET with X-Other (preflighted) fetch`)).toBe('blocked');
  expect(p.probes.find((x) => x.id === `${APP} GET with X-Other (preflighted) fetch`)!.because).toBe(
    `request header X-Other is not in the allowed list for ${APP} (expect file)`,
  );
});

test('attacker origins that are allowed or denied origins are not probed twice; the target origin never', () => {
  const p = buildPlan({
    targetUrl: 'https://evil-example.test/api',
    expectations: resolveExpectations(null, { origins: [APP, 'http://app.example.com'], credentials: false }),
    methods: [],
    headers: [],
  });
  expect(p.probes.filter((x) => x.page.origin === 'http://app.example.com').every((x) => x.role === 'allowed')).toBe(true);
  expect(p.probes.some((x) => x.page.origin === 'https://evil-example.test')).toBe(false);
});

test('a public API: attackers without credentials are expected allowed', () => {
  const p = plan(false, [], [], { allow: [{ origin: APP }], public: true });
  const attackers = p.probes.filter((x) => x.role === 'attacker');
  expect(attackers.filter((x) => !x.credentials).every((x) => x.expected === 'allowed')).toBe(true);
  expect(attackers.filter((x) => x.credentials).every((x) => x.expected === 'blocked')).toBe(true);
});
