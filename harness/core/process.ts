/**
 * Programs the project starts (reference servers, WebKit's WebDriver and its X server): each in a
 * process group of its own (they fork workers or children, which outlive a signal sent to the
 * parent alone), awaited until it answers HTTP, and stopped with its group.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';

/** Signals the process and the workers it forked (the group spawnGroup made for it). */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

/** Spawns in a new process group, stderr kept (the last 8 KiB) for error messages. */
export function spawnGroup(command: string, args: string[], options: SpawnOptions = {}): { child: ChildProcess; stderr: () => string } {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true, ...options });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => (stderr = (stderr + d).slice(-8192)));
  return { child, stderr: () => stderr.trim() };
}

function answers(port: number, path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false, timeout: 5000 }, (res) => {
      res.resume();
      res.once('end', () => resolve(true));
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
  });
}

/**
 * Resolves once every port answers an HTTP request for `path`; rejects with the program's own last
 * words if it exits first or `timeoutMs` passes.
 */
export async function waitUntilAnswering(
  name: string,
  started: { child: ChildProcess; stderr: () => string },
  ports: readonly number[],
  path: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(ports);
  const lastWords = () => started.stderr().split('\n').slice(-3).join(' ');
  while (pending.size > 0) {
    const { child } = started;
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${name} exited (${child.signalCode ?? child.exitCode}): ${lastWords()}`);
    if (Date.now() > deadline) throw new Error(`${name} did not answer within ${timeoutMs / 1000} s: ${lastWords()}`);
    for (const port of [...pending]) if (await answers(port, path)) pending.delete(port);
    if (pending.size > 0) await new Promise((r) => setTimeout(r, 100));
  }
}

/** SIGTERM to the group, SIGKILL after `graceMs` if it is still there. */
export async function stopGroup(child: ChildProcess, graceMs = 2000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  killGroup(child, 'SIGTERM');
  const exited = await Promise.race([gone.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), graceMs))]);
  if (!exited) killGroup(child, 'SIGKILL');
}

/** Whether `file` is a regular file this process may execute. */
export function executable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
