/**
 * ASP.NET (System.Web) on Mono (Debian's `mono-devel`): the application in servers/aspnet/app
 * sets CORS the way the article's snippet does – `Response.AddHeader` in Global.asax's
 * `Application_BeginRequest` – filled in from the policy, and serves the common endpoints from a
 * handler. Debian 12's xsp4 crashes at start, so servers/aspnet/Host.cs (compiled here with `mcs`
 * once per version of its source, kept in the OS temp directory) runs the real pipeline from an
 * HttpListener. One host serves every policy of a run, a port each, the policy of each port in
 * policy-<port>.txt; the wire is recorded by a tap in front (tap.ts). HttpListener joins repeated
 * header lines into one comma-separated line – for Access-Control-Allow-Origin a browser rejects
 * both the same way.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_METHODS, DEFAULT_OPTIONS_SUCCESS_STATUS, type Policy } from '../policy';
import { programServer, programUnavailable, startBehindTaps } from './process';
import type { RunningServer, ServerName } from './common';

const MONO = process.env.CORS_CONFORM_MONO ?? 'mono';
const MCS = process.env.CORS_CONFORM_MCS ?? 'mcs';
const SOURCE = path.join(__dirname, '..', 'aspnet');
const INSTALL = 'run `npm run setup` or `apt-get install mono-devel`';

export function aspnetUnavailable(): string | null {
  return programUnavailable('mono', MONO, ['--version'], INSTALL) ?? programUnavailable('mcs', MCS, ['--version'], INSTALL);
}

/** The policy as the application reads it: `key=value` lines, `allow` / `allowRegex` repeated. */
export function policyLines(policy: Policy): string {
  const lines: string[] = [];
  const o = policy.origin;
  if (o === '*') lines.push('origin=*');
  else if (o === true) lines.push('origin=reflect');
  else if (typeof o === 'string') lines.push('origin=exact', `allow=${o}`);
  else {
    lines.push('origin=list');
    for (const rule of Array.isArray(o) ? o : [o])
      lines.push(typeof rule === 'string' ? `allow=${rule}` : `allowRegex=${rule.source}\t${rule.flags}`);
  }
  if (policy.credentials) lines.push('credentials=true');
  lines.push(`methods=${(policy.methods ?? DEFAULT_METHODS).join(',')}`);
  if (policy.allowedHeaders) lines.push(`allowedHeaders=${policy.allowedHeaders.join(',')}`);
  if (policy.exposedHeaders?.length) lines.push(`exposedHeaders=${policy.exposedHeaders.join(',')}`);
  if (policy.maxAge !== undefined) lines.push(`maxAge=${policy.maxAge}`);
  lines.push(`optionsSuccessStatus=${policy.optionsSuccessStatus ?? DEFAULT_OPTIONS_SUCCESS_STATUS}`);
  if (policy.preflightContinue) lines.push('preflightContinue=true');
  return `${lines.join('\n')}\n`;
}

/**
 * Host.exe for this Host.cs, compiled once (about a second) into a directory named by the source's
 * hash. The file must be called Host.exe: its assembly name is how the application's AppDomain
 * finds the Bridge type.
 */
function hostExe(): string {
  const source = path.join(SOURCE, 'Host.cs');
  const hash = createHash('sha256').update(fs.readFileSync(source)).digest('hex').slice(0, 16);
  const dir = path.join(os.tmpdir(), `cors-conform-aspnet-host-${hash}`);
  const exe = path.join(dir, 'Host.exe');
  if (fs.existsSync(exe)) return exe;
  const partial = fs.mkdtempSync(`${dir}-`);
  const r = spawnSync(MCS, ['-nologo', '-r:System.Web.dll', `-out:${path.join(partial, 'Host.exe')}`, source], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`mcs could not compile ${source}: ${(r.stdout + r.stderr).trim().split('\n')[0]}`);
  try {
    fs.renameSync(partial, dir);
  } catch {
    // Another run compiled the same source meanwhile: theirs is as good.
    fs.rmSync(partial, { recursive: true, force: true });
  }
  return exe;
}

function startAspnet(policies: readonly Policy[]): Promise<RunningServer[]> {
  return startAspnetWith('aspnet-mono', 'app', policies.length, (app, ports) =>
    ports.forEach((port, i) => fs.writeFileSync(path.join(app, `policy-${port}.txt`), policyLines(policies[i]!))),
  );
}

/**
 * The application servers/aspnet/<source> on `count` ports through the Mono host, a tap in front
 * of each; `prepare` adds files for these ports.
 */
export function startAspnetWith(
  name: ServerName,
  source: string,
  count: number,
  prepare: (app: string, ports: readonly number[]) => void = () => {},
): Promise<RunningServer[]> {
  const exe = hostExe();
  return startBehindTaps({
    name,
    count,
    prepare(dir, ports) {
      const app = path.join(dir, 'app');
      fs.rmSync(app, { recursive: true, force: true });
      fs.cpSync(path.join(SOURCE, source), app, { recursive: true });
      fs.mkdirSync(path.join(app, 'bin'));
      // ApplicationHost loads the host's own assembly into the application's AppDomain from bin/.
      fs.copyFileSync(exe, path.join(app, 'bin', 'Host.exe'));
      fs.writeFileSync(path.join(dir, 'ports'), ports.join(' '));
      prepare(app, ports);
    },
    command: (dir) => ({
      command: MONO,
      args: [
        path.join(dir, 'app', 'bin', 'Host.exe'),
        path.join(dir, 'app'),
        ...fs.readFileSync(path.join(dir, 'ports'), 'utf8').split(' '),
      ],
    }),
    readyPath: '/',
    // The first request compiles Global.asax and App_Code.
    timeoutMs: 60_000,
    // HttpListener answers only requests whose Host names the prefix it listens on (127.0.0.1:port);
    // a wildcard prefix would listen on every interface, not loopback only.
    ownHost: true,
  });
}

export const aspnetMono = programServer(
  'aspnet-mono',
  'ASP.NET System.Web on Mono: Response.AddHeader in Global.asax Application_BeginRequest, from an HttpListener host',
  aspnetUnavailable,
  startAspnet,
);
