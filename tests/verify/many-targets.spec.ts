/**
 * A whole API in one run, through the real binary: a config file with a dozen local servers,
 * correct and misconfigured, every format at once, suppressions (one active, one expired), the
 * GitHub step summary; a URL list from stdin; an OpenAPI file. One browser for all of them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { cli } from './cli-helpers';
import { runsSchema } from './json-schema';
import { sarifErrors } from './sarif-schema';
import { APP, headersHandler, startServer, type ServerSpec, type TestServer } from './servers';
import type { JsonRuns } from '../../harness/verify';
import { nodeHttpHandler } from '../../servers/reference/node-http';
import type { Policy } from '../../servers/policy';

test.describe.configure({ mode: 'parallel' });

const servers: TestServer[] = [];
test.afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

async function server(spec: ServerSpec): Promise<TestServer> {
  const s = await startServer(spec);
  servers.push(s);
  return s;
}

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cc-many-'));
}

/** Starlette's allow_origins=['*'] + allow_credentials=True: echoes any Origin once a cookie comes. */
const echoWithCookie: ServerSpec = {
  handler: (req, res) => {
    const origin = req.headers.origin;
    const echo = origin !== undefined && (req.method === 'OPTIONS' || req.headers.cookie !== undefined);
    res.writeHead(200, {
      'Access-Control-Allow-Origin': echo ? origin : '*',
      'Access-Control-Allow-Credentials': 'true',
      'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE',
      Vary: 'Origin',
      'Content-Type': 'text/plain',
    });
    res.end(req.method === 'HEAD' || req.method === 'OPTIONS' ? undefined : 'data');
  },
};

