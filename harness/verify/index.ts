/**
 * `verify`'s one entry: the command line, the programmatic API, the Playwright fixture and the
 * tests all come through here.
 */
import { UsageError } from '../core/errors';
import type { BrowserKind } from '../oracle';
import { resolveExpectations } from './expect-file';
import { jsonOf, type VerifyJson } from './formats';
import { API_NAMES, checkRequest, type CheckedRequest, type VerifyRequest } from './options';
import { verifyTarget, type VerifyInput, type VerifyRun } from './run';
import { startSample } from './sample';

export { ProbeEnvironment, runInBrowser, type PageObservation } from './browser-run';
export { loadExpectFile, parseExpectFile, resolveExpectations, type ExpectFile, type Expectations } from './expect-file';
export { failingFindings } from './findings';
export { FORMATS, jsonOf, render, type Format, type JsonProbe, type JsonReport, type VerifyJson } from './formats';
export { API_NAMES, checkRequest, CLI_NAMES, LIMITS, oneOf, type BrowserChoice, type CheckedRequest, type VerifyRequest } from './options';
export { buildPlan, type Plan } from './plan';
export { toCaseRecord } from './record';
export { verifyTarget, type VerifyInput, type VerifyRun } from './run';
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
    const browsers: BrowserKind[] = checked.browser === 'all' ? ['chromium', 'firefox'] : [checked.browser];
    const run = await verifyTarget({
      targetUrl: sample?.url ?? checked.url!,
      expectations,
      methods: sample?.methods ?? checked.methods,
      headers: sample?.headers ?? checked.headers,
      browsers,
      failOn: checked.failOn,
      timeoutMs: checked.timeoutMs,
      concurrency: checked.concurrency,
      insecure: checked.insecure,
      progress: options.progress,
      environments: options.environments,
    });
    // A run in which no browser could run at all says nothing: that is an error, not a verdict.
    if (run.reports.every((r) => r.notRun !== null)) throw new UsageError(run.reports.map((r) => r.notRun).join('; '));
    return { run, sample: sample?.description ?? null };
  } finally {
    await sample?.stop();
  }
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
