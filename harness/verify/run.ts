/**
 * One verify run: plan → reachability (one GET from Node; unreachable ends here, exit code 2) →
 * raw evidence (Node: GET, HEAD, preflights only) → browser probes from hosted pages, browser after
 * browser → results, findings, verdict. The CLI (command.ts) and the Playwright `target` project
 * (tests/target) both come through here.
 */
import type { SkippedAttacker } from './attackers';
import type { PageOrigin } from '../browser/page-host';
import type { BrowserKind, Client } from '../oracle';
import { notRunObservation, ProbeEnvironment, runInBrowser } from './browser-run';
import { verifyUrl } from '../core/probe-url';
import { collectEvidence, newRunId, type EvidenceStore } from './evidence';
import { probedOrigins, type Expectations } from './expect-file';
import { deriveFindings } from './findings';
import { verdictOf, type Suppression } from './suppress';
import type { FixContext } from './fixes';
import { buildPlan, type Plan } from './plan';
import { UsageError } from '../core/errors';
import { WireGate } from '../core/gate';
import { checkReachable, type RawOptions } from './raw-http';
import { localNetworkNote, type LocalNetworkNote } from './address-space';
import { loopbackLookup } from '../core/net';
import { probeCookies, type ProbeCookies } from './cookies';
import { resolveReadHeaders, toResult } from './results';
import type { BrowserReport, ProbeResult, Severity, VerifyProbe } from './types';

export interface VerifyInput {
  targetUrl: string;
  expectations: Expectations;
  methods: string[];
  headers: Array<[string, string]>;
  /** The requester of the URL on the user's pages (plan.ts); null or absent: fetch and XHR. */
  as?: Client | null;
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
  /** Why the target could not be verified at all (unreachable); its verdict is then fail. */
  error: string | null;
  skippedAttackers: SkippedAttacker[];
  /**
   * When a claimed origin's real pages would reach the target across Local Network Access (a
   * public page calling a loopback or private address): what those pages need. verify's own pages
   * are on loopback, so its probes cannot show it (address-space.ts).
   */
  localNetwork: LocalNetworkNote | null;
  /** Wall-clock milliseconds from start to verdict. */
  ms: number;
}

export function fixContext(
  plan: Plan,
  expectations: Expectations,
  methods: string[],
  headers: Array<[string, string]>,
  as: Client | null = null,
): FixContext {
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
    as,
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
  return { target, browser, probes: results, findings, verdict: verdictOf({ probes: results, findings }, failOn), notRun };
}

/**
 * The plan, checked before anything is sent: a run with no probe to send has nothing to judge
 * (a pass would mean nothing), so it is a usage error.
 */
export function planOrRefuse(input: Pick<TargetSpec, 'targetUrl' | 'expectations' | 'methods' | 'headers' | 'listedMethods' | 'as'>): Plan {
  const plan = buildPlan(input);
  if (!plan.probes.some((p) => p.skip === null)) {
    throw new UsageError(
      'nothing to probe: give --origin (or allow/deny origins in the expect file) – sub-domain patterns alone are not probed',
    );
  }
  return plan;
}

/** One target of a run: its URL and what is expected of it. */
export interface TargetSpec {
  targetUrl: string;
  expectations: Expectations;
  methods: string[];
  headers: Array<[string, string]>;
  /** Methods the server serves here that the user did not name (OpenAPI): their preflight only. */
  listedMethods?: string[];
  /** The requester of the URL on the user's pages (plan.ts); null or absent: fetch and XHR. */
  as?: Client | null;
}

export interface VerifyTargetsInput extends Omit<VerifyInput, 'targetUrl' | 'expectations' | 'methods' | 'headers' | 'as'> {
  targets: TargetSpec[];
  /** What credentialed probes carry (verify/cookies.ts); default the marker cookie. */
  cookies?: ProbeCookies;
}

export interface VerifyRuns {
  runs: VerifyRun[];
  verdict: 'pass' | 'fail';
  /** What the credentialed probes carried, in one line. */
  cookies: string;
  ms: number;
  /** Targets known but not run (an OpenAPI path with no example value), with why. */
  unrun: NotRunTarget[];
  /** Suppressions past their `until` date that matched a finding: it fails again. */
  expired: Suppression[];
  /** Came as a list (config file, --targets, --openapi): reported per target with a summary. */
  many: boolean;
}

