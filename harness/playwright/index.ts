/**
 * `cors-conform/playwright`: CORS checks inside your own Playwright specs.
 *
 *   import { test, expect } from 'cors-conform/playwright';
 *   test.use({ corsOrigins: ['https://app.example.com'] });
 *   test('the app can call the API with cookies', async ({ cors }) => {
 *     const r = await cors.probe({ from: 'https://app.example.com', url: 'http://localhost:3000/api/items',
 *                                  method: 'PUT', headers: { 'X-Api-Key': 'k' }, credentials: 'include' });
 *     expect(r).toBeAllowed();
 *     expect(await cors.verify('http://localhost:3000/api/items', { credentials: true })).toHaveNoCorsFindings();
 *   });
 *
 * `cors.probe()` sends one request from a page that truly lives on `from` (one of `corsOrigins`),
 * in the browser engine of the project the test runs in, and reports what the browser did, its own
 * reason, the Fetch Standard's answer on the headers the server really sent, and every exchange on
 * the wire. `cors.verify()` is `cors-conform verify` for one URL; its report is attached to the
 * test (JSON and Markdown), so Playwright's HTML report and UI mode show it. Both attach
 * `cors-case` records that `cors-conform/reporter` gathers into its matrix.
 *
 * The pages are served by cors-conform on the claimed origins (never a Playwright route: with one,
 * Playwright would answer preflights itself); the browser is launched by cors-conform with your
 * project's Playwright, from the build `npx playwright install` put there (or your project's
 * `launchOptions.executablePath`), once per worker and origin set.
 */
import { expect as baseExpect, test as baseTest, type TestInfo } from '@playwright/test';
import { pageOrigin, type PageOrigin } from '../browser/page-host';
import type { FoundBrowser } from '../browser/engines';
import { WireGate } from '../core/gate';
import { newToken, shown, verifyUrl } from '../core/probe-url';
import { attachRecord, type CaseRecord } from '../core/record';
import { predict, REASONS, isReason, CHROMIUM_CORS_ERRORS, type BrowserKind, type Outcome } from '../oracle';
import type { WireEvent } from '../browser/proxy';
import {
  API_NAMES,
  buildPlan,
  checkRequest,
  failingFindings,
  jsonOf,
  ProbeEnvironment,
  render,
  resolveExpectations,
  runChecked,
  runInBrowser,
  toCaseRecord,
  type Severity,
  type VerifyJson,
  type VerifyRequest,
  type VerifyProbe,
  type Finding,
} from '../verify';
import { responderFrom } from '../verify/evidence';
import type { RawExchange } from '../verify/types';

/** One request from a page on a claimed origin. */
export interface CorsProbeRequest {
  /** The origin of the page the request comes from: one of `corsOrigins`. */
  from: string;
  url: string;
  /** Default GET. */
  method?: string;
  /** Request headers the page sets. */
  headers?: Record<string, string> | ReadonlyArray<readonly [string, string]>;
  body?: string | null;
  /** fetch()'s credentials mode (XHR: `include` is withCredentials). Default `omit`. */
  credentials?: 'omit' | 'include';
  /** Default fetch. */
  client?: 'fetch' | 'xhr';
}

/** One exchange on the wire, as the run's proxy saw it (its fields documented on WireEvent). */
export type CorsExchange = Omit<WireEvent, 'detail'>;

/** What one probe found. */
export interface CorsProbeResult {
  request: {
    from: string;
    url: string;
    method: string;
    headers: Array<[string, string]>;
    credentials: 'omit' | 'include';
    client: 'fetch' | 'xhr';
  };
  browser: { name: string; version: string };
  /** allowed: the page could read the response · blocked: it could not · error: the exchange failed on the network. */
  outcome: Outcome | 'error';
  /** The status the page saw (allowed only). */
  status: number | null;
  /** Lowercased names of the response headers the page could read. */
  readableHeaders: string[];
  /** The browser's own reason (Chromium's CorsError name), null where it gives none. */
  browserReason: string | null;
  /** The Fetch Standard's answer on the headers the server really sent; null without a response. */
  standard: { outcome: Outcome; reason: string; text: string; preflight: boolean } | null;
  /** Every request of the probe that reached the server, preflight first. */
  exchanges: CorsExchange[];
  /** What the page itself saw go wrong (an exception's text), if anything. */
  pageError: string | null;
}

