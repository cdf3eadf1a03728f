/**
 * --expect: each probe carries what the user means to allow, and the verdict follows it.
 */
import { APP } from './servers';
import { expect, test } from './fixtures';

const SERVER = { policy: { origin: APP, credentials: true, exposedHeaders: ['X-Request-Id'] } };

test('credentials that work although the expect file says they should not: expectations not met', async ({ verifyEnv }) => {
  const { run } = await verifyEnv.verify(SERVER, { expect: { allow: [{ origin: APP, credentials: false }] } });
  const report = run.reports[0]!;
  const unmet = report.probes.filter((p) => !p.met);
  expect(unmet.length).toBeGreaterThan(0);
  expect(unmet.every((p) => p.probe.credentials && p.probe.expected === 'blocked' && p.outcome === 'allowed')).toBe(true);
  expect(run.verdict).toBe('fail');
});

test('the same server meets an expect file that allows credentials, with the readable header', async ({ verifyEnv }) => {
  const { run } = await verifyEnv.verify(SERVER, {
    expect: { allow: [{ origin: APP, credentials: true, readableHeaders: ['X-Request-Id'] }] },
  });
  const read = run.reports[0]!.probes.filter((p) => p.probe.shape === 'read-headers');
  expect(read.map((p) => [p.outcome, p.reason])).toEqual([
    ['allowed', 'allowed'],
    ['allowed', 'allowed'],
  ]);
  expect(run.verdict).toBe('pass');
});

test('a readable header the server does not expose fails the read probe', async ({ verifyEnv }) => {
  const { run } = await verifyEnv.verify(SERVER, {
    expect: { allow: [{ origin: APP, credentials: true, readableHeaders: ['X-Total-Count'] }] },
  });
  const read = run.reports[0]!.probes.filter((p) => p.probe.shape === 'read-headers');
  expect(read.every((p) => p.outcome === 'blocked' && p.reason === 'header-not-exposed: x-total-count' && !p.met)).toBe(true);
  expect(run.reports[0]!.findings.map((f) => f.id)).toContain('allowed-origin-blocked');
  expect(run.verdict).toBe('fail');
});

test('a public API: Access-Control-Allow-Origin * is not a finding, and {public: true} says it is meant', async ({ verifyEnv }) => {
  const star = { policy: { origin: '*' } } as const;
  const strict = await verifyEnv.verify(star);
  expect(strict.run.reports[0]!.findings).toEqual([]);
  expect(strict.run.reports[0]!.probes.filter((p) => !p.met).every((p) => p.probe.role === 'attacker' && !p.probe.credentials)).toBe(true);
  expect(strict.run.verdict).toBe('fail');
  const meant = await verifyEnv.verify(star, { expect: { allow: [{ origin: APP }], public: true } });
  expect(meant.run.verdict).toBe('pass');
});

test('a sub-domain pattern in the expect file makes trusting sub-domains the intent, not a finding', async ({ verifyEnv }) => {
  const server = { policy: { origin: /^https:\/\/([a-z0-9-]+\.)*app\.example\.com$/, credentials: true } };
  const { run } = await verifyEnv.verify(server, {
    expect: {
      allow: [
        { origin: APP, credentials: true },
        { origin: 'https://*.app.example.com', credentials: true },
      ],
    },
  });
  const sub = run.reports[0]!.probes.filter((p) => p.probe.kind === 'subdomain');
  expect(sub.map((p) => [p.probe.expected, p.outcome])).toEqual([
    ['allowed', 'allowed'],
    ['allowed', 'allowed'],
  ]);
  expect(run.reports[0]!.findings.map((f) => f.id)).not.toContain('trusts-any-subdomain');
  expect(run.verdict).toBe('pass');
});

test('a denied origin the server lets in', async ({ verifyEnv }) => {
  const { run } = await verifyEnv.verify(
    { policy: { origin: [APP, 'https://old.example.com'], credentials: true } },
    { expect: { allow: [{ origin: APP, credentials: true }], deny: ['https://old.example.com'] } },
  );
  const denied = run.reports[0]!.probes.filter((p) => p.probe.role === 'denied');
  expect(denied.map((p) => [p.probe.expected, p.outcome, p.met])).toEqual([
    ['blocked', 'allowed', false],
    ['blocked', 'allowed', false],
  ]);
  expect(run.verdict).toBe('fail');
});
