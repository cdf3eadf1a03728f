/**
 * Servers for the verify suite, all on 127.0.0.1 port 0: the reference node:http server under a
 * Policy (servers/reference/node-http.ts), or a small node:http handler for header-level mistakes
 * no framework makes on purpose. Each records the requests that reached it (method, Origin,
 * Access-Control-Request-Method, body length) and the most requests ever in flight at once.
 */
import http from 'node:http';
import https from 'node:https';
import { localCertificate } from '../../harness/browser/certs';
import type { AddressInfo } from 'node:net';
import type { Policy } from '../../servers/policy';
import { nodeHttpHandler } from '../../servers/reference/node-http';
import { listenLoopback } from '../../harness/core/listen';
import { pageOrigin } from '../../harness/browser/page-host';
import { blocksMixedContent } from '../../harness/verify/browser-run';
import type { BrowserKind } from '../../harness/oracle';

export const APP = 'https://app.example.com';

/**
 * Whether the servers must speak https for pages on APP to reach them in this engine: an engine
 * that blocks an https page's requests to http://127.0.0.1 as mixed content (WebKit; browser-run.ts,
 * blocksMixedContent) gets https servers, with the run-time certificate Node accepts under --insecure.
 */
export function needsTls(kind: BrowserKind): boolean {
  return blocksMixedContent(kind, pageOrigin(APP)!, 'http://127.0.0.1:1/') !== null;
}

export interface Seen {
  method: string;
  path: string;
  origin: string | null;
  acrm: string | null;
  contentType: string | null;
  /** The Cookie header, if any. */
  cookie: string | null;
  bodyBytes: number;
}

export interface TestServer {
  url: string;
  seen: Seen[];
  /** The most requests in flight at the same time. */
  maxInFlight: number;
  stop(): Promise<void>;
}

export type ServerSpec = { policy: Policy } | { handler: http.RequestListener };

/** Starts a server; `delayMs` holds every answer back so concurrent requests overlap; `tls` serves https with a self-signed certificate. */
export async function startServer(spec: ServerSpec, delayMs = 0, tls = false): Promise<TestServer> {
  const inner = 'policy' in spec ? nodeHttpHandler(spec.policy) : spec.handler;
  const seen: Seen[] = [];
  let inFlight = 0;
  const state = { maxInFlight: 0 };
  // Exchanges not yet counted done: the connection each came on, and how to retire it.
  const open = new Map<http.ServerResponse, { socket: unknown; retire: () => void }>();
  const listener: http.RequestListener = (req, res) => {
    // A request on a connection whose last answer has been ended means that answer is over for
    // the client: neither the proxy's agent nor Node's client pipelines, so each sends its next
    // request on a connection only after reading the whole answer before it. Yet over TLS the
    // server's 'finish' can come after that request arrives (the TLS layer calls back a loop phase
    // later; measured here: 421 of 3,000 back-to-back keep-alive requests, 0 over plain TCP), which
    // counted two in flight at --concurrency 1 in WebKit's https runs. Retire such answers before
    // counting this one; an answer on another connection is retired only by its own 'finish' or
    // 'close'.
    for (const [r, o] of open) if (r.writableEnded && o.socket === req.socket) o.retire();
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    // Done when the last byte is handed to the OS ('finish') or when the connection goes ('close',
    // for aborted requests) – whichever comes first – or as above.
    let done = false;
    const finished = () => {
      if (!done) inFlight--;
      done = true;
      open.delete(res);
    };
    open.set(res, { socket: req.socket, retire: finished });
    res.once('finish', finished);
    res.once('close', finished);
    let bodyBytes = 0;
    req.on('data', (c: Buffer) => (bodyBytes += c.length));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        path: req.url ?? '',
        origin: req.headers.origin ?? null,
        acrm: (req.headers['access-control-request-method'] as string | undefined) ?? null,
        contentType: req.headers['content-type'] ?? null,
        cookie: req.headers.cookie ?? null,
        bodyBytes,
      });
      setTimeout(() => inner(req, res), delayMs);
    });
  };
  const server = tls ? https.createServer(await localCertificate(), listener) : http.createServer(listener);
  await listenLoopback(server);
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}/data`,
    seen,
    get maxInFlight() {
      return state.maxInFlight;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A handler answering every request (preflights included) with these headers, computed per request. */
export function headersHandler(headers: (origin: string | undefined) => Array<[string, string]>): http.RequestListener {
  return (req, res) => {
    const raw: string[] = [];
    for (const [n, v] of headers(req.headers.origin)) raw.push(n, v);
    const preflight = req.method === 'OPTIONS';
    const body = preflight ? '' : 'data';
    raw.push('Content-Type', 'text/plain', 'Content-Length', String(Buffer.byteLength(body)));
    res.writeHead(preflight ? 204 : 200, raw);
    res.end(req.method === 'HEAD' || preflight ? undefined : body);
  };
}
