/**
 * `npm run bench`: browser-verified CORS cases per second, measured side by side in one run.
 *
 * Per browser, through the real Playwright runner: the suite's way for generated cases (as the
 * server suite runs its combinations: one test per group of cases, one record per case, every
 * case batched from open pages) for N = 100, 1,000 and 5,000 – in-test rate (first case body to
 * last case end) and whole-run rate (wall clock of `npx playwright test`); the headline N again
 * after an untimed pass of the same cases in the same worker (the steady state); the protocol
 * tables' way (one test per case) for the headline N when BENCH_PER_CASE is set; the naive way
 * (one test, a new page per case) on 100 of the same cases. The ceiling (bare pages firing the
 * same fetches at a trivial server) is measured in the headline run's own worker and browser,
 * right after its cases, beside the harness-free reference (the same cases from a bare page, in a
 * freshly launched browser and in the warm one; bench/harness-free.ts) – their time is left out of
 * that run's whole-run figure. In process:
 * launch time and the naive way. Peak memory of runner and browser per N.
 * Then `verify`: time to verdict and targets per second. Prints one line per figure and writes
 * reports/out/bench.json. Ratios, not absolute numbers, are the point: these machines are noisy.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { discover, launchProbeBrowser } from '../harness/browser/engines';
import { BROWSER_KINDS, type BrowserKind } from '../harness/oracle';
import { OriginPlan } from '../harness/browser/origins';
import { ProbeSession } from '../harness/browser/runner';
import { ScriptedServer } from '../harness/protocol/scripted-server';
import { generateCases } from './cases';
import { measureNaive } from './naive';
import type { Ceiling } from './ceiling';
import type { HarnessFree } from './harness-free';
import { samplePeaks } from './proc';
import { measureVerify } from './verify';

const SIZES = (process.env.BENCH_SIZES ?? '100,1000,5000').split(',').map(Number);
const HEADLINE_N = SIZES.includes(1000) ? 1000 : SIZES[SIZES.length - 1]!;
const NAIVE_N = 100;
/**
 * A page per case costs ~0.2 s in Chromium and ~1 s in Firefox here; the rate needs no more than
 * a few seconds – but at least NAIVE_MIN cases, or Firefox's rate would rest on three pages.
 */
const NAIVE_BUDGET_MS = Number(process.env.BENCH_NAIVE_SECONDS ?? 3) * 1000;
const NAIVE_MIN = 10;
const root = path.resolve(__dirname, '..');
const outDir = process.env.CORS_REPORT_DIR ?? path.join(root, 'reports', 'out');

const line = (label: string, value: string) => console.log(`${label.padEnd(46)} ${value}`);
const rate = (n: number) => `${n.toFixed(0)} cases/s`;

interface SizeResult {
  /** Measured in the same worker right after the cases, when asked for (BENCH_CEILING=<mark file>). */
  ceiling?: Ceiling;
  /** Measured beside the ceiling (bench/harness-free.ts). */
  harnessFree?: HarnessFree;
  inTestCasesPerSec: number;
  wholeRunCasesPerSec: number;
  wallMs: number;
  peakRssMb: { runner: number; browser: number };
  /** The worker's heap after full garbage collections, once every case is judged. */
  liveHeapMb: number;
}

