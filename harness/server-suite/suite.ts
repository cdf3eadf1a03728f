/**
 * The server-conformance suite: one Playwright test per (server, policy, probe), named
 * `<server> › <policy> › <probe>-is-<expected>`. All probes of a server run as one batch from open
 * pages (app, evil, the evilapp lookalike and the sandboxed null page) the first time a test needs
 * a result: every policy's server is started on its own port and host
 * (`<policy>.<server>.localhost`), every probe gets its own token, the wire is collected and the
 * servers are stopped. Each test then judges its own probe (harness/server-suite/judge.ts).
 */
import type { TestDetails, TestInfo } from '@playwright/test';
import { expect } from '@playwright/test';
import type { OriginPlan } from '../browser/origins';
import { newToken, referenceUrl } from '../core/probe-url';
import { pageSteps } from '../browser/steps';
import { LazyBatch } from '../core/batch';
import type { ProbingEnv } from '../browser/runner';
import { batchesByPage, type PageProbeResult } from '../browser/runner';
import { needsPreflight, type BrowserKind } from '../oracle';
import { attachRecord, type CaseRecord } from '../core/record';
import {
  expectFor,
  LOOKALIKE_HOST,
  probesFor,
  SERVER_PAGES,
  probeTestName,
  quirkText,
  serializedOrigins,
  type PolicyCase,
  type ServerPage,
  type ServerProbe,
} from './model';
import { failureMessage, judgeServerProbe, SESSION_COOKIE, type MaterializedProbe, type ServerObservation } from './judge';
import { describePolicy, parsePolicy, PolicyError, type Policy } from '../../servers/policy';
import { REFERENCE_SERVERS, type RunningServer, type ServerName } from '../../servers/reference';

/** The port used to name tests before any server runs; expectations never depend on ports. */
const NAMING_PORT = 1;

/**
 * A step that takes longer than this counts as blocked (timeout). Nothing here should ever take
 * seconds; the margin is for a machine shared with other work (two CPUs under a load of ten).
 */
export const SERVER_STEP_TIMEOUT_MS = 30_000;

/** The test that runs the batch waits for all of it: servers, pages and every probe. */
const BATCH_TEST_TIMEOUT_MS = 180_000;

function pageOf(plan: OriginPlan, page: ServerPage): { url: string; origin: string } {
  if (page === 'lookalike') {
    const origin = `http://${LOOKALIKE_HOST}:${plan.ports.http}`;
    return { url: `${origin}/__page`, origin };
  }
  return { url: plan.pageUrl(page), origin: plan.origin(page) };
}

export function targetHost(server: ServerName, policyId: string): string {
  return `${policyId}.${server}.localhost`;
}

function materialize(probe: ServerProbe, plan: OriginPlan, base: string): MaterializedProbe {
  const token = newToken();
  const page = pageOf(plan, probe.page);
  const first = probe.steps[0]!;
  const url0 = referenceUrl(base, first.path, token);
  const hopUrls = first.path === '/redirect' ? [url0, referenceUrl(base, '/data', token)] : [url0];
  const requests = probe.steps.map((s) => ({ ...s, url: referenceUrl(base, s.path, token), redirect: 'follow' as const }));
  const { steps, inputs, at } = pageSteps(page.origin, requests, SERVER_STEP_TIMEOUT_MS);
  return { probe, token, page: probe.page, pageUrl: page.url, pageOrigin: page.origin, hopUrls, steps, inputs, at };
}

/**
 * How many cache probes may wait side by side in one phase, per engine: each adds one
 * preflight-cache entry that must outlive 6 s of other probes. Firefox keeps 100 entries, least
 * recently used out first; Chromium keeps 1,024 (kMaxCacheEntries in its preflight_cache.cc) and,
 * when full, drops a random run of 10. Measured here with distinct URLs and max-age 600: Firefox
 * kept the first entry after 100 others and lost it after 101; Chromium kept it after 300 and lost
 * it after 1,100. WebKit is not measured yet, so it gets Firefox's bound.
 */
const CACHE_PROBES_AT_ONCE: Record<BrowserKind, number> = { chromium: 500, firefox: 90, webkit: 90 };

/** `items` cut into `parts` runs of near-equal length, in order. */
function split<T>(items: readonly T[], parts: number): T[][] {
  const size = Math.ceil(items.length / parts);
  return Array.from({ length: parts }, (_, i) => items.slice(i * size, (i + 1) * size));
}

