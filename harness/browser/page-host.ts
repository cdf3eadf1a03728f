/**
 * Serves the probing pages, on whatever origin a probe claims.
 *
 * A page's origin is whatever host and port the browser asked for, so one listener hosts `app`,
 * `evil`, `sub.app` and any origin `verify` claims; it speaks http and https on the same port (the
 * first byte of a connection tells a TLS ClientHello, 0x16, from an HTTP request), with the
 * run-time certificate of certs.ts. `/__page?sandbox` adds `Content-Security-Policy: sandbox
 * allow-scripts`, which gives the document an opaque origin: its requests carry `Origin: null`
 * (HTML §7.5 sandboxing).
 *
 * How a browser reaches it for a claimed origin while the target resolves normally is proxy.ts's
 * and the verify browser run's business (Chromium: host-resolver rules; Firefox and loopback names:
 * the proxy). The suites' scripted server serves the same page document (servePage) itself.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { listenLoopback } from '../core/listen';
import { localCertificate } from './certs';
import { pageDocument } from './in-page';

export const PAGE_PATH = '/__page';

const DOCUMENT = Buffer.from(pageDocument());

/** Where a probing page lives. */
export interface PageOrigin {
  /** The serialized origin the page's requests carry (`null` for the sandboxed page). */
  origin: string;
  /** The document the page loads: `<scheme>://<host>[:port]/__page`, `?sandbox` for `null`. */
  pageUrl: string;
  scheme: 'http' | 'https';
  /** As the URL parser serializes it (lower case, punycode). */
  host: string;
  port: number;
}

export const DEFAULT_PORT = { http: 80, https: 443 } as const;

/** A page origin from a serialized http(s) origin; null if it does not parse back to itself. */
export function pageOrigin(serialized: string, sandbox = false): PageOrigin | null {
  let url: URL;
  try {
    url = new URL(serialized);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const scheme = url.protocol === 'https:' ? 'https' : 'http';
  const port = url.port === '' ? DEFAULT_PORT[scheme] : Number(url.port);
  const host = url.hostname;
  return {
    origin: sandbox ? 'null' : url.origin,
    pageUrl: `${url.origin}/__page${sandbox ? '?sandbox' : ''}`,
    scheme,
    host,
    port,
  };
}

/** Answers a page request and returns true, or returns false for anything else. */
export function servePage(req: http.IncomingMessage, res: http.ServerResponse): boolean {
  const url = req.url ?? '/';
  if (!url.startsWith(PAGE_PATH)) return false;
  const headers: Record<string, string | number> = {
    'content-type': 'text/html; charset=utf-8',
    'content-length': DOCUMENT.length,
    'cache-control': 'no-store',
  };
  if (/[?&]sandbox\b/.test(url)) headers['content-security-policy'] = 'sandbox allow-scripts';
  // A page that counts as on the public internet though it is served from loopback, for Local
  // Network Access (https://wicg.github.io/local-network-access/): Chromium reads this directive.
  else if (/[?&]public\b/.test(url)) headers['content-security-policy'] = 'treat-as-public-address';
  res.writeHead(200, headers);
  res.end(DOCUMENT);
  return true;
}

export function pageHandler(req: http.IncomingMessage, res: http.ServerResponse): void {
  req.resume();
  if (servePage(req, res)) return;
  res.writeHead(404, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
  res.end('cors-conform page host: only /__page lives here');
}

export class PageHost {
  port = 0;
  private readonly plain = http.createServer({ keepAliveTimeout: 5_000 }, pageHandler);
  private secure: https.Server | null = null;
  private readonly front = net.createServer((socket) => this.dispatch(socket));
  private readonly sockets = new Set<net.Socket>();

  private dispatch(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('readable', () => {
      const first = socket.read(1) as Buffer | null;
      if (first === null) {
        socket.once('readable', () => this.dispatchAgain(socket));
        return;
      }
      socket.unshift(first);
      (first[0] === 0x16 ? this.secure! : this.plain).emit('connection', socket);
    });
  }

  private dispatchAgain(socket: net.Socket): void {
    const first = socket.read(1) as Buffer | null;
    if (first === null) {
      socket.destroy();
      return;
    }
    socket.unshift(first);
    (first[0] === 0x16 ? this.secure! : this.plain).emit('connection', socket);
  }

  async start(): Promise<this> {
    const { key, cert } = await localCertificate();
    this.secure = https.createServer({ key, cert, keepAliveTimeout: 5_000 }, pageHandler);
    this.port = await listenLoopback(this.front);
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.plain.closeAllConnections();
    this.secure?.closeAllConnections();
    await new Promise<void>((resolve) => this.front.close(() => resolve()));
  }
}

export function hostPort(page: Pick<PageOrigin, 'host' | 'port'>): string {
  return `${page.host}:${page.port}`;
}
