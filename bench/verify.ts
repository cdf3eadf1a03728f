/**
 * `verify` figures: time to verdict of `npx cors-conform verify` on the bundled sample (a fresh
 * process, what a user waits for), and how many local target URLs one run verifies per second
 * when the browser and its pages stay open between targets.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { discover } from '../harness/browser/engines';
import { ProbeEnvironment } from '../harness/verify/browser-run';
import { resolveExpectations } from '../harness/verify/expect-file';
import { buildPlan } from '../harness/verify/plan';
import { verifyTarget } from '../harness/verify/run';
import { SAMPLE_ORIGIN, startSample } from '../harness/verify/sample';

const TARGETS = Number(process.env.BENCH_VERIFY_TARGETS ?? 100);
/** Alternating rounds of the command and the bare reference. */
const ROUNDS = Number(process.env.BENCH_VERIFY_ROUNDS ?? 5);
/** `--concurrency` for the many-targets figure: verify's default (4 measured no faster here). */
const CONCURRENCY = Number(process.env.BENCH_VERIFY_CONCURRENCY ?? 2);

/** Whole-process wall time of `node <args>`; rejects unless it exits 0. */
async function processMs(args: string[]): Promise<{ ms: number; stdout: string }> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  if (code !== 0) throw new Error(`node ${args.join(' ')} ended ${code}: ${stderr.split('\n')[0]}`);
  return { ms: performance.now() - started, stdout };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Time to verdict of the command (compiled, a fresh process, browser launch included) beside the
 * bare reference (bench/verify-bare.mjs: the same launch, page origins and requests with nothing
 * of cors-conform), alternating, ROUNDS each; medians.
 */
async function timeToVerdictBesideBare(): Promise<{ timeToVerdictMs: number; bareMs: number; ofBare: number; rounds: number }> {
  const found = discover('chromium');
  if (!found.found) throw new Error(found.reason);
  const plan = buildPlan({
    targetUrl: 'http://127.0.0.1:9/data',
    expectations: resolveExpectations(null, { origins: [SAMPLE_ORIGIN], credentials: true }),
    methods: ['PUT'],
    headers: [['X-Api-Key', 'cors-conform']],
  });
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cc-bare-')), 'probes.json');
  fs.writeFileSync(
    file,
    JSON.stringify(
      plan.probes
        .filter((p) => !p.skip)
        .map((p) => ({
          pageUrl: p.page.pageUrl,
          method: p.method,
          headers: p.headers,
          body: p.body,
          credentials: p.credentials,
          client: p.client,
        })),
    ),
  );
  const cli: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    cli.push(await cliTimeToVerdict());
    bare.push((await processMs([path.join(__dirname, 'verify-bare.mjs'), file, found.browser.executablePath ?? ''])).ms);
  }
  return { timeToVerdictMs: median(cli), bareMs: median(bare), ofBare: median(cli) / median(bare), rounds: ROUNDS };
}

/** The command on the bundled sample, compiled (as users run it), a fresh process. */
async function cliTimeToVerdict(): Promise<number> {
  const { ms, stdout } = await processMs([path.resolve(__dirname, '..', 'bin', 'cors-conform.js'), 'verify', '--format', 'json']);
  const verdict = (JSON.parse(stdout) as { verdict?: string }).verdict;
  if (verdict !== 'pass') throw new Error(`verify on the bundled sample ended with ${verdict ?? 'no verdict'}`);
  return ms;
}

export async function measureVerify(): Promise<{
  timeToVerdictMs: number;
  bareMs: number;
  ofBare: number;
  rounds: number;
  targetsPerSec: number;
  targets: number;
  probesPerTarget: number;
  concurrency: number;
}> {
  const besideBare = await timeToVerdictBesideBare();
  const sample = await startSample();
  try {
    const expectations = resolveExpectations(null, { origins: sample.origins, credentials: sample.credentials });
    const targets = Array.from({ length: TARGETS }, (_, i) => `${sample.url}?target=${i}`);
    const plan = buildPlan({ targetUrl: targets[0]!, expectations, methods: sample.methods, headers: sample.headers });
    const env = await ProbeEnvironment.open('chromium', plan.pages, sample.url);
    if (!(env instanceof ProbeEnvironment)) throw new Error(env.missing);
    try {
      const started = performance.now();
      for (const targetUrl of targets) {
        const run = await verifyTarget({
          targetUrl,
          expectations,
          methods: sample.methods,
          headers: sample.headers,
          browsers: ['chromium'],
          failOn: 'high',
          timeoutMs: 10_000,
          concurrency: CONCURRENCY,
          insecure: false,
          environments: { chromium: env },
        });
        if (run.verdict !== 'pass') throw new Error(`verify of ${targetUrl} did not pass`);
      }
      const seconds = (performance.now() - started) / 1000;
      return {
        ...besideBare,
        targetsPerSec: TARGETS / seconds,
        targets: TARGETS,
        probesPerTarget: plan.probes.length,
        concurrency: CONCURRENCY,
      };
    } finally {
      await env.close();
    }
  } finally {
    await sample.stop();
  }
}
