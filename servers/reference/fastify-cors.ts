/**
 * Fastify 5 with @fastify/cors, configured straight from the Policy (the option names are the
 * same). Options the Policy leaves unset are left unset, so the plugin's own defaults apply
 * (methods GET,HEAD,POST; strictPreflight).
 */
import http from 'node:http';
import Fastify from 'fastify';
import fastifyCors, { type FastifyCorsOptions } from '@fastify/cors';
import { WireLog } from '../../harness/core/wire';
import type { Policy } from '../policy';
import { passThroughOptions, cookieHeader, dataBody, dataHeaders, recording, type ServerFactory } from './common';
import { closeServer, listenLoopback } from '../../harness/core/listen';

export function fastifyCorsOptions(policy: Policy): FastifyCorsOptions {
  return passThroughOptions(policy);
}

const DATA_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

export const fastifyCorsServer: ServerFactory = {
  name: 'fastify-cors',
  description: 'Fastify 5 + `@fastify/cors` 11, options passed through from the Policy',
  unavailable: () => null,
  async start(policy) {
    const wire = new WireLog();
    let server: http.Server | undefined;
    const app = Fastify({
      logger: false,
      serverFactory: (handler) => {
        server = http.createServer({ keepAliveTimeout: 30_000 }, recording('fastify-cors', wire, handler));
        return server;
      },
    });
    await app.register(fastifyCors, fastifyCorsOptions(policy));
    const token = (q: unknown) => (q && typeof q === 'object' && 'cc' in q && typeof q.cc === 'string' ? q.cc : '');
    app.route({
      method: [...DATA_METHODS],
      url: '/data',
      handler: async (req, reply) => {
        const cc = token(req.query);
        for (const [n, v] of dataHeaders(cc)) reply.header(n, v);
        return reply.code(200).type('text/plain').send(dataBody(req.method, cc));
      },
    });
    app.route({
      method: [...DATA_METHODS],
      url: '/cookie',
      handler: async (req, reply) =>
        reply
          .header('Set-Cookie', cookieHeader(token(req.query)))
          .code(200)
          .type('text/plain')
          .send('cookie set'),
    });
    app.route({
      method: [...DATA_METHODS],
      url: '/redirect',
      handler: async (req, reply) => reply.redirect(`/data?cc=${encodeURIComponent(token(req.query))}`, 302),
    });
    await app.ready();
    const port = await listenLoopback(server!);
    return {
      name: 'fastify-cors',
      port,
      wire,
      collect: async () => {},
      stop: async () => {
        await closeServer(server!);
        await app.close().catch(() => {});
      },
    };
  },
};
