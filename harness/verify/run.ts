/**
 * One verify run: plan → reachability (one GET from Node; unreachable ends here, exit code 2) →
 * raw evidence (Node: GET, HEAD, preflights only) → browser probes from hosted pages, browser after
 * browser → results, findings, verdict. The CLI (command.ts) and the Playwright `target` project
 * (tests/target) both come through here.
 */
import type { SkippedAttacker } from './attackers';
import type { BrowserKind } from '../oracle';
import { ProbeEnvironment, runInBrowser, type PageObservation } from './browser-run';
import { verifyUrl } from '../core/probe-url';
import { collectEvidence, newRunId, type EvidenceStore } from './evidence';
import { probedOrigins, type Expectations } from './expect-file';
import { deriveFindings, failingFindings } from './findings';
import type { FixContext } from './fixes';
import { buildPlan, type Plan } from './plan';
import { UsageError } from '../core/errors';
import { WireGate } from '../core/gate';
import { checkReachable, type RawOptions } from './raw-http';
import { resolveReadHeaders, toResult } from './results';
import type { BrowserReport, ProbeResult, Severity, VerifyProbe } from './types';

export interface VerifyInput {
  targetUrl: string;
  expectations: Expectations;
  methods: string[];
  headers: Array<[string, string]>;
  browsers: BrowserKind[];
  failOn: Severity;
  timeoutMs: number;
  concurrency: number;
  insecure: boolean;
  /** Progress lines (the CLI shows them on a TTY only). */
  progress?: (line: string) => void;
  /** Reuse a running browser (tests) when it hosts every page of the plan; else one is opened. */
  environments?: Partial<Record<BrowserKind, ProbeEnvironment>>;
}

export interface VerifyRun {
  target: string;
  reports: BrowserReport[];
  verdict: 'pass' | 'fail';
  skippedAttackers: SkippedAttacker[];
  /** Wall-clock milliseconds from start to verdict. */
  ms: number;
}

export function fixContext(plan: Plan, expectations: Expectations, methods: string[], headers: Array<[string, string]>): FixContext {
  const allowed = probedOrigins(expectations).allowed;
  const read = new Set<string>();
  for (const p of plan.probes) if (p.shape === 'read-headers') for (const h of p.readHeaders ?? []) read.add(h);
  return {
    origins: allowed,
    credentials: expectations.allow.some((a) => a.credentials),
    methods: [...new Set([...methods, ...expectations.allow.flatMap((a) => a.methods ?? [])])].filter(
      (m) => !['GET', 'HEAD', 'POST'].includes(m.toUpperCase()),
    ),
    headers: [...new Set([...headers.map(([n]) => n), ...expectations.allow.flatMap((a) => a.requestHeaders ?? [])])],
    exposed: [...read],
  };
}

/** Finishes a browser report: findings from results and raw exchanges, and the verdict. */
export function report(
  target: string,
  browser: { name: string; version: string },
  results: ProbeResult[],
  evidence: EvidenceStore | null,
  ctx: FixContext,
  failOn: Severity,
  notRun: string | null = null,
): BrowserReport {
  const findings = notRun ? [] : deriveFindings(results, evidence?.all() ?? [], browser.name, ctx);
  const fail = results.some((r) => !r.met) || failingFindings(findings, failOn).length > 0;
  return { target, browser, probes: results, findings, verdict: fail ? 'fail' : 'pass', notRun };
}

/**
 * The plan, checked before anything is sent: a run with no probe to send has nothing to judge
 * (a pass would mean nothing), so it is a usage error.
 */
export function planOrRefuse(input: Pick<VerifyInput, 'targetUrl' | 'expectations' | 'methods' | 'headers'>): Plan {
  const plan = buildPlan(input);
  if (!plan.probes.some((p) => p.skip === null)) {
    throw new UsageError(
      'nothing to probe: give --origin (or allow/deny origins in the expect file) – sub-domain patterns alone are not probed',
    );
  }
  return plan;
}