export interface CorsFixture {
  /** Sends one request from a page on `request.from` and reports what the browser did. */
  probe(request: CorsProbeRequest): Promise<CorsProbeResult>;
  /**
   * `cors-conform verify` for one URL, from `corsOrigins` (unless `options.origins` says
   * otherwise) and the attacker origins derived from them; resolves to the `--format json` object.
   */
  verify(url: string, options?: Omit<VerifyRequest, 'url'>): Promise<VerifyJson>;
}

export interface CorsOptions {
  /** The origins your pages live on; probes come from pages on them. */
  corsOrigins: string[];
  /** Deadline of each exchange in ms (default 10000). */
  corsTimeout: number;
}

interface CorsWorker {
  corsEnvironments: EnvironmentCache;
}

/** One browser per set of page origins, per worker: opening one costs a second or two. */
class EnvironmentCache {
  private readonly open = new Map<string, Promise<ProbeEnvironment | { missing: string }>>();
  constructor(
    readonly kind: BrowserKind,
    private readonly given: FoundBrowser | undefined,
  ) {}

  get(pages: readonly PageOrigin[]): Promise<ProbeEnvironment | { missing: string }> {
    const key = [...new Set(pages.map((p) => p.pageUrl))].sort().join(' ');
    let env = this.open.get(key);
    if (!env) {
      env = ProbeEnvironment.open(this.kind, pages, PLACEHOLDER_TARGET, this.given);
      this.open.set(key, env);
    }
    return env;
  }

  async close(): Promise<void> {
    for (const env of this.open.values()) {
      const e = await env;
      if (e instanceof ProbeEnvironment) await e.close();
    }
  }
}

/** No target lives here; an environment only needs a URL to compare host:port with. */
const PLACEHOLDER_TARGET = 'http://127.0.0.1:9/';

function headerList(headers: CorsProbeRequest['headers']): Array<[string, string]> {
  if (!headers) return [];
  return Array.isArray(headers) ? headers.map(([n, v]) => [n, v] as [string, string]) : Object.entries(headers);
}

/** The exchanges as Node-style raw exchanges, for the oracle's replay (verify's responder). */
function asRaw(events: readonly WireEvent[]): { actual: RawExchange | null; preflight: RawExchange | null } {
  const raw = (e: WireEvent): RawExchange => ({
    request: { method: e.method, url: e.url, headers: Object.fromEntries(e.requestHeaders.map(([n, v]) => [n.toLowerCase(), v])) },
    response: e.status === null ? null : { status: e.status, headers: e.responseHeaders },
    error: e.status === null ? (e.detail ?? 'no response') : null,
  });
  const pre = events.find((e) => e.preflight);
  const actual = events.filter((e) => !e.preflight).map(raw);
  const first = actual[0] ?? null;
  if (first && actual.length > 1) first.hops = actual.slice(1);
  return { actual: first, preflight: pre ? raw(pre) : null };
}

