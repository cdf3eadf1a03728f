/**
 * The reference servers that are programs of their own (php -S, Apache, nginx, the ASP.NET host):
 * found once, started in a process group of their own (they fork workers, which outlive a signal
 * sent to the parent alone), awaited until every port answers HTTP, and stopped with the group.
 */
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { freeLoopbackPort } from '../../harness/core/listen';
import type { Policy } from '../policy';
import type { RunningServer, ServerFactory, ServerName } from './common';
import { tapInFront } from './tap';

/**
 * Null when `command args` exits 0 here, else why not, naming the program as `name` (the command
 * may be a path a user gave) with what to install (checked once each).
 */
export function programUnavailable(name: string, command: string, args: string[], install: string): string | null {
  const key = `${command} ${args.join(' ')}`;
  if (!checked.has(key)) {
    const r = spawnSync(command, args, { encoding: 'utf8', timeout: 10_000 });
    checked.set(
      key,
      r.status === 0
        ? null
        : `${name} is not available (${r.error ? r.error.message : `exit ${r.status}: ${(r.stderr ?? '').trim().split('\n')[0]}`}): ${install}`,
    );
  }
  return checked.get(key)!;
}
const checked = new Map<string, string | null>();

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

export interface ProgramSpec {
  name: ServerName;
  /** How many ports (one per policy). */
  count: number;
  /** Writes the program's files into `dir` for these ports (called again on a retry). */
  prepare(dir: string, ports: readonly number[]): void;
  /** The command line that runs it in the foreground. */
  command(dir: string): { command: string; args: string[] };
  /** A path every port answers once the program is ready. */
  readyPath: string;
  /** Where the program writes start-up errors besides stderr (Apache's ErrorLog). */
  logFile?: string;
  timeoutMs?: number;
  /** The tap sends `Host: 127.0.0.1:<port>` on (tap.ts). */
  ownHost?: boolean;
}

/**
 * Starts a program that cannot take port 0 on `count` ports found free first (retried with other
 * ports when one was taken in between), waits until each answers, and puts a recording tap
 * (tap.ts) in front of each: one RunningServer per port, the program stopped with the last.
 * Run as root, such programs drop to an unprivileged user: the directory is world-readable.
 */
export async function startBehindTaps(spec: ProgramSpec): Promise<RunningServer[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cors-conform-${spec.name}-`));
  fs.chmodSync(dir, 0o755);
  let lastError: unknown;
  for (let attempt = 0; attempt < 4; attempt++) {
    const ports = await Promise.all(Array.from({ length: spec.count }, () => freeLoopbackPort()));
    spec.prepare(dir, ports);
    const { command, args } = spec.command(dir);
    const started = spawnGroup(command, args);
    const withLog = {
      child: started.child,
      stderr: () => `${started.stderr()}\n${spec.logFile ? readIfThere(path.join(dir, spec.logFile)) : ''}`.trim(),
    };
    try {
      await waitUntilAnswering(spec.name, withLog, ports, spec.readyPath, spec.timeoutMs ?? 20_000);
    } catch (e) {
      await stopGroup(started.child, 500);
      lastError = e;
      // Another process took a port between our release and the program's bind (another worker
      // starting its servers, say): other ports. Its own words may be anywhere in what it printed.
      if (/Address already in use|could not bind|bind\(\) to .* failed/i.test(`${String(e)}\n${withLog.stderr()}`)) continue;
      break;
    }
    let open = ports.length;
    const shutdown = async () => {
      if (--open > 0) return;
      await stopGroup(started.child);
      fs.rmSync(dir, { recursive: true, force: true });
    };
    return Promise.all(
      ports.map(async (port) => {
        const tap = await tapInFront(port, { ownHost: spec.ownHost });
        return {
          name: spec.name,
          port: tap.port,
          wire: tap.wire,
          collect: async () => {},
          stop: async () => {
            await tap.close();
            await shutdown();
          },
        };
      }),
    );
  }
  fs.rmSync(dir, { recursive: true, force: true });
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

function readIfThere(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** A ServerFactory for a program that serves every policy of a run from one process. */
export function programServer(
  name: ServerName,
  description: string,
  unavailable: () => string | null,
  startAll: (policies: readonly Policy[]) => Promise<RunningServer[]>,
): ServerFactory {
  return { name, description, unavailable, start: async (policy) => (await startAll([policy]))[0]!, startAll };
}
