/** Node's own requests (harness/verify/raw-http.ts), against loopback servers: safe methods only, raw headers, redirects, *.localhost. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, expect } from '@playwright/test';
import { Limiter, WireGate } from '../../../harness/core/gate';
import { exchange } from '../../../harness/verify/raw-http';
import { listenLoopback } from '../../../harness/core/listen';

let server: http.Server;
let port = 0;
const seen: string[] = [];

test.beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.host}`);
    if (req.url === '/loop') {
      res.writeHead(302, { Location: '/loop2' });
      return res.end();
    }
    if (req.url === '/loop2') {
      res.writeHead(302, { Location: '/loop' });
      return res.end();
    }
    if (req.url === '/moved') {
      res.writeHead(301, { Location: '/data' });
      return res.end();
    }
    // Repeated headers and odd casing must come back exactly as sent.
    res.writeHead(200, [
      'Access-Control-Allow-Origin',
      'https://a.test',
      'access-control-allow-origin',
      'https://b.test',
      'Content-Length',
      '2',
    ]);
    res.end('ok');
  });
  await listenLoopback(server);
  port = (server.address() as AddressInfo).port;
});

test.afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const options = () => ({ insecure: false, gate: new WireGate(2, 2_000) });

test('raw headers in order, repeats and casing kept', async () => {
  const x = await exchange('GET', `http://127.0.0.1:${port}/data`, { origin: 'https://a.test' }, options());
  expect(x.error).toBeNull();
  expect(x.response!.headers.slice(0, 2)).toEqual([
    ['Access-Control-Allow-Origin', 'https://a.test'],
    ['access-control-allow-origin', 'https://b.test'],
  ]);
});

test('only GET, HEAD and real preflights leave Node', async () => {
  const before = seen.length;
  await expect(exchange('POST' as 'GET', `http://127.0.0.1:${port}/data`, { origin: 'https://a.test' }, options())).rejects.toThrow(
    /refusing to send POST from Node/,
  );
  await expect(exchange('OPTIONS', `http://127.0.0.1:${port}/data`, { origin: 'https://a.test' }, options())).rejects.toThrow(
    /refusing to send OPTIONS/,
  );
  expect(seen.length).toBe(before);
  const preflight = await exchange(
    'OPTIONS',
    `http://127.0.0.1:${port}/data`,
    { origin: 'https://a.test', 'access-control-request-method': 'PUT' },
    options(),
  );
  expect(preflight.response!.status).toBe(200);
});

test('redirects are followed (GET, HEAD); a loop is an error naming the hops', async () => {
  const moved = await exchange('GET', `http://127.0.0.1:${port}/moved`, { origin: 'https://a.test' }, options());
  expect([moved.response!.status, moved.hops!.map((h) => [h.request.url, h.response!.status])]).toEqual([
    301,
    [[`http://127.0.0.1:${port}/data`, 200]],
  ]);
  const loop = await exchange('HEAD', `http://127.0.0.1:${port}/loop`, { origin: 'https://a.test' }, options());
  expect(loop.error).toBe(`redirect loop: http://127.0.0.1:${port}/loop → http://127.0.0.1:${port}/loop2 → http://127.0.0.1:${port}/loop`);
});

test('*.localhost is loopback, as in browsers, with its Host header', async () => {
  const x = await exchange('GET', `http://api.localhost:${port}/data`, { origin: 'https://a.test' }, options());
  expect(x.error).toBeNull();
  expect(seen.at(-1)).toBe(`GET /data api.localhost:${port}`);
});

test('the limiter holds requests to its maximum', async () => {
  const limiter = new Limiter(2);
  let active = 0;
  let most = 0;
  await Promise.all(
    Array.from({ length: 7 }, () =>
      limiter.run(async () => {
        most = Math.max(most, ++active);
        await new Promise((r) => setTimeout(r, 10));
        active--;
      }),
    ),
  );
  expect(most).toBe(2);
});

/** A server whose every answer is up to `handler`; counts requests in flight (arrival to close). */
async function hostile(handler: http.RequestListener): Promise<{ url: string; maxInFlight: () => number; stop: () => Promise<void> }> {
  let inFlight = 0;
  let most = 0;
  const s = http.createServer((req, res) => {
    most = Math.max(most, ++inFlight);
    res.once('close', () => inFlight--);
    handler(req, res);
  });
  await listenLoopback(s);
  return {
    url: `http://127.0.0.1:${(s.address() as AddressInfo).port}/data`,
    maxInFlight: () => most,
    stop: async () => {
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
}

test('a trickling body is cut at the deadline: the headers stand, the slot is held to the end', async () => {
  const t = await hostile((_req, res) => {
    res.writeHead(200, { 'Access-Control-Allow-Origin': '*' });
    res.flushHeaders();
    const timer = setInterval(() => res.write('x'), 50);
    res.once('close', () => clearInterval(timer));
  });
  try {
    const gate = new WireGate(1, 400);
    const started = Date.now();
    const all = await Promise.all([0, 1, 2].map(() => exchange('GET', t.url, { origin: 'https://a.test' }, { insecure: false, gate })));
    const ms = Date.now() - started;
    for (const x of all) {
      expect(x.response?.status).toBe(200);
      expect(x.bodyError).toMatch(/did not end within 400 ms/);
    }
    // One at a time, each to its deadline: about three deadlines, never one.
    expect(ms).toBeGreaterThanOrEqual(3 * 400 - 50);
    expect(t.maxInFlight()).toBe(1);
    expect(gate.peak(t.url)).toBe(1);
  } finally {
    await t.stop();
  }
});

test('a body reset mid-way is a network failure, recorded beside the headers', async () => {
  const t = await hostile((_req, res) => {
    res.writeHead(200, { 'Content-Length': '1000' });
    res.write('y'.repeat(100));
    setTimeout(() => res.socket?.destroy(), 30);
  });
  try {
    const x = await exchange('GET', t.url, { origin: 'https://a.test' }, options());
    expect([x.error, x.response?.status]).toEqual([null, 200]);
    expect(x.bodyError).toMatch(/the connection ended before the body did \(100 bytes read\)/);
  } finally {
    await t.stop();
  }
});

test('a body past the 16 MiB limit is cut there, and its slot waits until the server has seen the close', async () => {
  const t = await hostile((_req, res) => {
    const body = Buffer.alloc(20 * 1024 * 1024, 0x7a);
    res.writeHead(200, { 'Content-Length': String(body.length) });
    res.end(body);
  });
  try {
    const gate = new WireGate(1, 5_000);
    const all = await Promise.all([0, 1, 2].map(() => exchange('GET', t.url, { origin: 'https://a.test' }, { insecure: false, gate })));
    for (const x of all) expect([x.response?.status, x.bodyError]).toEqual([200, undefined]);
    expect(t.maxInFlight()).toBe(1);
  } finally {
    await t.stop();
  }
});

test('no answer at all is a timeout at the deadline', async () => {
  const t = await hostile(() => {});
  try {
    const started = Date.now();
    const x = await exchange('GET', t.url, { origin: 'https://a.test' }, { insecure: false, gate: new WireGate(2, 300) });
    expect(x.error).toMatch(/no response from .* within 300 ms/);
    expect(Date.now() - started).toBeLessThan(2_000);
  } finally {
    await t.stop();
  }
});

test('a limiter gives up a wait at its deadline, and a late release still frees the slot once', async () => {
  const limiter = new Limiter(1);
  const first = (await limiter.acquire())!;
  const started = Date.now();
  expect(await limiter.acquire(Date.now() + 100)).toBeNull();
  expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  const waiting = limiter.acquire();
  first();
  first();
  const second = (await waiting)!;
  expect(limiter.peak).toBe(1);
  second();
});
