/**
 * The harness-free reference: the bench's own cases – the same mix, the same N, the same
 * responses – sent from a bare page with nothing of the harness: no in-page runner, no in-flight
 * cap, no results handed back, no wire log, no oracle, no records. The server answers each request
 * as its case scripts it and remembers nothing.
 *
 * It answers a question the ceiling cannot: how much of the gap between the in-test rate and the
 * ceiling is the harness's, and how much is the work itself. The ceiling is a warm browser firing
 * the simplest two kinds of request; the in-test figure is a freshly launched browser opening its
 * page and sending the bench's whole mix (credentialed, blocked, XHR and POST cases as well). So
 * this is measured both ways:
 *   - cold: a browser launched for it (launch not counted, as in-test does not count it), timed
 *     from opening the page to the last response – the window the in-test figure has;
 *   - warm: a new page in the warm browser, the better of two rounds – the ceiling's conditions.
 */
import type http from 'node:http';
import type { ProbePage as Page } from '../harness/browser/engines';
import { launchProbeBrowser, type ProbeBrowser } from '../harness/browser/engines';
import { fill, type CaseSpec, type ResponseSpec } from '../harness/protocol/case';
import { startBareServer } from './bare-server';

export interface HarnessFree {
  /** A fresh browser: page open to last response. */
  coldCasesPerSec: number;
  /** The warm browser, a new page, the better of two rounds. */
  warmCasesPerSec: number;
}

interface Request {
  url: string;
  method: string;
  headers: Array<[string, string]>;
  body: string | null;
  client: 'fetch' | 'xhr';
  credentials: string;
}

/** Answers /h/<i> as case i scripts it (only `{origin}` is filled in), recording nothing. */
function answerAsScripted(cases: readonly CaseSpec[]): http.RequestListener {
  return (req, res) => {
    const spec = cases[Number(/^\/h\/(\d+)/.exec(req.url ?? '')?.[1] ?? -1)];
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    const answer: ResponseSpec = (preflight ? spec?.preflight : spec?.response) ?? { status: preflight ? 204 : 404 };
    const raw: string[] = [];
    for (const [name, value] of answer.headers ?? []) raw.push(name, fill(value, { origin: String(req.headers.origin) }));
    const status = answer.status ?? 200;
    const body = status === 204 ? '' : 'ok';
    if (body) raw.push('Content-Length', String(body.length));
    req.resume();
    req.on('end', () => {
      res.writeHead(status, raw);
      res.end(body || undefined);
    });
  };
}

/** The page's requests, one per case; only one-request, one-hop cases can be sent this way. */
function requestsFor(cases: readonly CaseSpec[], port: number, round: string): Request[] {
  return cases.map((spec, i) => {
    if (spec.hops || spec.steps) throw new Error(`the harness-free reference sends one request per case; ${spec.id} has hops or steps`);
    const r = spec.request ?? {};
    if (r.client !== undefined && r.client !== 'fetch' && r.client !== 'xhr')
      throw new Error(`the harness-free reference sends fetch() and XHR only; ${spec.id} uses ${r.client}`);
    return {
      url: `http://api.localhost:${port}/h/${i}?r=${round}`,
      method: r.method ?? 'GET',
      headers: r.headers ?? [],
      body: r.body ?? null,
      client: (r.client ?? 'fetch') as Request['client'],
      credentials: r.credentials ?? 'same-origin',
    };
  });
}

/** Every request at once, outcome ignored (a blocked request settles too); resolves when all have. */
async function fire(page: Page, requests: Request[]): Promise<number> {
  return (await page.evaluate(`(async (requests) => {
    const t0 = performance.now();
    await Promise.all(requests.map((r) => r.client === 'xhr'
      ? new Promise((done) => {
          const x = new XMLHttpRequest();
          x.open(r.method, r.url);
          x.withCredentials = r.credentials === 'include';
          for (const [n, v] of r.headers) x.setRequestHeader(n, v);
          x.onloadend = done;
          x.send(r.body);
        })
      : fetch(r.url, { method: r.method, headers: r.headers, body: r.body === null ? undefined : r.body, credentials: r.credentials, mode: 'cors' })
          .then((res) => res.text(), () => null)));
    return performance.now() - t0;
  })(${JSON.stringify(requests)})`)) as number;
}

export async function measureHarnessFree(warmBrowser: ProbeBrowser, cases: readonly CaseSpec[]): Promise<HarnessFree> {
  const server = await startBareServer(answerAsScripted(cases));
  const { port, pageUrl } = server;
  try {
    // Cold: a browser of the same kind, launched the way the harness launches it.
    const fresh = await launchProbeBrowser(warmBrowser.found);
    let coldMs: number;
    try {
      const requests = requestsFor(cases, port, 'cold');
      const t0 = performance.now();
      const { page } = await fresh.newProbingPage();
      await page.goto(pageUrl);
      await fire(page, requests);
      coldMs = performance.now() - t0;
    } finally {
      await fresh.close();
    }
    // Warm: as the ceiling is measured.
    const { page } = await warmBrowser.newProbingPage();
    let warmMs = Number.POSITIVE_INFINITY;
    try {
      await page.goto(pageUrl);
      for (const round of ['w1', 'w2']) warmMs = Math.min(warmMs, await fire(page, requestsFor(cases, port, round)));
    } finally {
      await page.close();
    }
    return { coldCasesPerSec: (cases.length / coldMs) * 1000, warmCasesPerSec: (cases.length / warmMs) * 1000 };
  } finally {
    await server.stop();
  }
}
