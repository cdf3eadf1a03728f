/**
 * A recording front for the servers this project does not write itself (Apache, nginx, the
 * ASP.NET host): the browser talks to this node:http listener, which relays each request to the
 * server as it came (method, target, header lines in their order and case) and relays the answer
 * back with the status and header lines exactly as the server sent them – duplicates kept, so two
 * Access-Control-Allow-Origin lines stay two – recording both per probe token like every other
 * reference server (harness/core/wire.ts). Only the framing is Node's (a chunked body may be
 * re-chunked); no CORS-relevant byte changes. Those servers' own logs cannot do this: Apache's
 * `%{…}o` and nginx's `$sent_http_…` show one value of a repeated header.
 */
import http from 'node:http';
import { closeServer, listenLoopback } from '../../harness/core/listen';
import { entryFor, WireLog } from '../../harness/core/wire';

export interface Tap {
  /** The port the browser uses. */
  port: number;
  wire: WireLog;
  close(): Promise<void>;
}

/** [name, value] pairs from Node's flat rawHeaders. */
function pairs(raw: readonly string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}

function withHost(raw: readonly string[], host: string): string[] {
  const out = [...raw];
  for (let i = 0; i + 1 < out.length; i += 2) if (out[i]!.toLowerCase() === 'host') out[i + 1] = host;
  return out;
}

/**
 * Starts a recording front for the server listening on 127.0.0.1:`upstreamPort`. With
 * `ownHost`, the request goes on with `Host: 127.0.0.1:<port>` instead of the browser's (the
 * recorded request keeps the browser's): for a server that answers only requests naming the
 * address it listens on, like .NET's HttpListener.
 */
export async function tapInFront(upstreamPort: number, options: { ownHost?: boolean } = {}): Promise<Tap> {
  const wire = new WireLog();
  // No keep-alive behind the tap: Apache closes an idle connection after 5 s, and a request sent on
  // a connection the server is closing would fail for a reason that is not the server's answer.
  const agent = new http.Agent({ keepAlive: false });
  const server = http.createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    const entry = entryFor(req);
    const headers = options.ownHost ? withHost(req.rawHeaders, `127.0.0.1:${upstreamPort}`) : req.rawHeaders;
    const upstream = http.request(
      { host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers, agent },
      (answer) => {
        const status = answer.statusCode ?? 502;
        res.writeHead(status, answer.statusMessage, answer.rawHeaders);
        if (entry) {
          entry.status = status;
          entry.responseHeaders = pairs(answer.rawHeaders);
          res.once('finish', () => wire.record(entry));
        }
        answer.pipe(res);
      },
    );
    upstream.once('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`tap: the server behind did not answer (${error.message})`);
    });
    req.pipe(upstream);
  });
  const port = await listenLoopback(server);
  return {
    port,
    wire,
    close: async () => {
      agent.destroy();
      await closeServer(server);
    },
  };
}
