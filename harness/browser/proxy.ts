/**
 * The probing browser's way out: a forward proxy on loopback that every request of a verify run
 * to a target goes through, in Chromium and Firefox alike.
 *
 * - Page origins are answered by the page host (Chromium reaches most of them directly, through
 *   host-resolver rules: browser-run.ts says why): plain http in absolute form directly, CONNECT to
 *   an https page origin tunnelled to the page listener (which speaks TLS with the run-time
 *   certificate). This is how a page lives on a claimed origin while the target resolves normally.
 * - Everything else goes to its real destination through the run's gate (gate.ts): at most
 *   --concurrency requests in flight per host, each exchange cut off at its deadline, each slot
 *   held until the target is done – whatever the browser does with requests it has given up on.
 *   For https the proxy ends the tunnel's TLS itself (the run-time certificate; the probing
 *   browsers ignore certificate errors because they load the local pages) and sends each request
 *   on with its own TLS connection, verified as Node's requests are (--insecure to skip): a byte
 *   tunnel would show connections, not requests, and HTTP/2 could carry any number on one.
 *   Requests and raw response headers are relayed as they are (repeats and order kept), so the
 *   target is seen as it answers.
 * - How each exchange ended (complete, timeout, network failure) is logged per probe token, so a
 *   request the target reset or never finished is reported as such, never as a CORS block.
 * - The browsers' own background traffic (Mozilla's and Google's services) is refused, never forwarded.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { localCertificate } from './certs';
import { releaseAfterCut, WireGate, type Release } from '../core/gate';
import { pageHandler } from './page-host';
import { listenLoopback } from '../core/listen';
import { describeFailure, headerPairs, loopbackLookup as lookup, MAX_BODY_BYTES, MAX_HEADER_BYTES } from '../core/net';
import { VERIFY_PARAM } from '../core/probe-url';

/** Hop-by-hop headers a proxy must not forward (RFC 9110 §7.6.1), plus the proxy's own. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'proxy-authenticate',
  'te',
  'trailer',
  'upgrade',
]);

/**
 * The browsers' own background traffic (remote settings, telemetry, safe browsing, updates):
 * refused, so a run sends nothing but page loads and probes. Measured: ~15 CONNECTs to
 * firefox.settings.services.mozilla.com per Firefox launch, whatever `services.settings.server`
 * says; update.googleapis.com and accounts.google.com per Chromium launch, background networking
 * off or not. A target on one of these hosts is still forwarded (`targetHosts`).
 */
const BROWSER_SERVICES = /(^|\.)(mozilla\.(com|net|org)|firefox\.com|mozaws\.net|googleapis\.com|google\.com|gvt1\.com)$/;

export function isBrowserService(host: string): boolean {
  return BROWSER_SERVICES.test(host.replace(/^\[|\]$/g, '').toLowerCase());
}

function withoutHopByHop(raw: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) if (!HOP_BY_HOP.has(raw[i]!.toLowerCase())) out.push(raw[i]!, raw[i + 1]!);
  return out;
}

/** How one browser request to a target ended, as the proxy saw it. */
export interface WireEvent {
  method: string;
  /** OPTIONS with Access-Control-Request-Method. */
  preflight: boolean;
  url: string;
  /** The request headers as the browser sent them (hop-by-hop headers left out). */
  requestHeaders: Array<[string, string]>;
  /** The target's status, null when no response came. */
  status: number | null;
  /** The response headers as the target sent them, in order, repeats kept. */
  responseHeaders: Array<[string, string]>;
  /**
   * complete: the whole response was relayed · timeout: the deadline passed (the headers may have
   * come) · network-error: the target failed (refused, reset, cut short, TLS) · abandoned: the
   * browser closed its side first (the proxy then ends the target's side too).
   */
  end: 'complete' | 'timeout' | 'network-error' | 'abandoned';
  /** Why it did not complete, in one line. */
  detail: string | null;
}

