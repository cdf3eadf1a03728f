/**
 * `cors-conform verify` refuses bad input and unreachable targets with exit code 2 and exactly one
 * line on stderr (no stack trace), before any browser starts. Every server here is on 127.0.0.1
 * port 0 and lives only for its test; every wait is bounded.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { test, expect } from '@playwright/test';
import { localCertificate } from '../../harness/browser/certs';
import { cli } from './cli-helpers';
import { listenLoopback } from '../../harness/core/listen';

const APP = 'https://app.example.com';

const open: Array<{ server: net.Server; sockets: Set<net.Socket> }> = [];

async function listen<T extends net.Server>(server: T): Promise<{ server: T; port: number }> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await listenLoopback(server);
  open.push({ server, sockets });
  return { server, port: (server.address() as AddressInfo).port };
}

test.afterEach(async () => {
  for (const { server, sockets } of open.splice(0)) {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/** Exit code 2, nothing on stdout, one line on stderr matching `pattern`. */
async function refused(args: string[], pattern: RegExp): Promise<string> {
  const r = await cli(['verify', ...args]);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^cors-conform: /);
  expect(lines[0]).toMatch(pattern);
  expect(lines[0]).not.toMatch(/\n\s+at /);
  expect(r.code, r.stderr).toBe(2);
  return lines[0]!;
}

test.describe('bad usage', () => {
  test('a malformed URL', async () => {
    await refused(['http://exa mple.com/data', '--origin', APP], /is not a URL/);
  });

  test('an unknown option', async () => {
    await refused(['http://127.0.0.1:9/data', '--origin', APP, '--bogus'], /Unknown option '--bogus'/);
  });

  test('an origin that is not a serialized origin', async () => {
    await refused(['http://127.0.0.1:9/data', '--origin', `${APP}/`], /did you mean https:\/\/app\.example\.com\?/);
  });

  test('a URL but no origin', async () => {
    await refused(['http://127.0.0.1:9/data'], /--origin is required/);
  });

  test('the sample takes no --origin', async () => {
    await refused(['--origin', APP], /needs the URL of the server to check/);
  });

  test('a forbidden method', async () => {
    await refused(['http://127.0.0.1:9/data', '--origin', APP, '--method', 'TRACE'], /forbidden method/);
  });

  test('an expect file with a bad field names the field', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cc-expect-')), 'expect.json');
    fs.writeFileSync(file, JSON.stringify({ allow: [{ origin: APP, methods: ['PUT', 'not a method'] }] }));
    await refused(['http://127.0.0.1:9/data', '--expect', file], /allow\[0\]\.methods\[1\]: not a valid method/);
    fs.writeFileSync(file, JSON.stringify({ allow: [{ origin: APP, credential: true }] }));
    await refused(['http://127.0.0.1:9/data', '--expect', file], /allow\[0\]: Unrecognized key.*credential/);
    fs.writeFileSync(file, '{ not json');
    await refused(['http://127.0.0.1:9/data', '--expect', file], /is not JSON/);
  });

  test('--out over an existing file needs --force', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-out-'));
    const file = path.join(dir, 'report.json');
    fs.writeFileSync(file, 'keep me');
    await refused(['http://127.0.0.1:9/data', '--origin', APP, '--out', file], /already exists: pass --force/);
    expect(fs.readFileSync(file, 'utf8')).toBe('keep me');
  });
});

