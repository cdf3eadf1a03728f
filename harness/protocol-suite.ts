/**
 * Turns a case table into Playwright tests: one test per case (so --grep, JUnit and retries speak
 * in cases), while the whole table runs as one batch from open pages the first time any of its
 * tests needs a result.
 */
import type { CaseSpec } from './case';
import { test, expect } from './fixtures';
import { judge } from './judge';
import { RECORD_ATTACHMENT } from './record';
import { runCases, type Observation, type ProtocolEnv } from './run-cases';

export function protocolSuite(title: string, cases: readonly CaseSpec[]): void {
  const ids = new Set<string>();
  for (const c of cases) {
    if (ids.has(c.id)) throw new Error(`duplicate case id ${c.id} in ${title}`);
    ids.add(c.id);
  }
  let batch: { env: ProtocolEnv; results: Promise<Map<string, Observation>> } | undefined;

  test.describe(title, () => {
    for (const c of cases) {
      test(c.id, { tag: `@${c.category}`, annotation: { type: 'spec', description: c.spec } }, async ({ protocol }, testInfo) => {
        if (!batch || batch.env !== protocol) batch = { env: protocol, results: runCases(protocol, cases) };
        const observation = (await batch.results).get(c.id)!;
        const record = judge(observation, { name: protocol.browser.kind, version: protocol.browser.version });
        await testInfo.attach(RECORD_ATTACHMENT, { body: JSON.stringify(record), contentType: 'application/json' });
        expect(record.problems, `${c.id} (${c.spec}): ${c.title}`).toEqual([]);
      });
    }
  });
}
