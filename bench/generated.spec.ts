/**
 * The benchmark's cases run exactly the way the suite runs its tables: one Playwright test per
 * case, the table batched from open pages. BENCH_N picks the size; the in-test time (from the
 * first case's body to the last case's end, browser launch excluded) goes to BENCH_TIMING.
 */
import fs from 'node:fs';
import { test } from '../harness/fixtures';
import { CaseBatch, caseBody, caseDetails } from '../harness/protocol-suite';
import { generateCases } from './cases';

const cases = generateCases(Number(process.env.BENCH_N ?? 100));
const batch = new CaseBatch(cases);
let first = 0;
let last = 0;

test.describe('bench', () => {
  for (const c of cases) {
    const body = caseBody(c, batch);
    test(c.id, caseDetails(c), async ({ protocol }, testInfo) => {
      first ||= performance.now();
      await body({ protocol }, testInfo);
      last = performance.now();
    });
  }
  test.afterAll(() => {
    if (process.env.BENCH_TIMING) fs.writeFileSync(process.env.BENCH_TIMING, JSON.stringify({ cases: cases.length, inTestMs: last - first }));
  });
});
