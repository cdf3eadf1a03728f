/**
 * Claimed-origin hosting: every probe runs from a page that truly lives on its origin, while the
 * target resolves normally.
 *
 * One loopback listener serves the probing page (harness/browser/page-host.ts) for any Host, over http and
 * https on the same port (the first byte of a connection tells a TLS ClientHello, 0x16, from an
 * HTTP request), with the run-time certificate of harness/browser/certs.ts.
 *
 * Both browsers send every request through the run's forward proxy (proxy.ts), which answers
 * for the page origins here and forwards everything else to its real destination through the
 * run's gate. Loopback names go through it too (Playwright adds Chromium's `<-loopback>` bypass
 * rule; Firefox needs network.proxy.allow_hijacking_localhost), so a page claimed on
 * http://localhost:3000 is served here, never by whatever listens on port 3000. A page whose
 * origin is the target's own cannot be told apart from it: its probes are not run.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { localCertificate } from './certs';
import { servePage } from './page-host';
import type { PageOrigin } from '../verify/types';

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