const key = (server: ServerName, policyId: string, probeBase: string) => `${server}|${policyId}|${probeBase}`;

/**
 * Runs every probe of these servers under every policy of the table as one batch (so the probes
 * that wait – the preflight-cache probe – overlap everything else instead of adding up per
 * server); returns observations by server|policy|probe. Servers that cannot run here are left out
 * (their tests report them as not run).
 */
export async function runServerBatch(
  env: ProbingEnv,
  servers: readonly ServerName[],
  table: readonly PolicyCase[],
  probes: (policy: Policy) => ServerProbe[] = probesFor,
): Promise<Map<string, ServerObservation>> {
  const port = env.plan.ports.http;
  const running: Array<{
    name: ServerName;
    policyCase: PolicyCase;
    policyText: string;
    server: RunningServer;
    probes: MaterializedProbe[];
  }> = [];
  // Every policy probes from every page (probesFor). The pages open while the servers start (php
  // is a process of its own): both take hundreds of ms.
  void env.session.preload(SERVER_PAGES.map((p) => pageOf(env.plan, p).url));
  type Running = (typeof running)[number];
  const planned = servers
    .filter((server) => !REFERENCE_SERVERS[server].unavailable())
    .map((server) => ({
      server,
      cases: table.map((policyCase) => {
        try {
          return { policyCase, policy: parsePolicy(policyCase.policy(serializedOrigins(port))) };
        } catch (e) {
          throw new Error(`policy ${policyCase.id}: ${e instanceof PolicyError ? e.message : String(e)}`, { cause: e });
        }
      }),
    }));
  /** Starts these servers under every policy at once; what started is in `running` whatever else failed. */
  const start = async (which: typeof planned): Promise<Running[]> => {
    const started = await Promise.allSettled(
      which.map(async ({ server, cases }) => {
        const factory = REFERENCE_SERVERS[server];
        const policies = cases.map((c) => c.policy);
        const servers = factory.startAll ? await factory.startAll(policies) : await Promise.all(policies.map((p) => factory.start(p)));
        return servers.map((srv, i): Running => {
          const { policyCase, policy } = cases[i]!;
          const base = `http://${targetHost(server, policyCase.id)}:${srv.port}`;
          return {
            name: server,
            policyCase,
            policyText: describePolicy(policy),
            server: srv,
            probes: probes(policy).map((p) => materialize(p, env.plan, base)),
          };
        });
      }),
    );
    const ok = started.flatMap((s) => (s.status === 'fulfilled' ? s.value : []));
    running.push(...ok);
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    // Every target host holds one cookie; credentialed requests must carry it, others must not.
    await env.browser.addCookies(
      ok.map((r) => ({
        name: SESSION_COOKIE,
        value: '1',
        domain: targetHost(r.name, r.policyCase.id),
        path: '/',
        secure: true,
        sameSite: 'None' as const,
      })),
    );
    return ok;
  };
  // The programs that serve every policy from one process (Apache, nginx, the Mono host: startAll)
  // take seconds to answer; they start in the background while the other servers' first phase runs.
  const programs = start(planned.filter((p) => REFERENCE_SERVERS[p.server].startAll));
  programs.catch(() => {});
  try {
    const results = new Map<string, PageProbeResult>();
    const runPhase = async (phase: readonly MaterializedProbe[]) => {
      if (phase.length === 0) return;
      for (const [id, result] of await env.session.run(batchesByPage(phase))) results.set(id, result);
    };
    // Phases, for the preflight-cache probe (a PUT, then the same PUT 6 s later, which must
    // reuse the cached preflight). Browsers bound their preflight cache (CACHE_PROBES_AT_ONCE;
    // Fetch #cors-preflight-cache lets a user agent drop entries early) and every other preflight
    // adds an entry, so while they ran alongside, the probe's entry could be evicted before its
    // second PUT (seen in Firefox: 3 of 5 runs with three workers, and under load with two). So
    // the probes that preflight run first: the other servers' while the programs (Apache, nginx,
    // the Mono host: seconds to answer) start, then the programs'. Then every server's cache
    // probes wait out their 6 s beside the probes that never preflight (Fetch #main-fetch:
    // CORS-safelisted method and headers), which add no entries: as few windows as the engine's
    // cache allows, the safelisted probes shared evenly among them so no window waits alone.
    const waits = (m: MaterializedProbe) => m.steps.some((s) => s.delayMs > 0);
    const preflights = (m: MaterializedProbe) => m.steps.some((s) => needsPreflight(s.method, s.headers));
    const preflightPhase = (group: readonly Running[]) =>
      runPhase(group.flatMap((r) => r.probes).filter((m) => !waits(m) && preflights(m)));
    const others = await start(planned.filter((p) => !REFERENCE_SERVERS[p.server].startAll));
    await preflightPhase(others);
    await preflightPhase(await programs);
    const probes = running.flatMap((r) => r.probes);
    const cacheProbes = probes.filter(waits);
    const windows = Math.max(1, Math.ceil(cacheProbes.length / CACHE_PROBES_AT_ONCE[env.browser.kind]));
    const safelisted = split(
      probes.filter((m) => !waits(m) && !preflights(m)),
      windows,
    );
    for (const [i, chunk] of split(cacheProbes, windows).entries()) await runPhase([...chunk, ...safelisted[i]!]);
    const out = new Map<string, ServerObservation>();
    for (const r of running) {
      await r.server.collect();
      for (const m of r.probes) {
        const result = results.get(m.token);
        if (!result) throw new Error(`${r.name} › ${r.policyCase.id} › ${m.probe.base}: the page returned no result`);
        out.set(key(r.name, r.policyCase.id, m.probe.base), {
          server: r.name,
          policyCase: r.policyCase,
          policyText: r.policyText,
          probe: m,
          steps: result.steps,
          wire: r.server.wire.entries(m.token),
          expected: expectFor(r.name, r.policyCase, m.probe, port),
        });
      }
    }
    return out;
  } finally {
    await programs.catch(() => {});
    await Promise.all(running.map((r) => r.server.stop().catch(() => {})));
  }
}

