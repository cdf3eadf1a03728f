/**
 * nginx (Debian's `nginx`) with CORS set in its own config, generated from the Policy the way
 * nginx guides write it: a `map $http_origin` allow-list (exact strings and `~` regular
 * expressions), `add_header … always` so error answers carry the headers too, and
 * `if ($request_method = OPTIONS) { return 204; }` answering the preflight. The CORS lines are
 * repeated in every `location`, because a `location` with an `add_header` of its own inherits none
 * from the server block (the mistake docs/servers.md shows). One nginx serves every policy of a
 * run, a `server` per policy on its own port; the wire is recorded by a tap in front (tap.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_METHODS, DEFAULT_OPTIONS_SUCCESS_STATUS, type OriginRule, type Policy } from '../policy';
import { programServer, programUnavailable, startBehindTaps } from './process';
import type { RunningServer, ServerName } from './common';

export const NGINX_BINARY = process.env.CORS_CONFORM_NGINX ?? 'nginx';

/** A double-quoted nginx string: `"` and `\` escaped (ngx_conf_read_token unescapes them). */
const quote = (s: string) => `"${s.replace(/\\(?=["\\])/g, '\\\\').replace(/"/g, '\\"')}"`;

/** One map line for an allow-list rule: exact match, or `~` / `~*` a PCRE (JS's syntax agrees here). */
function mapKey(rule: OriginRule): string {
  if (typeof rule === 'string') return quote(rule);
  return quote(`${rule.flags.includes('i') ? '~*' : '~'}${rule.source}`);
}

/** The CORS lines of one policy (i: its index, naming its variables), and its maps. */
function corsFor(policy: Policy, i: number, broken: boolean): { maps: string[]; lines: string[] } {
  const slash = broken ? '/' : '';
  const maps: string[] = [];
  let acao: string;
  if (policy.origin === '*') acao = `*${slash}`;
  else if (policy.origin === true) acao = `$http_origin${slash}`;
  else if (typeof policy.origin === 'string') acao = `${policy.origin}${slash}`;
  else {
    const rules = Array.isArray(policy.origin) ? policy.origin : [policy.origin];
    maps.push(`map $http_origin $cors_origin_${i} {`, '  default "";', ...rules.map((r) => `  ${mapKey(r)} $http_origin;`), '}');
    acao = `$cors_origin_${i}`;
    if (broken) {
      maps.push(`map $cors_origin_${i} $cors_origin_${i}_broken {`, '  default $cors_origin_${i}/;', '  "" "";', '}');
      acao = `$cors_origin_${i}_broken`;
    }
  }
  const methods = (policy.methods ?? DEFAULT_METHODS).join(',');
  const requestHeaders = policy.allowedHeaders ? policy.allowedHeaders.join(',') : '$http_access_control_request_headers';
  // Preflight-only and actual-only headers by method: nginx sends no header whose value is empty.
  maps.push(
    `map $request_method $cors_preflight_methods_${i} { OPTIONS ${quote(methods)}; default ""; }`,
    `map $request_method $cors_preflight_headers_${i} { OPTIONS ${quote(requestHeaders)}; default ""; }`,
    `map $request_method $cors_max_age_${i} { OPTIONS ${quote(policy.maxAge === undefined ? '' : String(policy.maxAge))}; default ""; }`,
    `map $request_method $cors_expose_${i} { OPTIONS ""; default ${quote((policy.exposedHeaders ?? []).join(','))}; }`,
  );
  const lines = [
    `add_header Access-Control-Allow-Origin ${quote(acao)} always;`,
    ...(policy.origin === '*' ? [] : ['add_header Vary Origin always;']),
    ...(policy.credentials ? ['add_header Access-Control-Allow-Credentials true always;'] : []),
    `add_header Access-Control-Allow-Methods $cors_preflight_methods_${i} always;`,
    `add_header Access-Control-Allow-Headers $cors_preflight_headers_${i} always;`,
    `add_header Access-Control-Max-Age $cors_max_age_${i} always;`,
    `add_header Access-Control-Expose-Headers $cors_expose_${i} always;`,
    ...(policy.preflightContinue
      ? []
      : [`if ($request_method = OPTIONS) { return ${policy.optionsSuccessStatus ?? DEFAULT_OPTIONS_SUCCESS_STATUS}; }`]),
  ];
  return { maps, lines };
}

