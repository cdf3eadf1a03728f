/**
 * The wire log every reference server keeps: what actually reached it, per probe token. Tests
 * compare it with the oracle's predicted requests, so a case can fail because a preflight was
 * (or was not) sent even when the page-visible outcome matches.
 */
import type { IncomingMessage } from 'node:http';
import { tokenOf } from './probe-url';

export interface WireEntry {
  token: string;
  /** Which hop of a scripted redirect chain (0 for the entry URL). */
  hop: number;
  method: string;
  host: string;
  path: string;
  /** OPTIONS carrying Access-Control-Request-Method: a CORS preflight. */
  preflight: boolean;
  origin: string | null;
  acrm: string | null;
  acrh: string | null;
  cookie: string | null;
  /** Request headers, lowercased names, for evidence in reports. */
  headers: Record<string, string>;
  /** The response status the server sent. */
  status?: number;
  /** The response headers the server sent, in order. */
  responseHeaders?: Array<[string, string]>;
}

function header(req: IncomingMessage, name: string): string | null {
  const v = req.headers[name];
  return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
}

export function entryFor(req: IncomingMessage): WireEntry | null {
  const at = tokenOf(req.url ?? '/');
  if (!at) return null;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  const acrm = header(req, 'access-control-request-method');
  return {
    token: at.token,
    hop: at.hop,
    method: req.method ?? 'GET',
    host: header(req, 'host') ?? '',
    path: req.url ?? '/',
    preflight: req.method === 'OPTIONS' && acrm !== null,
    origin: header(req, 'origin'),
    acrm,
    acrh: header(req, 'access-control-request-headers'),
    cookie: header(req, 'cookie'),
    headers,
  };
}

/** Per-token log, bounded so a long benchmark cannot grow it without limit. */
export class WireLog {
  private readonly byToken = new Map<string, WireEntry[]>();
  constructor(private readonly maxTokens = 50_000) {}

  record(entry: WireEntry): void {
    let list = this.byToken.get(entry.token);
    if (!list) {
      if (this.byToken.size >= this.maxTokens) {
        const oldest = this.byToken.keys().next().value;
        if (oldest !== undefined) this.byToken.delete(oldest);
      }
      list = [];
      this.byToken.set(entry.token, list);
    }
    list.push(entry);
  }

  entries(token: string): WireEntry[] {
    return this.byToken.get(token) ?? [];
  }

  forget(token: string): void {
    this.byToken.delete(token);
  }
}
