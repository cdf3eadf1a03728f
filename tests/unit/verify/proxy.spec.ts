/**
 * The Firefox forward proxy (harness/verify/proxy.ts) without a browser, on loopback only: page
 * origins answered by the page host (http directly, https tunnelled to its TLS listener), other
 * destinations forwarded with their raw headers, Firefox's own background traffic refused.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { test, expect } from '@playwright/test';
import { localCertificate } from '../../../harness/certs';
import { PageHost } from '../../../harness/verify/hosting';
import { ForwardProxy, isBrowserService } from '../../../harness/verify/proxy';

let pageHost: PageHost;
let proxy: ForwardProxy;
let plain: http.Server;
let secure: https.Server;
let plainPort = 0;
let securePort = 0;

test.beforeAll(async () => {
  pageHost = await new PageHost().start();
  proxy = await new ForwardProxy((scheme, at) => at === (scheme === 'https' ? 'app.example.com:443' : 'app.example.com:80'), pageHost.port).start();
  plain = http.createServer((req, res) => {
    res.writeHead(200, ['X-Twice', 'a', 'x-twice', 'b', 'X-Seen-Origin', req.headers.origin ?? '-', 'Content-Length', '6']);
    res.end('target');
  });
  secure = https.createServer(await localCertificate(), (_req, res) => res.end('secure target'));
  for (const s of [plain, secure]) await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  plainPort = (plain.address() as AddressInfo).port;
  securePort = (secure.address() as AddressInfo).port;
});

test.afterAll(async () => {
  await proxy.stop();
  await pageHost.stop();
  for (const s of [plain, secure]) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
});

/** An absolute-form request through the proxy, as Firefox sends plain http. */
function viaProxy(url: string, headers: Record<string, string> = {}): Promise<{ status: number; raw: string[]; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: proxy.port, path: url, headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, raw: res.rawHeaders, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** CONNECT through the proxy, then TLS and one GET inside the tunnel. */
function tunnel(hostPort: string, servername: string): Promise<{ status: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: proxy.port, method: 'CONNECT', path: hostPort, agent: false });
    req.on('connect', (res, socket: net.Socket) => {
      if (res.statusCode !== 200) return resolve({ status: String(res.statusCode), body: '' });
      const secured = tls.connect({ socket, servername, rejectUnauthorized: false }, () => {
        secured.write(`GET /__page HTTP/1.1\r\nHost: ${hostPort}\r\nConnection: close\r\n\r\n`);
      });
      let text = '';
      secured.on('data', (c: Buffer) => (text += c.toString()));
      secured.on('end', () => resolve({ status: text.split('\r\n')[0]!, body: text }));
      secured.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

test('a plain http page origin is answered by the page host', async () => {
  const r = await viaProxy('http://app.example.com/__page');
  expect(r.status).toBe(200);
  expect(r.body).toContain('cors-conform probe page');
});

test('CONNECT to an https page origin is tunnelled to the page host, which speaks TLS', async () => {
  const r = await tunnel('app.example.com:443', 'app.example.com');
  expect(r.status).toBe('HTTP/1.1 200 OK');
  expect(r.body).toContain('cors-conform probe page');
});

test('anything else is forwarded, raw headers kept (repeats, casing)', async () => {
  const r = await viaProxy(`http://127.0.0.1:${plainPort}/data?x=1`, { Origin: 'https://app.example.com' });
  expect(r.body).toBe('target');
  const pairs = [];
  for (let i = 0; i < r.raw.length; i += 2) pairs.push([r.raw[i], r.raw[i + 1]]);
  expect(pairs.slice(0, 3)).toEqual([
    ['X-Twice', 'a'],
    ['x-twice', 'b'],
    ['X-Seen-Origin', 'https://app.example.com'],
  ]);
  const t = await tunnel(`127.0.0.1:${securePort}`, 'localhost');
  expect(t.status).toBe('HTTP/1.1 200 OK');
  expect(t.body).toContain('secure target');
});

test("Firefox's own background traffic is refused, not forwarded", async () => {
  expect((await viaProxy('http://firefox.settings.services.mozilla.com/v1/')).status).toBe(403);
  expect((await tunnel('firefox.settings.services.mozilla.com:443', 'firefox.settings.services.mozilla.com')).status).toBe('403');
  expect(['push.services.mozilla.com', 'mozilla.org', 'evilmozilla.com', 'app.example.com'].map(isBrowserService)).toEqual([true, true, false, false]);
});
