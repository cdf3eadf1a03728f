/**
 * Apache 2.4 + mod_php (Debian's `apache2` and `libapache2-mod-php`) running the PHP reference
 * router (servers/php/router.php, the header() snippet filled in from the policy) as a front
 * controller (`FallbackResource`), the way PHP applications are deployed – so the preflight reaches
 * PHP through Apache. One Apache serves every policy of a run, one port (a virtual host) each,
 * started in the foreground with a config of our own (`apache2 -f <conf> -DFOREGROUND`); it cannot
 * take port 0 (process.ts finds free ones; run as root its children drop to www-data, so its files
 * are world-readable). The wire is recorded by a tap in front of each port (tap.ts): the headers
 * Apache itself adds are on it too.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Policy } from '../policy';
import { policyToJson } from '../policy';
import { programServer, programUnavailable, startBehindTaps } from './process';
import type { RunningServer, ServerName } from './common';

export const APACHE_BINARY = process.env.CORS_CONFORM_APACHE ?? 'apache2';
const MODULES = process.env.CORS_CONFORM_APACHE_MODULES ?? '/usr/lib/apache2/modules';
const ROUTER = path.join(__dirname, '..', 'php', 'router.php');
const INSTALL = 'run `npm run setup` or `apt-get install apache2 libapache2-mod-php`';

/** The mod_php module file (libphp8.2.so, libphp7.4.so, …), or null. */
function phpModule(): string | null {
  try {
    return fs.readdirSync(MODULES).find((f) => /^libphp[\d.]*\.so$/.test(f)) ?? null;
  } catch {
    return null;
  }
}

export function apacheUnavailable(): string | null {
  const missing = programUnavailable('apache2', APACHE_BINARY, ['-v'], INSTALL);
  if (missing) return missing;
  if (!phpModule()) return `mod_php is not installed in ${MODULES}: ${INSTALL}`;
  return null;
}

/**
 * An Apache config: by default serving `router.php` on each port, the policy of port i in
 * policy-i.json; `site` replaces what is served (the article's snippets, snippets.ts).
 */
export function apacheConfig(
  dir: string,
  ports: readonly number[],
  server: string,
  site: string[] = ['<Directory ${dir}/www>', '  Require all granted', '  FallbackResource /router.php', '</Directory>'],
): string {
  const mod = (name: string, file: string) => `LoadModule ${name} ${MODULES}/${file}`;
  const asRoot = process.getuid?.() === 0;
  const breakFor = process.env.CORS_CONFORM_BREAK;
  return [
    `ServerRoot ${dir}`,
    'ServerName 127.0.0.1',
    `PidFile ${dir}/httpd.pid`,
    `DefaultRuntimeDir ${dir}`,
    `ErrorLog ${dir}/error.log`,
    'LogLevel warn',
    mod('mpm_prefork_module', 'mod_mpm_prefork.so'),
    mod('authz_core_module', 'mod_authz_core.so'),
    mod('dir_module', 'mod_dir.so'),
    mod('alias_module', 'mod_alias.so'),
    mod('mime_module', 'mod_mime.so'),
    mod('env_module', 'mod_env.so'),
    mod('headers_module', 'mod_headers.so'),
    mod('php_module', phpModule()!),
    'TypesConfig /etc/mime.types',
    ...(asRoot ? ['User www-data', 'Group www-data'] : []),
    'StartServers 2',
    'MinSpareServers 2',
    'MaxSpareServers 6',
    'MaxRequestWorkers 32',
    'KeepAlive On',
    `DocumentRoot ${dir}/www`,
    ...site.map((l) => l.replace('${dir}', dir)),
    '<FilesMatch "\\.php$">',
    '  SetHandler application/x-httpd-php',
    '</FilesMatch>',
    `SetEnv CC_SERVER ${server}`,
    ...(breakFor ? [`SetEnv CORS_CONFORM_BREAK ${breakFor}`] : []),
    ...ports.flatMap((port, i) => [
      `Listen 127.0.0.1:${port}`,
      `<VirtualHost 127.0.0.1:${port}>`,
      `  SetEnv CC_POLICY_FILE ${dir}/policy-${i}.json`,
      '</VirtualHost>',
    ]),
    '',
  ].join('\n');
}

function startApache(policies: readonly Policy[]): Promise<RunningServer[]> {
  return startApacheWith('apache-php', policies.length, (dir) => {
    fs.copyFileSync(ROUTER, path.join(dir, 'www', 'router.php'));
    policies.forEach((p, i) => fs.writeFileSync(path.join(dir, `policy-${i}.json`), policyToJson(p)));
  });
}

/**
 * Apache on `count` ports, a tap in front of each: `files` puts what it serves under <dir>/www,
 * `site` (apacheConfig) says how; every file is made world-readable for www-data.
 */
export function startApacheWith(name: ServerName, count: number, files: (dir: string) => void, site?: string[]): Promise<RunningServer[]> {
  return startBehindTaps({
    name,
    count,
    prepare(dir, ports) {
      fs.mkdirSync(path.join(dir, 'www'), { recursive: true, mode: 0o755 });
      files(dir);
      fs.writeFileSync(path.join(dir, 'httpd.conf'), apacheConfig(dir, ports, name, site));
      for (const f of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, f), 0o755);
    },
    command: (dir) => ({ command: APACHE_BINARY, args: ['-f', path.join(dir, 'httpd.conf'), '-DFOREGROUND'] }),
    readyPath: '/',
    logFile: 'error.log',
  });
}

export const apachePhp = programServer(
  'apache-php',
  'Apache 2.4 + mod_php, the header() router as a front controller (FallbackResource); one Apache, a virtual host per policy',
  apacheUnavailable,
  startApache,
);
