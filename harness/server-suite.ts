/**
 * The server-conformance suite: one Playwright test per (server, policy, probe), named
 * `<server> › <policy> › <probe>-is-<expected>`. All probes of a server run as one batch from open
 * pages (app, evil, the evilapp lookalike and the sandboxed null page) the first time a test needs
 * a result: every policy's server is started on its own port and host
 * (`<policy>.<server>.localhost`), every probe gets its own token, the wire is collected and the
 * servers are stopped. Each test then judges its own probe (harness/server-judge.ts).
 */
import type { TestDetails, TestInfo } from '@playwright/test';
import { expect } from './fixtures';
import type { OriginPlan } from './origins';
import { newToken, type ProtocolEnv } from './run-cases';
import type { Batch } from './probe/runner';
import { RECORD_ATTACHMENT, type CaseRecord } from './record';
import { expectFor, LOOKALIKE_HOST, probesFor, probeTestName, quirkText, serializedOrigins, type PolicyCase, type ServerPage, type ServerProbe } from './server-model';
import { failureMessage, judgeServerProbe, SESSION_COOKIE, type MaterializedProbe, type ServerObservation } from './server-judge';
import { describePolicy, parsePolicy, PolicyError } from '../servers/policy';
import { REFERENCE_SERVERS, type RunningServer, type ServerName } from '../servers/reference';

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
  const url0 = `${base}${first.path}?cc=${token}`;
  const hopUrls = first.path === '/redirect' ? [url0, `${base}/data?cc=${token}`] : [url0];
  const at: number[] = [];
  let clock = 0;
  const steps = probe.steps.map((s) => {
    clock += s.delayMs;
    at.push(clock);
    return {
      url: `${base}${s.path}?cc=${token}`,
      method: s.method,
      headers: s.headers,
      body: s.body,
      client: s.client,
      credentials: s.credentials,
      redirect: 'follow' as const,
      delayMs: s.delayMs,
      timeoutMs: SERVER_STEP_TIMEOUT_MS,
    };
  });
  const inputs = steps.map((s) => ({ origin: page.origin, url: s.url, method: s.method, headers: s.headers, credentials: s.credentials, client: s.client, redirect: s.redirect }));
  return { probe, token, page: probe.page, pageUrl: page.url, pageOrigin: page.origin, hopUrls, steps, inputs, at };
}

const key = (policyId: string, probeBase: string) => `${policyId}|${probeBase}`;

/** Runs every probe of one server under every policy of the table, batched; returns observations by policy|probe. */
export async function runServerBatch(env: ProtocolEnv, server: ServerName, table: readonly PolicyCase[]): Promise<Map<string, ServerObservation>> {
  const factory = REFERENCE_SERVERS[server];
  const port = env.plan.ports.http;
  const running: Array<{ policyCase: PolicyCase; policyText: string; server: RunningServer; probes: MaterializedProbe[] }> = [];
  try {
    for (const policyCase of table) {
      let policy;
      try {
        policy = parsePolicy(policyCase.policy(serializedOrigins(port)));
      } catch (e) {
        throw new Error(`policy ${policyCase.id}: ${e instanceof PolicyError ? e.message : String(e)}`, { cause: e });
      }
      const srv = await factory.start(policy);
      const base = `http://${targetHost(server, policyCase.id)}:${srv.port}`;
      running.push({ policyCase, policyText: describePolicy(policy), server: srv, probes: probesFor(policy).map((p) => materialize(p, env.plan, base)) });
    }
    // Every target host holds one cookie; credentialed requests must carry it, others must not.
    await env.browser.context.addCookies(
      running.map((r) => ({ name: SESSION_COOKIE, value: '1', domain: targetHost(server, r.policyCase.id), path: '/', secure: true, sameSite: 'None' as const })),
    );
    // Probes that wait (the preflight-cache probe) go first, so their waits overlap everything else
    // instead of trailing the batch while holding one of the page's in-flight slots.
    const waits = (m: MaterializedProbe) => m.steps.some((s) => s.delayMs > 0);
    const ordered = running.flatMap((r) => r.probes).sort((a, b) => Number(waits(b)) - Number(waits(a)));
    const byPage = new Map<string, Batch>();
    for (const m of ordered) {
      const batch = byPage.get(m.pageUrl) ?? { pageUrl: m.pageUrl, probes: [] };
      batch.probes.push({ id: m.token, steps: m.steps });
      byPage.set(m.pageUrl, batch);
    }
    const results = await env.session.run([...byPage.values()]);
    const out = new Map<string, ServerObservation>();
    for (const r of running) {
      await r.server.collect();
      for (const m of r.probes) {
        const result = results.get(m.token);
        if (!result) throw new Error(`${server} › ${r.policyCase.id} › ${m.probe.base}: the page returned no result`);
        out.set(key(r.policyCase.id, m.probe.base), {
          server,
          policyCase: r.policyCase,
          policyText: r.policyText,
          probe: m,
          steps: result.steps,
          wire: r.server.wire.entries(m.token),
          expected: expectFor(server, r.policyCase, m.probe, port),
        });
      }
    }
    return out;
  } finally {
    await Promise.all(running.map((r) => r.server.stop().catch(() => {})));
  }
}

