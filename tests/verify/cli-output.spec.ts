/**
 * `cors-conform verify` end to end through the real binary: the no-argument sample, the JSON
 * schema (zod, exact keys), exit codes 0 and 1, --out/--force, junit and markdown, --browser all.
 * No progress on stderr when it is not a terminal.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { cli } from './cli-helpers';
import { allBrowsersSchema, reportSchema } from './json-schema';
import { APP, startServer, type TestServer } from './servers';
import { FINDING_IDS } from '../../harness/verify';

// Each test is a child process that mostly waits (deadlines, a browser's start): they spread over
// the workers instead of queuing in one.
test.describe.configure({ mode: 'parallel' });

const servers: TestServer[] = [];
test.afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

async function server(policy: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const s = await startServer(policy);
  servers.push(s);
  return s;
}

function tmp(name: string): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cc-verify-')), name);
}

test('no arguments: verifies the bundled sample and passes, saying it is the sample', async () => {
  const r = await cli([], { timeoutMs: 120_000 });
  expect(r.stderr).toBe('');
  expect(r.code, r.stdout).toBe(0);
  expect(r.stdout).toContain('bundled sample: servers/reference/node-http.ts');
  expect(r.stdout).toMatch(/Verdict: PASS in \d+\.\d s/);
  // One line per probe: the table lists every origin, attacker origins included.
  for (const o of [
    APP,
    'https://evil-example.test [unrelated]',
    'null (sandboxed) [null]',
    'https://app.example.com.evil-example.test [prefix-lookalike]',
  ])
    expect(r.stdout).toContain(o);
  test.info().annotations.push({ type: 'time-to-verdict', description: `${r.ms} ms (npx cors-conform, whole process)` });
});

test('verify <url> --format json matches the schema; a correct server passes with exit code 0', async () => {
  const s = await server({
    policy: {
      origin: APP,
      credentials: true,
      methods: ['GET', 'HEAD', 'POST', 'PUT'],
      allowedHeaders: ['X-Api-Key'],
      exposedHeaders: ['X-Request-Id'],
    },
  });
  const r = await cli(['verify', s.url, '--origin', APP, '--credentials', '--method', 'PUT', '--header', 'X-Api-Key', '--format', 'json'], {
    timeoutMs: 120_000,
  });
  expect(r.stderr).toBe('');
  const json = reportSchema.parse(JSON.parse(r.stdout));
  expect(json.target).toBe(s.url);
  expect(json.browser.name).toBe('chromium');
  expect(json.findings).toEqual([]);
  expect(json.verdict).toBe('pass');
  expect(r.code).toBe(0);
  const ids = json.probes.map((p) => p.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(json.probes.find((p) => p.method === 'PUT' && p.credentials && p.client === 'xhr')).toMatchObject({
    origin: APP,
    preflight: true,
    outcome: 'allowed',
    expected: 'allowed',
  });
  expect(json.probes.find((p) => p.headers['X-Api-Key'] !== undefined)).toMatchObject({ preflight: true, outcome: 'allowed' });
  expect(json.probes.find((p) => p.origin === 'null')).toMatchObject({ outcome: 'blocked', expected: 'blocked' });
});

test('a loopback target claimed from public origins: the Local Network Access note says what real pages need', async () => {
  const s = await server({ policy: { origin: [APP, 'http://app.example.com', 'http://localhost:3000'] } });
  const origins = ['--origin', APP, '--origin', 'http://app.example.com', '--origin', 'http://localhost:3000'];
  const r = await cli(['verify', s.url, ...origins, '--format', 'json'], { timeoutMs: 120_000 });
  const json = reportSchema.parse(JSON.parse(r.stdout));
  // The probes themselves pass: verify's pages are served from loopback, as is the target.
  expect(json.findings).toEqual([]);
  expect(json.localNetwork).toMatchObject({ address: '127.0.0.1', space: 'loopback' });
  // http://localhost:3000 is itself loopback: no more private than the target, so not listed.
  expect(json.localNetwork!.origins.map((o) => [o.origin, o.space])).toEqual([
    [APP, 'public'],
    ['http://app.example.com', 'public'],
  ]);
  expect(json.localNetwork!.origins[0]!.needs).toMatch(/local-network-access permission/);
  expect(json.localNetwork!.origins[1]!.needs).toMatch(/not a secure context/);
  const table = await cli(['verify', s.url, ...origins], { timeoutMs: 120_000 });
  expect(table.stdout).toMatch(/Local Network Access:\n {2}the target is on the loopback address space \(127\.0\.0\.1\)/);
});

test('a server that reflects any origin with credentials: exit code 1, the finding in JSON, a table with the fix', async () => {
  const s = await server({ policy: { origin: true, credentials: true } });
  const r = await cli(['verify', s.url, '--origin', APP, '--credentials', '--format', 'json'], { timeoutMs: 120_000 });
  expect(r.code).toBe(1);
  const json = reportSchema.parse(JSON.parse(r.stdout));
  expect(json.verdict).toBe('fail');
  const finding = json.findings.find((f) => f.id === 'reflects-any-origin-with-credentials')!;
  expect(finding).toMatchObject({ severity: 'critical', origin: 'https://evil-example.test' });
  expect(finding.evidence.level).toBe('browser');
  expect(finding.evidence.response!.headers).toContainEqual(['Access-Control-Allow-Origin', 'https://evil-example.test']);
  expect(finding.evidence.alsoTrusted).toEqual(expect.arrayContaining(['null', 'https://app.example.com.evil-example.test']));
  expect(json.findings.every((f) => (FINDING_IDS as readonly string[]).includes(f.id))).toBe(true);

  // --fail-on critical still fails on a critical finding; the table names it with its fixes.
  const table = await cli(['verify', s.url, '--origin', APP, '--credentials', '--fail-on', 'critical'], { timeoutMs: 120_000 });
  expect(table.code).toBe(1);
  expect(table.stdout).toContain('[CRITICAL] reflects-any-origin-with-credentials — https://evil-example.test');
  for (const stack of ['Express:', 'Fastify:', 'PHP:', 'ASP.NET:']) expect(table.stdout).toContain(stack);
});

test('--out writes the file, never over an existing one without --force; junit and markdown', async () => {
  const s = await server({ policy: { origin: APP } });
  const file = tmp('report.xml');
  const first = await cli(['verify', s.url, '--origin', APP, '--format', 'junit', '--out', file], { timeoutMs: 120_000 });
  expect(first.code, first.stderr).toBe(0);
  expect(first.stdout).toBe('');
  const xml = fs.readFileSync(file, 'utf8');
  expect(xml).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="cors-conform verify" tests="\d+" failures="0"/);
  expect(xml).toContain('classname="verify.chromium.probes"');

  const again = await cli(['verify', s.url, '--origin', APP, '--format', 'markdown', '--out', file], { timeoutMs: 60_000 });
  expect(again.code).toBe(2);
  expect(again.stderr.trim().split('\n')).toHaveLength(1);
  expect(fs.readFileSync(file, 'utf8')).toBe(xml);

  const forced = await cli(['verify', s.url, '--origin', APP, '--format', 'markdown', '--out', file, '--force'], { timeoutMs: 120_000 });
  expect(forced.code).toBe(0);
  expect(fs.readFileSync(file, 'utf8')).toMatch(/^# cors-conform verify: PASS\n/);
});

test('--browser all: one object with a report per browser', async () => {
  test.slow();
  const r = await cli(['verify', '--browser', 'all', '--format', 'json'], { timeoutMs: 170_000 });
  // The sample says it is the sample on stderr when stdout is JSON.
  expect(r.stderr).toMatch(/^cors-conform: bundled sample: /);
  const json = allBrowsersSchema.parse(JSON.parse(r.stdout));
  expect(json.browsers.map((b) => b.browser.name)).toEqual(['chromium', 'firefox', 'webkit']);
  // Firefox and WebKit refuse a backtick in a host name: those probes are not run, with the reason.
  for (const report of json.browsers.slice(1)) {
    const backtick = report.probes.filter((p) => p.origin.includes('`'));
    expect(backtick.length).toBeGreaterThan(0);
    for (const p of backtick)
      expect(p).toMatchObject({
        outcome: 'not-run',
        reason: expect.stringMatching(new RegExp(`^${report.browser.name} would not open a page on`)),
      });
  }
  expect(json.verdict).toBe('pass');
  expect(r.code).toBe(0);
});