async function probeOnce(
  cache: EnvironmentCache,
  origins: readonly string[],
  request: CorsProbeRequest,
  timeoutMs: number,
): Promise<CorsProbeResult> {
  const pages = origins.map((o) => pageOrigin(o)).filter((p): p is PageOrigin => p !== null);
  const page = pages.find((p) => p.origin === request.from);
  if (!page)
    throw new Error(
      `cors.probe: from ${request.from} is not one of corsOrigins (${origins.join(', ') || 'none'}): add it with test.use({ corsOrigins: [...] })`,
    );
  const env = await cache.get(pages);
  if (!(env instanceof ProbeEnvironment)) throw new Error(`cors.probe: ${env.missing}`);
  const method = request.method ?? 'GET';
  const headers = headerList(request.headers);
  const credentials = request.credentials ?? 'omit';
  const client = request.client ?? 'fetch';
  const probe: VerifyProbe = {
    id: 'probe',
    role: 'allowed',
    kind: 'named',
    page,
    derivedFrom: null,
    shape: 'get',
    method,
    headers,
    body: request.body ?? null,
    credentials: credentials === 'include',
    client,
    readHeaders: null,
    expected: 'allowed',
    because: 'asked for by the test',
    skip: null,
    via: 'browser',
  };
  const url = verifyUrl(request.url, newToken());
  // The probing browser ignores certificate errors (it loads the local pages), so the proxy does
  // too: a test's own server on https with a self-signed certificate is probed as a browser sees it.
  const seen = (await runInBrowser(env, [{ probe, url }], { concurrency: 1, gate: new WireGate(2, timeoutMs), insecure: true })).get(url)!;
  if (seen.outcome === 'not-run') throw new Error(`cors.probe: ${seen.notRun ?? 'the probe did not run'}`);
  const { actual, preflight } = asRaw(seen.wire);
  const prediction = actual?.response
    ? predict({ origin: page.origin, url, method, headers, credentials, client }, responderFrom(actual, preflight))
    : null;
  const failed = seen.wire.find((e) => e.end === 'timeout' || e.end === 'network-error');
  const mapped = seen.browserReason ? CHROMIUM_CORS_ERRORS[seen.browserReason] : undefined;
  const outcome: CorsProbeResult['outcome'] =
    seen.outcome === 'blocked' && failed && !mapped && !(failed.status !== null && prediction?.outcome === 'blocked')
      ? 'error'
      : seen.outcome;
  return {
    request: { from: page.origin, url: request.url, method, headers, credentials, client },
    browser: { name: env.kind, version: env.version },
    outcome,
    status: seen.status,
    readableHeaders: seen.headers.map(([n]) => n.toLowerCase()).sort(),
    browserReason: seen.browserReason,
    standard: prediction
      ? { outcome: prediction.outcome, reason: prediction.reason, text: REASONS[prediction.reason], preflight: prediction.preflight }
      : null,
    exchanges: seen.wire.map((e) => ({
      method: e.method,
      url: shown(e.url),
      preflight: e.preflight,
      requestHeaders: e.requestHeaders,
      status: e.status,
      responseHeaders: e.responseHeaders,
      end: e.end,
    })),
    pageError: seen.pageError,
  };
}

/** A probe as a matrix record (suite `playwright`), so `cors-conform/reporter` shows it. */
function probeRecord(r: CorsProbeResult, testInfo: TestInfo, n: number): CaseRecord {
  const actual = r.exchanges.find((e) => !e.preflight);
  const preflight = r.exchanges.find((e) => e.preflight);
  const answer = (e: CorsExchange | undefined) => ({ status: e?.status ?? 0, headers: e?.responseHeaders ?? [] });
  return {
    suite: 'playwright',
    caseId: `${testInfo.titlePath.slice(1).join(' › ')}${n > 1 ? ` #${n}` : ''}`,
    category: 'probe',
    title: `${r.request.method} ${r.request.url} from ${r.request.from}`,
    spec: '#http-cors-protocol',
    browser: r.browser,
    server: new URL(r.request.url).origin,
    responses: [{ url: r.request.url, preflight: answer(preflight), response: answer(actual) }],
    steps: [
      {
        request: { ...r.request, redirect: 'follow' },
        expected: {
          outcome: r.standard?.outcome ?? 'blocked',
          reason: r.standard?.reason ?? '',
          preflight: r.standard?.preflight ?? false,
          status: null,
          readableHeaders: [],
        },
        observed: {
          outcome: r.outcome === 'allowed' ? 'allowed' : 'blocked',
          status: r.status,
          readableHeaders: r.readableHeaders,
          browserReason: r.browserReason,
          browserReasonCode: r.browserReason ? (CHROMIUM_CORS_ERRORS[r.browserReason] ?? null) : null,
          error: r.pageError,
        },
      },
    ],
    wire: { expected: [], observed: [] },
    deviation: null,
    verdict: 'pass',
    problems: [],
  };
}

