/**
 * Node's own requests to the target, for the raw headers a page never sees (the page gets only the
 * CORS-filtered ones) and to tell "unreachable" from "blocked" before any browser starts.
 *
 * Safe by construction: only GET, HEAD and the OPTIONS preflight a browser would send (with
 * Origin and Access-Control-Request-Method) can leave here; anything else throws before a
 * socket opens. Every request has a timeout; at most `concurrency` are in flight (Limiter).
 *
 * TLS trust: the target's certificate must verify against Node's CA store (and
 * NODE_EXTRA_CA_CERTS) unless --insecure. This is the gate for the whole run: the browsers are
 * started with certificate errors ignored, because they also load the locally hosted pages.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { UsageError } from '../cli/errors';
import type { RawExchange } from './types';

export const MAX_HEADER_BYTES = 256 * 1024;

/** The query parameter carrying a probe's unique token (busts HTTP and preflight caches). */
export const TOKEN_PARAM = '_cors_conform';

export function probeUrl(targetUrl: string, token: string): string {
  const u = new URL(targetUrl);
  u.searchParams.append(TOKEN_PARAM, token);
  return u.href;
}

/** A URL as the user wrote it: without our token parameter. */
export function shown(url: string): string {
  const u = new URL(url);
  if (!u.searchParams.has(TOKEN_PARAM)) return url;
  u.searchParams.delete(TOKEN_PARAM);
  return u.href;
}
const MAX_REDIRECTS = 20;
const MAX_BODY_BYTES = 1024 * 1024;

export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(readonly max: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

export interface RawOptions {
  timeoutMs: number;
  insecure: boolean;
  limiter: Limiter;
}

/** Why a request got no HTTP response, in one line a person can act on. */
export function describeFailure(error: unknown, url: string, timeoutMs: number): string {
  const e = error as NodeJS.ErrnoException & { reason?: string };
  url = shown(url);
  const u = new URL(url);
  const at = `${u.hostname}:${u.port || (u.protocol === 'https:' ? 443 : 80)}`;
  const code = e.code ?? '';
  if (code === 'CC_TIMEOUT') return `no response from ${url} within ${timeoutMs} ms (timeout; raise it with --timeout)`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return `cannot resolve ${u.hostname} (DNS ${code})`;
  if (code === 'ECONNREFUSED') return `connection refused by ${at}: nothing listens there`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `${at} is unreachable (${code})`;
  if (code === 'HPE_HEADER_OVERFLOW') return `the response headers from ${url} are larger than ${MAX_HEADER_BYTES / 1024} KiB (browsers refuse them too: Chromium's limit is the same)`;
  if (code.startsWith('HPE_')) return `${at} does not speak HTTP (${code}: ${e.reason ?? e.message})`;
  if (code === 'ECONNRESET' || e.message === 'socket hang up') return `${at} closed the connection without an HTTP response${u.protocol === 'https:' ? ' (is it really https?)' : ''}`;
  const certCodes = ['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID'];
  if (certCodes.includes(code)) {
    return `the TLS certificate of ${at} is not trusted (${code}: ${e.message.split('\n')[0]}): pass --insecure to accept it, or NODE_EXTRA_CA_CERTS=<ca.pem> for a private CA`;
  }
  if (code.startsWith('ERR_SSL') || code === 'EPROTO' || /SSL|TLS/.test(e.message)) {
    return `TLS handshake with ${at} failed (${code || 'TLS'}: ${e.message.split('\n')[0]!.replace(/^.*routines:/, '')}): is it really https?`;
  }
  return `${url}: ${(e.message || String(error)).split('\n')[0]}${code ? ` (${code})` : ''}`;
}

/**
 * `*.localhost` is loopback (RFC 6761; browsers resolve it themselves), though the system resolver
 * may not know it – so a target on http://api.localhost:8080 is reachable from Node as well.
 */
const lookup: LookupFunction = (hostname, options, callback) => {
  if (hostname.endsWith('.localhost')) {
    if (options.all) (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
    return;
  }
  (dns.lookup as (host: string, opts: object, cb: unknown) => void)(hostname, options, callback);
};

function assertSafe(method: string, headers: Record<string, string>): void {
  if (method === 'GET' || method === 'HEAD') return;
  if (method === 'OPTIONS' && headers['origin'] !== undefined && headers['access-control-request-method'] !== undefined) return;
  throw new Error(`refusing to send ${method} from Node: only GET, HEAD and CORS preflights are sent directly`);
}

function pairs(raw: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}

/** One request, no redirects followed. Rejects with the error when no HTTP response came back. */
function once(method: string, url: string, headers: Record<string, string>, options: Omit<RawOptions, 'limiter'>): Promise<{ status: number; headers: Array<[string, string]> }> {
  assertSafe(method, headers);
  const u = new URL(url);
  const client = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method,
        headers: { 'user-agent': 'cors-conform verify (raw headers)', ...headers },
        agent: false,
        insecureHTTPParser: true,
        maxHeaderSize: MAX_HEADER_BYTES,
        rejectUnauthorized: !options.insecure,
        lookup,
        timeout: options.timeoutMs,
      },
      (res) => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: pairs(res.rawHeaders) });
        let seen = 0;
        res.on('data', (chunk: Buffer) => {
          seen += chunk.length;
          if (seen > MAX_BODY_BYTES) res.destroy();
        });
        res.on('error', () => {});
      },
    );
    const timer = setTimeout(() => req.destroy(Object.assign(new Error('timeout'), { code: 'CC_TIMEOUT' })), options.timeoutMs);
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'CC_TIMEOUT' })));
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end();
  });
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Sends one safe request and records the raw answer; GET and HEAD follow redirects as a browser
 * would (at most 20, a loop is an error). Never throws: failures are recorded in `error`.
 */
export async function exchange(method: 'GET' | 'HEAD' | 'OPTIONS', url: string, headers: Record<string, string>, options: RawOptions): Promise<RawExchange> {
  // A programming error, never a network one: throw before anything is sent.
  assertSafe(method, headers);
  const first: RawExchange = { request: { method, url, headers }, response: null, error: null };
  const seen = [url];
  let current = first;
  for (;;) {
    try {
      current.response = await options.limiter.run(() => once(current.request.method, current.request.url, headers, options));
    } catch (error) {
      current.error = describeFailure(error, current.request.url, options.timeoutMs);
      return first;
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
