/** Node's own requests (harness/verify/raw-http.ts), against loopback servers: safe methods only, raw headers, redirects, *.localhost. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, expect } from '@playwright/test';
import { exchange, Limiter } from '../../../harness/verify/raw-http';

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
    res.writeHead(200, ['Access-Control-Allow-Origin', 'https://a.test', 'access-control-allow-origin', 'https://b.test', 'Content-Length', '2']);
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  port = (server.address() as AddressInfo).port;
});

test.afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const options = () => ({ timeoutMs: 2_000, insecure: false, limiter: new Limiter(2) });

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
  await expect(exchange('POST' as 'GET', `http://127.0.0.1:${port}/data`, { origin: 'https://a.test' }, options())).rejects.toThrow(/refusing to send POST from Node/);
  await expect(exchange('OPTIONS', `http://127.0.0.1:${port}/data`, { origin: 'https://a.test' }, options())).rejects.toThrow(/refusing to send OPTIONS/);
  expect(seen.length).toBe(before);
  const preflight = await exchange('OPTIONS', `http://127.0.0.1:${port}/data`, { origin: 'https://a.test', 'access-control-request-method': 'PUT' }, options());
  expect(preflight.response!.status).toBe(200);
});

test('redirects are followed (GET, HEAD); a loop is an error naming the hops', async () => {
  const moved = await exchange('GET', `http://127.0.0.1:${port}/moved`, { origin: 'https://a.test' }, options());
  expect([moved.response!.status, moved.hops!.map((h) => [h.request.url, h.response!.status])]).toEqual([301, [[`http://127.0.0.1:${port}/data`, 200]]]);
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