test('--config: twelve targets, one report, the right findings, every format, suppressions and the step summary', async () => {
  const good = {
    exact: await server({ policy: { origin: APP, credentials: true } }),
    put: await server({ policy: { origin: APP, credentials: true, methods: ['GET', 'PUT'] } }),
    exposed: await server({ policy: { origin: APP, credentials: true, exposedHeaders: ['X-Request-Id'] } }),
    public: await server({ policy: { origin: '*' } }),
    list: await server({ policy: { origin: [APP, 'https://admin.example.com'], credentials: true } }),
    regex: await server({ policy: { origin: /^https:\/\/app\.example\.com$/, credentials: true } }),
  };
  const bad = {
    reflect: await server({ policy: { origin: true, credentials: true } }),
    cookie: await server(echoWithCookie),
    nullOrigin: await server({ policy: { origin: [APP, 'null'], credentials: true } }),
    prefix: await server({ policy: { origin: /^https:\/\/app\.example\.com/, credentials: true } }),
    noPut: await server({ policy: { origin: APP, credentials: true, methods: ['GET'] } }),
    suppressed: await server({ policy: { origin: /^https?:\/\/app\.example\.com$/, credentials: true } }),
  };
  const dir = tmpDir();
  const config = {
    origins: [APP],
    credentials: true,
    targets: [
      good.exact.url,
      { url: good.put.url, methods: ['PUT'] },
      { url: good.exposed.url, readableHeaders: ['X-Request-Id'] },
      { url: good.public.url, credentials: false, expect: { public: true, allow: [{ origin: APP }] } },
      { url: good.list.url, origins: [APP, 'https://admin.example.com'] },
      good.regex.url,
      bad.reflect.url,
      bad.cookie.url,
      bad.nullOrigin.url,
      bad.prefix.url,
      { url: bad.noPut.url, methods: ['PUT'] },
      bad.suppressed.url,
    ],
    suppress: [
      {
        finding: 'trusts-http-origin',
        target: `${bad.suppressed.url.replace(/\/data$/, '')}/*`,
        reason: 'the http twin is ours (TLS at the edge)',
      },
      { finding: 'trusts-null-origin', origin: 'null', reason: 'sandboxed previews, accepted until the fix ships', until: '2020-01-31' },
    ],
  };
  fs.writeFileSync(path.join(dir, 'cors-conform.config.json'), JSON.stringify(config, null, 2));
  const summary = path.join(dir, 'step-summary.md');
  fs.writeFileSync(summary, '# earlier step\n');
  const out = path.join(dir, 'out');
  const r = await cli(
    ['verify', '--config', path.join(dir, 'cors-conform.config.json'), '--format', 'json,table,junit,markdown,sarif', '--out-dir', out],
    { timeoutMs: 240_000, env: { GITHUB_STEP_SUMMARY: summary } },
  );
  expect(r.code, r.stderr + r.stdout).toBe(1);
  for (const file of ['cors-verify.json', 'cors-verify.txt', 'cors-verify.junit.xml', 'cors-verify.md', 'cors-verify.sarif'])
    expect(fs.existsSync(path.join(out, file)), file).toBe(true);

  const report = runsSchema.parse(JSON.parse(fs.readFileSync(path.join(out, 'cors-verify.json'), 'utf8'))) as JsonRuns;
  expect(report.targets.map((t) => t.target)).toEqual(config.targets.map((t) => (typeof t === 'string' ? t : t.url)));
  const byUrl = new Map(report.targets.map((t) => [t.target, t]));
  const ids = (s: TestServer) => [...new Set(byUrl.get(s.url)!.browsers.flatMap((b) => b.findings.map((f) => f.id)))].sort();
  for (const s of Object.values(good)) {
    expect(byUrl.get(s.url)!.verdict, `${s.url}: ${JSON.stringify(ids(s))}`).toBe('pass');
    expect(ids(s)).toEqual([]);
  }
  expect(ids(bad.reflect)).toContain('reflects-any-origin-with-credentials');
  // Found only because the credentialed probes carried the run's marker cookie.
  expect(ids(bad.cookie)).toContain('reflects-any-origin-with-credentials');
  expect(report.cookies).toMatch(/marker cookie/);
  expect(ids(bad.nullOrigin)).toContain('trusts-null-origin');
  expect(ids(bad.prefix)).toContain('trusts-prefix-lookalike');
  expect(ids(bad.noPut)).toEqual(['preflight-failed']);
  // Suppressed: reported, not failing.
  const sup = byUrl.get(bad.suppressed.url)!;
  expect(ids(bad.suppressed)).toEqual([]);
  expect(sup.browsers[0]!.suppressed?.map((f) => [f.id, f.reason])).toEqual([['trusts-http-origin', config.suppress[0]!.reason]]);
  expect(sup.verdict).toBe('pass');
  // Expired: the finding fails again, and the report says why.
  expect(byUrl.get(bad.nullOrigin.url)!.verdict).toBe('fail');
  expect(report.summary.expiredSuppressions.map((s) => s.finding)).toEqual(['trusts-null-origin']);
  expect(report.summary).toMatchObject({ targets: 12, passed: 7, failed: 5, notRun: 0 });
  expect(report.verdict).toBe('fail');
  // Nothing the user did not name: no PUT except where --method-like config named it, no DELETE.
  for (const s of [...Object.values(good), ...Object.values(bad)])
    expect(s.seen.filter((x) => !['GET', 'HEAD', 'POST', 'OPTIONS', 'PUT'].includes(x.method))).toEqual([]);
  expect(good.exact.seen.some((x) => x.method === 'PUT')).toBe(false);

  // SARIF 2.1.0, valid against the OASIS schema, a result per finding with CWE tags.
  const sarif = JSON.parse(fs.readFileSync(path.join(out, 'cors-verify.sarif'), 'utf8')) as {
    runs: Array<{
      tool: { driver: { rules: Array<{ id: string; properties: { tags: string[] }; help: { text: string } }> } };
      results: Array<{
        ruleId: string;
        level: string;
        locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }>;
        suppressions?: unknown[];
      }>;
    }>;
  };
  expect(sarifErrors(sarif)).toBeNull();
  const results = sarif.runs[0]!.results;
  const critical = results.find(
    (x) => x.ruleId === 'reflects-any-origin-with-credentials' && x.locations[0]!.physicalLocation.artifactLocation.uri === bad.cookie.url,
  );
  expect(critical?.level).toBe('error');
  const rule = sarif.runs[0]!.tool.driver.rules.find((x) => x.id === 'reflects-any-origin-with-credentials')!;
  expect(rule.properties.tags).toContain('CWE-942');
  expect(rule.help.text).toMatch(/Express: /);
  expect(results.find((x) => x.ruleId === 'trusts-http-origin')?.suppressions).toHaveLength(1);

  // JUnit: one suite per target, failures where the verdict fails.
  const junit = fs.readFileSync(path.join(out, 'cors-verify.junit.xml'), 'utf8');
  expect(junit.match(/<testsuite /g)).toHaveLength(12);
  expect(junit).toMatch(/<testsuites name="cors-conform verify" tests="\d+" failures="[1-9]\d*"/);
  // Markdown in the file and appended to the step summary (what was there is kept).
  const md = fs.readFileSync(path.join(out, 'cors-verify.md'), 'utf8');
  expect(md).toMatch(/^# cors-conform verify: FAIL: 7 of 12 targets pass/);
  expect(fs.readFileSync(summary, 'utf8')).toBe(`# earlier step\n${md}`);
  // The table on stdout: the target × origin summary.
  expect(r.stdout).toMatch(/TARGET\s+ORIGIN\s+CHROMIUM\s+FINDINGS/);
  expect(r.stdout).toContain('suppression expired on 2020-01-31: trusts-null-origin');

  // Files are never replaced without --force.
  const again = await cli(['verify', '--config', path.join(dir, 'cors-conform.config.json'), '--format', 'json', '--out-dir', out]);
  expect(again.code).toBe(2);
  expect(again.stderr).toMatch(/^cors-conform: --out-dir: .*cors-verify\.json already exists: pass --force to overwrite it\n$/);
});

