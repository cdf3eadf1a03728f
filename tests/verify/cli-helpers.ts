/** Runs the real `cors-conform` binary in a child process (asynchronously, so servers in this process can answer it). */
import { spawn } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface CliOptions {
  timeoutMs?: number;
  cwd?: string;
  /** Added to the environment (GITHUB_STEP_SUMMARY is never inherited: a CI's own summary stays untouched). */
  env?: Record<string, string>;
  /** Written to the command's stdin (then closed). */
  stdin?: string;
}

export function cli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/cors-conform.js'), ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...withoutStepSummary(process.env), FORCE_COLOR: '0', ...options.env },
      stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (options.stdin !== undefined) child.stdin!.end(options.stdin);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`cors-conform ${args.join(' ')} did not finish within ${options.timeoutMs ?? 60_000} ms`));
    }, options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

function withoutStepSummary(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { GITHUB_STEP_SUMMARY: _summary, ...rest } = env;
  return rest;
}
