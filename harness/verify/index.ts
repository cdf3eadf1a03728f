/**
 * `verify`'s one entry: the command line, the programmatic API, the Playwright fixture and the
 * tests all come through here.
 */
import { UsageError } from '../core/errors';
import { resolveExpectations } from './expect-file';
import { jsonOf, jsonOfRuns, type JsonRuns, type VerifyJson } from './formats';
import { loadConfig } from './config';
import { API_NAMES, checkRequest, type CheckedRequest, type VerifyRequest } from './options';
import { verifyTarget, verifyTargets, type VerifyInput, type VerifyRun, type VerifyRuns } from './run';
import { startSample } from './sample';
import { applySuppressions } from './suppress';
import { browsersOf, type RunRequest } from './targets';
import { probeCookies } from './cookies';

export { ProbeEnvironment, runInBrowser, type PageObservation } from './browser-run';
export { loadExpectFile, parseExpectFile, resolveExpectations, type ExpectFile, type Expectations } from './expect-file';
export { failingFindings } from './findings';
export {
  asRuns,
  FORMAT_FILES,
  FORMATS,
  jsonOf,
  jsonOfRuns,
  render,
  type Format,
  type JsonFinding,
  type JsonProbe,
  type JsonReport,
  type JsonRuns,
  type JsonTarget,
  type VerifyJson,
} from './formats';
export { API_NAMES, checkRequest, CLI_NAMES, LIMITS, oneOf, type BrowserChoice, type CheckedRequest, type VerifyRequest } from './options';
export { buildPlan, type Plan } from './plan';
export { toCaseRecord } from './record';
export { verifyTarget, verifyTargets, type NotRunTarget, type TargetSpec, type VerifyInput, type VerifyRun, type VerifyRuns } from './run';
export { configSchema, defineConfig, loadConfig, readConfig, type CorsConformConfig } from './config';
export { targetsFromOpenApi, type OpenApiTarget } from './openapi';
export { applySuppressions, matchesPattern, type Suppression } from './suppress';
export { sarif, sarifOf } from './sarif';
export { MARKER_COOKIE, probeCookies, type CookieSource, type ProbeCookies } from './cookies';
export {
  browsersOf,
  cookieSource,
  listRequest,
  MAX_TARGETS,
  oneRequest,
  parseShard,
  parseTargetList,
  shardOf,
  targetSpecOf,
  type RunRequest,
} from './targets';
export * from './types';

export interface RunOptions {
  /** Progress lines (the CLI shows them on a terminal). */
  progress?: (line: string) => void;
  /** Told when the run checks the bundled sample, with one line saying so. */
  onSample?: (description: string) => void;
  /** Browsers already open (tests, the Playwright fixture), used where they host every page. */
  environments?: VerifyInput['environments'];
}

/** Runs a checked request: the bundled sample when it names no URL. */
export async function runChecked(checked: CheckedRequest, options: RunOptions = {}): Promise<{ run: VerifyRun; sample: string | null }> {
  const sample = checked.url === null ? await startSample() : null;
  try {
    if (sample) options.onSample?.(sample.description);
    const expectations = resolveExpectations(checked.expect, {
      origins: sample?.origins ?? checked.origins,
      credentials: sample?.credentials ?? checked.credentials,
    });
    const browsers = browsersOf(checked.browser);
    const run = await verifyTarget({
      targetUrl: sample?.url ?? checked.url!,
      expectations,
      methods: sample?.methods ?? checked.methods,
      headers: sample?.headers ?? checked.headers,
      as: checked.as,
      browsers,
      failOn: checked.failOn,
      timeoutMs: checked.timeoutMs,
      concurrency: checked.concurrency,
      insecure: sample?.insecure ?? checked.insecure,
      progress: options.progress,
      environments: options.environments,
    });
    // The sample stands in for a deployed API: that it listens on loopback here says nothing of
    // Local Network Access for the user's own server.
    if (sample) run.localNetwork = null;
    // A run in which no browser could run at all says nothing: that is an error, not a verdict.
    if (run.reports.every((r) => r.notRun !== null)) throw new UsageError(run.reports.map((r) => r.notRun).join('; '));
    return { run, sample: sample?.description ?? null };
  } finally {
    await sample?.stop();
  }
}

/**
 * Runs a list of targets (config file, --targets, --openapi): one browser per engine for all of
 * them, then the config's suppressions. The not-run targets are carried into the result.
 */
export async function runRequest(request: RunRequest, options: Omit<RunOptions, 'onSample'> = {}): Promise<VerifyRuns> {
  const runs =
    request.targets.length === 0
      ? { runs: [], verdict: 'pass' as const, cookies: probeCookies(request.cookies).describe, ms: 0, unrun: [], expired: [], many: true }
      : await verifyTargets({
          targets: request.targets,
          browsers: request.browsers,
          failOn: request.failOn,
          timeoutMs: request.timeoutMs,
          concurrency: request.concurrency,
          insecure: request.insecure,
          cookies: probeCookies(request.cookies),
          progress: options.progress,
          environments: options.environments,
        });
  // One URL: an unreachable target is bad input (exit code 2), as the command line has always said.
  const unreachable = runs.runs.find((r) => r.error !== null);
  if (!request.many && unreachable) throw new UsageError(unreachable.error!);
  const expired = applySuppressions(runs.runs, request.suppress, request.failOn);
  // A browser that could not run at all says nothing about any target: an error, not a verdict.
  if (runs.runs.length > 0 && runs.runs.every((r) => r.error !== null || r.reports.every((x) => x.notRun !== null))) {
    const notRun = runs.runs.flatMap((r) => r.reports.map((x) => x.notRun)).find((x) => x !== null);
    if (notRun) throw new UsageError(notRun);
  }
  return {
    ...runs,
    verdict: runs.runs.some((r) => r.verdict === 'fail') ? 'fail' : 'pass',
    unrun: request.unrun,
    expired,
    many: request.many,
  };
}

/**
 * Checks a server in a real browser, from pages on the origins you name and on attacker origins
 * derived from them, and resolves to the object `cors-conform verify --format json` prints: the
 * probes with their outcomes and reasons, the findings with evidence and fixes, and the verdict.
 * Bad options reject with a one-line UsageError before any request; so does an unreachable target.
 *
 *   const report = await verify({ url: 'https://api.example.com/data', origins: ['https://app.example.com'], credentials: true });
 *   if (report.verdict === 'fail') console.log(report.findings.map((f) => f.id));
 */
export async function verify(request: VerifyRequest, options: RunOptions = {}): Promise<VerifyJson> {
  const { run } = await runChecked(checkRequest(request, API_NAMES), options);
  return jsonOf(run);
}

/**
 * Checks every target of a config file (cors-conform.config.json, .ts or .mjs) in one browser per
 * engine and resolves to the object `cors-conform verify --config <file> --format json` prints:
 * one entry per target, the targets not run, a summary and the verdict (suppressions applied).
 *
 *   const result = await verifyConfig('cors-conform.config.json');
 *   for (const t of result.targets) if (t.verdict === 'fail') console.log(t.target);
 */
export async function verifyConfig(file: string, options: Omit<RunOptions, 'onSample'> = {}): Promise<JsonRuns> {
  return jsonOfRuns(await runRequest(await loadConfig(file), options));
}
