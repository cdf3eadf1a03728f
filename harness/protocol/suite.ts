/**
 * Turns a case table into Playwright tests: one test per case (so --grep, JUnit and retries speak
 * in cases), while the whole table runs as one batch from open pages the first time any of its
 * tests needs a result. Spec files call `test()` themselves so reports point at the spec file:
 *
 *   test.describe('allow-origin', () => {
 *     for (const c of cases) test(c.id, caseDetails(c), caseBody(c, batch));
 *   });
 */
import { expect, type TestDetails, type TestInfo } from '@playwright/test';
import { LazyBatch } from '../core/batch';
import { attachRecord } from '../core/record';
import type { CaseSpec } from './case';
import { judge } from './judge';
import { runCases, type Observation, type ProtocolEnv } from './run';

/** Tags and annotations a case test carries: its category, its Fetch Standard section. */
export function caseDetails(c: CaseSpec): TestDetails {
  return { tag: `@${c.category}`, annotation: { type: 'spec', description: c.spec } };
}

/** One lazily-run batch per table and worker; a new worker (after a failure) runs it afresh. */
export class CaseBatch {
  private readonly batch: LazyBatch<ProtocolEnv, Observation>;

  constructor(readonly cases: readonly CaseSpec[]) {
    this.batch = new LazyBatch((env) => runCases(env, this.cases));
    const ids = new Set<string>();
    for (const c of cases) {
      if (ids.has(c.id)) throw new Error(`duplicate case id ${c.id}`);
      ids.add(c.id);
    }
  }

  /** Each case is judged once per worker (a retry runs in a new worker, with a new batch). */
  observe(env: ProtocolEnv, id: string): Promise<Observation> {
    return this.batch.get(env, id, { take: true });
  }
}

/** The test body for one case: observe (batched), judge against the oracle, attach, assert. */
export function caseBody(c: CaseSpec, batch: CaseBatch) {
  return async ({ protocol }: { protocol: ProtocolEnv }, testInfo: TestInfo): Promise<void> => {
    const observation = await batch.observe(protocol, c.id);
    const record = judge(observation, { name: protocol.browser.kind, version: protocol.browser.version });
    attachRecord(testInfo, record);
    // expect() is a reporting step too (see attachRecord): it only runs when there is something to report.
    if (record.problems.length > 0) expect(record.problems, `${c.id} (${c.spec}): ${c.title}`).toEqual([]);
  };
}
