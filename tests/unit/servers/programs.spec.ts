/**
 * The servers that are programs of their own: the recording tap keeps the header lines as the
 * server sent them (a repeated Access-Control-Allow-Origin stays two lines, on the wire and in the
 * record), nginx's generated config escapes what the policy gives it, and a program that cannot
 * start is one error with its own words, not a hang.
 */
import http from 'node:http';
import net from 'node:net';
import { test, expect } from '@playwright/test';
import { closeServer, freeLoopbackPort, listenLoopback } from '../../../harness/core/listen';
import { tapInFront } from '../../../servers/reference/tap';
import { nginxConfig } from '../../../servers/reference/nginx';
import { startBehindTaps } from '../../../servers/reference/process';
import { parsePolicy } from '../../../servers/policy';

/** The raw response head a client reads through the tap (no parser in between). */
function rawHead(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () =>
      socket.write(`GET ${path} HTTP/1.1\r\nHost: api.localhost\r\nOrigin: http://app.localhost\r\nConnection: close\r\n\r\n`),
    );
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (data += d));
    socket.once('end', () => resolve(data.split('\r\n\r\n')[0]!));
    socket.once('error', reject);
  });
}

test('the tap relays and records header lines as sent: two Access-Control-Allow-Origin lines stay two', async () => {
  const upstream = http.createServer((req, res) => {
    res.writeHead(200, [
      'Access-Control-Allow-Origin',
      '*',
      'access-control-allow-origin',
      '*',
      'X-Seen-Origin',
      req.headers.origin ?? '-',
    ]);
    res.end('ok');
  });
  const port = await listenLoopback(upstream);
  const tap = await tapInFront(port);
  try {
    const head = await rawHead(tap.port, '/data?cc=tok1');
    expect(head.split('\r\n').filter((l) => /^access-control-allow-origin:/i.test(l))).toEqual([
      'Access-Control-Allow-Origin: *',
      'access-control-allow-origin: *',
    ]);
    expect(head).toContain('X-Seen-Origin: http://app.localhost');
    // Recorded once the response is finished.
    await expect.poll(() => tap.wire.entries('tok1').length).toBe(1);
    const [entry] = tap.wire.entries('tok1');
    expect(entry!.origin).toBe('http://app.localhost');
    expect(entry!.status).toBe(200);
    expect(entry!.responseHeaders!.filter(([n]) => n.toLowerCase() === 'access-control-allow-origin')).toHaveLength(2);
    // No token, no record.
    await rawHead(tap.port, '/data');
    expect(tap.wire.entries('').length).toBe(0);
  } finally {
    await tap.close();
    await closeServer(upstream);
  }
});

test('the tap answers 502 with why when nothing listens behind it', async () => {
  const tap = await tapInFront(await freeLoopbackPort());
  try {
    const head = await rawHead(tap.port, '/data?cc=t');
    expect(head).toMatch(/^HTTP\/1\.1 502 /);
  } finally {
    await tap.close();
  }
});

test("nginx's config: regular expressions and exact origins in the map, quotes escaped, preflight-only headers by method", () => {
  const config = nginxConfig(
    '/tmp/x',
    [
      parsePolicy({ origin: ['http://app.localhost:1', /^http:\/\/(.+\.)?app\.localhost:\d+$/i, 'null'], credentials: true, maxAge: 600 }),
      parsePolicy({ origin: '*', allowedHeaders: ['X-Auth-Token'] }),
    ],
    [1001, 1002],
  );
  expect(config).toContain('"http://app.localhost:1" $http_origin;');
  expect(config).toContain('"~*^http:\\/\\/(.+\\.)?app\\.localhost:\\d+$" $http_origin;');
  expect(config).toContain('"null" $http_origin;');
  expect(config).toContain('map $request_method $cors_max_age_0 { OPTIONS "600"; default ""; }');
  expect(config).toContain('map $request_method $cors_preflight_headers_1 { OPTIONS "X-Auth-Token"; default ""; }');
  expect(config).toContain('add_header Access-Control-Allow-Origin "*" always;');
  expect(config.match(/listen 127\.0\.0\.1:100[12];/g)).toHaveLength(2);
  // Every location repeats the CORS lines: one with an add_header of its own inherits none.
  expect(config.match(/add_header Access-Control-Allow-Origin "\$cors_origin_0" always;/g)).toHaveLength(4);
});

test('a program that exits at start is one error with its own last words, and nothing is left running', async () => {
  const error = await startBehindTaps({
    name: 'nginx',
    count: 1,
    prepare: () => {},
    command: () => ({ command: process.execPath, args: ['-e', 'console.error("no config here"); process.exit(3)'] }),
    readyPath: '/',
    timeoutMs: 5000,
  }).then(
    () => null,
    (e: Error) => e.message,
  );
  expect(error).toMatch(/^nginx exited \(3\): .*no config here/);
});
