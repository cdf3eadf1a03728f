/**
 * `cors-conform verify` against hostile servers, through the real binary, in Chromium, Firefox and
 * WebKit (@every-engine): it ends within its bound whatever the target does, the target never sees more than
 * --concurrency requests in flight, a network failure is never a CORS finding, and the exit code
 * and stderr say what happened. Every server is on 127.0.0.1, lives only for its test, and every
 * wait is bounded.
 */
import { HOSTILE } from './hostile';
import { cli } from './cli-helpers';
import { reportSchema } from './json-schema';
import { APP, needsTls, startServer, type TestServer } from './servers';
import { expect, test } from './fixtures';
import type http from 'node:http';
import type { BrowserKind } from '../../harness/oracle';

interface HostileCase {
  name: string;
  handler: http.RequestListener;
  concurrency: number;
  timeoutMs: number;
  extra?: string[];
  /** The exit code in each browser, and why. */
  code: Record<BrowserKind, number>;
  /** For exit code 2: the one line on stderr. */
  refused?: RegExp;
  /** Outcomes some probe must have (e.g. an error, never a CORS block). */
  outcomes?: Array<{ outcome: 'error'; reason: RegExp }>;
}

/** Browser launch and CLI start-up, on a busy 2-core machine, before the first probe. */
const START_ALLOWANCE_MS = 30_000;

const CASES: HostileCase[] = [
  {
    // The headers are correct and arrive at once, so the CORS answer is known; the bodies never
    // end, so every exchange is cut at the deadline. Firefox and WebKit read every response (the
    // body failure is noted, not a block): pass. Chromium holds a text/plain response back from XHR
    // until it has sniffed enough body, which never comes: those XHRs end with nothing read, an
    // error (not a block), so the verdict cannot pass.
    name: 'a body that trickles one byte every 100 ms, forever',
    handler: HOSTILE.trickle,
    concurrency: 4,
    // Long enough that the first headers arrive in time on a starved 2-core machine (500 ms did
    // not, twice in 20 runs beside another suite); every exchange still ends at the deadline.
    timeoutMs: 1_200,
    code: { chromium: 1, firefox: 0, webkit: 0 },
  },
  {
    name: 'bodies that arrive 150 ms after the headers',
    handler: HOSTILE.lateBody(150),
    concurrency: 1,
    timeoutMs: 3_000,
    extra: ['--method', 'PUT'],
    code: { chromium: 0, firefox: 0, webkit: 0 },
  },
  {
    // The PUT probes' preflights time out: an error, never preflight-failed.
    name: 'preflights answered after 4 s, past a 1.2 s timeout',
    handler: HOSTILE.slowPreflight(4_000),
    concurrency: 2,
    timeoutMs: 1_200,
    extra: ['--method', 'PUT'],
    code: { chromium: 1, firefox: 1, webkit: 1 },
    outcomes: [{ outcome: 'error', reason: /^timeout$/ }],
  },
  {
    // The headers passed the CORS check; the body is cut. fetch and Firefox's and WebKit's XHR read the
    // response; Chromium's XHR gets nothing (it sniffs text/plain first): a network error.
    name: 'a body reset after 100 of 1,000 bytes',
    handler: HOSTILE.resetMidBody,
    concurrency: 2,
    timeoutMs: 3_000,
    code: { chromium: 1, firefox: 0, webkit: 0 },
  },
  {
    name: 'a 10 MB body',
    handler: HOSTILE.hugeBody,
    concurrency: 2,
    timeoutMs: 10_000,
    code: { chromium: 0, firefox: 0, webkit: 0 },
  },
  {
    // Node's reachability check and evidence, then a few page requests, are answered; the rest
    // never are.
    name: 'a server that stops answering after 12 requests',
    handler: HOSTILE.stallAfter(12),
    concurrency: 4,
    timeoutMs: 1_200,
    code: { chromium: 1, firefox: 1, webkit: 1 },
    outcomes: [{ outcome: 'error', reason: /^timeout$/ }],
  },
  {
    name: 'a server that resets every connection',
    handler: HOSTILE.resetAlways,
    concurrency: 2,
    timeoutMs: 2_000,
    code: { chromium: 2, firefox: 2, webkit: 2 },
    refused:
      /^cors-conform: cannot verify https?:\/\/127\.0\.0\.1:\d+\/data: 127\.0\.0\.1:\d+ closed the connection without an HTTP response( \(is it really https\?\))?$/,
  },
  {
    name: '300 KiB of response headers',
    handler: HOSTILE.headerFlood,
    concurrency: 2,
    timeoutMs: 2_000,
    code: { chromium: 2, firefox: 2, webkit: 2 },
    refused: /^cors-conform: cannot verify .*: the response headers from .* are larger than 256 KiB/,
  },
];

// Each test is a child process that mostly waits (deadlines, a browser's start): they spread over
// the workers instead of queuing in one.
test.describe.configure({ mode: 'parallel' });

const servers: TestServer[] = [];
test.afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

for (const c of CASES) {
  test(`${c.name}: bounded, at most --concurrency ${c.concurrency} in flight`, { tag: ['@every-engine'] }, async ({ corsBrowser }) => {
    const browser = corsBrowser ?? 'chromium';
    const tls = needsTls(browser);
    const server = await startServer({ handler: c.handler }, 0, tls);
    servers.push(server);
    const args = [
      'verify',
      server.url,
      '--origin',
      APP,
      ...(tls ? ['--insecure'] : []),
      '--browser',
      browser,
      '--format',
      'json',
      '--concurrency',
      String(c.concurrency),
      '--timeout',
      String(c.timeoutMs),
      ...(c.extra ?? []),
    ];
    // The bound: every request is at most one deadline long and at most `concurrency` run at
    // once. 160 requests is more than this plan ever sends (Node's evidence, preflights and
    // probes from one origin and its attacker origins).
    const bound = START_ALLOWANCE_MS + Math.ceil(160 / c.concurrency) * c.timeoutMs;
    test.setTimeout(bound + 30_000);
    const r = await cli(args, { timeoutMs: bound });
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(r.code, `${r.stderr}\n${r.stdout.slice(0, 2000)}`).toBe(c.code[browser]);
    expect(r.ms).toBeLessThan(bound);
    expect(server.maxInFlight, 'requests in flight at the target').toBeLessThanOrEqual(c.concurrency);
    expect(server.seen.length, 'the run reached the server').toBeGreaterThan(0);
    if (c.refused) {
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(c.refused);
      expect(r.stdout).toBe('');
      return;
    }
    expect(lines, 'nothing on stderr but errors').toEqual([]);
    const report = reportSchema.parse(JSON.parse(r.stdout));
    // A network failure is never a CORS finding.
    expect(report.findings.map((f) => f.id)).toEqual([]);
    for (const want of c.outcomes ?? [])
      expect(
        report.probes.some((p) => p.outcome === want.outcome && want.reason.test(p.reason)),
        JSON.stringify(report.probes.map((p) => [p.id, p.outcome, p.reason])),
      ).toBe(true);
    // No network failure shows as a CORS block: what the named origin should read is read, or is
    // an error.
    const misreported = report.probes.filter((p) => p.origin === APP && p.expected === 'allowed' && p.outcome === 'blocked');
    expect(misreported.map((p) => `${p.id}: ${p.reason}`)).toEqual([]);
  });
}