function notRunRecord(
  server: ServerName,
  policyCase: PolicyCase,
  probe: ServerProbe,
  name: string,
  browser: string,
  reason: string,
): CaseRecord {
  return {
    suite: 'servers',
    caseId: `${server} › ${policyCase.id} › ${name}`,
    category: probe.category,
    title: `${policyCase.title} Probe: ${probe.title}.`,
    spec: probe.spec,
    browser: { name: browser, version: '' },
    server,
    policy: policyCase.id,
    responses: [],
    steps: [],
    wire: { expected: [], observed: [] },
    deviation: null,
    quirk: null,
    verdict: 'not-run',
    problems: [],
    notRunReason: reason,
  };
}

export interface ServerTest {
  name: string;
  details: TestDetails;
  body: (fixtures: { probing: ProbingEnv }, testInfo: TestInfo) => Promise<void>;
}

/**
 * Policies picked from the whole table by id, for one spec file; `CORS_CONFORM_POLICIES=a,b`
 * narrows every file further (to debug one policy, and for the test that runs a deliberately
 * broken server). Names unknown to the whole table are an error, not an empty run.
 */
export function selectPolicies(table: readonly PolicyCase[], ids: readonly string[]): PolicyCase[] {
  const seen = new Set<string>();
  for (const c of table) {
    if (seen.has(c.id)) throw new Error(`duplicate policy id ${c.id}`);
    seen.add(c.id);
  }
  const missing = ids.filter((id) => !seen.has(id));
  if (missing.length > 0) throw new Error(`no such policies in the table: ${missing.join(', ')}`);
  const only = process.env.CORS_CONFORM_POLICIES?.split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const unknown = (only ?? []).filter((id) => !seen.has(id));
  if (unknown.length > 0) throw new Error(`CORS_CONFORM_POLICIES names unknown policies: ${unknown.join(', ')}`);
  return table.filter((c) => ids.includes(c.id) && (!only || only.includes(c.id)));
}

/**
 * The servers a spec file runs, narrowed by `CORS_CONFORM_SERVERS=a,b` (to debug one server);
 * names that are not servers are an error, not an empty run.
 */
export function selectServers(names: readonly ServerName[]): ServerName[] {
  const only = process.env.CORS_CONFORM_SERVERS?.split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const known = Object.keys(REFERENCE_SERVERS);
  const unknown = (only ?? []).filter((n) => !known.includes(n));
  if (unknown.length > 0) throw new Error(`CORS_CONFORM_SERVERS names unknown servers: ${unknown.join(', ')} (known: ${known.join(', ')})`);
  return names.filter((n) => !only || only.includes(n));
}

