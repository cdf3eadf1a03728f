/**
 * `verify` figures: time to verdict of `npx cors-conform verify` on the bundled sample (a fresh
 * process, what a user waits for), and how many local target URLs one run verifies per second
 * when the browser and its pages stay open between targets.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ProbeEnvironment } from '../harness/verify/browser-run';
import { resolveExpectations } from '../harness/verify/expect-file';
import { buildPlan } from '../harness/verify/plan';
import { verifyTarget } from '../harness/verify/run';
import { startSample } from '../harness/verify/sample';

const TARGETS = Number(process.env.BENCH_VERIFY_TARGETS ?? 100);
/** `--concurrency` for the many-targets figure: verify's default (4 measured no faster here). */
const CONCURRENCY = Number(process.env.BENCH_VERIFY_CONCURRENCY ?? 2);

async function cliTimeToVerdict(): Promise<number> {
  const bin = path.resolve(__dirname, '..', 'bin', 'cors-conform.js');
  const started = performance.now();
  const child = spawn(process.execPath, [bin, 'verify', '--format', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  const ms = performance.now() - started;
  const verdict = (JSON.parse(out) as { verdict?: string }).verdict;
  if (code !== 0 || verdict !== 'pass') throw new Error(`verify on the bundled sample ended ${code} (${verdict ?? 'no verdict'})`);
  return ms;
}

export async function measureVerify(): Promise<{
  timeToVerdictMs: number;
  targetsPerSec: number;
  targets: number;
  probesPerTarget: number;
  concurrency: number;
}> {
  const timeToVerdictMs = await cliTimeToVerdict();
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
        timeToVerdictMs,
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
