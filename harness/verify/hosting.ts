/**
 * Claimed-origin hosting: every probe runs from a page that truly lives on its origin, while the
 * target resolves normally.
 *
 * One loopback listener serves the probing page (harness/page-host.ts) for any Host, over http and
 * https on the same port (the first byte of a connection tells a TLS ClientHello, 0x16, from an
 * HTTP request), with the run-time certificate of harness/certs.ts.
 *
 * - Chromium: `--host-resolver-rules` maps each page's `host:port` to that listener
 *   (`MAP app.example.com:443 127.0.0.1:PORT`). The rules apply to `localhost`, `*.localhost` and
 *   IP literals too (measured with Chromium 156: a page claimed on http://localhost:3000 is served
 *   by the listener, never by whatever listens on port 3000). A page whose host:port is the
 *   target's own cannot be mapped without also mapping the target: its probes are not run.
 * - Firefox has no such switch: a forward proxy (proxy.ts) answers for page origins and forwards
 *   everything else to the real destination.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { localCertificate } from '../certs';
import { servePage } from '../page-host';
import type { PageOrigin } from './types';

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
    await new Promise<void>((resolve, reject) => {
      this.front.once('error', reject);
      this.front.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.front.address() as AddressInfo).port;
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

export function targetHostPort(targetUrl: string): string {
  const u = new URL(targetUrl);
  return `${u.hostname}:${u.port || (u.protocol === 'https:' ? 443 : 80)}`;
}

/**
 * Chromium host-resolver rules for these pages, and the pages that cannot be hosted (with why).
 * Pages are keyed by pageUrl.
 */
export function chromiumRules(pages: readonly PageOrigin[], listenerPort: number, targetUrl: string): { rules: string[]; unhostable: Map<string, string> } {
  const target = targetHostPort(targetUrl);
  const rules = new Set<string>();
  const unhostable = new Map<string, string>();
  for (const page of pages) {
    const at = hostPort(page);
    if (at === target) {
      unhostable.set(page.pageUrl, `${page.origin} shares ${at} with the target: Chromium's host-resolver rules cannot send one to a local page and the other to your server`);
      continue;
    }
    rules.add(`MAP ${at} 127.0.0.1:${listenerPort}`);
  }
  return { rules: [...rules], unhostable };
}

/** Loopback names: Firefox sends them through a proxy only with network.proxy.allow_hijacking_localhost. */
export function isLoopbackName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '[::1]';
}
