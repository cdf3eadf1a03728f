/**
 * The naive way, for the ratio: one new page per case (open, load, probe, close), the cases one
 * after another – what a suite written with Playwright's `page` fixture per test does. A page per
 * case costs the same every time, so the run may stop at a time budget (after a minimum of cases): the rate is per case done.
 */
import type { CaseSpec } from '../harness/protocol/case';
import { materialize } from '../harness/protocol/case';
import { judge } from '../harness/protocol/judge';
import { newToken } from '../harness/core/probe-url';
import type { Observation, ProtocolEnv } from '../harness/protocol/run';
import type { InPageStepResult } from '../harness/browser/in-page';

export async function measureNaive(
  env: ProtocolEnv,
  cases: CaseSpec[],
  budget: { ms: number; minCases: number } = { ms: Number.POSITIVE_INFINITY, minCases: 0 },
): Promise<{ casesPerSec: number; failures: number; done: number }> {
  let failures = 0;
  let done = 0;
  const t0 = performance.now();
  for (const spec of cases) {
    // Past the time budget, stop – but not before minCases, so a slow browser's rate rests on
    // more than a handful of pages.
    if (done >= budget.minCases && performance.now() - t0 > budget.ms) break;
    const m = materialize(spec, env.plan, newToken());
    env.server.script(m.token, m.hops);
    const page = await env.browser.newPlainPage();
    await page.goto(m.pageUrl);
    const [result] = (await page.evaluate(`window.__ccRun(${JSON.stringify([{ id: m.token, steps: m.steps }])}, {})`)) as Array<{
      steps: InPageStepResult[];
    }>;
    await page.close();
    const observation: Observation = {
      case: m,
      steps: (result?.steps ?? []).map((s) => ({ ...s, browserReason: null })),
      wire: env.server.wire.entries(m.token),
    };
    const record = judge(observation, { name: env.browser.kind, version: env.browser.version });
    if (record.problems.length > 0) failures++;
    done++;
  }
  return { casesPerSec: (done / (performance.now() - t0)) * 1000, failures, done };
}
