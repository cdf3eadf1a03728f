/**
 * Serves the probing pages. A page's origin is whatever host and port the browser asked for, so
 * one listener hosts `app`, `evil`, `sub.app` and any origin `verify` claims. `/__page?sandbox`
 * adds `Content-Security-Policy: sandbox allow-scripts`, which gives the document an opaque
 * origin: its requests carry `Origin: null` (HTML §7.5 sandboxing).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pageDocument } from './in-page';

export const PAGE_PATH = '/__page';

const DOCUMENT = Buffer.from(pageDocument());

/** Answers a page request and returns true, or returns false for anything else. */
export function servePage(req: IncomingMessage, res: ServerResponse): boolean {
  const url = req.url ?? '/';
  if (!url.startsWith(PAGE_PATH)) return false;
  const headers: Record<string, string | number> = {
    'content-type': 'text/html; charset=utf-8',
    'content-length': DOCUMENT.length,
    'cache-control': 'no-store',
  };
  if (/[?&]sandbox\b/.test(url)) headers['content-security-policy'] = 'sandbox allow-scripts';
  res.writeHead(200, headers);
  res.end(DOCUMENT);
  return true;
}
