/**
 * `verify --as <requester>`: the URL probed as an element or API loads it, from pages on the
 * claimed and attacker origins, in every engine (@every-engine). A font server without
 * Access-Control-Allow-Origin is reported blocked, with advice that speaks of fonts; its near-twin
 * passes; an image's no-cors form loads opaque while its crossorigin forms pass the CORS check.
 */
import http from 'node:http';
import { expect, test } from './fixtures';
import { APP } from './servers';
import { PROBE_FONT, PROBE_PNG } from '../protocol/cases/bodies';

/** Serves `body` as `type`, with ACAO (and ACAC, Vary) for APP only when `allow` says so. */
function fileServer(type: string, base64: string, allow: 'none' | 'origin-with-credentials'): http.RequestListener {
  const body = Buffer.from(base64, 'base64');
  return (req, res) => {
    const headers: Record<string, string> = { 'Content-Type': type, 'Content-Length': String(body.length) };
    if (allow !== 'none' && req.headers.origin === APP)
      Object.assign(headers, { 'Access-Control-Allow-Origin': APP, 'Access-Control-Allow-Credentials': 'true', Vary: 'Origin' });
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}

test.describe('verify --as', { tag: ['@every-engine'] }, () => {
  test('a font without Access-Control-Allow-Origin: blocked from the claimed origin, with advice about fonts', async ({ verifyEnv }) => {
    const { run } = await verifyEnv.verify({ handler: fileServer('font/ttf', PROBE_FONT, 'none') }, { as: 'font' });
    const report = run.reports[0]!;
    const mine = report.probes.filter((p) => p.probe.role === 'allowed');
    expect(mine.map((p) => [p.probe.client, p.probe.method, p.oracle?.reason])).toEqual([['font', 'GET', 'allow-origin-missing']]);
    if (verifyEnv.kind === 'webkit') {
      // A listed deviation (harness/protocol/deviations.ts, font-loaded-without-cors): WebKitGTK
      // uses the font without a CORS check, so the page gets it and there is nothing to report.
      expect(mine[0]!.outcome).toBe('allowed');
      return;
    }
    expect(mine[0]!.outcome).toBe('blocked');
    const finding = report.findings.find((f) => f.id === 'allowed-origin-blocked');
    expect(finding?.evidence.summary).toMatch(/1 load by @font-face that should work was blocked \(allow-origin-missing\)/);
    expect(finding?.fix.summary).toMatch(/^Fonts are always fetched in CORS mode/);
    expect(finding?.fix.express).toMatch(/before express\.static/);
    expect(run.verdict).toBe('fail');
  });

  test('the same font with Access-Control-Allow-Origin for the claimed origin: no finding, attackers blocked (but in WebKit)', async ({
    verifyEnv,
  }) => {
    const { run } = await verifyEnv.verify({ handler: fileServer('font/ttf', PROBE_FONT, 'origin-with-credentials') }, { as: 'font' });
    const report = run.reports[0]!;
    expect(report.findings.map((f) => f.id)).toEqual([]);
    expect(report.probes.find((p) => p.probe.role === 'allowed')?.outcome).toBe('allowed');
    const attackers = report.probes.filter((p) => p.probe.role === 'attacker' && p.outcome !== 'not-run');
    expect(attackers.length).toBeGreaterThan(0);
    // WebKitGTK uses fonts whatever the headers say (the same deviation): every origin "reads" it.
    expect(new Set(attackers.map((p) => p.outcome))).toEqual(new Set([verifyEnv.kind === 'webkit' ? 'allowed' : 'blocked']));
    if (verifyEnv.kind !== 'webkit') expect(run.verdict).toBe('pass');
  });

  test('an image: no crossorigin loads opaque, anonymous and use-credentials pass the CORS check', async ({ verifyEnv }) => {
    const { run } = await verifyEnv.verify(
      { handler: fileServer('image/png', PROBE_PNG, 'origin-with-credentials') },
      {
        as: 'img',
        credentials: true,
      },
    );
    const report = run.reports[0]!;
    const mine = report.probes.filter((p) => p.probe.role === 'allowed');
    expect(mine.map((p) => [p.probe.id.replace(APP, 'APP'), p.probe.expected, p.outcome])).toEqual([
      ['APP img', 'opaque', 'opaque'],
      ['APP img crossorigin=anonymous', 'allowed', 'allowed'],
      ['APP img crossorigin=use-credentials', 'allowed', 'allowed'],
    ]);
    expect(report.findings.map((f) => f.id)).toEqual([]);
    expect(run.verdict).toBe('pass');
  });
});