/** Everything before a browser: plan, reachability, evidence, resolved read headers. */
export async function prepare(
  input: Pick<VerifyInput, 'targetUrl' | 'expectations' | 'methods' | 'headers' | 'timeoutMs' | 'concurrency' | 'insecure'>,
): Promise<{ plan: Plan; probes: VerifyProbe[]; evidence: EvidenceStore; runId: string; raw: RawOptions }> {
  const plan = planOrRefuse(input);
  // One gate for the run: Node's requests and the browser's (through the proxy) share its bound.
  const raw: RawOptions = { insecure: input.insecure, gate: new WireGate(input.concurrency, input.timeoutMs) };
  const runId = newRunId();
  const firstOrigin = plan.probes[0]?.page.origin ?? 'null';
  const first = await checkReachable(verifyUrl(input.targetUrl, `${runId}-check`), firstOrigin, raw);
  const evidence = await collectEvidence(input.targetUrl, plan.probes, raw, runId, [first]);
  const probes = resolveReadHeaders(plan.probes, evidence);
  return { plan, probes, evidence, runId, raw };
}

/** Runs the probes in one browser environment and judges them. */
export async function probeIn(
  env: ProbeEnvironment,
  targetUrl: string,
  probes: readonly VerifyProbe[],
  evidence: EvidenceStore,
  runId: string,
  options: { concurrency: number; raw: RawOptions; progress?: (line: string) => void },
): Promise<ProbeResult[]> {
  if (env.hijacksTarget(targetUrl))
    throw new Error(`this ${env.kind} session maps ${targetUrl}'s host and port to the page host; open a new one for this target`);
  const items = probes.map((probe, i) => ({ probe, url: verifyUrl(targetUrl, `${runId}-${env.kind[0]}${i}`) }));
  const seen = await runInBrowser(env, targetUrl, items, {
    concurrency: options.concurrency,
    gate: options.raw.gate,
    insecure: options.raw.insecure,
    onPage: (i, n, page, count) =>
      options.progress?.(`${env.kind}: page ${i + 1}/${n} on ${page.origin === 'null' ? page.pageUrl : page.origin} (${count} probes)`),
  });
  return items.map(({ probe, url }) => toResult(probe, url, seen.get(probe.id)!, evidence));
}

export async function verifyTarget(input: VerifyInput): Promise<VerifyRun> {
  const started = Date.now();
  input.progress?.(`checking ${input.targetUrl} is reachable (one GET from Node)`);
  const { plan, probes, evidence, runId, raw } = await prepare(input);
  const ctx = fixContext({ ...plan, probes }, input.expectations, input.methods, input.headers);
  const reports: BrowserReport[] = [];
  for (const kind of input.browsers) {
    const offered = input.environments?.[kind];
    const shared = offered && offered.hostsAll(plan.pages) && !offered.hijacksTarget(input.targetUrl) ? offered : undefined;
    input.progress?.(`${kind}: starting (${plan.pages.length} page origins, ${probes.length} probes)`);
    const env = shared ?? (await ProbeEnvironment.open(kind, plan.pages, input.targetUrl));
    if (!(env instanceof ProbeEnvironment)) {
      const obs: PageObservation = {
        outcome: 'not-run',
        status: null,
        headers: [],
        browserReason: null,
        pageError: null,
        notRun: env.missing,
        wire: [],
      };
      const results = probes.map((p, i) => toResult(p, verifyUrl(input.targetUrl, `${runId}-${kind[0]}${i}`), obs, evidence));
      reports.push(report(input.targetUrl, { name: kind, version: '' }, results, evidence, ctx, input.failOn, env.missing));
      continue;
    }
    try {
      const results = await probeIn(env, input.targetUrl, probes, evidence, runId, {
        concurrency: input.concurrency,
        raw,
        progress: input.progress,
      });
      reports.push(report(input.targetUrl, { name: env.kind, version: env.version }, results, evidence, ctx, input.failOn));
    } finally {
      if (!shared) await env.close();
    }
  }
  return {
    target: input.targetUrl,
    reports,
    verdict: reports.some((r) => r.verdict === 'fail') ? 'fail' : 'pass',
    skippedAttackers: plan.skippedAttackers,
    ms: Date.now() - started,
  };
}