export class ForwardProxy {
  port = 0;
  private readonly server: http.Server;
  /** The end of https tunnels to targets: TLS with the run-time certificate, then HTTP/1.1. */
  private mitm: https.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private readonly upstreams = new Set<http.ClientRequest>();
  private readonly agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  private gate = new WireGate(2, 10_000);
  private insecure = false;
  private readonly events = new Map<string, WireEvent[]>();

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
    this.server = http.createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => this.request(req, res));
    this.server.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => this.connect(req, socket, head));
    this.track(this.server);
  }

  private track(server: net.Server): void {
    server.on('connection', (socket: net.Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  /** The bound and trust of the next run: its gate (shared with Node's own requests) and --insecure. */
  use(gate: WireGate, insecure: boolean): void {
    this.gate = gate;
    this.insecure = insecure;
  }

  /** How each request carrying this probe token ended (and forgets them). */
  takeEvents(token: string): WireEvent[] {
    const list = this.events.get(token) ?? [];
    this.events.delete(token);
    return list;
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
    if (isBrowserService(url.hostname) && !this.targetHosts.has(url.hostname)) {
      res.writeHead(403, { 'content-type': 'text/plain' });
      res.end('cors-conform proxy: browser background traffic is not forwarded');
      return;
    }
    if (url.protocol === 'http:' && this.isPageOrigin('http', `${url.hostname}:${url.port || 80}`)) {
      req.url = `${url.pathname}${url.search}`;
      pageHandler(req, res);
      return;
    }
    this.forward(req, res, url);
  }

  /** A request that came through a target's tunnel: its URL is the Host it names. */
  private tunnelled(req: http.IncomingMessage, res: http.ServerResponse): void {
    let url: URL;
    try {
      url = new URL(`https://${req.headers.host ?? ''}${req.url ?? '/'}`);
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('cors-conform proxy: no Host');
      return;
    }
    this.forward(req, res, url);
  }

  /** Sends one request on through the gate and relays the answer; logs how it ended. */
  private forward(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
    const gate = this.gate;
    const event: WireEvent = {
      method: req.method ?? 'GET',
      preflight: req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined,
      url: url.href,
      requestHeaders: headerPairs(withoutHopByHop(req.rawHeaders)),
      status: null,
      responseHeaders: [],
      end: 'complete',
      detail: null,
    };
    const token = url.searchParams.get(VERIFY_PARAM);
    let upstream: http.ClientRequest | null = null;
    let release: Release | null = null;
    let finished = false;
    const finish = (end: WireEvent['end'], detail: string | null) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      event.end = end;
      event.detail = detail;
      // An exchange the proxy cut (deadline, a browser that gave up) keeps its slot a moment, until
      // the target has seen the connection close (core/gate.ts).
      if (release) {
        if (end === 'timeout' || end === 'abandoned') releaseAfterCut(release);
        else release();
      }
      if (upstream) this.upstreams.delete(upstream);
      if (token !== null) this.events.set(token, [...(this.events.get(token) ?? []), event]);
    };
    // The deadline counts from the request's arrival, its wait for a slot included: a slot is only
    // ever scarce when the browser has abandoned requests that still hold one.
    const timer = setTimeout(() => {
      finish('timeout', `no complete answer within ${gate.timeoutMs} ms (timeout${event.status === null ? '' : '; the headers arrived'})`);
      upstream?.destroy();
      res.destroy();
    }, gate.timeoutMs);
    res.once('close', () => {
      if (finished) return;
      finish('abandoned', 'the browser closed the connection before the answer was complete');
      upstream?.destroy();
    });
    void gate
      .limiterFor(url)
      .acquire(Date.now() + gate.timeoutMs)
      .then((granted) => {
        if (finished || granted === null) {
          granted?.();
          return;
        }
        release = granted;
        this.send(req, res, url, event, finish, (r) => (upstream = r));
      });
  }

  private send(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    event: WireEvent,
    finish: (end: WireEvent['end'], detail: string | null) => void,
    started: (r: http.ClientRequest) => void,
  ): void {
    const secure = url.protocol === 'https:';
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const upstream = (secure ? https : http).request({
      host,
      port: url.port || (secure ? 443 : 80),
      method: req.method,
      path: `${url.pathname}${url.search}`,
      headers: withoutHopByHop(req.rawHeaders),
      agent: secure ? this.agents.https : this.agents.http,
      insecureHTTPParser: true,
      maxHeaderSize: MAX_HEADER_BYTES,
      lookup,
      ...(secure ? { rejectUnauthorized: !this.insecure, servername: net.isIP(host) ? undefined : host } : {}),
    });
    this.upstreams.add(upstream);
    started(upstream);
    upstream.on('response', (answer) => {
      event.status = answer.statusCode ?? 0;
      event.responseHeaders = headerPairs(answer.rawHeaders);
      if (!res.destroyed) res.writeHead(answer.statusCode ?? 502, answer.statusMessage, withoutHopByHop(answer.rawHeaders));
      // Read the whole body whatever the browser does with it: the target's slot ends with it.
      answer.on('data', (chunk: Buffer) => {
        if (res.destroyed) return;
        if (res.writableLength > MAX_BODY_BYTES) res.destroy();
        else res.write(chunk);
      });
      answer.on('end', () => {
        finish('complete', null);
        if (!res.destroyed) res.end();
      });
      answer.on('error', () => {});
      answer.on('close', () => {
        if (answer.complete) return;
        finish('network-error', 'the connection ended before the body did: a network failure, not a CORS answer');
        res.destroy();
      });
    });
    upstream.on('error', (error) => {
      finish('network-error', describeFailure(error, url.href, this.gate.timeoutMs));
      res.destroy();
    });
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
    if (!this.isPageOrigin('https', at)) {
      // A target: end the tunnel here and see each request (see the top of this file).
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) socket.unshift(head);
      this.mitm!.emit('connection', socket);
      return;
    }
    const upstream = net.connect(this.pagePort, '127.0.0.1');
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
    const { key, cert } = await localCertificate();
    this.mitm = https.createServer({ key, cert, ALPNProtocols: ['http/1.1'], maxHeaderSize: MAX_HEADER_BYTES }, (req, res) =>
      this.tunnelled(req, res),
    );
    this.mitm.on('tlsClientError', (_error, socket) => socket.destroy());
    this.port = await listenLoopback(this.server);
    return this;
  }

  async stop(): Promise<void> {
    for (const u of this.upstreams) u.destroy();
    for (const s of this.sockets) s.destroy();
    this.agents.http.destroy();
    this.agents.https.destroy();
    this.server.closeAllConnections();
    this.mitm?.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The proxy for Playwright's `proxy.server` (Chromium; loopback included: Playwright adds `<-loopback>`). */
  get address(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Firefox preferences that send every request through this proxy, loopback names included. */
  firefoxPrefs(): Record<string, string | number | boolean> {
    return {
      'network.proxy.type': 1,
      'network.proxy.http': '127.0.0.1',
      'network.proxy.http_port': this.port,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': this.port,
      'network.proxy.share_proxy_settings': false,
      'network.proxy.no_proxies_on': '',
      // Firefox never proxies loopback names unless told to; targets and claimed origins may be.
      'network.proxy.allow_hijacking_localhost': true,
    };
  }
}