test('--targets -: a URL list on stdin, the command-line origins for each; --fail-on decides the exit code', async () => {
  const a = await server({ policy: { origin: APP } });
  // Allow-Origin depends on Origin but no Vary: Origin – a low finding, every expectation met.
  const b = await server({ handler: headersHandler((o) => (o === APP ? [['Access-Control-Allow-Origin', o]] : [])) });
  const list = `# two servers\n${a.url}\n\n${b.url}\n`;
  const high = await cli(['verify', '--targets', '-', '--origin', APP, '--format', 'json'], { stdin: list, timeoutMs: 120_000 });
  expect(high.code, high.stderr).toBe(0);
  const report = runsSchema.parse(JSON.parse(high.stdout)) as JsonRuns;
  expect(report.targets.map((t) => t.target)).toEqual([a.url, b.url]);
  expect(report.targets[1]!.browsers[0]!.findings.map((f) => f.id)).toEqual(['missing-vary-origin']);
  const low = await cli(['verify', '--targets', '-', '--origin', APP, '--fail-on', 'low', '--format', 'json'], {
    stdin: list,
    timeoutMs: 120_000,
  });
  expect(low.code).toBe(1);
  // --shard: the second half of the list only; --list sends nothing.
  const before = a.seen.length + b.seen.length;
  const listed = await cli(['verify', '--targets', '-', '--origin', APP, '--shard', '2/2', '--list'], { stdin: list });
  expect(listed.code).toBe(0);
  expect(listed.stdout).toBe(`${b.url}\n`);
  expect(a.seen.length + b.seen.length).toBe(before);
});