export interface NotRunTarget {
  target: string;
  reason: string;
}

interface Prepared {
  spec: TargetSpec;
  plan: Plan;
  probes: VerifyProbe[];
  evidence: EvidenceStore;
  runId: string;
  localNetwork: LocalNetworkNote | null;
}

/**
 * Reachability and evidence for one target (Node: GET, HEAD, preflights only). An unreachable
 * target is a UsageError naming it.
 */
async function prepareTarget(spec: TargetSpec, plan: Plan, raw: RawOptions): Promise<Prepared> {
  const runId = newRunId();
  const firstOrigin = plan.probes[0]?.page.origin ?? 'null';
  const first = await checkReachable(verifyUrl(spec.targetUrl, `${runId}-check`), firstOrigin, raw);
  const evidence = await collectEvidence(spec.targetUrl, plan.probes, raw, runId, [first]);
  const claimed = probedOrigins(spec.expectations).allowed;
  const localNetwork = localNetworkNote(await targetAddresses(spec.targetUrl), claimed);
  return { spec, plan, probes: resolveReadHeaders(plan.probes, evidence), evidence, runId, localNetwork };
}

/** The addresses the target's host resolves to (as Node reached it); none when it does not resolve. */
async function targetAddresses(url: string): Promise<string[]> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    loopbackLookup(host, { all: true }, (error, addresses) =>
      resolve(error ? [] : (addresses as unknown as Array<{ address: string }>).map((a) => a.address)),
    );
  });
}

/**
 * Verifies many targets in one run: every plan first (pure – bad input fails before any request),
 * then Node's reachability and evidence for all of them, then per engine one browser hosting every
 * target's pages and one batch per page across all targets. `--concurrency` is per target host:
 * one gate for the whole run bounds Node and the browser (through the proxy) together, and the
 * page's own gate is per host too. An unreachable target is reported as such (its verdict fails);
 * the others go on.
 */
