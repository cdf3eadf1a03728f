/**
 * What Node's own requests (verify) and the probing browsers' proxy share about the network: the
 * largest response head accepted, `*.localhost` as loopback, and why an exchange failed, in one
 * line a person can act on.
 */
import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import { shown } from './probe-url';

/** Node's raw header array (`[name, value, name, value…]`) as pairs, order and repeats kept. */
export function headerPairs(raw: readonly string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}

/**
 * Bodies are read whole up to this much, whoever does not read them (the proxy reads for a browser
 * that stopped, Node reads its own); past it the exchange is cut, which is our choice, not a failure.
 */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Response heads larger than this are refused (Chromium's limit is the same). */
export const MAX_HEADER_BYTES = 256 * 1024;

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
  if (code === 'HPE_HEADER_OVERFLOW')
    return `the response headers from ${url} are larger than ${MAX_HEADER_BYTES / 1024} KiB (browsers refuse them too: Chromium's limit is the same)`;
  if (code.startsWith('HPE_')) return `${at} does not speak HTTP (${code}: ${e.reason ?? e.message})`;
  if (code === 'ECONNRESET' || e.message === 'socket hang up')
    return `${at} closed the connection without an HTTP response${u.protocol === 'https:' ? ' (is it really https?)' : ''}`;
  const certCodes = [
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'CERT_HAS_EXPIRED',
    'CERT_NOT_YET_VALID',
    'ERR_TLS_CERT_ALTNAME_INVALID',
  ];
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
export const loopbackLookup: LookupFunction = (hostname, options, callback) => {
  if (hostname.endsWith('.localhost')) {
    if (options.all)
      (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [
        { address: '127.0.0.1', family: 4 },
      ]);
    else callback(null, '127.0.0.1', 4);
    return;
  }
  (dns.lookup as (host: string, opts: object, cb: unknown) => void)(hostname, options, callback);
};
