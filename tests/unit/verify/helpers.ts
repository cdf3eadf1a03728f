/**
 * A browser-less verify run for unit tests: the probes of a real plan, "run" by the oracle against
 * a scripted server (so results look like a standards-conforming browser's), then judged,
 * findings and all. Pure.
 */
import type { HeaderList } from '../../../harness/oracle';
import { predict } from '../../../harness/oracle';
import type { PageObservation } from '../../../harness/verify/browser-run';
import { probeInput, responderFrom, type EvidenceStore } from '../../../harness/verify/evidence';
import { resolveExpectations, type ExpectFile } from '../../../harness/verify/expect-file';
import { buildPlan } from '../../../harness/verify/plan';
import { resolveReadHeaders, toResult } from '../../../harness/verify/results';
import { fixContext, report, type VerifyRun } from '../../../harness/verify/run';
import type { BrowserReport, RawExchange, Severity, VerifyProbe } from '../../../harness/verify/types';

export const APP = 'https://app.example.com';
export const TARGET = 'https://api.example.com/data';

export type Server = (request: { method: string; origin: string; acrm: string | null; acrh: string | null }) => {
  status: number;
  headers: HeaderList;
};

export interface SimOptions {
  origins?: string[];
  credentials?: boolean;
  methods?: string[];
  headers?: Array<[string, string]>;
  expect?: ExpectFile;
  failOn?: Severity;
  /** Pretend the browser would not open these page origins. */
  refuse?: string[];
}

function evidenceFrom(server: Server, probes: readonly VerifyProbe[]): EvidenceStore {
  const all: RawExchange[] = [];
  const make = (method: string, headers: Record<string, string>): RawExchange => {
    const x: RawExchange = {
      request: { method, url: TARGET, headers },
      response: server({
        method,
        origin: headers.origin ?? '',
        acrm: headers['access-control-request-method'] ?? null,
        acrh: headers['access-control-request-headers'] ?? null,
      }),
      error: null,
    };
    all.push(x);
    return x;
  };
  const actual = new Map<string, RawExchange>();
  const preflight = new Map<string, RawExchange>();
  for (const p of probes) {
    actual.set(p.id, make(p.method === 'HEAD' ? 'HEAD' : 'GET', { origin: p.page.origin }));
    const shape = predict(
      {
        origin: p.page.origin,
        url: TARGET,
        method: p.method,
        headers: p.headers,
        credentials: p.credentials ? 'include' : 'omit',
        client: p.client,
      },
      () => null,
    ).preflightRequest;
    if (shape) {
      const { accept: _a, ...h } = shape.headers;
      preflight.set(p.id, make('OPTIONS', h));
    }
  }
  return { actual: (p) => actual.get(p.id) ?? null, preflight: (p) => preflight.get(p.id) ?? null, all: () => all };
}

export function simulate(server: Server, options: SimOptions = {}): { run: VerifyRun; report: BrowserReport } {
  const expectations = resolveExpectations(options.expect ?? null, {
    origins: options.origins ?? [APP],
    credentials: options.credentials ?? false,
  });
  const plan = buildPlan({ targetUrl: TARGET, expectations, methods: options.methods ?? [], headers: options.headers ?? [] });
  const evidence = evidenceFrom(server, plan.probes);
  const probes = resolveReadHeaders(plan.probes, evidence);
  const results = probes.map((probe, i) => {
    const url = `${TARGET}?_cors_conform=t${i}`;
    let obs: PageObservation;
    if (probe.skip)
      obs = { outcome: 'not-run', status: null, headers: [], browserReason: null, pageError: null, notRun: probe.skip, wire: [] };
    else if (options.refuse?.includes(probe.page.origin))
      obs = { outcome: 'not-run', status: null, headers: [], browserReason: null, pageError: null, notRun: 'refused', wire: [] };
    else {
      const p = predict(probeInput(probe, url), responderFrom(evidence.actual(probe), evidence.preflight(probe)));
      const response = evidence.actual(probe)!.response!;
      const headers = p.readableHeaders.map(
        (n) => [n, response.headers.find(([h]) => h.toLowerCase() === n)?.[1] ?? ''] as [string, string],
      );
      obs = { outcome: p.outcome, status: p.status, headers, browserReason: null, pageError: null, notRun: null, wire: [] };
    }
    return toResult(probe, url, obs, evidence);
  });
  const ctx = fixContext({ ...plan, probes }, expectations, options.methods ?? [], options.headers ?? []);
  const r = report(TARGET, { name: 'chromium', version: '156.0.0.0' }, results, evidence, ctx, options.failOn ?? 'high');
  return {
    report: r,
    run: {
      target: TARGET,
      reports: [r],
      verdict: r.verdict,
      skippedAttackers: plan.skippedAttackers,
      localNetwork: null,
      error: null,
      ms: 1234,
    },
  };
}

/** A server in the style of servers/reference/node-http.ts: `admits` decides, Vary: Origin always. */
export function policyServer(
  admits: (origin: string) => boolean,
  opts: { credentials?: boolean; methods?: string[]; exposed?: string[]; vary?: boolean; value?: (o: string) => string } = {},
): Server {
  return ({ method, origin, acrm }) => {
    const headers: Array<[string, string]> = [];
    if (opts.vary !== false) headers.push(['Vary', 'Origin']);
    if (admits(origin)) {
      headers.push(['Access-Control-Allow-Origin', opts.value ? opts.value(origin) : origin]);
      if (opts.credentials) headers.push(['Access-Control-Allow-Credentials', 'true']);
      if (method === 'OPTIONS' && acrm) {
        headers.push(['Access-Control-Allow-Methods', (opts.methods ?? ['GET', 'HEAD', 'POST', 'PUT']).join(', ')]);
        headers.push(['Access-Control-Allow-Headers', 'X-Api-Key']);
      } else if (opts.exposed) headers.push(['Access-Control-Expose-Headers', opts.exposed.join(', ')]);
    }
    headers.push(['X-Request-Id', '7'], ['Content-Type', 'text/plain']);
    return { status: method === 'OPTIONS' ? 204 : 200, headers };
  };
}