export const test = baseTest.extend<CorsOptions & { cors: CorsFixture }, CorsWorker>({
  corsOrigins: [[], { option: true }],
  corsTimeout: [10_000, { option: true }],

  corsEnvironments: [
    async ({ browserName, launchOptions }, use) => {
      const kind = browserName as BrowserKind;
      // The project's own executable, when it names one; else discovery (its Playwright's build first).
      // A browser that is missing is found missing when a test first probes: its message says
      // what to install.
      const given: FoundBrowser | undefined = launchOptions.executablePath
        ? { kind, source: 'env', executablePath: launchOptions.executablePath, channel: kind === 'firefox' ? 'moz-firefox' : undefined }
        : undefined;
      const cache = new EnvironmentCache(kind, given);
      await use(cache);
      await cache.close();
    },
    { scope: 'worker', timeout: 60_000 },
  ],

  cors: async ({ corsEnvironments, corsOrigins, corsTimeout }, use, testInfo) => {
    let probes = 0;
    await use({
      async probe(request) {
        const result = await probeOnce(corsEnvironments, corsOrigins, request, corsTimeout);
        attachRecord(testInfo, probeRecord(result, testInfo, ++probes));
        return result;
      },
      async verify(url, options = {}) {
        const checked = checkRequest(
          {
            origins: corsOrigins,
            timeoutMs: corsTimeout,
            ...options,
            url,
            browser: options.browser ?? (corsEnvironments.kind === 'firefox' ? 'firefox' : 'chromium'),
          },
          API_NAMES,
        );
        const expectations = resolveExpectations(checked.expect, { origins: checked.origins, credentials: checked.credentials });
        const plan = buildPlan({ targetUrl: checked.url!, expectations, methods: checked.methods, headers: checked.headers });
        const env = checked.browser === corsEnvironments.kind ? await corsEnvironments.get(plan.pages) : null;
        const { run } = await runChecked(checked, { environments: env instanceof ProbeEnvironment ? { [env.kind]: env } : undefined });
        const json = jsonOf(run);
        await testInfo.attach('cors-verify.json', { body: JSON.stringify(json, null, 2), contentType: 'application/json' });
        await testInfo.attach('cors-verify.md', { body: render('markdown', run, checked.failOn, null), contentType: 'text/markdown' });
        for (const report of run.reports) for (const r of report.probes) attachRecord(testInfo, toCaseRecord(r, report.browser));
        return json;
      },
    });
  },
});

// ---------------------------------------------------------------------------------------------
// Matchers

function lines(headers: ReadonlyArray<readonly [string, string]>, indent: string): string {
  return headers.length === 0 ? `${indent}(none)` : headers.map(([n, v]) => `${indent}${n}: ${v}`).join('\n');
}

/** Everything a failure message needs: what was asked, what the browser and the standard said, the wire. */
export function describeProbe(r: CorsProbeResult): string {
  const out = [
    `  request:  ${r.request.method} ${r.request.url} from ${r.request.from} (${r.request.client}, credentials ${r.request.credentials})`,
    ...(r.request.headers.length ? [lines(r.request.headers, '            ')] : []),
    `  ${r.browser.name} ${r.browser.version}: ${r.outcome}${r.status !== null ? ` (status ${r.status})` : ''}${r.browserReason ? ` – its reason: ${r.browserReason}` : ''}${r.pageError ? ` – the page saw: ${r.pageError}` : ''}`,
    `  Fetch Standard, on the headers the server sent: ${r.standard ? `${r.standard.outcome} (${r.standard.reason}) – ${r.standard.text}` : 'no response to judge'}`,
    `  readable response headers: ${r.readableHeaders.join(', ') || '(none)'}`,
  ];
  for (const e of r.exchanges) {
    out.push(`  ${e.preflight ? 'preflight' : 'exchange'}: ${e.method} ${e.url} → ${e.status ?? `no response (${e.end})`}`);
    out.push(lines(e.responseHeaders, '            '));
  }
  if (r.exchanges.length === 0) out.push('  nothing reached the server');
  return out.join('\n');
}