test.describe('bad values are refused before any request', () => {
  /** A server that must never be reached: each case checks it saw nothing. */
  async function untouched(): Promise<{ url: string; hits: () => number }> {
    let hits = 0;
    const { port } = await listen(
      http.createServer((_req, res) => {
        hits++;
        res.end('ok');
      }),
    );
    return { url: `http://127.0.0.1:${port}/data`, hits: () => hits };
  }
  const expectFile = (json: unknown, raw?: string) => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cc-expect-')), 'expect.json');
    fs.writeFileSync(file, raw ?? JSON.stringify(json));
    return file;
  };
  const cases: Array<{ name: string; args: (url: string) => string[]; says: RegExp }> = [
    {
      name: 'an origin with a wildcard',
      args: (u) => [u, '--origin', 'http://*.example.com'],
      says: /--origin "http:\/\/\*\.example\.com" is a pattern, not an origin: .*expect file/,
    },
    {
      name: 'a header value with CR LF',
      args: (u) => [u, '--origin', APP, '--header', 'X-A: a\r\nX-B: b'],
      says: /--header X-A: the value has a carriage return \(CR\)/,
    },
    {
      name: 'a header value beyond Latin-1',
      args: (u) => [u, '--origin', APP, '--header', 'X-A: caf\u0113'],
      says: /the character U\+0113 \(above U\+00FF\)/,
    },
    {
      name: 'a negative timeout',
      args: (u) => [u, '--origin', APP, '--timeout', '-1'],
      says: /--timeout "-1" is not a whole number from 100 to 600000/,
    },
    {
      name: 'an absurd timeout',
      args: (u) => [u, '--origin', APP, '--timeout', '99999999'],
      says: /--timeout "99999999" is not a whole number/,
    },
    {
      name: '--out that is a directory, --force or not',
      args: (u) => [u, '--origin', APP, '--out', os.tmpdir(), '--force'],
      says: /--out .* is a directory: give a file name/,
    },
    {
      name: 'an expect file over 64 KiB',
      args: (u) => [
        u,
        '--expect',
        expectFile(null, `{"deny": [${Array.from({ length: 3000 }, (_, i) => `"https://d${i}.example.com"`).join(',')}]}`),
      ],
      says: /expect file .* is \d+ KiB: an expect file lists a few origins/,
    },
    {
      name: 'an expect file naming more origins than a run probes',
      args: (u) => [
        u,
        '--origin',
        APP,
        '--expect',
        expectFile({ allow: Array.from({ length: 17 }, (_, i) => ({ origin: `https://a${i}.example.com` })) }),
      ],
      says: /18 origins to probe .*: at most 16 per run/,
    },
    {
      name: 'a wildcard in a denied origin',
      args: (u) => [u, '--origin', APP, '--expect', expectFile({ deny: ['https://*.evil.example'] })],
      says: /deny\[0\]: not a serialized origin/,
    },
    {
      name: 'only sub-domain patterns: nothing to probe',
      args: (u) => [u, '--expect', expectFile({ allow: [{ origin: 'https://*.example.com' }] })],
      says: /nothing to probe: .*sub-domain patterns alone are not probed/,
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const server = await untouched();
      await refused(c.args(server.url), c.says);
      expect(server.hits(), 'requests that reached the server').toBe(0);
    });
  }
});

test.describe('unreachable targets', () => {
  test('a host that does not resolve', async () => {
    await refused(
      ['http://nonexistent.invalid/data', '--origin', APP, '--timeout', '5000'],
      /cannot resolve nonexistent\.invalid \(DNS|no response from http:\/\/nonexistent\.invalid/,
    );
  });

  test('a closed port', async () => {
    const { server, port } = await listen(net.createServer());
    await new Promise<void>((resolve) => server.close(() => resolve()));
    open.pop();
    await refused([`http://127.0.0.1:${port}/data`, '--origin', APP], /connection refused by 127\.0\.0\.1:\d+/);
  });

  test('a port that speaks no HTTP', async () => {
    const { port } = await listen(net.createServer((socket) => socket.end('SSH-2.0-OpenSSH_9.2\r\n')));
    await refused([`http://127.0.0.1:${port}/data`, '--origin', APP], /127\.0\.0\.1:\d+ does not speak HTTP/);
  });

  test('https to a plain http port (TLS handshake fails)', async () => {
    const { port } = await listen(http.createServer((_req, res) => res.end('plain')));
    await refused(
      [`https://127.0.0.1:${port}/data`, '--origin', APP],
      /TLS handshake with 127\.0\.0\.1:\d+ failed .*is it really https\?|closed the connection without an HTTP response \(is it really https\?\)/,
    );
  });

  test('a self-signed certificate is not trusted without --insecure', async () => {
    const { key, cert } = await localCertificate();
    const { port } = await listen(https.createServer({ key, cert }, (_req, res) => res.end('secure')));
    await refused(
      [`https://127.0.0.1:${port}/data`, '--origin', APP],
      /TLS certificate of 127\.0\.0\.1:\d+ is not trusted .*pass --insecure/,
    );
  });

  test('a target that never answers is bounded by --timeout', async () => {
    const { port } = await listen(net.createServer(() => {}));
    const started = Date.now();
    await refused([`http://127.0.0.1:${port}/data`, '--origin', APP, '--timeout', '500'], /no response from .* within 500 ms/);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  test('a redirect loop', async () => {
    const { port } = await listen(
      http.createServer((req, res) => {
        res.writeHead(302, { Location: req.url!.startsWith('/a') ? '/b' : '/a' });
        res.end();
      }),
    );
    await refused([`http://127.0.0.1:${port}/a`, '--origin', APP], /redirect loop: .*\/a.* → .*\/b.* → /);
  });

  test('a huge response header', async () => {
    const { port } = await listen(
      http.createServer({ maxHeaderSize: 1024 * 1024 }, (_req, res) => {
        res.setHeader('X-Huge', 'x'.repeat(300 * 1024));
        res.end('ok');
      }),
    );
    await refused([`http://127.0.0.1:${port}/data`, '--origin', APP], /response headers from .* are larger than 256 KiB/);
  });
});
