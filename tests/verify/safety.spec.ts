/**
 * Safe by default: only GET, HEAD, an empty form POST and the preflights a browser sends reach the
 * server – other methods only when named with --method – and never more than --concurrency
 * requests at once, from the browser or from Node.
 */
import { APP, startServer, type ServerSpec } from './servers';
import { expect, test } from './fixtures';

const POLICY: ServerSpec = { policy: { origin: APP, credentials: true, methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'] } };

test('without --method: GET, HEAD, the empty form POST and preflights only; a listed method only as its preflight', async ({
  verifyEnv,
}) => {
  const { run, server } = await verifyEnv.verify(POLICY, {
    credentials: true,
    headers: [['X-Api-Key', 'k']],
    expect: { allow: [{ origin: APP, credentials: true, methods: ['DELETE'] }] },
  });
  const methods = new Set(server.seen.map((s) => s.method));
  expect([...methods].sort()).toEqual(['GET', 'HEAD', 'OPTIONS', 'POST']);
  for (const s of server.seen) {
    if (s.method === 'OPTIONS') expect(s.acrm, 'every OPTIONS is a CORS preflight').not.toBeNull();
    if (s.method === 'POST') expect([s.contentType, s.bodyBytes]).toEqual(['application/x-www-form-urlencoded', 0]);
  }
  // DELETE is in the expect file but not named with --method: only the preflight a browser would
  // send went out (from Node), and the oracle judged it; no DELETE reached the server.
  const del = run.reports[0]!.probes.filter((p) => p.probe.method === 'DELETE');
  expect(del.map((p) => [p.via, p.outcome])).toEqual([
    ['node-preflight', 'allowed'],
    ['node-preflight', 'allowed'],
  ]);
  expect(server.seen.filter((s) => s.method === 'OPTIONS' && s.acrm === 'DELETE').length).toBeGreaterThan(0);
  expect(server.seen.filter((s) => s.method === 'DELETE')).toEqual([]);
});

test('with --method PUT: PUT is sent too, nothing else', async ({ verifyEnv }) => {
  const { run, server } = await verifyEnv.verify(POLICY, { credentials: true, methods: ['PUT'] });
  expect([...new Set(server.seen.map((s) => s.method))].sort()).toEqual(['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
  expect(server.seen.filter((s) => s.method === 'OPTIONS').every((s) => s.acrm === 'PUT')).toBe(true);
  expect(run.verdict).toBe('pass');
});

for (const concurrency of [1, 2, 3]) {
  test(`--concurrency ${concurrency}: never more requests in flight, with slow answers`, async ({ verifyEnv }) => {
    const slow = await startServer(POLICY, 40);
    try {
      const { run } = await verifyEnv.verify(slow, { credentials: true, methods: ['PUT'], concurrency });
      expect(run.verdict).toBe('pass');
      expect(slow.maxInFlight).toBeLessThanOrEqual(concurrency);
      if (concurrency > 1) expect(slow.maxInFlight, 'the limit is used').toBe(concurrency);
    } finally {
      await slow.stop();
    }
  });
}

test('--timeout bounds every probe: a server that stops answering after the first requests', async ({ verifyEnv }) => {
  let answered = 0;
  const stalling = await startServer({
    handler: (req, res) => {
      // Node's own evidence requests and the first page requests are answered; the rest hang.
      if (answered++ < 20) {
        res.writeHead(200, { 'Access-Control-Allow-Origin': req.headers.origin ?? '*', Vary: 'Origin', 'Content-Length': '0' });
        res.end();
      }
    },
  });
  try {
    const started = Date.now();
    const { run } = await verifyEnv.verify(stalling, { timeoutMs: 400 });
    const timedOut = run.reports[0]!.probes.filter((p) => p.reason === 'timeout');
    expect(timedOut.length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(40_000);
  } finally {
    await stalling.stop();
  }
});

test('an https target with a self-signed certificate: refused by default, verified with --insecure', async ({ verifyEnv }) => {
  const secure = await startServer({ policy: { origin: APP, credentials: true } }, 0, true);
  try {
    await expect(verifyEnv.verify(secure, { credentials: true })).rejects.toThrow(
      /TLS certificate of 127\.0\.0\.1:\d+ is not trusted .*pass --insecure/,
    );
    expect(secure.seen).toEqual([]);
    const { run } = await verifyEnv.verify(secure, { credentials: true, insecure: true });
    expect(run.target).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/data$/);
    expect(
      run.reports[0]!.probes.filter((p) => p.probe.role === 'allowed').every((p) => p.outcome === 'allowed' || p.outcome === 'not-run'),
    ).toBe(true);
    expect(run.verdict).toBe('pass');
  } finally {
    await secure.stop();
  }
});
