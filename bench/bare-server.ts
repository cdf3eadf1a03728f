/**
 * The trivial keep-alive server the bench's harness-free pages talk to (the ceiling and the
 * harness-free reference): it serves a blank page at /page on app.localhost and hands every other
 * request to `answer`. Loopback only, port from the OS; nothing is recorded.
 */
import http from 'node:http';
import { closeServer, listenLoopback } from '../harness/core/listen';

const PAGE = '<!doctype html><link rel="icon" href="data:,"><title>bench</title>';

export interface BareServer {
  port: number;
  /** The blank page's URL: the page origin the bench's bare pages live on. */
  pageUrl: string;
  stop(): Promise<void>;
}

export async function startBareServer(answer: http.RequestListener): Promise<BareServer> {
  const server = http.createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    if (req.url !== '/page') return answer(req, res);
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(PAGE);
  });
  const port = await listenLoopback(server);
  return { port, pageUrl: `http://app.localhost:${port}/page`, stop: () => closeServer(server) };
}