/** Runs N generated cases through the real Playwright runner, as the suite runs its tables. */
async function runSuiteWay(
  browser: BrowserKind,
  n: number,
  mode: 'grouped' | 'per-case' | 'naive',
  options: { warm?: boolean; ceiling?: boolean } = {},
): Promise<SizeResult> {
  const warm = options.warm ?? false;
  const timing = path.join(os.tmpdir(), `cors-bench-${process.pid}-${browser}-${mode}-${n}${warm ? '-warm' : ''}.json`);
  // Memory is the cases' only: sampling stops when the ceiling's pages open (the spec creates
  // this file then; BENCH_CEILING names it).
  const ceilingMark = `${timing}.ceiling`;
  fs.rmSync(timing, { force: true });
  fs.rmSync(ceilingMark, { force: true });
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [require.resolve('@playwright/test/cli'), 'test', '-c', 'bench/playwright.config.ts', `--project=${browser}`],
    {
      cwd: root,
      env: {
        ...process.env,
        BENCH_N: String(n),
        BENCH_MODE: mode,
        BENCH_TIMING: timing,
        BENCH_WARM: warm ? '1' : '',
        BENCH_CEILING: options.ceiling ? ceilingMark : '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const sampler = samplePeaks(child.pid!, 200, () => fs.existsSync(ceilingMark));
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  const wallMs = performance.now() - started;
  const peakRssMb = sampler.stop();
  fs.rmSync(ceilingMark, { force: true });
  if (code !== 0 || !fs.existsSync(timing)) throw new Error(`the ${browser} ${mode} run of ${n} cases failed:\n${output.slice(-2000)}`);
  const { inTestMs, ceiling, harnessFree, ceilingMs, liveHeapMb } = JSON.parse(fs.readFileSync(timing, 'utf8')) as {
    inTestMs: number;
    ceiling: Ceiling | null;
    harnessFree: HarnessFree | null;
    ceilingMs: number;
    liveHeapMb: number;
  };
  fs.rmSync(timing, { force: true });
  const runMs = wallMs - ceilingMs;
  return {
    ...(ceiling ? { ceiling } : {}),
    ...(harnessFree ? { harnessFree } : {}),
    inTestCasesPerSec: (n / inTestMs) * 1000,
    wholeRunCasesPerSec: (n / runMs) * 1000,
    wallMs: runMs,
    peakRssMb,
    liveHeapMb,
  };
}

async function benchBrowser(kind: BrowserKind) {
  const found = discover(kind);
  if (!found.found) {
    line(`${kind}`, `not run: ${found.reason}`);
    return { notRun: found.reason };
  }
  const t0 = performance.now();
  const browser = await launchProbeBrowser(found.browser);
  const launchMs = performance.now() - t0;
  line(`${kind} ${browser.version}: launch`, `${launchMs.toFixed(0)} ms`);
  const server = await new ScriptedServer().start();
  const session = new ProbeSession(browser);
  const env = { browser, session, server, plan: new OriginPlan({ http: server.httpPort, https: server.httpsPort }) };
  let naive;
  try {
    naive = await measureNaive(env, generateCases(NAIVE_N), { ms: NAIVE_BUDGET_MS, minCases: NAIVE_MIN });
    if (naive.failures > 0) throw new Error(`${naive.failures} naive cases failed`);
    line(`${kind}: naive (a page per case, ${naive.done} of ${NAIVE_N} cases)`, `${naive.casesPerSec.toFixed(1)} cases/s`);
  } finally {
    await session.close();
    await browser.close();
    await server.stop();
  }
  const byN: Record<string, SizeResult> = {};
  for (const n of SIZES) {
    // The ceiling is measured with the headline N, in its worker and browser, right after the cases.
    const r = await runSuiteWay(kind, n, 'grouped', { ceiling: n === HEADLINE_N });
    byN[String(n)] = r;
    line(
      `${kind}: suite way, N=${n}`,
      `${rate(r.inTestCasesPerSec)} in test, ${rate(r.wholeRunCasesPerSec)} whole run, peak RSS runner ${r.peakRssMb.runner} MB / browser ${r.peakRssMb.browser} MB, worker's live heap ${r.liveHeapMb} MB`,
    );
  }
  const { ceiling, harnessFree, ...headline } = byN[String(HEADLINE_N)]!;
  if (!ceiling || !harnessFree) throw new Error(`the ${kind} run of ${HEADLINE_N} cases measured no ceiling or harness-free reference`);
  byN[String(HEADLINE_N)] = headline;
  line(
    `${kind}: ceiling (bare page, ${HEADLINE_N} fetches, right after)`,
    kind === 'chromium'
      ? `${rate(ceiling.casesPerSec)} (Playwright's page ${ceiling.plainPage.toFixed(0)}, network events off ${ceiling.quietPage.toFixed(0)})`
      : `${rate(ceiling.casesPerSec)} (best of ${ceiling.plainPage.toFixed(0)} and ${ceiling.quietPage.toFixed(0)}; both without network events)`,
  );
  const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
  line(
    `${kind}: harness-free page, same ${HEADLINE_N} cases, cold`,
    `${rate(harnessFree.coldCasesPerSec)} (${pct(harnessFree.coldCasesPerSec / ceiling.casesPerSec)} of ceiling); in test is ${pct(headline.inTestCasesPerSec / harnessFree.coldCasesPerSec)} of it`,
  );
  line(
    `${kind}: harness-free page, same ${HEADLINE_N} cases, warm`,
    `${rate(harnessFree.warmCasesPerSec)} (${pct(harnessFree.warmCasesPerSec / ceiling.casesPerSec)} of ceiling)`,
  );
  // The same N once more, after an untimed pass of the same cases in the same worker: what is left
  // when pages are open and the browser, the servers and V8 are warm. The headline stays the cold
  // figure (a suite runs each table once); this one says how much of the gap is start-up.
  const steady = await runSuiteWay(kind, HEADLINE_N, 'grouped', { warm: true });
  line(
    `${kind}: suite way, N=${HEADLINE_N}, after a warm-up pass`,
    `${rate(steady.inTestCasesPerSec)} in test, ${pct(steady.inTestCasesPerSec / ceiling.casesPerSec)} of ceiling, ${pct(steady.inTestCasesPerSec / harnessFree.warmCasesPerSec)} of the warm harness-free page`,
  );
  // The protocol tables' way (one test per case) on request: it adds a run per browser.
  const perCase = process.env.BENCH_PER_CASE ? await runSuiteWay(kind, HEADLINE_N, 'per-case') : null;
  if (perCase)
    line(
      `${kind}: one test per case, N=${HEADLINE_N}`,
      `${rate(perCase.inTestCasesPerSec)} in test, ${rate(perCase.wholeRunCasesPerSec)} whole run`,
    );
  const result = {
    version: browser.version,
    inTestCasesPerSec: headline.inTestCasesPerSec,
    wholeRunCasesPerSec: headline.wholeRunCasesPerSec,
    naiveCasesPerSec: naive.casesPerSec,
    ratio: headline.inTestCasesPerSec / naive.casesPerSec,
    ceilingCasesPerSec: ceiling.casesPerSec,
    ofCeiling: headline.inTestCasesPerSec / ceiling.casesPerSec,
    ceilingByPage: { plain: ceiling.plainPage, quiet: ceiling.quietPage },
    steadyState: {
      inTestCasesPerSec: steady.inTestCasesPerSec,
      ofCeiling: steady.inTestCasesPerSec / ceiling.casesPerSec,
      ofHarnessFreeWarm: steady.inTestCasesPerSec / harnessFree.warmCasesPerSec,
    },
    // The same cases from a bare page (bench/harness-free.ts): what no harness could beat.
    harnessFree: {
      coldCasesPerSec: harnessFree.coldCasesPerSec,
      warmCasesPerSec: harnessFree.warmCasesPerSec,
      coldOfCeiling: harnessFree.coldCasesPerSec / ceiling.casesPerSec,
      inTestOfCold: headline.inTestCasesPerSec / harnessFree.coldCasesPerSec,
    },
    launchMs,
    peakRssMb: {
      runner: Math.max(...Object.values(byN).map((r) => r.peakRssMb.runner)),
      browser: Math.max(...Object.values(byN).map((r) => r.peakRssMb.browser)),
    },
    byN,
    ...(perCase ? { perCaseTest: { inTestCasesPerSec: perCase.inTestCasesPerSec, wholeRunCasesPerSec: perCase.wholeRunCasesPerSec } } : {}),
  };
  line(`${kind}: in-test vs naive`, `${result.ratio.toFixed(1)}×`);
  line(`${kind}: in-test of ceiling`, `${(result.ofCeiling * 100).toFixed(0)} %`);
  return result;
}

async function main() {
  const started = performance.now();
  console.log(`cors-conform bench – ${os.cpus().length} CPUs, node ${process.version}, headline N=${HEADLINE_N}`);
  const out: Record<string, unknown> = {};
  for (const kind of BROWSER_KINDS) out[kind] = await benchBrowser(kind);
  const verify = await measureVerify();
  out.verify = verify;
  line(
    'verify: time to verdict (bundled server)',
    `${verify.timeToVerdictMs.toFixed(0)} ms; bare reference ${verify.bareMs.toFixed(0)} ms; ${verify.ofBare.toFixed(2)}× (goal ≤ 1.5×; medians of ${verify.rounds} alternating rounds)`,
  );
  const many = verify.many;
  line(
    `verify: ${many.targets} targets, one config, one process`,
    `${(many.oneProcessMs / 1000).toFixed(1)} s, ${many.oneProcessTargetsPerSec.toFixed(1)} targets/s (${(many.oneProcessMs / many.targets / 1000).toFixed(3)} s per target, launch included; ${many.probesPerTarget} probes each; median of ${many.oneProcessRounds.length})`,
  );
  line(
    `verify: the same as single-target processes`,
    `${(many.singlesMs / 1000).toFixed(1)} s for ${many.singles}, ${many.singleTargetsPerSec.toFixed(2)} targets/s (${(many.singlesMs / many.singles / 1000).toFixed(2)} s per target)`,
  );
  line('verify: one config vs one process per target', `${many.ratio.toFixed(1)}× the targets per second (goal ≥ 30×)`);
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'bench.json'), `${JSON.stringify(out, null, 2)}\n`);
  line('bench: total', `${((performance.now() - started) / 1000).toFixed(1)} s → ${path.relative(root, path.join(outDir, 'bench.json'))}`);
}

main().catch((error: unknown) => {
  console.error(`bench: ${(error as Error).message}`);
  process.exitCode = 1;
});
