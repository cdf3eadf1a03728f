/**
 * Every finding id against a server that makes the mistake and a near-twin that does not, in a
 * real browser whose pages live on the claimed and attacker origins. Origin-trust findings must be
 * browser-confirmed; header-level ones must say so.
 */
import { SCENARIOS } from './scenarios';
import { expect, test } from './fixtures';
import { FINDING_IDS, atLeast } from '../../harness/verify';

const HEADER_LEVEL = new Set(['wildcard-with-credentials', 'missing-vary-origin', 'invalid-allow-origin']);

test('every finding id has a scenario', () => {
  expect([...new Set(SCENARIOS.map((s) => s.finding))].sort()).toEqual([...FINDING_IDS].sort());
});

for (const s of SCENARIOS) {
  // Origin hosting works in every engine, so every scenario runs in Firefox and WebKit too (@every-engine).
  test.describe(s.name ?? s.finding, { tag: ['@every-engine'] }, () => {
    test(`found on a server that makes the mistake`, async ({ verifyEnv }) => {
      const { run, server } = await verifyEnv.verify(s.trigger, { credentials: s.credentials, methods: s.methods });
      if (s.needsCookie) {
        // The credentialed requests carried the run's cookie, in the browser and from Node; no
        // preflight ever does (Fetch #cors-preflight-fetch).
        const credentialed = server.seen.filter((r) => r.cookie !== null);
        expect(credentialed.length).toBeGreaterThan(0);
        expect(credentialed.every((r) => r.method !== 'OPTIONS')).toBe(true);
        expect(credentialed.map((r) => r.cookie)).toContain('cors_conform_session=1');
      }
      const report = run.reports[0]!;
      expect(report.notRun).toBeNull();
      const found = report.findings.filter((f) => f.id === s.finding);
      expect(
        found.map((f) => f.id),
        JSON.stringify(report.findings.map((f) => [f.id, f.origin])),
      ).toContain(s.finding);
      for (const f of found) {
        expect(f.fix.express.length * f.fix.fastify.length * f.fix.php.length * f.fix.aspnet.length).toBeGreaterThan(0);
        if (HEADER_LEVEL.has(f.id)) {
          expect(f.evidence.level).toBe('header');
          expect(f.evidence.summary).toMatch(/^header-level: /);
          expect(f.evidence.response).not.toBeNull();
        } else {
          // Confirmed by the browser: it read (or failed to read) the response from that origin.
          expect(f.evidence.level).toBe('browser');
          expect(f.evidence.browser?.name).toBe(verifyEnv.kind);
          expect(f.evidence.probes.length).toBeGreaterThan(0);
          expect(f.evidence.reason).not.toBeNull();
          const probes = report.probes.filter((p) => f.evidence.probes.includes(p.probe.id));
          const want = f.id === 'preflight-failed' || f.id === 'allowed-origin-blocked' ? 'blocked' : 'allowed';
          expect(probes.every((p) => p.outcome === want)).toBe(true);
        }
      }
      // The verdict follows --fail-on (default high) and the expectations.
      const failing = report.findings.some((f) => atLeast(f.severity, 'high')) || report.probes.some((p) => !p.met);
      expect(run.verdict).toBe(failing ? 'fail' : 'pass');
    });

    test(`not found on its near-twin (${s.twinDiffers})`, async ({ verifyEnv }) => {
      const { run } = await verifyEnv.verify(s.twin, { credentials: s.credentials, methods: s.methods });
      const report = run.reports[0]!;
      expect(report.notRun).toBeNull();
      expect(report.findings.map((f) => f.id)).not.toContain(s.finding);
    });
  });
}
