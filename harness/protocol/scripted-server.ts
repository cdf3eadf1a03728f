/**
 * The scripted server: answers each probe exactly as its case says – the preflight and the actual
 * response separately, malformed values included (repeated headers, surrounding whitespace, odd
 * casing), and redirect chains across hosts. It is plain node:http because a framework would
 * "fix" the malformed headers the protocol suite needs to send.
 *
 * It also hosts the probing pages, so page origins (app.localhost, evil.localhost, …) and target
 * origins (api.localhost, other.localhost, …) are distinct origins on one listener per scheme.
 */
import http from 'node:http';
import https from 'node:https';
import { servePage } from '../browser/page-host';
import { localCertificate } from '../browser/certs';
import { closeServer, listenLoopback } from '../core/listen';
import { entryFor, WireLog } from '../core/wire';

export interface ScriptedResponse {
  status: number;
  /** Written exactly as given: order, repeats, case and whitespace preserved. */
  headers: Array<[string, string]>;
  body?: string;
  /** `base64`: `body` holds binary bytes (an image, a font), base64-encoded. */
  encoding?: 'base64';
}

export interface ScriptedHop {
  /** The answer to a CORS preflight (OPTIONS with Access-Control-Request-Method). */
  preflight: ScriptedResponse;
  /** The answer to every other request. */
  response: ScriptedResponse;
}

/** Used when a case scripts no preflight: a bare 204 without CORS headers. */
export const NO_PREFLIGHT_ANSWER: ScriptedResponse = { status: 204, headers: [] };

export class ScriptedServer {
  readonly wire = new WireLog();
  private readonly scripts = new Map<string, ScriptedHop[]>();
  private servers: Array<http.Server | https.Server> = [];
  httpPort = 0;
  httpsPort = 0;

  /** Register what the URLs of one probe token answer; hop N lives at /p/<token>/<N>. */
  script(token: string, hops: ScriptedHop[]): void {
    this.scripts.set(token, hops);
  }

  unscript(token: string): void {
    this.scripts.delete(token);
    this.wire.forget(token);
  }

  private handle = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    if (servePage(req, res)) return;
    const entry = entryFor(req);
    const hops = entry ? this.scripts.get(entry.token) : undefined;
    const hop = entry && hops ? hops[entry.hop] : undefined;
    if (!entry || !hop) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('no script for this URL');
      return;
    }
    const answer = entry.preflight ? hop.preflight : hop.response;
    entry.status = answer.status;
    entry.responseHeaders = answer.headers;
    this.wire.record(entry);
    // Drain the request body before answering so keep-alive connections stay usable.
    req.resume();
    req.on('end', () => {
      const body = Buffer.from(answer.body ?? (entry.preflight ? '' : `scripted ${entry.token}/${entry.hop}`), answer.encoding ?? 'utf8');
      const raw: string[] = [];
      for (const [name, value] of answer.headers) raw.push(name, value);
      const bodiless = answer.status === 204 || answer.status === 304 || answer.status < 200;
      if (!bodiless && !answer.headers.some(([n]) => n.toLowerCase() === 'content-length')) raw.push('Content-Length', String(body.length));
      res.sendDate = false;
      // A flat [name, value, ...] array keeps repeated headers as separate header lines.
      res.writeHead(answer.status, raw);
      res.end(req.method === 'HEAD' || bodiless ? undefined : body);
    });
  };

  async start(): Promise<this> {
    const { key, cert } = await localCertificate();
    const plain = http.createServer({ keepAliveTimeout: 30_000 }, this.handle);
    const secure = https.createServer({ key, cert, keepAliveTimeout: 30_000 }, this.handle);
    this.servers = [plain, secure];
    this.httpPort = await listenLoopback(plain);
    this.httpsPort = await listenLoopback(secure);
    return this;
  }

  async stop(): Promise<void> {
    await Promise.all(this.servers.map((s) => closeServer(s)));
    this.servers = [];
  }
}
