/**
 * Express with the hand-written middleware of the common tutorial snippet, filled in from the
 * Policy the way people fill it in:
 *
 *   app.use((req, res, next) => {
 *     res.setHeader('Access-Control-Allow-Origin', '*');             // or the allowed origin(s)
 *     res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE, OPTIONS');
 *     res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Authorization');
 *     res.setHeader('Access-Control-Allow-Credentials', 'true');
 *     if (req.method === 'OPTIONS') return res.sendStatus(200);
 *     next();
 *   });
 *
 * Every header on every response; no Vary; exposedHeaders and maxAge have no line in the snippet.
 */
import express from 'express';
import type { Policy } from '../policy';
import { ruleAdmits } from '../policy';
import { runNodeServer, type ServerFactory } from './common';
import { expressRoutes } from './express-cors';

/** What the snippet hardcodes where the policy says nothing. */
export const TUTORIAL_METHODS = 'GET, POST, PUT, DELETE, OPTIONS';
export const TUTORIAL_HEADERS = 'Content-Type, Authorization';

export function tutorialMiddleware(policy: Policy): express.RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin;
    const o = policy.origin;
    if (o === true) {
      // "allow any origin, with cookies": echo whatever came in
      res.setHeader('Access-Control-Allow-Origin', origin ?? '*');
    } else if (typeof o === 'string') {
      // a fixed value, whoever asks
      res.setHeader('Access-Control-Allow-Origin', o);
    } else {
      // const allowed = [...]; if (allowed.includes(origin)) res.setHeader(..., origin)
      const rules = Array.isArray(o) ? o : [o];
      if (origin !== undefined && rules.some((r) => ruleAdmits(r, origin))) res.setHeader('Access-Control-Allow-Origin', origin);
    }
    res.setHeader('Access-Control-Allow-Methods', policy.methods ? policy.methods.join(', ') : TUTORIAL_METHODS);
    res.setHeader('Access-Control-Allow-Headers', policy.allowedHeaders ? policy.allowedHeaders.join(', ') : TUTORIAL_HEADERS);
    if (policy.credentials) res.setHeader('Access-Control-Allow-Credentials', 'true');
    if (req.method === 'OPTIONS' && !policy.preflightContinue) {
      req.resume();
      res.sendStatus(policy.optionsSuccessStatus ?? 200);
      return;
    }
    next();
  };
}

export const expressTutorial: ServerFactory = {
  name: 'express-tutorial',
  description: 'Express 5 + the hand-written res.setHeader middleware of the common tutorial snippet',
  unavailable: () => null,
  async start(policy) {
    const app = express();
    app.disable('x-powered-by');
    app.use(tutorialMiddleware(policy));
    expressRoutes(app);
    return runNodeServer('express-tutorial', app);
  },
};