/** nginx.conf serving /data, /cookie and /redirect (common.ts) under policy i on port i. */
export function nginxConfig(dir: string, policies: readonly Policy[], ports: readonly number[], server = 'nginx'): string {
  const broken = process.env.CORS_CONFORM_BREAK === server;
  const blocks = policies.map((policy, i) => corsFor(policy, i, broken));
  const location = (match: string, cors: string[], own: string[]) => [
    `    location ${match} {`,
    ...[...cors, ...own].map((l) => `      ${l}`),
    '    }',
  ];
  return [
    ...nginxHead(dir),
    ...blocks.flatMap((b) => b.maps.map((l) => `  ${l}`)),
    ...ports.flatMap((port, i) => [
      '  server {',
      `    listen 127.0.0.1:${port};`,
      ...location('= /data', blocks[i]!.lines, [
        'add_header X-Request-Id $arg_cc always;',
        'add_header X-Total-Count 42 always;',
        'return 200 "data $request_method $arg_cc";',
      ]),
      ...location('= /cookie', blocks[i]!.lines, [
        'add_header Set-Cookie "cc_$arg_cc=1; Path=/; SameSite=None; Secure" always;',
        'return 200 "cookie set";',
      ]),
      ...location('= /redirect', blocks[i]!.lines, ['return 302 /data?cc=$arg_cc;']),
      ...location('/', blocks[i]!.lines, ['return 404 "not found";']),
      '  }',
    ]),
    '}',
    '',
  ].join('\n');
}

/** The top of every nginx.conf here: one worker, files in `dir`, errors to stderr, relative redirects. */
export function nginxHead(dir: string): string[] {
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((k) => `  ${k}_temp_path ${dir}/tmp/${k};`);
  return [
    'worker_processes 1;',
    `pid ${dir}/nginx.pid;`,
    'error_log stderr warn;',
    'events { worker_connections 512; }',
    'http {',
    '  access_log off;',
    ...temp,
    // Relative redirects, like the other servers: nginx would otherwise name its own port, not the tap's.
    '  absolute_redirect off;',
    '  default_type "text/plain; charset=utf-8";',
    '  keepalive_timeout 30s;',
  ];
}

/** nginx on `count` ports, the config written by `config(dir, ports)`, a tap in front of each. */
export function startNginxWith(
  name: ServerName,
  count: number,
  config: (dir: string, ports: readonly number[]) => string,
): Promise<RunningServer[]> {
  return startBehindTaps({
    name,
    count,
    prepare(dir, ports) {
      fs.mkdirSync(path.join(dir, 'tmp'), { recursive: true, mode: 0o777 });
      fs.writeFileSync(path.join(dir, 'nginx.conf'), config(dir, ports));
    },
    command: (dir) => ({
      command: NGINX_BINARY,
      args: ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', 'stderr', '-g', 'daemon off;'],
    }),
    readyPath: '/',
  });
}

export const nginxUnavailable = () => programUnavailable('nginx', NGINX_BINARY, ['-v'], 'run `npm run setup` or `apt-get install nginx`');

function startNginx(policies: readonly Policy[]): Promise<RunningServer[]> {
  return startNginxWith('nginx', policies.length, (dir, ports) => nginxConfig(dir, policies, ports));
}

export const nginxServer = programServer(
  'nginx',
  'nginx with CORS in its config: a map $http_origin allow-list, add_header … always, OPTIONS answered with return 204',
  nginxUnavailable,
  startNginx,
);
