/**
 * Express 5 with the `cors` middleware, configured straight from the Policy (the option names are
 * the same). Options the Policy leaves unset are left unset, so `cors`'s own defaults apply.
 */
import express, { type Express } from 'express';
import cors, { type CorsOptions } from 'cors';
import type { Policy } from '../policy';
import { passThroughOptions, cookieHeader, dataBody, dataHeaders, runNodeServer, type ServerFactory } from './common';

export function corsOptions(policy: Policy): CorsOptions {
  return passThroughOptions(policy);
}

/** The endpoints, the same for both Express servers (they differ only in their CORS middleware). */
export function expressRoutes(app: Express): void {
  const token = (q: unknown) => (typeof q === 'string' ? q : '');
  app.all('/data', (req, res) => {
    req.resume();
    const cc = token(req.query.cc);
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    for (const [n, v] of dataHeaders(cc)) res.setHeader(n, v);
    res.status(200).type('text/plain').send(dataBody(req.method, cc));
  });
  app.all('/cookie', (req, res) => {
    req.resume();
    res.setHeader('Set-Cookie', cookieHeader(token(req.query.cc)));
    res.status(200).type('text/plain').send('cookie set');
  });
  app.all('/redirect', (req, res) => {
    req.resume();
    res.redirect(302, `/data?cc=${encodeURIComponent(token(req.query.cc))}`);
  });
}

export const expressCors: ServerFactory = {
  name: 'express-cors',
  description: 'Express 5 + `cors` 2.8 middleware, options passed through from the Policy',
  unavailable: () => null,
  async start(policy) {
    const app = express();
    app.disable('x-powered-by');
    app.use(cors(corsOptions(policy)));
    expressRoutes(app);
    return runNodeServer('express-cors', app);
  },
};
