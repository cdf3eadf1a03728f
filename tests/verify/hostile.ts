/**
 * Hostile servers for verify: each answers CORS correctly for https://app.example.com (exact
 * origin, Vary: Origin, PUT and X-Api-Key allowed, nothing for anyone else), so whatever goes
 * wrong is the hostile behaviour's doing, never a CORS mistake. All bind to 127.0.0.1 port 0
 * (tests/verify/servers.ts counts what reaches them and the most requests ever in flight).
 */
import type http from 'node:http';
import { APP } from './servers';

/** The CORS headers a correct server sends for this request (nothing for other origins). */
function cors(req: http.IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = { Vary: 'Origin', 'Content-Type': 'text/plain' };
  if (req.headers.origin === APP) {
    headers['Access-Control-Allow-Origin'] = APP;
    if (req.method === 'OPTIONS') {
      headers['Access-Control-Allow-Methods'] = 'GET, HEAD, POST, PUT';
      headers['Access-Control-Allow-Headers'] = 'X-Api-Key';
    }
  }
  return headers;
}

const preflight = (req: http.IncomingMessage) => req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;

/** Answers preflights and HEAD at once; hands every request with a body to `body`. */
function withBody(body: (req: http.IncomingMessage, res: http.ServerResponse) => void): http.RequestListener {
  return (req, res) => {
    if (preflight(req)) {
      res.writeHead(204, cors(req));
      return res.end();
    }
    if (req.method === 'HEAD') {
      res.writeHead(200, cors(req));
      return res.end();
    }
    body(req, res);
  };
}

export const HOSTILE = {
  /** Sends its headers at once, then the body one byte every 100 ms, never ending. */
  trickle: withBody((req, res) => {
    res.writeHead(200, cors(req));
    res.flushHeaders();
    const timer = setInterval(() => res.write('x'), 100);
    res.once('close', () => clearInterval(timer));
  }),
  /** The whole body arrives `ms` after the headers. */
  lateBody: (ms: number) =>
    withBody((req, res) => {
      res.writeHead(200, cors(req));
      res.flushHeaders();
      const timer = setTimeout(() => res.end('late body'), ms);
      res.once('close', () => clearTimeout(timer));
    }),
  /** Preflights are answered after `ms`; everything else at once. */
  slowPreflight:
    (ms: number): http.RequestListener =>
    (req, res) => {
      const answer = () => {
        res.writeHead(preflight(req) ? 204 : 200, cors(req));
        res.end(preflight(req) || req.method === 'HEAD' ? undefined : 'data');
      };
      if (!preflight(req)) return answer();
      const timer = setTimeout(answer, ms);
      res.once('close', () => clearTimeout(timer));
    },
  /** Promises 1,000 bytes, sends 100, then resets the connection. */
  resetMidBody: withBody((req, res) => {
    res.writeHead(200, { ...cors(req), 'Content-Length': '1000' });
    res.write('y'.repeat(100));
    setTimeout(() => res.socket?.destroy(), 50);
  }),
  /** A 10 MB body. */
  hugeBody: withBody((req, res) => {
    const body = Buffer.alloc(10 * 1024 * 1024, 0x7a);
    res.writeHead(200, { ...cors(req), 'Content-Length': String(body.length) });
    res.end(body);
  }),
  /** Answers the first `n` requests, then never again (connections stay open). */
  stallAfter: (n: number): http.RequestListener => {
    let answered = 0;
    return (req, res) => {
      if (answered++ >= n) return;
      res.writeHead(preflight(req) ? 204 : 200, cors(req));
      res.end(preflight(req) || req.method === 'HEAD' ? undefined : 'data');
    };
  },
  /** Resets every connection as soon as a request arrives. */
  resetAlways: ((req) => req.socket.destroy()) as http.RequestListener,
  /** 300 response headers of 1 KiB each: past the 256 KiB browsers (and verify) accept. */
  headerFlood: ((req, res) => {
    const raw: string[] = [];
    for (let i = 0; i < 300; i++) raw.push(`X-Flood-${i}`, 'f'.repeat(1024));
    for (const [n, v] of Object.entries(cors(req))) raw.push(n, v);
    res.writeHead(200, raw);
    res.end('data');
  }) as http.RequestListener,
} as const;
