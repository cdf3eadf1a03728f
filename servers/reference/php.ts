/**
 * PHP's built-in server (`php -S 127.0.0.1:<port> servers/php/router.php`) with the policy as JSON
 * in CC_POLICY. `php -S` cannot take port 0, so the port is found by binding port 0 on loopback,
 * releasing it and starting php on it, retrying with a new port when php reports it taken.
 * The router appends one JSON line per probe request to a log file; collect() reads it back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { policyToJson } from '../policy';
import { freeLoopbackPort } from '../../harness/core/listen';
import { tokenOf } from '../../harness/core/probe-url';
import { WireLog, type WireEntry } from '../../harness/core/wire';
import type { ServerFactory } from './common';
import { killGroup, stopGroup } from '../../harness/core/process';
import { programUnavailable } from './process';

export const PHP_BINARY = process.env.CORS_CONFORM_PHP ?? 'php';
const ROUTER = path.join(__dirname, '..', 'php', 'router.php');

/** Null when `php` runs here, else the reason (checked once). */
export function phpUnavailable(): string | null {
  return programUnavailable(
    'php',
    PHP_BINARY,
    ['-r', 'echo PHP_VERSION;'],
    'run `npm run setup` or `apt-get install php-cli`, or set CORS_CONFORM_PHP',
  );
}

/**
 * Starts php on a port; resolves once php says its server started (printed only after a
 * successful bind), rejects with php's own words (e.g. "Address already in use").
 */
function startPhp(port: number, env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    // Its own process group: with PHP_CLI_SERVER_WORKERS php forks workers, which outlive a
    // signal sent to the parent alone.
    const child = spawn(PHP_BINARY, ['-S', `127.0.0.1:${port}`, ROUTER], { env, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let stderr = '';
    let settled = false;
    const settle = (error: Error | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        killGroup(child, 'SIGKILL');
        reject(error);
      } else resolve(child);
    };
    const timer = setTimeout(() => settle(new Error(`php -S 127.0.0.1:${port} did not start within 10 s: ${stderr.trim()}`)), 10_000);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => {
      if (stderr.length < 8192) stderr += d;
      if (/Development Server \(http:\/\/127\.0\.0\.1:\d+\) started/.test(stderr)) settle(null);
    });
    child.once('exit', (code, signal) =>
      settle(new Error(`php -S 127.0.0.1:${port} exited (${signal ?? code}): ${stderr.trim().split('\n').slice(-2).join(' ')}`)),
    );
    child.once('error', (e) => settle(new Error(`php did not start: ${e.message}`)));
  });
}

function toEntry(line: string): WireEntry | null {
  const raw = JSON.parse(line) as {
    token: string;
    method: string;
    path: string;
    headers: Record<string, string>;
    status: number;
    responseHeaders: Array<[string, string]>;
  };
  const at = tokenOf(raw.path);
  if (!at) return null;
  const h = (n: string) => raw.headers[n] ?? null;
  const acrm = h('access-control-request-method');
  return {
    token: at.token,
    hop: at.hop,
    method: raw.method,
    host: h('host') ?? '',
    path: raw.path,
    preflight: raw.method === 'OPTIONS' && acrm !== null,
    origin: h('origin'),
    acrm,
    acrh: h('access-control-request-headers'),
    cookie: h('cookie'),
    headers: raw.headers,
    status: raw.status,
    responseHeaders: raw.responseHeaders,
  };
}

export const phpServer: ServerFactory = {
  name: 'php',
  description: 'PHP 8 built-in server (`php -S`), a router setting headers with header() like common snippets',
  unavailable: phpUnavailable,
  async start(policy) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-conform-php-'));
    const logFile = path.join(dir, 'wire.jsonl');
    fs.writeFileSync(logFile, '');
    const env: NodeJS.ProcessEnv = { ...process.env, CC_POLICY: policyToJson(policy), CC_WIRE_LOG: logFile, PHP_CLI_SERVER_WORKERS: '2' };
    let child: ChildProcess | undefined;
    let port = 0;
    let lastError: unknown;
    for (let attempt = 0; attempt < 5 && !child; attempt++) {
      port = await freeLoopbackPort();
      try {
        child = await startPhp(port, env);
      } catch (e) {
        lastError = e;
        // Another process took the port between our release and php's bind: try another one.
        if (!/address already in use|Failed to listen/i.test(String(e))) break;
      }
    }
    if (!child) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw lastError instanceof Error ? lastError : new Error(String(lastError));
    }
    const running = child;
    const wire = new WireLog();
    let readUpTo = 0;
    return {
      name: 'php',
      port,
      wire,
      async collect() {
        const text = fs.readFileSync(logFile, 'utf8');
        const end = text.lastIndexOf('\n') + 1;
        for (const line of text.slice(readUpTo, end).split('\n')) {
          if (line.trim() === '') continue;
          const entry = toEntry(line);
          if (entry) wire.record(entry);
        }
        readUpTo = end;
      },
      async stop() {
        await stopGroup(running);
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};
