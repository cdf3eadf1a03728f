/**
 * The Firefox forward proxy (harness/browser/proxy.ts) without a browser, on loopback only: page
 * origins answered by the page host (http directly, https tunnelled to its TLS listener), other
 * destinations forwarded with their raw headers, Firefox's own background traffic refused.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { test, expect } from '@playwright/test';
import { localCertificate } from '../../../harness/browser/certs';
import { PageHost } from '../../../harness/browser/page-host';
import { WireGate } from '../../../harness/core/gate';
import { ForwardProxy, isBrowserService } from '../../../harness/browser/proxy';
import { listenLoopback } from '../../../harness/core/listen';

let pageHost: PageHost;
let proxy: ForwardProxy;
let plain: http.Server;
let secure: https.Server;
let plainPort = 0;
let securePort = 0;

test.beforeAll(async () => {
  pageHost = await new PageHost().start();
  proxy = await new ForwardProxy(
    (scheme, at) => at === (scheme === 'https' ? 'app.example.com:443' : 'app.example.com:80'),
    pageHost.port,
  ).start();
  // The secure target below has a self-signed certificate.
  proxy.use(new WireGate(2, 5_000), true);
  plain = http.createServer((req, res) => {
    res.writeHead(200, ['X-Twice', 'a', 'x-twice', 'b', 'X-Seen-Origin', req.headers.origin ?? '-', 'Content-Length', '6']);
    res.end('target');
  });
  secure = https.createServer(await localCertificate(), (_req, res) => res.end('secure target'));
  for (const s of [plain, secure]) await listenLoopback(s);
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
      // The proxy ends a failed exchange by closing the connection: what came so far.
      res.on('error', () => {});
      res.on('close', () => resolve({ status: res.statusCode!, raw: res.rawHeaders, body }));
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
  expect(['push.services.mozilla.com', 'mozilla.org', 'evilmozilla.com', 'app.example.com'].map(isBrowserService)).toEqual([
    true,
    true,
    false,
    false,
  ]);
});

/** A target that counts requests in flight (arrival to close) and answers as `handler` says. */
async function counting(
  handler: http.RequestListener,
  tls = false,
): Promise<{ port: number; most: () => number; stop: () => Promise<void> }> {
  let now = 0;
  let most = 0;
  const listener: http.RequestListener = (req, res) => {
    most = Math.max(most, ++now);
    res.once('close', () => now--);
    handler(req, res);
  };
  const s = tls ? https.createServer(await localCertificate(), listener) : http.createServer(listener);
  await listenLoopback(s);
  return {
    port: (s.address() as AddressInfo).port,
    most: () => most,
    stop: async () => {
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
}

const slow: http.RequestListener = (_req, res) => {
  setTimeout(() => res.end('slow'), 60);
};

test('the gate holds on the wire: at most its bound in flight to a target, plain http and through tunnels', async () => {
  for (const secureTarget of [false, true]) {
    const t = await counting(slow, secureTarget);
    try {
      proxy.use(new WireGate(2, 5_000), true);
      const requests = Array.from({ length: 8 }, (_, i) =>
        secureTarget
          ? tunnelGet(`127.0.0.1:${t.port}`, `/x?_cors_conform=g${i}`)
          : viaProxy(`http://127.0.0.1:${t.port}/x?_cors_conform=g${i}`).then((r) => r.body),
      );
      expect(await Promise.all(requests)).toEqual(Array(8).fill('slow'));
      expect(t.most()).toBe(2);
      expect(proxy.takeEvents('g3')).toMatchObject([{ method: 'GET', status: 200, end: 'complete' }]);
    } finally {
      await t.stop();
    }
  }
});

test('the log says how an exchange ended: a timeout after the headers, a reset mid-body, a refused certificate', async () => {
  const t = await counting((req, res) => {
    if (req.url!.startsWith('/trickle')) {
      res.writeHead(200);
      res.flushHeaders();
      const timer = setInterval(() => res.write('x'), 30);
      res.once('close', () => clearInterval(timer));
    } else {
      res.writeHead(200, { 'Content-Length': '500' });
      res.write('y'.repeat(50));
      setTimeout(() => res.socket?.destroy(), 20);
    }
  });
  const secure = await counting((_req, res) => res.end('ok'), true);
  try {
    proxy.use(new WireGate(2, 300), false);
    await viaProxy(`http://127.0.0.1:${t.port}/trickle?_cors_conform=tt`).catch(() => null);
    expect(proxy.takeEvents('tt')).toMatchObject([
      { status: 200, end: 'timeout', detail: expect.stringMatching(/within 300 ms .*the headers arrived/) },
    ]);
    await viaProxy(`http://127.0.0.1:${t.port}/reset?_cors_conform=rr`).catch(() => null);
    expect(proxy.takeEvents('rr')).toMatchObject([
      { status: 200, end: 'network-error', detail: expect.stringMatching(/ended before the body did/) },
    ]);
    await tunnelGet(`127.0.0.1:${secure.port}`, '/x?_cors_conform=cc').catch(() => null);
    expect(proxy.takeEvents('cc')).toMatchObject([
      { status: null, end: 'network-error', detail: expect.stringMatching(/TLS certificate .* is not trusted/) },
    ]);
  } finally {
    proxy.use(new WireGate(2, 5_000), true);
    await t.stop();
    await secure.stop();
  }
});

/** CONNECT, TLS (any certificate: the proxy's own), one GET; resolves to the body. */
function tunnelGet(hostPort: string, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: proxy.port, method: 'CONNECT', path: hostPort, agent: false });
    req.on('connect', (_res, socket: net.Socket) => {
      const secured = tls.connect({ socket, servername: 'localhost', rejectUnauthorized: false }, () => {
        secured.write(`GET ${path} HTTP/1.1\r\nHost: ${hostPort}\r\nConnection: close\r\n\r\n`);
      });
      let text = '';
      secured.on('data', (c: Buffer) => (text += c.toString()));
      secured.on('end', () => resolve(text.split('\r\n\r\n').slice(1).join('\r\n\r\n')));
      secured.on('error', reject);
      secured.on('close', () => resolve(text.split('\r\n\r\n').slice(1).join('\r\n\r\n')));
    });
    req.on('error', reject);
    req.end();
  });
}
