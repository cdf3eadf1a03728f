/**
 * The benchmark's cases, run through the real Playwright runner in one of three ways (BENCH_MODE):
 *   grouped  – as the suite runs generated combinations (the server suite): one test per group of
 *              BENCH_GROUP cases, one cors-case record per case, all cases batched from open pages;
 *   per-case – as the protocol tables run: one test per case, batched the same way;
 *   naive    – one test that opens a new page per case (for the ratio).
 * BENCH_N picks the size; the in-test time (first case body to last case end, browser launch
 * excluded) goes to BENCH_TIMING. BENCH_WARM=1 first runs the same cases once, untimed, in the
 * same worker (pages open, connections and both JITs warm): the steady state, reported beside the
 * cold figure so the two costs can be told apart. BENCH_CEILING=<file> measures the ceiling and the
 * harness-free reference last, in the same worker and browser, right after the timed cases
 * (bench/ceiling.ts, bench/harness-free.ts): they are then measured within seconds, not minutes,
 * of the cases on a machine whose speed drifts.
 */
import fs from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';
import { suiteTest as test, expect } from '../harness/fixtures';
import { CaseBatch, caseBody, caseDetails } from '../harness/protocol/suite';
import { judge } from '../harness/protocol/judge';
import { runCases } from '../harness/protocol/run';
import { RECORD_ATTACHMENT } from '../harness/core/record';
import { generateCases, preflightedCount } from './cases';
import { measureCeiling, type Ceiling } from './ceiling';
import { measureHarnessFree, type HarnessFree } from './harness-free';
import { measureNaive } from './naive';

/**
 * The worker's live heap once every case is judged: used heap after full garbage collections.
 * Peak RSS says what the process took from the system, which V8 grows lazily and keeps; this says
 * what the harness still holds – whether memory is flat as N grows.
 */
function liveHeapMb(): number {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  gc();
  return Math.round(process.memoryUsage().heapUsed / 1048576);
}

const mode = process.env.BENCH_MODE ?? 'grouped';
const cases = generateCases(Number(process.env.BENCH_N ?? 100));
const groupSize = Number(process.env.BENCH_GROUP ?? 100);
const batch = new CaseBatch(cases);
let first = 0;
let last = 0;
const timed = async (work: () => Promise<void>) => {
  first ||= performance.now();
  await work();
  last = performance.now();
};

test.describe(`bench ${mode}`, () => {
  if (process.env.BENCH_WARM) {
    test('warm-up: the same cases once, untimed', async ({ protocol }) => {
      // Judged too, so the oracle is as warm as the browser; a wrong result fails here as anywhere.
      const observed = await runCases(protocol, cases);
      const browser = { name: protocol.browser.kind, version: protocol.browser.version };
      const failures = [...observed.values()].filter((o) => judge(o, browser).problems.length > 0).map((o) => o.case.spec.id);
      expect({ observed: observed.size, failures }).toEqual({ observed: cases.length, failures: [] });
    });
  }
  if (mode === 'naive') {
    test('naive: a new page per case', async ({ protocol }) => {
      await timed(async () => {
        const { failures } = await measureNaive(protocol, cases);
        expect(failures).toBe(0);
      });
    });
  } else if (mode === 'per-case') {
    for (const c of cases) {
      const body = caseBody(c, batch);
      test(c.id, caseDetails(c), ({ protocol }, testInfo) => timed(() => body({ protocol }, testInfo)));
    }
  } else {
    for (let start = 0; start < cases.length; start += groupSize) {
      const group = cases.slice(start, start + groupSize);
      test(`cases ${start}-${start + group.length - 1}`, ({ protocol }, testInfo) =>
        timed(async () => {
          const failures: string[] = [];
          for (const c of group) {
            const record = judge(await batch.observe(protocol, c.id), { name: protocol.browser.kind, version: protocol.browser.version });
            testInfo.attachments.push({
              name: RECORD_ATTACHMENT,
              contentType: 'application/json',
              body: Buffer.from(JSON.stringify(record)),
            });
            if (record.problems.length > 0) failures.push(`${c.id}: ${record.problems.join('; ')}`);
          }
          expect(failures).toEqual([]);
        }));
    }
  }
  let ceiling: Ceiling | null = null;
  let harnessFree: HarnessFree | null = null;
  let ceilingMs = 0;
  const ceilingMark = process.env.BENCH_CEILING;
  if (ceilingMark) {
    test('ceiling and harness-free reference: bare pages, right after the cases', async ({ protocol }) => {
      // Creating the file tells the bench to stop sampling memory: what follows is the ceiling's.
      fs.writeFileSync(ceilingMark, '');
      const t0 = performance.now();
      ceiling = await measureCeiling(protocol.browser, cases.length, preflightedCount(cases.length));
      harnessFree = await measureHarnessFree(protocol.browser, cases);
      ceilingMs = performance.now() - t0;
      expect(ceiling.casesPerSec).toBeGreaterThan(0);
      expect(harnessFree.coldCasesPerSec).toBeGreaterThan(0);
    });
  }
  test.afterAll(() => {
    if (process.env.BENCH_TIMING)
      fs.writeFileSync(
        process.env.BENCH_TIMING,
        JSON.stringify({ cases: cases.length, inTestMs: last - first, ceiling, harnessFree, ceilingMs, liveHeapMb: liveHeapMb() }),
      );
  });
});
