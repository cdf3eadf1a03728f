/**
 * Firefox's way onto claimed origins: a small forward proxy on loopback (Firefox has no
 * host-resolver switch). Requests for page origins are answered by the page host – plain http in
 * absolute form directly, CONNECT to an https page origin tunnelled to the page listener (which
 * speaks TLS with the run-time certificate) – and everything else goes to its real destination:
 * CONNECT as a byte tunnel, http by re-sending the request with its raw headers and relaying the
 * raw response headers (repeats and order kept), so the target is seen as it answers. Firefox's own
 * background traffic to Mozilla's services is refused, never forwarded.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { pageHandler } from './hosting';

/** Hop-by-hop headers a proxy must not forward (RFC 9110 §7.6.1), plus the proxy's own. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'proxy-authenticate', 'te', 'trailer', 'upgrade']);

/**
 * Firefox's own background traffic (remote settings, telemetry, safe browsing): refused, so a run
 * sends nothing but page loads and probes (measured: ~15 CONNECTs to
 * firefox.settings.services.mozilla.com per launch, whatever `services.settings.server` says).
 */
const BROWSER_SERVICES = /(^|\.)(mozilla\.(com|net|org)|firefox\.com|mozaws\.net)$/;

export function isBrowserService(host: string): boolean {
  return BROWSER_SERVICES.test(host.replace(/^\[|\]$/g, '').toLowerCase());
}

function withoutHopByHop(raw: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) if (!HOP_BY_HOP.has(raw[i]!.toLowerCase())) out.push(raw[i]!, raw[i + 1]!);
  return out;
}

export class ForwardProxy {
  port = 0;
  private readonly server: http.Server;
  private readonly sockets = new Set<net.Socket>();
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

  /**
   * @param isPageOrigin whether `scheme://host:port` (port always written) is a page origin
   * @param pagePort the page host's listener (http and https on one port)
   */
  constructor(
    private readonly isPageOrigin: (scheme: 'http' | 'https', hostPort: string) => boolean,
    private readonly pagePort: number,
    /** Hosts always forwarded, even when they look like browser services (the target's). */
    private readonly targetHosts: ReadonlySet<string> = new Set(),
  ) {
    this.server = http.createServer({ maxHeaderSize: 256 * 1024 }, (req, res) => this.request(req, res));
    this.server.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => this.connect(req, socket, head));
    this.server.on('connection', (socket: net.Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  private request(req: http.IncomingMessage, res: http.ServerResponse): void {
    let url: URL;
    try {
      url = new URL(req.url ?? '');
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('cors-conform proxy: absolute-form URLs only');
      return;
    }
    const hostPort = `${url.hostname}:${url.port || 80}`;
    if (isBrowserService(url.hostname) && !this.targetHosts.has(url.hostname)) {
      res.writeHead(403, { 'content-type': 'text/plain' });
      res.end('cors-conform proxy: browser background traffic is not forwarded');
      return;
    }
    if (url.protocol === 'http:' && this.isPageOrigin('http', hostPort)) {
      req.url = `${url.pathname}${url.search}`;
      pageHandler(req, res);
      return;
    }
    const upstream = http.request(
      {
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || 80,
        method: req.method,
        path: `${url.pathname}${url.search}`,
        headers: withoutHopByHop(req.rawHeaders),
        agent: this.agent,
        insecureHTTPParser: true,
        maxHeaderSize: 256 * 1024,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, withoutHopByHop(answer.rawHeaders));
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (res.headersSent) return res.destroy();
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`cors-conform proxy: ${error.message}`);
    });
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  }

  private connect(req: http.IncomingMessage, socket: net.Socket, head: Buffer): void {
    const at = req.url ?? '';
    const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(at);
    socket.on('error', () => socket.destroy());
    if (!m) {
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      return;
    }
    if (isBrowserService(m[1]!) && !this.targetHosts.has(m[1]!)) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const page = this.isPageOrigin('https', at);
    const upstream = page ? net.connect(this.pagePort, '127.0.0.1') : net.connect(Number(m[2]), m[1]!.replace(/^\[|\]$/g, ''));
    upstream.once('connect', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => {
      if (!socket.destroyed) socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
    });
    socket.once('close', () => upstream.destroy());
    upstream.once('close', () => socket.destroy());
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.agent.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Firefox preferences that send every request through this proxy. */
  firefoxPrefs(hijackLoopback: boolean): Record<string, string | number | boolean> {
    return {
      'network.proxy.type': 1,
      'network.proxy.http': '127.0.0.1',
      'network.proxy.http_port': this.port,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': this.port,
      'network.proxy.share_proxy_settings': false,
      'network.proxy.no_proxies_on': '',
      // Firefox never proxies loopback names unless told to; claimed origins may be loopback.
      'network.proxy.allow_hijacking_localhost': hijackLoopback,
    };
  }
}
