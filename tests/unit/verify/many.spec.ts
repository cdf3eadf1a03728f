/**
 * A run over many targets, without a browser: the config file (zod, one line naming the field),
 * URL lists, --shard, OpenAPI targets, suppressions (active, expired, pattern), and the list's
 * outputs – SARIF held to the OASIS schema.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { loadConfig } from '../../../harness/verify/config';
import { targetsFromOpenApi } from '../../../harness/verify/openapi';
import { applySuppressions, matchesPattern } from '../../../harness/verify/suppress';
import { parseShard, parseTargetList, shardOf, type RunRequest } from '../../../harness/verify/targets';
import { jsonOfRuns, render } from '../../../harness/verify/formats';
import { sarifOf } from '../../../harness/verify/sarif';
import type { VerifyRun, VerifyRuns } from '../../../harness/verify/run';
import { sarifErrors } from '../../verify/sarif-schema';
import { APP, policyServer, simulate } from './helpers';

const OPENAPI = path.join(__dirname, '../../verify/fixtures/openapi.yaml');

function writeConfig(content: unknown, name = 'cors-conform.config.json'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-config-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

async function refusal(content: unknown, name?: string): Promise<string> {
  const file = writeConfig(content, name);
  const error = await loadConfig(file).then(
    () => null,
    (e: Error) => e,
  );
  expect(error, 'the config was accepted').not.toBeNull();
  expect(error!.message).not.toContain('\n');
  return error!.message.replace(file, '<file>');
}

test('config: shared options, per-target overrides, relative files, suppressions', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-config-'));
  fs.writeFileSync(
    path.join(dir, 'admin.expect.json'),
    JSON.stringify({ allow: [{ origin: 'https://admin.example.com', credentials: true }] }),
  );
  const file = path.join(dir, 'c.json');
  fs.writeFileSync(
    file,
    JSON.stringify({
      origins: [APP],
      credentials: true,
      failOn: 'medium',
      browsers: ['chromium', 'firefox'],
      targets: [
        'https://api.example.com/a',
        { url: 'https://api.example.com/b', methods: ['PUT'], headers: ['X-Api-Key'], readableHeaders: ['X-Request-Id'] },
        { url: 'https://api.example.com/c', expect: 'admin.expect.json' },
      ],
      cookies: ['session=abc'],
      suppress: [{ finding: 'missing-vary-origin', reason: 'CDN', until: '2099-12-31' }],
    }),
  );
  const request = await loadConfig(file);
  expect(request.targets.map((t) => t.targetUrl)).toEqual([
    'https://api.example.com/a',
    'https://api.example.com/b',
    'https://api.example.com/c',
  ]);
  expect(request.browsers).toEqual(['chromium', 'firefox']);
  expect(request.failOn).toBe('medium');
  expect(request.cookies).toEqual({ kind: 'given', pairs: [['session', 'abc']] });
  expect(request.targets[1]).toMatchObject({ methods: ['PUT'], headers: [['X-Api-Key', 'cors-conform']] });
  expect(request.targets[1]!.expectations.allow[0]).toMatchObject({ origin: APP, credentials: true, readableHeaders: ['X-Request-Id'] });
  // The expect file (relative to the config) decides for target c; the shared origin is added.
  expect(request.targets[2]!.expectations.allow.map((a) => a.origin)).toEqual(['https://admin.example.com', APP]);
  expect(request.suppress).toHaveLength(1);
  expect(request.many).toBe(true);
});

test('config in TypeScript and ESM, default export, typed with defineConfig', async () => {
  const ts = writeConfig(
    `import { defineConfig } from '${path.resolve(__dirname, '../../../harness/verify/config')}';\nconst origin: string = '${APP}';\nexport default defineConfig({ origins: [origin], targets: ['https://api.example.com/ts'] });\n`,
    'cors-conform.config.ts',
  );
  expect((await loadConfig(ts)).targets.map((t) => t.targetUrl)).toEqual(['https://api.example.com/ts']);
  const mjs = writeConfig(`export default { origins: ['${APP}'], targets: ['https://api.example.com/mjs'] };\n`, 'cors-conform.config.mjs');
  expect((await loadConfig(mjs)).targets.map((t) => t.targetUrl)).toEqual(['https://api.example.com/mjs']);
});

test('the shipped example config and the one in docs/verify.md load as written', async () => {
  const example = await loadConfig(path.join(__dirname, '../../../examples/cors-conform.config.json'));
  expect(example.targets.map((t) => [t.targetUrl, t.methods])).toEqual([
    ['https://api.example.com/health', ['PUT']],
    ['https://api.example.com/orders', ['PUT', 'DELETE']],
  ]);
  const docs = fs.readFileSync(path.join(__dirname, '../../../docs/verify.md'), 'utf8');
  const block = /\*\*The config file\*\*[\s\S]*?```json\n([\s\S]*?)```/.exec(docs);
  expect(block, 'docs/verify.md has a JSON config block after **The config file**').not.toBeNull();
  const documented = await loadConfig(writeConfig(block![1]));
  expect(documented.targets).toHaveLength(2);
  expect(documented.suppress).toHaveLength(1);
});

test('config mistakes: one line naming the field', async () => {
  expect(await refusal({ origins: [APP], targets: ['ftp://x'] })).toBe('config <file>: targets[0] "ftp://x" is not an http(s) URL');
  expect(await refusal({ origins: [APP], targets: [{ url: 'https://api.example.com/', origns: [] }] })).toBe(
    'config <file>: targets[0]: Unrecognized key: "origns" (origns)',
  );
  expect(await refusal({ origins: ['https://app.example.com/'], targets: ['https://api.example.com/'] })).toMatch(
    /^config <file>: origins "https:\/\/app\.example\.com\/" is not a serialized origin/,
  );
  expect(await refusal({ targets: [{ url: 'https://api.example.com/', origins: ['https://api.example.com'] }] })).toMatch(
    /^config <file>: targets\[0\]\.origins https:\/\/api\.example\.com is the target's own origin/,
  );
  expect(await refusal({ targets: ['https://api.example.com/'] })).toMatch(/^config <file>: origins is required/);
  expect(await refusal({ origins: [APP] })).toBe('config <file>: no targets: list them in targets (or give an openapi file)');
  expect(await refusal({ origins: [APP], targets: ['https://a.example/', 'https://a.example/'] })).toBe(
    'config <file>: targets: https://a.example/ is listed twice',
  );
  expect(
    await refusal({ origins: [APP], targets: ['https://a.example/'], suppress: [{ finding: 'reflects-everything', reason: 'x' }] }),
  ).toMatch(/^config <file>: suppress\[0\]\.finding: /);
  expect(
    await refusal({
      origins: [APP],
      targets: ['https://a.example/'],
      suppress: [{ finding: 'trusts-null-origin', reason: 'x', until: '31/12/2099' }],
    }),
  ).toBe('config <file>: suppress[0].until: not a date (YYYY-MM-DD)');
  expect(await refusal({ origins: [APP], targets: ['https://a.example/'], cookies: ['a=1'], storageState: 's.json' })).toMatch(
    /^config <file>: cookies and storageState together/,
  );
  expect(await refusal('{ "origins": [', 'broken.json')).toMatch(/^config <file>/);
  expect(await refusal('export default { origins: 5 };', 'c.mjs')).toMatch(/^config <file>: origins: /);
  expect(await refusal('throw new Error("boom\\nmore")', 'c.mjs')).toBe('config <file> could not be loaded: boom');
  const missing = await loadConfig('/nonexistent/cors.json').catch((e: Error) => e.message);
  expect(missing).toMatch(/^config \/nonexistent\/cors\.json does not exist/);
});

test('URL lists: comments and blank lines skipped, a bad line named by its number, duplicates once', () => {
  expect(parseTargetList('# api\nhttps://a.example/x\n\n  https://a.example/y  \nhttps://a.example/x\n', 'list.txt')).toEqual([
    'https://a.example/x',
    'https://a.example/y',
  ]);
  expect(() => parseTargetList('https://a.example/\nnot a url\n', 'list.txt')).toThrow(/^list\.txt line 2: "not a url" is not a URL/);
  expect(() => parseTargetList('# nothing\n', 'stdin')).toThrow(/stdin lists no URL/);
});

test('--shard i/n: contiguous parts that cover the list exactly once', () => {
  const request = {
    targets: Array.from({ length: 7 }, (_, i) => ({ targetUrl: `https://a.example/${i}` })),
    unrun: [],
  } as unknown as RunRequest;
  const parts = [1, 2, 3].map((index) => shardOf(request, { index, total: 3 }).targets.map((t) => t.targetUrl));
  expect(parts.flat()).toEqual(request.targets.map((t) => t.targetUrl));
  expect(parts.map((p) => p.length)).toEqual([2, 2, 3]);
  expect(parseShard('2/4')).toEqual({ index: 2, total: 4 });
  for (const bad of ['0/2', '3/2', '1/0', 'a/b', '1'] as const) expect(() => parseShard(bad)).toThrow(/--shard ".*" is not i\/n/);
});

test('OpenAPI: servers + paths as targets, examples fill templates, the rest not run; other methods listed', async () => {
  const { targets, unrun } = await targetsFromOpenApi(OPENAPI);
  expect(targets).toEqual([
    { url: 'https://api.example.com/data', listedMethods: ['DELETE'] },
    { url: 'https://api.example.com/users/42', listedMethods: [] },
  ]);
  expect(unrun).toEqual([
    {
      target: 'https://api.example.com/orders/{orderId}',
      reason: expect.stringMatching(/^path parameter \{orderId\} has no example value/),
    },
  ]);
  const other = await targetsFromOpenApi(OPENAPI, 'http://127.0.0.1:8080');
  expect(other.targets[0]!.url).toBe('http://127.0.0.1:8080/data');
  await expect(targetsFromOpenApi('/nonexistent/openapi.yaml')).rejects.toThrow(/^openapi \/nonexistent\/openapi\.yaml does not exist/);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-openapi-'));
  fs.writeFileSync(
    path.join(dir, 'rel.yaml'),
    'openapi: 3.0.3\ninfo: { title: t, version: "1" }\nservers: [{ url: /api }]\npaths: { /a: { get: { responses: { "200": { description: ok } } } } }\n',
  );
  await expect(targetsFromOpenApi(path.join(dir, 'rel.yaml'))).rejects.toThrow(
    /servers\[0\]\.url "\/api" is not an absolute http\(s\) URL: give the server to check with --openapi-server/,
  );
  fs.writeFileSync(path.join(dir, 'swagger.json'), JSON.stringify({ swagger: '2.0', info: { title: 't', version: '1' }, paths: {} }));
  await expect(targetsFromOpenApi(path.join(dir, 'swagger.json'))).rejects.toThrow(/Swagger 2\.0: verify reads OpenAPI 3\.0 and 3\.1/);
  fs.writeFileSync(path.join(dir, 'invalid.yaml'), 'openapi: 3.0.3\npaths: 5\n');
  await expect(targetsFromOpenApi(path.join(dir, 'invalid.yaml'))).rejects.toThrow(/^openapi .*invalid\.yaml is not a valid description: /);
});

test('suppressions: by finding, target and origin pattern; expired ones no longer apply and are reported', () => {
  expect(matchesPattern('https://api.example.com/*', 'https://api.example.com/a/b')).toBe(true);
  expect(matchesPattern('https://api.example.com/*', 'https://api.example.com.evil.test/')).toBe(false);
  expect(matchesPattern('https://*.example.com', 'https://a.example.com')).toBe(true);
  const runOf = (): VerifyRun =>
    simulate(
      policyServer((o) => o === APP || o === 'null', { credentials: true }),
      { credentials: true },
    ).run;
  const run = runOf();
  expect(run.verdict).toBe('fail');
  expect(run.reports[0]!.findings.map((f) => f.id)).toEqual(['trusts-null-origin']);
  const entry = { finding: 'trusts-null-origin' as const, target: 'https://api.example.com/*', reason: 'previews' };
  expect(applySuppressions([run], [entry], 'high', '2026-01-01')).toEqual([]);
  expect(run.reports[0]!.findings).toEqual([]);
  expect(run.reports[0]!.suppressed?.map((s) => s.reason)).toEqual(['previews']);
  // The attacker probes behind the accepted finding no longer fail the verdict either.
  expect(run.verdict).toBe('pass');
  const other = runOf();
  applySuppressions([other], [{ ...entry, target: 'https://other.example.com/*' }], 'high', '2026-01-01');
  expect(other.verdict).toBe('fail');
  const late = runOf();
  const expired = applySuppressions([late], [{ ...entry, until: '2025-12-31' }], 'high', '2026-01-01');
  expect(expired.map((s) => s.until)).toEqual(['2025-12-31']);
  expect(late.verdict).toBe('fail');
  const lastDay = runOf();
  applySuppressions([lastDay], [{ ...entry, until: '2026-01-01' }], 'high', '2026-01-01');
  expect(lastDay.verdict).toBe('pass');
});

function runsOf(...runs: VerifyRun[]): VerifyRuns {
  return {
    runs,
    verdict: runs.some((r) => r.verdict === 'fail') ? 'fail' : 'pass',
    cookies: 'a marker cookie',
    ms: 3000,
    unrun: [{ target: 'https://api.example.com/orders/{id}', reason: 'no example' }],
    expired: [],
    many: true,
  };
}

test('SARIF 2.1.0: valid against the OASIS schema; rule per finding id, CWE tags, levels from severity, suppressions', () => {
  const bad = simulate(
    policyServer(() => true, { credentials: true }),
    { credentials: true },
  ).run;
  const vary = simulate(
    policyServer((o) => o === APP, { vary: false }),
    {},
  ).run;
  const nul = simulate(
    policyServer((o) => o === APP || o === 'null', { credentials: true }),
    { credentials: true },
  ).run;
  applySuppressions([nul], [{ finding: 'trusts-null-origin', reason: 'previews', until: '2099-01-01' }], 'high');
  const doc = sarifOf(runsOf(bad, vary, nul)) as {
    runs: Array<{
      tool: { driver: { rules: Array<{ id: string; properties: { tags: string[]; 'security-severity': string } }> } };
      results: Array<{
        ruleId: string;
        level: string;
        suppressions?: Array<{ justification: string }>;
        partialFingerprints: Record<string, string>;
      }>;
      invocations: Array<{ toolExecutionNotifications: Array<{ message: { text: string } }> }>;
    }>;
  };
  expect(sarifErrors(doc)).toBeNull();
  const run = doc.runs[0]!;
  expect(run.tool.driver.rules.map((r) => r.id).sort()).toEqual([
    'missing-vary-origin',
    'reflects-any-origin-with-credentials',
    'trusts-null-origin',
  ]);
  const rule = (id: string) => run.tool.driver.rules.find((r) => r.id === id)!;
  expect(rule('reflects-any-origin-with-credentials').properties.tags).toEqual(expect.arrayContaining(['security', 'CWE-942']));
  expect(rule('missing-vary-origin').properties.tags).toContain('CWE-346');
  const result = (id: string) => run.results.find((r) => r.ruleId === id)!;
  expect(result('reflects-any-origin-with-credentials').level).toBe('error');
  expect(result('missing-vary-origin').level).toBe('note');
  expect(result('trusts-null-origin').suppressions?.[0]?.justification).toBe('previews (until 2099-01-01)');
  // The same finding on the same target gets the same fingerprint on every run.
  const again = sarifOf(
    runsOf(
      simulate(
        policyServer(() => true, { credentials: true }),
        { credentials: true },
      ).run,
    ),
  ) as typeof doc;
  expect(again.runs[0]!.results[0]!.partialFingerprints).toEqual(result('reflects-any-origin-with-credentials').partialFingerprints);
  expect(run.invocations[0]!.toolExecutionNotifications.map((n) => n.message.text)).toEqual([
    'https://api.example.com/orders/{id}: not run: no example',
  ]);
  // Breaking the document breaks the validation: the check can fail.
  expect(sarifErrors({ ...doc, version: '2.0.0' })).not.toBeNull();
});

test('a list of targets: JSON with a summary, a target × origin table, JUnit per target', () => {
  const bad = simulate(
    policyServer(() => true, { credentials: true }),
    { credentials: true },
  ).run;
  const good = simulate(
    policyServer((o) => o === APP, { credentials: true }),
    { credentials: true },
  ).run;
  const runs = runsOf(good, bad);
  const json = jsonOfRuns(runs);
  expect(Object.keys(json)).toEqual(['targets', 'notRun', 'summary', 'cookies', 'verdict']);
  expect(json.summary).toEqual({
    targets: 3,
    passed: 1,
    failed: 1,
    notRun: 1,
    findings: { 'reflects-any-origin-with-credentials': 1 },
    expiredSuppressions: [],
  });
  const table = render('table', runs, 'high', null);
  expect(table).toMatch(/TARGET\s+ORIGIN\s+CHROMIUM\s+FINDINGS/);
  expect(table).toMatch(
    /attackers \(\d+ origins\)\s+\d+ allowed \/ 0 blocked \(\d+ unmet\)\s+reflects-any-origin-with-credentials \(critical\)/,
  );
  expect(table).toContain('https://api.example.com/orders/{id}');
  expect(table).toMatch(/FAIL: 1 of 2 targets pass, 1 not run in 3\.0 s\n$/);
  const junit = render('junit', runs, 'high', null);
  expect(junit.match(/<testsuite /g)).toHaveLength(3);
  expect(junit).toContain('<skipped message="no example"/>');
  // One URL keeps the one-target shape.
  expect(Object.keys(JSON.parse(render('json', { ...runs, runs: [good], unrun: [], many: false }, 'high', null)))).toEqual([
    'target',
    'browser',
    'probes',
    'findings',
    'verdict',
  ]);
});
