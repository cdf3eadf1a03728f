/** The reference servers, each started from one Policy on its own loopback port. */
import type { ServerFactory, ServerName } from './common';
import { expressCors } from './express-cors';
import { expressTutorial } from './express-tutorial';
import { fastifyCorsServer } from './fastify-cors';
import { nodeHttp } from './node-http';
import { phpServer } from './php';
import { apachePhp } from './apache-php';
import { nginxServer } from './nginx';
import { aspnetMono } from './aspnet-mono';
import { SNIPPET_SERVERS } from './snippets';

export * from './common';

export const REFERENCE_SERVERS: Readonly<Record<ServerName, ServerFactory>> = {
  'express-cors': expressCors,
  'express-tutorial': expressTutorial,
  'fastify-cors': fastifyCorsServer,
  php: phpServer,
  'node-http': nodeHttp,
  'apache-php': apachePhp,
  nginx: nginxServer,
  'aspnet-mono': aspnetMono,
  ...SNIPPET_SERVERS,
};
