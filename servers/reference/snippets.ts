/**
 * The article's snippets as written (the article this project started from; docs/servers.md quotes them): each sets
 * `Access-Control-Allow-Origin: *` and nothing else, the way the article shows it, in the server it
 * names – and two ways the same line goes wrong in the servers people deploy in front of an
 * application. They take no policy: the server suite runs them under one policy, the article's
 * own reading of `*` ("any site may read"), with the snippet's departures declared as quirks.
 */
import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import { dataBody } from './common';
import { runNodeServer, type RunningServer, type ServerFactory, type ServerName, type SNIPPET_NAMES } from './common';
import { apacheUnavailable, startApacheWith } from './apache-php';
import { aspnetUnavailable, startAspnetWith } from './aspnet-mono';
import { nginxHead, nginxUnavailable, startNginxWith } from './nginx';
import { programServer } from './process';

const DATA_PHP = path.join(__dirname, '..', 'snippets', 'data.php');

/** Express with the article's middleware, then the application's routes. */
function expressSnippet() {
  const app = express();
  app.use((req, res, next) => {
    res.setHeader('Access-Control-Allow-Origin', '*'); // the article's snippet
    next();
  });
  app.use(express.json());
  const data = (req: express.Request, res: express.Response) => {
    const token = typeof req.query.cc === 'string' ? req.query.cc : 'none';
    res.setHeader('X-Request-Id', token);
    res.type('text/plain').send(dataBody(req.method, token));
  };
  app.get('/data', data);
  app.post('/data', data);
  app.put('/data', data);
  return app;
}

/** Apache + mod_php running data.php for /data; `extra` lines after it (mod_headers). */
function apacheSnippet(name: ServerName, extra: string[]): (count: number) => Promise<RunningServer[]> {
  const site = ['<Directory ${dir}/www>', '  Require all granted', '</Directory>', 'Alias /data ${dir}/www/data.php', ...extra];
  return (count) => startApacheWith(name, count, (dir) => fs.copyFileSync(DATA_PHP, path.join(dir, 'www', 'data.php')), site);
}

/** nginx with the common `add_header` line in the server block; `data` is /data's location body. */
function nginxSnippet(name: ServerName, data: string[]): (count: number) => Promise<RunningServer[]> {
  return (count) =>
    startNginxWith(name, count, (dir, ports) =>
      [
        ...nginxHead(dir),
        ...ports.flatMap((port) => [
          '  server {',
          `    listen 127.0.0.1:${port};`,
          '    add_header Access-Control-Allow-Origin *;',
          '    location = /data {',
          ...data.map((l) => `      ${l}`),
          '      return 200 "data $request_method $arg_cc";',
          '    }',
          '    location / { return 404 "not found"; }',
          '  }',
        ]),
        '}',
        '',
      ].join('\n'),
    );
}

/** A program serving a snippet, which takes no policy: one instance per policy, all alike. */
function snippet(
  name: ServerName,
  description: string,
  unavailable: () => string | null,
  start: (count: number) => Promise<RunningServer[]>,
): ServerFactory {
  return programServer(name, description, unavailable, (policies) => start(policies.length));
}

export const SNIPPET_SERVERS: Record<(typeof SNIPPET_NAMES)[number], ServerFactory> = {
  'snippet-express': {
    name: 'snippet-express',
    description: "Express: res.setHeader('Access-Control-Allow-Origin', '*') in a middleware, then routes for GET, POST and PUT",
    unavailable: () => null,
    start: () => runNodeServer('snippet-express', expressSnippet()),
  },
  'snippet-apache-php': snippet(
    'snippet-apache-php',
    "PHP under Apache (mod_php): header('Access-Control-Allow-Origin: *') at the top of the script",
    apacheUnavailable,
    apacheSnippet('snippet-apache-php', []),
  ),
  'snippet-apache-php-mod-headers': snippet(
    'snippet-apache-php-mod-headers',
    'the same script, with Apache\'s own Header always set Access-Control-Allow-Origin "*" (mod_headers) added in front',
    apacheUnavailable,
    apacheSnippet('snippet-apache-php-mod-headers', ['Header always set Access-Control-Allow-Origin "*"']),
  ),
  'snippet-aspnet': snippet(
    'snippet-aspnet',
    'ASP.NET on Mono: Response.AddHeader("Access-Control-Allow-Origin", "*") in Global.asax Application_BeginRequest, a handler for /data',
    aspnetUnavailable,
    (count) => startAspnetWith('snippet-aspnet', 'snippet', count),
  ),
  'snippet-nginx': snippet(
    'snippet-nginx',
    'nginx: add_header Access-Control-Allow-Origin * in the server block (without always)',
    nginxUnavailable,
    nginxSnippet('snippet-nginx', []),
  ),
  'snippet-nginx-location': snippet(
    'snippet-nginx-location',
    'the same, with an add_header of its own in the location (X-Request-Id)',
    nginxUnavailable,
    nginxSnippet('snippet-nginx-location', ['add_header X-Request-Id $arg_cc;']),
  ),
};
