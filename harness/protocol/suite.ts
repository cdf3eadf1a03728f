/**
 * Turns a case table into Playwright tests: one test per case (so --grep, JUnit and retries speak
 * in cases), while the whole table runs as one batch from open pages the first time any of its
 * tests needs a result. Spec files call `test()` themselves so reports point at the spec file:
 *
 *   test.describe('allow-origin', () => {
 *     for (const c of cases) test(c.id, caseDetails(c), caseBody(c, batch));
 *   });
 */
import type { TestDetails, TestInfo } from '@playwright/test';
import type { CaseSpec } from './case';
import { expect } from '../fixtures';
import { judge } from './judge';
import { RECORD_ATTACHMENT } from '../core/record';
import { runCases, type Observation, type ProtocolEnv } from './run';

/** Tags and annotations a case test carries: its category, its Fetch Standard section. */
export function caseDetails(c: CaseSpec): TestDetails {
  return { tag: `@${c.category}`, annotation: { type: 'spec', description: c.spec } };
}

/** One lazily-run batch per table and worker; a new worker (after a failure) runs it afresh. */
export class CaseBatch {
  private run: { env: ProtocolEnv; results: Promise<Map<string, Observation>> } | undefined;

  constructor(readonly cases: readonly CaseSpec[]) {
    const ids = new Set<string>();
    for (const c of cases) {
      if (ids.has(c.id)) throw new Error(`duplicate case id ${c.id}`);
      ids.add(c.id);
    }
  }

  async observe(env: ProtocolEnv, id: string): Promise<Observation> {
    if (!this.run || this.run.env !== env) this.run = { env, results: runCases(env, this.cases) };
    const results = await this.run.results;
    const observation = results.get(id);
    if (!observation) throw new Error(`case ${id} is not in this batch (or was already judged)`);
    // Each case is judged once per worker (a retry runs in a new worker, with a new batch), so
    // hand the observation over and keep memory flat however many cases the table has.
    results.delete(id);
    return observation;
  }
}

/** The test body for one case: observe (batched), judge against the oracle, attach, assert. */
export function caseBody(c: CaseSpec, batch: CaseBatch) {
  return async ({ protocol }: { protocol: ProtocolEnv }, testInfo: TestInfo): Promise<void> => {
    const observation = await batch.observe(protocol, c.id);
    const record = judge(observation, { name: protocol.browser.kind, version: protocol.browser.version });
    // Pushed, not testInfo.attach(): attach() is a reporting step, and Playwright captures a stack
    // trace for every step – per case that was a measurable share of the suite (README, "Speed").
    testInfo.attachments.push({ name: RECORD_ATTACHMENT, contentType: 'application/json', body: Buffer.from(JSON.stringify(record)) });
    // The same reasoning for expect(): it only runs when there is something to report.
    if (record.problems.length > 0) expect(record.problems, `${c.id} (${c.spec}): ${c.title}`).toEqual([]);
  };
}
