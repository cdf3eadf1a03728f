/**
 * The reference servers that are programs of their own (php -S, Apache, nginx, the ASP.NET host):
 * found once, started in a process group of their own (they fork workers, which outlive a signal
 * sent to the parent alone), awaited until every port answers HTTP, and stopped with the group.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freeLoopbackPort } from '../../harness/core/listen';
import { spawnGroup, stopGroup, waitUntilAnswering } from '../../harness/core/process';
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
