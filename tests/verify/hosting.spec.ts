/**
 * Pages truly live on their claimed origins, even loopback names: a page claimed on
 * http://localhost:<port> (or a *.localhost name) is served by the local page host, never by
 * whatever listens on that port – Chromium applies its host-resolver rules to loopback names, and
 * Firefox sends them to the proxy once network.proxy.allow_hijacking_localhost is set.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { APP, startServer } from './servers';
import { expect, test } from './fixtures';
import { listenLoopback } from '../../harness/core/listen';
import { resolveExpectations, verifyTarget } from '../../harness/verify';

test.describe('loopback claimed origins', { tag: '@every-engine' }, () => {
  for (const host of ['localhost', 'app.localhost']) {
    test(`a page claimed on http://${host}:<port> is ours, not the port's owner`, async ({ verifyEnv }) => {
      test.slow();
      const decoyHits: string[] = [];
      const decoy = http.createServer((req, res) => {
        decoyHits.push(`${req.method} ${req.url}`);
        res.end('decoy');
      });
      await listenLoopback(decoy);
      const claimed = `http://${host}:${(decoy.address() as AddressInfo).port}`;
      const target = await startServer({ policy: { origin: claimed } });
      try {
        const run = await verifyTarget({
          targetUrl: target.url,
          expectations: resolveExpectations(null, { origins: [claimed], credentials: false }),
          methods: [],
          headers: [],
          browsers: [verifyEnv.kind],
          failOn: 'high',
          timeoutMs: 10_000,
          concurrency: 2,
          insecure: false,
        });
        const report = run.reports[0]!;
        expect(report.notRun).toBeNull();
        const mine = report.probes.filter((p) => p.probe.page.origin === claimed);
        expect(mine.filter((p) => p.outcome === 'allowed').length).toBeGreaterThan(0);
        // The server saw the claimed origin, from a browser page, and the decoy saw nothing.
        expect(target.seen.some((s) => s.origin === claimed && s.method === 'POST')).toBe(true);
        expect(decoyHits).toEqual([]);
        expect(report.findings).toEqual([]);
        expect(run.verdict).toBe('pass');
      } finally {
        await target.stop();
        decoy.closeAllConnections();
        await new Promise<void>((resolve) => decoy.close(() => resolve()));
      }
    });
  }
});

test('http and https pages of the same origin host share one listener', async ({ verifyEnv }) => {
  // https://app.example.com and its http twin (an attacker origin) both ran from the shared pages.
  const { run } = await verifyEnv.verify({ policy: { origin: [APP, 'http://app.example.com'] } });
  const twin = run.reports[0]!.probes.filter((p) => p.probe.kind === 'http-twin');
  expect(twin.map((p) => p.outcome)).toEqual(['allowed', 'blocked']);
  expect(run.reports[0]!.findings.map((f) => f.id)).toContain('trusts-http-origin');
});