/**
 * Several servers under several policies. Spec files declare the tests themselves (so reports
 * point at the spec file), one describe per server, one test per policy:
 *
 *   const suite = new ServerSuite(SERVER_NAMES, selectPolicies(POLICY_TABLE, [...]));
 *   for (const server of suite.servers) test.describe(server, () => {
 *     for (const policy of suite.table) { const t = suite.policyTest(server, policy); test(t.name, t.details, t.body); }
 *   });
 *
 * Every probe of every server and policy runs as one batch per worker, the first time a test
 * needs a result.
 */
export class ServerSuite {
  private readonly batch: LazyBatch<ProbingEnv, ServerObservation>;

  /** `probes`: what each policy is asked (default: every page × every kind, probesFor). */
  constructor(
    readonly servers: readonly ServerName[],
    readonly table: readonly PolicyCase[],
    private readonly probes: (policy: Policy) => ServerProbe[] = probesFor,
  ) {
    this.batch = new LazyBatch((env) => runServerBatch(env, this.servers, this.table, this.probes));
  }

  observe(env: ProbingEnv, server: ServerName, policyId: string, probeBase: string): Promise<ServerObservation> {
    return this.batch.get(env, key(server, policyId, probeBase));
  }

  /**
   * One test per policy: every probe of the policy is judged and recorded (one `cors-case` record
   * per probe, so report rows still name server, policy and probe), and the test fails listing
   * each probe that went wrong. One test per probe cost ~17 ms of Playwright's own bookkeeping
   * each – 2,630 tests per browser – which was most of the suite's wall time (docs/speed.md).
   */
  policyTest(server: ServerName, policyCase: PolicyCase): ServerTest {
    const policy = parsePolicy(policyCase.policy(serializedOrigins(NAMING_PORT)));
    const planned = this.probes(policy).map((probe) => {
      const expected = expectFor(server, policyCase, probe, NAMING_PORT);
      return { probe, name: probeTestName(probe, expected.expected), quirk: quirkText(expected.quirks, policyCase) };
    });
    const quirks = [...new Set(planned.map((p) => p.quirk).filter((q): q is string => q !== null && q !== ''))];
    const annotation = [{ type: 'policy', description: describePolicy(policy) }, ...quirks.map((q) => ({ type: 'quirk', description: q }))];
    const body = async ({ probing }: { probing: ProbingEnv }, testInfo: TestInfo) => {
      const unavailable = REFERENCE_SERVERS[server].unavailable();
      if (unavailable) {
        // Counted as not run, with the reason – never silently dropped.
        for (const p of planned)
          attachRecord(testInfo, notRunRecord(server, policyCase, p.probe, p.name, probing.browser.kind, unavailable));
        testInfo.skip(true, `not run: ${unavailable}`);
        return;
      }
      testInfo.setTimeout(Math.max(testInfo.timeout, BATCH_TEST_TIMEOUT_MS));
      const failures: string[] = [];
      let failing = 0;
      for (const { probe, name } of planned) {
        const before = failures.length;
        const observation = await this.observe(probing, server, policyCase.id, probe.base);
        const judged = judgeServerProbe(observation, { name: probing.browser.kind, version: probing.browser.version });
        const actualName = probeTestName(probe, observation.expected.expected);
        if (actualName !== name)
          judged.record.problems.push(`the expectation depends on the port: named ${name}, expected ${actualName} at run time`);
        judged.record.caseId = `${server} › ${policyCase.id} › ${name}`;
        attachRecord(testInfo, judged.record);
        if (judged.intent.length > 0) failures.push(`${failureMessage(observation, name, 'intent')}: ${judged.intent.join('; ')}`);
        if (judged.standard.length > 0) failures.push(`${failureMessage(observation, name, 'standard')}: ${judged.standard.join('; ')}`);
        const other = judged.record.problems.filter((x) => !judged.intent.includes(x) && !judged.standard.includes(x));
        if (other.length > 0) failures.push(`${failureMessage(observation, name, 'all')}: ${other.join('; ')}`);
        if (failures.length > before) failing++;
      }
      expect(failures, `${server} › ${policyCase.id}: ${failing} of ${planned.length} probes differ`).toEqual([]);
    };
    return { name: policyCase.id, details: { tag: [`@server-${server}`], annotation }, body };
  }
}