export async function verifyTargets(input: VerifyTargetsInput): Promise<VerifyRuns> {
  const started = Date.now();
  const plans = input.targets.map((spec) => planOrRefuse({ ...spec }));
  const cookies = input.cookies ?? probeCookies({ kind: 'marker' });
  // One gate for the run: Node's requests and the browser's (through the proxy) share its bound.
  const raw: RawOptions = { insecure: input.insecure, gate: new WireGate(input.concurrency, input.timeoutMs), cookieFor: cookies.header };
  input.progress?.(
    `checking ${input.targets.length === 1 ? input.targets[0]!.targetUrl : `${input.targets.length} targets`} (Node: reachability and raw headers)`,
  );
  // The first engine launches, and its pages load, while Node gathers the evidence: the pages come
  // from the page host, so nothing but Node's own requests reaches a target meanwhile.
  const allPages = [...new Map(plans.flatMap((p) => p.pages).map((pg) => [pg.pageUrl, pg])).values()];
  const first = input.browsers[0];
  const early =
    first && !usable(input.environments?.[first], allPages, input.targets)
      ? ProbeEnvironment.open(
          first,
          allPages,
          input.targets.map((t) => t.targetUrl),
        ).then(async (env) => {
          if (env instanceof ProbeEnvironment) await env.preload(allPages);
          return env;
        })
      : null;
  const prepared = await Promise.all(
    input.targets.map((spec, i) =>
      prepareTarget(spec, plans[i]!, raw).catch((error: unknown) => {
        if (error instanceof UsageError) return { spec, plan: plans[i]!, error: error.message };
        throw error;
      }),
    ),
  ).catch(async (error: unknown) => {
    const env = await early;
    if (env instanceof ProbeEnvironment) await env.close();
    throw error;
  });
  const ready = prepared.filter((p): p is Prepared => !('error' in p));
  const reports = new Map<TargetSpec, BrowserReport[]>(input.targets.map((t) => [t, []]));
  const pages = [...new Map(ready.flatMap((p) => p.plan.pages).map((pg) => [pg.pageUrl, pg])).values()];
  for (const kind of input.browsers) {
    const offered = input.environments?.[kind];
    const shared = usable(
      offered,
      pages,
      ready.map((p) => p.spec),
    )
      ? offered
      : undefined;
    const probeCount = ready.reduce((n, p) => n + p.probes.length, 0);
    input.progress?.(`${kind}: starting (${pages.length} page origins, ${probeCount} probes)`);
    const opened = kind === first ? early : null;
    const env =
      ready.length === 0
        ? null
        : (shared ??
          (await (opened ??
            ProbeEnvironment.open(
              kind,
              pages,
              ready.map((p) => p.spec.targetUrl),
            ))));
    if (ready.length === 0 && opened) {
      const unused = await opened;
      if (unused instanceof ProbeEnvironment) await unused.close();
    }
    if (!(env instanceof ProbeEnvironment)) {
      for (const p of ready) {
        const missing = env?.missing ?? 'no target was reachable';
        const results = p.probes.map((probe, i) =>
          toResult(probe, verifyUrl(p.spec.targetUrl, `${p.runId}-${kind[0]}${i}`), notRunObservation(missing), p.evidence),
        );
        reports
          .get(p.spec)!
          .push(report(p.spec.targetUrl, { name: kind, version: '' }, results, p.evidence, contextOf(p), input.failOn, missing));
      }
      continue;
    }
    try {
      // Credentialed probes carry the run's cookies, as a signed-in user's requests do.
      if (ready.length > 0) await env.browser.addCookies(cookies.forBrowser(ready.map((p) => p.spec.targetUrl)));
      const items = ready.flatMap((p) =>
        p.probes.map((probe, i) => ({ prepared: p, probe, url: verifyUrl(p.spec.targetUrl, `${p.runId}-${kind[0]}${i}`) })),
      );
      const seen = await runInBrowser(
        env,
        items.filter((item) => item.probe.via === 'browser'),
        {
          concurrency: input.concurrency,
          gate: raw.gate,
          insecure: raw.insecure,
          onPage: (i, n, page, count) =>
            input.progress?.(`${env.kind}: page ${i + 1}/${n} on ${page.origin === 'null' ? page.pageUrl : page.origin} (${count} probes)`),
        },
      );
      for (const p of ready) {
        const results = items
          .filter((item) => item.prepared === p)
          .map(({ probe, url }) => toResult(probe, url, seen.get(url) ?? notRunObservation('not sent by the browser'), p.evidence));
        reports
          .get(p.spec)!
          .push(report(p.spec.targetUrl, { name: env.kind, version: env.version }, results, p.evidence, contextOf(p), input.failOn));
      }
    } finally {
      if (!shared) await env.close();
    }
  }
  const runs: VerifyRun[] = prepared.map((p) => {
    const targetReports = reports.get(p.spec)!;
    const error = 'error' in p ? p.error : null;
    return {
      target: p.spec.targetUrl,
      reports: targetReports,
      verdict: error !== null || targetReports.some((r) => r.verdict === 'fail') ? 'fail' : 'pass',
      skippedAttackers: p.plan.skippedAttackers,
      localNetwork: 'error' in p ? null : p.localNetwork,
      error,
      ms: Date.now() - started,
    };
  });
  return {
    runs,
    verdict: runs.some((r) => r.verdict === 'fail') ? 'fail' : 'pass',
    cookies: cookies.describe,
    ms: Date.now() - started,
    unrun: [],
    expired: [],
    many: input.targets.length > 1,
  };
}

/** A browser the caller offers (tests, the fixture), usable when it hosts every page and no target is a page origin. */
function usable(
  offered: ProbeEnvironment | undefined,
  pages: readonly PageOrigin[],
  targets: readonly TargetSpec[],
): offered is ProbeEnvironment {
  return offered !== undefined && offered.hostsAll(pages) && targets.every((t) => !offered.hijacksTarget(t.targetUrl));
}

function contextOf(p: Prepared): FixContext {
  return fixContext({ ...p.plan, probes: p.probes }, p.spec.expectations, p.spec.methods, p.spec.headers, p.spec.as ?? null);
}

/** One target. An unreachable one is a UsageError (exit code 2), as the command line has always said. */
export async function verifyTarget(input: VerifyInput & { cookies?: ProbeCookies }): Promise<VerifyRun> {
  const { targetUrl, expectations, methods, headers, as, ...rest } = input;
  const { runs } = await verifyTargets({ ...rest, targets: [{ targetUrl, expectations, methods, headers, as: as ?? null }] });
  const run = runs[0]!;
  if (run.error !== null) throw new UsageError(run.error);
  return run;
}
