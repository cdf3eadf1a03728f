/**
 * What every reference server shares: the endpoints they all serve (so a probe means the same thing
 * on each), the wire recording (what reached the server and what it actually sent back, per probe
 * token, as harness/core/wire.ts records it) and the test-only perturbation used to show that the
 * server suite catches a broken server.
 *
 * Endpoints (the probe token rides in `?cc=<token>`):
 *   /data      GET HEAD POST PUT PATCH DELETE (and OPTIONS, if the framework lets it through):
 *              200, a short text body, X-Request-Id and X-Total-Count (for exposedHeaders)
 *   /cookie    200 and `Set-Cookie: cc_<token>=1; Path=/; SameSite=None; Secure`
 *   /redirect  302 to /data with the same query string
 */
import http from 'node:http';
import type { Policy } from '../policy';
import { closeServer, listenLoopback } from '../../harness/core/listen';
import { entryFor, WireLog, type WireEntry } from '../../harness/core/wire';

export const SERVER_NAMES = [
  'express-cors',
  'express-tutorial',
  'fastify-cors',
  'php',
  'node-http',
  'apache-php',
  'nginx',
  'aspnet-mono',
] as const;
/** The article's snippets as written (snippets.ts): run under one policy of their own. */
export const SNIPPET_NAMES = [
  'snippet-express',
  'snippet-apache-php',
  'snippet-apache-php-mod-headers',
  'snippet-aspnet',
  'snippet-nginx',
  'snippet-nginx-location',
] as const;
export type ServerName = (typeof SERVER_NAMES)[number] | (typeof SNIPPET_NAMES)[number];

/** Response headers /data sends besides CORS ones; the policy's exposedHeaders decides which a page reads. */
/**
 * The Policy's CORS options that are set, under the names `cors` and `@fastify/cors` share. An
 * option left out keeps the package's own default – which is how the frameworks' differing
 * defaults (Fastify's methods, say) show up as quirks instead of being papered over here.
 */
export function passThroughOptions(policy: Policy): Pick<Policy, 'origin'> & Partial<Omit<Policy, 'origin'>> {
  const { origin, methods, allowedHeaders, exposedHeaders, credentials, maxAge, optionsSuccessStatus, preflightContinue } = policy;
  const set = Object.entries({
    methods,
    allowedHeaders,
    exposedHeaders,
    credentials,
    maxAge,
    optionsSuccessStatus,
    preflightContinue,
  }).filter(([, v]) => v !== undefined);
  return { origin, ...Object.fromEntries(set) };
}

export const DATA_HEADERS = ['X-Request-Id', 'X-Total-Count'] as const;

export function dataHeaders(token: string): Array<[string, string]> {
  return [
    ['X-Request-Id', token || 'none'],
    ['X-Total-Count', '42'],
  ];
}

export function dataBody(method: string, token: string): string {
  return `data ${method} ${token}`;
}

export function cookieHeader(token: string): string {
  return `cc_${token.replace(/-/g, '_')}=1; Path=/; SameSite=None; Secure`;
}

export function tokenParam(url: string): string {
  return /[?&]cc=([A-Za-z0-9_-]+)/.exec(url)?.[1] ?? '';
}

/** A reference server running one Policy on its own loopback port. */
export interface RunningServer {
  name: ServerName;
  port: number;
  /** What reached the server per token, with what it sent back. Complete once `collect()` resolved. */
  wire: WireLog;
  /** Brings the wire log up to date (the PHP server writes it to a file). */
  collect(): Promise<void>;
  stop(): Promise<void>;
}

export interface ServerFactory {
  name: ServerName;
  /** One line on how the server is built, for the docs and reports. */
  description: string;
  /** Null when the server can run here, else why not (e.g. php missing). */
  unavailable(): string | null;
  start(policy: Policy): Promise<RunningServer>;
  /**
   * Every policy of a run at once, one RunningServer each (in order): for a server that is a
   * program of its own and slow to start (Apache, nginx, Mono), one process with a port per policy.
   */
  startAll?(policies: readonly Policy[]): Promise<RunningServer[]>;
}

/**
 * Parses the head Node actually wrote (`res._header`: status line and every header line, Date,
 * Connection and Transfer-Encoding included); falls back to getHeaders() if it is not there.
 */
export function sentHead(res: http.ServerResponse): { status: number; headers: Array<[string, string]> } {
  const raw = (res as unknown as { _header?: unknown })._header;
  if (typeof raw === 'string' && raw.length > 0) {
    const lines = raw.split('\r\n');
    const status = Number(/^HTTP\/\d(?:\.\d)? (\d{3})/.exec(lines[0] ?? '')?.[1] ?? res.statusCode);
    const headers: Array<[string, string]> = [];
    for (const line of lines.slice(1)) {
      const c = line.indexOf(':');
      if (c > 0) headers.push([line.slice(0, c), line.slice(c + 1).trim()]);
    }
    return { status, headers };
  }
  const headers: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(res.getHeaders())) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.push([name, String(v)]);
  }
  return { status: res.statusCode, headers };
}

/**
 * Test-only: `CORS_CONFORM_BREAK=<server>` makes that server append `/` to every
 * Access-Control-Allow-Origin it sends (a plausible bug, and one the Fetch Standard rejects), so
 * the suite can be shown to fail with the server, policy, probe and reason named.
 */
export function perturbationFor(name: ServerName): 'acao-trailing-slash' | null {
  const target = process.env.CORS_CONFORM_BREAK;
  return target === name ? 'acao-trailing-slash' : null;
}

function perturb(res: http.ServerResponse): void {
  const original = res.writeHead.bind(res) as (...args: unknown[]) => http.ServerResponse;
  const broken = (value: unknown) => (Array.isArray(value) ? value.map((v) => `${String(v)}/`) : `${String(value)}/`);
  (res as unknown as { writeHead: (...args: unknown[]) => http.ServerResponse }).writeHead = (...args: unknown[]) => {
    const set = res.getHeader('access-control-allow-origin');
    if (set !== undefined) res.setHeader('Access-Control-Allow-Origin', broken(set) as string);
    for (const arg of args) {
      if (arg && typeof arg === 'object' && !Array.isArray(arg)) {
        const headers = arg as Record<string, unknown>;
        for (const key of Object.keys(headers))
          if (key.toLowerCase() === 'access-control-allow-origin') headers[key] = broken(headers[key]);
      }
    }
    return original(...args);
  };
}

/**
 * Wraps a request listener so every request carrying a probe token is recorded when its response
 * has finished: request as harness/core/wire.ts sees it, status and headers as actually sent.
 */
export function recording(name: ServerName, log: WireLog, handler: http.RequestListener): http.RequestListener {
  const broken = perturbationFor(name);
  return (req, res) => {
    const entry: WireEntry | null = entryFor(req);
    if (entry) {
      res.once('finish', () => {
        const sent = sentHead(res);
        entry.status = sent.status;
        entry.responseHeaders = sent.headers;
        log.record(entry);
      });
    }
    if (broken) perturb(res);
    handler(req, res);
  };
}

/** A RunningServer around a plain node:http server (Express, node-http; Fastify brings its own). */
export async function runNodeServer(name: ServerName, handler: http.RequestListener): Promise<RunningServer> {
  const wire = new WireLog();
  const server = http.createServer({ keepAliveTimeout: 30_000 }, recording(name, wire, handler));
  const port = await listenLoopback(server);
  return { name, port, wire, collect: async () => {}, stop: () => closeServer(server) };
}
