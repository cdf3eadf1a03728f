/**
 * Node's own requests to the target, for the raw headers a page never sees (the page gets only the
 * CORS-filtered ones) and to tell "unreachable" from "blocked" before any browser starts.
 *
 * Safe by construction: only GET, HEAD and the OPTIONS preflight a browser would send (with
 * Origin and Access-Control-Request-Method) can leave here; anything else throws before a
 * socket opens. Each exchange – headers and body – ends by its deadline, and holds its slot of the
 * run's gate (gate.ts) until its connection is closed, so at most --concurrency are in flight.
 *
 * TLS trust: the target's certificate must verify against Node's CA store (and
 * NODE_EXTRA_CA_CERTS) unless --insecure. This is the gate for the whole run: the browsers are
 * started with certificate errors ignored, because they also load the locally hosted pages.
 */
import http from 'node:http';
import https from 'node:https';
import { UsageError } from '../core/errors';
import { releaseAfterCut, type WireGate } from '../core/gate';
import { describeFailure, headerPairs, loopbackLookup as lookup, MAX_BODY_BYTES, MAX_HEADER_BYTES } from '../core/net';
import { shown } from '../core/probe-url';
import type { RawExchange } from './types';

const MAX_REDIRECTS = 20;

export interface RawOptions {
  insecure: boolean;
  /** The run's bound: a slot per target host, and the deadline of each whole exchange. */
  gate: WireGate;
  /** The Cookie header credentialed requests carry (verify/cookies.ts); null: none. */
  cookieFor?: (url: string) => string | null;
}

function assertSafe(method: string, headers: Record<string, string>): void {
  if (method === 'GET' || method === 'HEAD') return;
  if (method === 'OPTIONS' && headers['origin'] !== undefined && headers['access-control-request-method'] !== undefined) return;
  throw new Error(`refusing to send ${method} from Node: only GET, HEAD and CORS preflights are sent directly`);
}

interface Answer {
  status: number;
  headers: Array<[string, string]>;
  /** Why the body did not arrive whole (null: it did, or Node stopped reading at its limit). */
  bodyError: string | null;
  /** Whether Node cut the connection (deadline, limit): its slot then waits out CUT_GRACE_MS. */
  cut: boolean;
}

/**
 * One request, no redirects followed. Resolves when the exchange is over – the body read (or cut
 * at MAX_BODY_BYTES) and the connection closed – so the caller's slot covers all of it. The
 * deadline is for the whole exchange: a server that sends its headers and then trickles the body
 * is cut off there (the headers stand; `bodyError` says what happened). Rejects when no HTTP
 * response came back.
 */
function once(
  method: string,
  url: string,
  headers: Record<string, string>,
  options: { insecure: boolean; deadline: number; timeoutMs: number },
): Promise<Answer> {
  assertSafe(method, headers);
  const u = new URL(url);
  const client = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let answer: Answer | null = null;
    let failure: unknown = null;
    let cut = false;
    const req = client.request(url, {
      method,
      headers: { 'user-agent': 'cors-conform verify (raw headers)', connection: 'close', ...headers },
      agent: false,
      insecureHTTPParser: true,
      maxHeaderSize: MAX_HEADER_BYTES,
      rejectUnauthorized: !options.insecure,
      lookup,
    });
    const timer = setTimeout(
      () => {
        cut = true;
        if (answer) answer.bodyError ??= `the body did not end within ${options.timeoutMs} ms (timeout; the headers arrived)`;
        else failure = Object.assign(new Error('timeout'), { code: 'CC_TIMEOUT' });
        req.destroy();
      },
      Math.max(0, options.deadline - Date.now()),
    );
    req.on('response', (res) => {
      answer = { status: res.statusCode ?? 0, headers: headerPairs(res.rawHeaders), bodyError: null, cut: false };
      let seen = 0;
      res.on('data', (chunk: Buffer) => {
        seen += chunk.length;
        if (seen > MAX_BODY_BYTES && !cut) {
          cut = true;
          req.destroy();
        }
      });
      res.on('error', () => {});
      res.on('close', () => {
        if (!res.complete && !cut && answer && answer.bodyError === null)
          answer.bodyError = `the connection ended before the body did (${seen} bytes read): a network failure, not a CORS answer`;
      });
    });
    req.on('error', (error) => {
      if (!answer) failure ??= error;
    });
    // 'close' comes last, after the socket is gone: only then is the slot given back.
    req.on('close', () => {
      clearTimeout(timer);
      // The same object, not a copy: the response's own 'close' (which may come after this one)
      // can still record a body failure before the caller reads it.
      if (answer) {
        answer.cut = cut;
        resolve(answer);
      } else reject(failure ?? new Error('socket hang up'));
    });
    req.end();
  });
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Sends one safe request and records the raw answer; GET and HEAD follow redirects as a browser
 * would (at most 20, a loop is an error). Never throws: failures are recorded in `error`.
 */
export async function exchange(
  method: 'GET' | 'HEAD' | 'OPTIONS',
  url: string,
  headers: Record<string, string>,
  options: RawOptions,
): Promise<RawExchange> {
  // A programming error, never a network one: throw before anything is sent.
  assertSafe(method, headers);
  const first: RawExchange = { request: { method, url, headers }, response: null, error: null };
  const seen = [url];
  let current = first;
  for (;;) {
    const limiter = options.gate.limiterFor(current.request.url);
    const release = (await limiter.acquire())!;
    let cut = false;
    try {
      // The deadline starts with the slot: Node's requests wait their turn behind each other.
      const deadline = Date.now() + options.gate.timeoutMs;
      const answer = await once(current.request.method, current.request.url, headers, {
        insecure: options.insecure,
        deadline,
        timeoutMs: options.gate.timeoutMs,
      });
      cut = answer.cut;
      current.response = { status: answer.status, headers: answer.headers };
      if (answer.bodyError) current.bodyError = answer.bodyError;
    } catch (error) {
      cut = (error as NodeJS.ErrnoException).code === 'CC_TIMEOUT';
      current.error = describeFailure(error, current.request.url, options.gate.timeoutMs);
      return first;
    } finally {
      if (cut) releaseAfterCut(release);
      else release();
    }
    const location = current.response.headers.find(([n]) => n.toLowerCase() === 'location')?.[1];
    if (method === 'OPTIONS' || !REDIRECTS.has(current.response.status) || location === undefined) return first;
    let next: string;
    try {
      next = new URL(location, current.request.url).href;
    } catch {
      return first;
    }
    if (seen.includes(next)) {
      first.error = `redirect loop: ${seen.concat(next).map(shown).join(' → ')}`;
      return first;
    }
    if (seen.length > MAX_REDIRECTS) {
      first.error = `more than ${MAX_REDIRECTS} redirects from ${shown(url)}`;
      return first;
    }
    seen.push(next);
    const hop: RawExchange = { request: { method, url: next, headers }, response: null, error: null };
    (first.hops ??= []).push(hop);
    current = hop;
  }
}

/**
 * The first request of a run: a GET as the first page would send it. An unreachable target, a TLS
 * failure, a redirect loop or oversized headers end the run here with one line (exit code 2).
 */
export async function checkReachable(url: string, origin: string, options: RawOptions): Promise<RawExchange> {
  const result = await exchange('GET', url, { origin }, options);
  const failed = result.error ?? result.hops?.find((h) => h.error)?.error;
  if (failed) throw new UsageError(`cannot verify ${shown(url)}: ${failed}`);
  return result;
}