function notRunRecord(server: ServerName, policyCase: PolicyCase, probe: ServerProbe, name: string, browser: string, reason: string): CaseRecord {
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
  body: (fixtures: { protocol: ProtocolEnv }, testInfo: TestInfo) => Promise<void>;
}

/**
 * One server under every policy of the table. Spec files declare the tests themselves (so reports
 * point at the spec file), one describe per server and per policy:
 *
 *   const suite = new ServerSuite('express-cors', POLICY_TABLE);
 *   test.describe(suite.server, () => {
 *     for (const policy of suite.table) test.describe(policy.id, () => {
 *       for (const t of suite.tests(policy)) test(t.name, t.details, t.body);
 *     });
 *   });
 *
 * All probes run as one batch per worker, the first time any test needs a result.
 */
export class ServerSuite {
  private run: { env: ProtocolEnv; results: Promise<Map<string, ServerObservation>> } | undefined;

  readonly table: readonly PolicyCase[];

  /**
   * `CORS_CONFORM_POLICIES=a,b` keeps only those policies (for debugging one policy quickly, and
   * for the test that runs a deliberately broken server); unknown names are an error.
   */
  constructor(
    readonly server: ServerName,
    table: readonly PolicyCase[],
  ) {
    const only = process.env.CORS_CONFORM_POLICIES?.split(',').map((s) => s.trim()).filter(Boolean);
    if (only) {
      const unknown = only.filter((id) => !table.some((c) => c.id === id));
      if (unknown.length > 0) throw new Error(`CORS_CONFORM_POLICIES names unknown policies: ${unknown.join(', ')}`);
    }
    this.table = only ? table.filter((c) => only.includes(c.id)) : table;
    const ids = new Set<string>();
    for (const c of table) {
      if (ids.has(c.id)) throw new Error(`duplicate policy id ${c.id}`);
      ids.add(c.id);
    }
  }

  async observe(env: ProtocolEnv, policyId: string, probeBase: string): Promise<ServerObservation> {
    if (!this.run || this.run.env !== env) this.run = { env, results: runServerBatch(env, this.server, this.table) };
    const observation = (await this.run.results).get(key(policyId, probeBase));
    if (!observation) throw new Error(`${this.server} › ${policyId} › ${probeBase} is not in this batch`);
    return observation;
  }

  /** The tests of one policy, named `<probe>-is-<expected>` from the intent and the declared quirks. */
  tests(policyCase: PolicyCase): ServerTest[] {
    const server = this.server;
    const policy = parsePolicy(policyCase.policy(serializedOrigins(NAMING_PORT)));
    return probesFor(policy).map((probe) => {
      const planned = expectFor(server, policyCase, probe, NAMING_PORT);
      const name = probeTestName(probe, planned.expected);
      const quirk = quirkText(planned.quirks, policyCase);
      const annotation = [{ type: 'spec', description: probe.spec }, ...(quirk ? [{ type: 'quirk', description: quirk }] : [])];
      const body = async ({ protocol }: { protocol: ProtocolEnv }, testInfo: TestInfo) => {
        const unavailable = REFERENCE_SERVERS[server].unavailable();
        if (unavailable) {
          // Counted as not run, with the reason – never silently dropped.
          const record = notRunRecord(server, policyCase, probe, name, protocol.browser.kind, unavailable);
          await testInfo.attach(RECORD_ATTACHMENT, { body: JSON.stringify(record), contentType: 'application/json' });
          testInfo.skip(true, `not run: ${unavailable}`);
          return;
        }
        testInfo.setTimeout(Math.max(testInfo.timeout, BATCH_TEST_TIMEOUT_MS));
        const observation = await this.observe(protocol, policyCase.id, probe.base);
        const judged = judgeServerProbe(observation, { name: protocol.browser.kind, version: protocol.browser.version });
        const actualName = probeTestName(probe, observation.expected.expected);
        if (actualName !== name) judged.record.problems.push(`the expectation depends on the port: named ${name}, expected ${actualName} at run time`);
        judged.record.caseId = `${server} › ${policyCase.id} › ${name}`;
        await testInfo.attach(RECORD_ATTACHMENT, { body: JSON.stringify(judged.record), contentType: 'application/json' });
        expect.soft(judged.intent, failureMessage(observation, name, 'intent')).toEqual([]);
        expect.soft(judged.standard, failureMessage(observation, name, 'standard')).toEqual([]);
        expect(judged.record.problems, failureMessage(observation, name, 'all')).toEqual([...judged.intent, ...judged.standard]);
      };
      return { name, details: { tag: [`@${probe.category}`, `@server-${server}`], annotation }, body };
    });
  }
}