test('--openapi: concrete paths probed, templated ones filled from examples, the rest listed as not run; other methods preflight only', async () => {
  const s = await server({ policy: { origin: APP, credentials: true, methods: ['GET', 'POST'] } });
  const base = new URL(s.url).origin;
  const r = await cli(
    [
      'verify',
      '--openapi',
      path.join(__dirname, 'fixtures', 'openapi.yaml'),
      '--openapi-server',
      base,
      '--origin',
      APP,
      '--credentials',
      '--format',
      'json',
    ],
    {
      timeoutMs: 120_000,
    },
  );
  const report = runsSchema.parse(JSON.parse(r.stdout)) as JsonRuns;
  expect(report.targets.map((t) => t.target)).toEqual([`${base}/data`, `${base}/users/42`]);
  expect(report.notRun).toEqual([
    { target: `${base}/orders/{orderId}`, reason: expect.stringMatching(/^path parameter \{orderId\} has no example value/) },
  ]);
  // DELETE is listed by the spec, not named: only its preflight went out, from Node – and the
  // server's answer (no DELETE in Allow-Methods) is a finding marked as not browser-confirmed.
  expect(s.seen.some((x) => x.method === 'DELETE')).toBe(false);
  expect(s.seen.some((x) => x.method === 'OPTIONS' && x.acrm === 'DELETE')).toBe(true);
  const data = report.targets[0]!.browsers[0]!;
  const deleteProbes = data.probes.filter((p) => p.method === 'DELETE');
  expect(deleteProbes.length).toBeGreaterThan(0);
  expect(deleteProbes.every((p) => p.via === 'node-preflight')).toBe(true);
  const failed = data.findings.find((f) => f.id === 'preflight-failed');
  expect(failed?.evidence.level).toBe('header');
  expect(failed?.evidence.summary).toMatch(/not browser-confirmed/);
  expect(r.code).toBe(1);
  expect(report.summary.notRun).toBe(1);
});

test('baseline save|check from verify JSON: a changed answer from an endpoint fails with a was → now line', async () => {
  let policy: Policy = { origin: APP, credentials: true };
  const s = await server({ handler: (req, res) => nodeHttpHandler(policy)(req, res) });
  const dir = tmpDir();
  const list = path.join(dir, 'targets.txt');
  fs.writeFileSync(list, `${s.url}\n`);
  const run = (name: string) =>
    cli(['verify', '--targets', list, '--origin', APP, '--credentials', '--format', 'json', '--out', path.join(dir, name)], {
      timeoutMs: 120_000,
    });
  expect((await run('first.json')).code).toBe(0);
  const saved = await cli(['baseline', 'save', '--from', path.join(dir, 'first.json'), '--out', path.join(dir, 'cors-baseline.json')]);
  expect(saved.code, saved.stderr).toBe(0);
  expect(saved.stdout).toMatch(/^wrote .*cors-baseline\.json: \d+ entries \(chromium \d+\)/);
  expect((await run('same.json')).code).toBe(0);
  const same = await cli(['baseline', 'check', '--baseline', path.join(dir, 'cors-baseline.json'), '--from', path.join(dir, 'same.json')]);
  expect(same.code, same.stdout).toBe(0);
  expect(same.stdout).toMatch(/^CORS baseline: no drift/);
  // The endpoint now echoes any origin: the attacker probes' answers change, a finding appears.
  policy = { origin: true, credentials: true };
  expect((await run('changed.json')).code).toBe(1);
  const changed = await cli([
    'baseline',
    'check',
    '--baseline',
    path.join(dir, 'cors-baseline.json'),
    '--from',
    path.join(dir, 'changed.json'),
  ]);
  expect(changed.code).toBe(1);
  expect(changed.stdout).toContain(
    'changed  verify/probes › attacker unrelated https://evil-example.test GET fetch+credentials · chromium: was blocked (pass) → now allowed (fail)',
  );
  expect(changed.stdout).toMatch(
    /new {6}verify\/findings › reflects-any-origin-with-credentials \(critical\) from https:\/\/evil-example\.test · chromium: now no outcome \(fail\), not in the baseline/,
  );
});
