/**
 * The implementation the project recommends, in plain node:http and read literally from the Fetch
 * Standard's CORS protocol (#http-cors-protocol):
 *   - the request's Origin is matched exactly against the policy (strings byte for byte, RegExps
 *     tested, `null` only if listed); a match is echoed back, nothing else is ever sent;
 *   - `Vary: Origin` whenever the answer depends on Origin (anything but `*`);
 *   - Access-Control-Allow-Credentials only together with a matching, echoed origin; `*` never
 *     carries credentials (a policy that wants any origin with credentials says origin: true);
 *   - a preflight is an OPTIONS with Origin and Access-Control-Request-Method; only that is
 *     answered as one (with the explicit method list, the allowed headers or the echoed request
 *     headers plus `Vary: Access-Control-Request-Headers`, and Max-Age when set); any other
 *     OPTIONS reaches the application like any request;
 *   - Expose-Headers on actual responses only.
 */
import type http from 'node:http';
import { DEFAULT_METHODS, DEFAULT_OPTIONS_SUCCESS_STATUS, policyAdmits, type Policy } from '../policy';
import { cookieHeader, dataBody, dataHeaders, runNodeServer, tokenParam, type ServerFactory } from './common';

function addVary(res: http.ServerResponse, name: string): void {
  const current = res.getHeader('Vary');
  res.setHeader('Vary', current ? `${String(current)}, ${name}` : name);
}

/** Sets the CORS headers of an actual response; returns whether the origin was admitted. */
function corsHeaders(policy: Policy, req: http.IncomingMessage, res: http.ServerResponse): boolean {
  const origin = req.headers.origin;
  if (policy.origin === '*') {
    res.setHeader('Access-Control-Allow-Origin', '*');
    return true;
  }
  addVary(res, 'Origin');
  if (origin === undefined || !policyAdmits(policy, origin)) return false;
  res.setHeader('Access-Control-Allow-Origin', origin);
  if (policy.credentials) res.setHeader('Access-Control-Allow-Credentials', 'true');
  return true;
}

export function nodeHttpHandler(policy: Policy): http.RequestListener {
  return (req, res) => {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://reference.invalid');
    const token = tokenParam(req.url ?? '');
    const method = req.method ?? 'GET';
    const preflight =
      method === 'OPTIONS' && req.headers.origin !== undefined && req.headers['access-control-request-method'] !== undefined;

    if (preflight && !policy.preflightContinue) {
      if (corsHeaders(policy, req, res)) {
        res.setHeader('Access-Control-Allow-Methods', (policy.methods ?? DEFAULT_METHODS).join(', '));
        if (policy.allowedHeaders) {
          if (policy.allowedHeaders.length > 0) res.setHeader('Access-Control-Allow-Headers', policy.allowedHeaders.join(', '));
        } else {
          addVary(res, 'Access-Control-Request-Headers');
          const asked = req.headers['access-control-request-headers'];
          if (asked) res.setHeader('Access-Control-Allow-Headers', asked);
        }
        if (policy.maxAge !== undefined) res.setHeader('Access-Control-Max-Age', String(policy.maxAge));
      }
      res.writeHead(policy.optionsSuccessStatus ?? DEFAULT_OPTIONS_SUCCESS_STATUS, { 'Content-Length': '0' });
      res.end();
      return;
    }

    if (corsHeaders(policy, req, res) && policy.exposedHeaders?.length) {
      res.setHeader('Access-Control-Expose-Headers', policy.exposedHeaders.join(', '));
    }
    switch (url.pathname) {
      case '/data': {
        if (method === 'OPTIONS') {
          res.writeHead(204, { Allow: [...DEFAULT_METHODS, 'OPTIONS'].join(', ') });
          res.end();
          return;
        }
        const body = Buffer.from(dataBody(method, token));
        for (const [n, v] of dataHeaders(token)) res.setHeader(n, v);
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(body.length) });
        res.end(method === 'HEAD' ? undefined : body);
        return;
      }
      case '/cookie':
        res.setHeader('Set-Cookie', cookieHeader(token));
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('cookie set');
        return;
      case '/redirect':
        res.writeHead(302, { Location: `/data?cc=${encodeURIComponent(token)}`, 'Content-Length': '0' });
        res.end();
        return;
      default:
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('not found');
    }
  };
}

export const nodeHttp: ServerFactory = {
  name: 'node-http',
  description: 'plain node:http, the spec-literal implementation the project recommends',
  unavailable: () => null,
  start: async (policy) => runNodeServer('node-http', nodeHttpHandler(policy)),
};