function reasonMatches(r: CorsProbeResult, reason: string | RegExp): boolean {
  const candidates = [r.standard?.reason, r.browserReason, r.browserReason ? CHROMIUM_CORS_ERRORS[r.browserReason] : undefined].filter(
    (x): x is string => typeof x === 'string',
  );
  return candidates.some((c) => (typeof reason === 'string' ? c === reason : reason.test(c)));
}

function reportsOf(json: VerifyJson) {
  return 'browsers' in json ? json.browsers : [json];
}

export const expect = baseExpect.extend({
  /** The page could read the response. */
  toBeAllowed(received: CorsProbeResult) {
    const pass = received.outcome === 'allowed';
    return {
      pass,
      name: 'toBeAllowed',
      message: () =>
        `${pass ? 'expected the browser to block the request, but it allowed it' : `expected the browser to allow the request, but it ${received.outcome === 'error' ? 'failed on the network' : 'blocked it'}`}\n${describeProbe(received)}`,
    };
  },

  /** The page could not read the response – for this reason, when one is given (the oracle's code or Chromium's name). */
  toBeBlocked(received: CorsProbeResult, reason?: string | RegExp) {
    const blocked = received.outcome === 'blocked';
    const pass = blocked && (reason === undefined || reasonMatches(received, reason));
    const why = reason === undefined ? '' : ` for ${String(reason)}`;
    if (reason !== undefined && typeof reason === 'string' && !isReason(reason) && !(reason in CHROMIUM_CORS_ERRORS)) {
      return {
        pass: false,
        name: 'toBeBlocked',
        message: () => `toBeBlocked(${JSON.stringify(reason)}): not a reason code cors-conform knows (see REASONS)`,
      };
    }
    return {
      pass,
      name: 'toBeBlocked',
      message: () =>
        `${pass ? `expected the request not to be blocked${why}` : `expected the browser to block the request${why}, but it was ${received.outcome}`}\n${describeProbe(received)}`,
    };
  },

  /** The page could read this response header. */
  toExposeHeader(received: CorsProbeResult, name: string) {
    const pass = received.outcome === 'allowed' && received.readableHeaders.includes(name.toLowerCase());
    return {
      pass,
      name: 'toExposeHeader',
      message: () =>
        `${pass ? `expected ${name} not to be readable` : `expected the page to read the response header ${name}`}\n${describeProbe(received)}`,
    };
  },

  /** No finding at or above `failOn` (default low: none at all) in a `cors.verify()` report. */
  toHaveNoCorsFindings(received: VerifyJson, options: { failOn?: Severity } = {}) {
    const failOn = options.failOn ?? 'low';
    const found: Array<{ browser: string; finding: Pick<Finding, 'id' | 'severity' | 'origin' | 'evidence' | 'fix'> }> = [];
    for (const report of reportsOf(received)) {
      for (const f of failingFindings(report.findings as Finding[], failOn)) found.push({ browser: report.browser.name, finding: f });
    }
    const pass = found.length === 0;
    return {
      pass,
      name: 'toHaveNoCorsFindings',
      message: () =>
        pass
          ? `expected CORS findings at or above ${failOn} for ${received.target}, found none`
          : [
              `expected no CORS findings at or above ${failOn} for ${received.target}, found ${found.length}:`,
              ...found.map(({ browser, finding: f }) =>
                [
                  `  [${f.severity}] ${f.id} – ${f.origin || '(no origin)'} (${browser})`,
                  `    ${f.evidence.summary}`,
                  ...(f.evidence.reason
                    ? [`    reason (${f.evidence.reason.source}): ${f.evidence.reason.code} – ${f.evidence.reason.text}`]
                    : []),
                  `    fix: ${f.fix.summary}`,
                  `      Express: ${f.fix.express}`,
                ].join('\n'),
              ),
            ].join('\n'),
    };
  },
});
