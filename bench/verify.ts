/**
 * `verify` figures: time to verdict of `npx cors-conform verify` on the bundled sample (a fresh
 * process, what a user waits for) beside a bare reference, and a whole API – 100 local targets
 * from one config file in one process beside the same targets as single-target processes.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { discover } from '../harness/browser/engines';
import { resolveExpectations } from '../harness/verify/expect-file';
import { buildPlan } from '../harness/verify/plan';
import { SAMPLE_ORIGIN, startSample } from '../harness/verify/sample';

const TARGETS = Number(process.env.BENCH_VERIFY_TARGETS ?? 100);
/** Alternating rounds of the command and the bare reference. */
const ROUNDS = Number(process.env.BENCH_VERIFY_ROUNDS ?? 5);

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

/**
 * A whole API: TARGETS local targets (the bundled server, one host, as one API is) from one config
 * file in one process, launch included, beside the same targets as single-target processes – the
 * way to check many URLs before `--config`. Interleaved (one-process runs between halves of the
 * singles) so drift in the machine's speed falls on both; the one-process figure is the median of
 * its rounds. BENCH_VERIFY_SINGLES checks fewer single-target processes (the rate is per target).
 */
async function manyTargets(): Promise<{
  targets: number;
  oneProcessMs: number;
  oneProcessRounds: number[];
  singles: number;
  singlesMs: number;
  oneProcessTargetsPerSec: number;
  singleTargetsPerSec: number;
  ratio: number;
  probesPerTarget: number;
}> {
  const sample = await startSample();
  try {
    const targets = Array.from({ length: TARGETS }, (_, i) => `${sample.url}?target=${i}`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-bench-many-'));
    const config = path.join(dir, 'cors-conform.config.json');
    fs.writeFileSync(
      config,
      JSON.stringify({
        origins: sample.origins,
        credentials: sample.credentials,
        methods: sample.methods,
        headers: sample.headers,
        insecure: sample.insecure,
        targets,
      }),
    );
    const bin = path.resolve(__dirname, '..', 'bin', 'cors-conform.js');
    const one = async () => {
      const { ms, stdout } = await processMs([bin, 'verify', '--config', config, '--format', 'json']);
      const report = JSON.parse(stdout) as { verdict: string; summary: { passed: number } };
      if (report.verdict !== 'pass' || report.summary.passed !== TARGETS)
        throw new Error(`verify --config: ${report.summary.passed} of ${TARGETS} passed`);
      return ms;
    };
    const single = async (url: string) => {
      const args = [bin, 'verify', url, ...sample.origins.flatMap((o) => ['--origin', o]), '--credentials', '--insecure'];
      for (const m of sample.methods) args.push('--method', m);
      for (const [n, v] of sample.headers) args.push('--header', `${n}: ${v}`);
      const { ms, stdout } = await processMs([...args, '--format', 'json']);
      if ((JSON.parse(stdout) as { verdict: string }).verdict !== 'pass') throw new Error(`verify ${url} did not pass`);
      return ms;
    };
    const singles = Math.min(TARGETS, Number(process.env.BENCH_VERIFY_SINGLES ?? TARGETS));
    const rounds: number[] = [await one()];
    let singlesMs = 0;
    for (const url of targets.slice(0, Math.ceil(singles / 2))) singlesMs += await single(url);
    rounds.push(await one());
    for (const url of targets.slice(Math.ceil(singles / 2), singles)) singlesMs += await single(url);
    rounds.push(await one());
    const oneProcessMs = median(rounds);
    const plan = buildPlan({
      targetUrl: targets[0]!,
      expectations: resolveExpectations(null, { origins: sample.origins, credentials: sample.credentials }),
      methods: sample.methods,
      headers: sample.headers,
    });
    const oneProcessTargetsPerSec = TARGETS / (oneProcessMs / 1000);
    const singleTargetsPerSec = singles / (singlesMs / 1000);
    return {
      targets: TARGETS,
      oneProcessMs,
      oneProcessRounds: rounds,
      singles,
      singlesMs,
      oneProcessTargetsPerSec,
      singleTargetsPerSec,
      ratio: oneProcessTargetsPerSec / singleTargetsPerSec,
      probesPerTarget: plan.probes.length,
    };
  } finally {
    await sample.stop();
  }
}

export async function measureVerify(): Promise<{
  timeToVerdictMs: number;
  bareMs: number;
  ofBare: number;
  rounds: number;
  many: Awaited<ReturnType<typeof manyTargets>>;
}> {
  const besideBare = await timeToVerdictBesideBare();
  return { ...besideBare, many: await manyTargets() };
}
