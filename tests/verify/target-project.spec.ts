/**
 * The Playwright `target` project, run as a user runs it (a child `npx playwright test
 * --project=target`, everything written to a temporary directory): unset, one test skipped with
 * the reason; set, one test per probe with its `cors-case` record, plus the findings test.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { ROOT } from './cli-helpers';
import { APP, startServer } from './servers';
import { buildPlan, resolveExpectations } from '../../harness/verify';

interface JsonSpec {
  title: string;
  tests: Array<{
    status: string;
    annotations: Array<{ type: string; description?: string }>;
    results: Array<{ attachments: Array<{ name: string; body?: string }> }>;
  }>;
}
interface JsonSuite {
  specs: JsonSpec[];
  suites?: JsonSuite[];
}

function specs(suite: JsonSuite): JsonSpec[] {
  return [...suite.specs, ...(suite.suites ?? []).flatMap(specs)];
}

async function runTarget(
  env: Record<string, string>,
  extra: string[] = [],
): Promise<{ code: number | null; specs: JsonSpec[]; stdout: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-target-'));
  const report = path.join(dir, 'report.json');
  const child = spawn(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/@playwright/test/cli.js'),
      'test',
      '--project=target',
      '--workers=1',
      '--reporter=json',
      `--output=${path.join(dir, 'results')}`,
      ...extra,
    ],
    {
      cwd: ROOT,
      env: { ...process.env, ...env, CORS_REPORT_DIR: dir, PLAYWRIGHT_JSON_OUTPUT_NAME: report, CI: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stdout += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const json = JSON.parse(fs.readFileSync(report, 'utf8')) as { suites: JsonSuite[] };
  return { code, specs: json.suites.flatMap(specs), stdout };
}

test('unset: one test, skipped with the reason', async () => {
  test.setTimeout(120_000);
  const r = await runTarget({ CORS_TARGET_URL: '', CORS_ORIGINS: '' });
  expect(r.code).toBe(0);
  expect(r.specs).toHaveLength(1);
  expect(r.specs[0]!.tests[0]!.status).toBe('skipped');
  expect(r.specs[0]!.tests[0]!.annotations).toContainEqual(
    expect.objectContaining({ type: 'skip', description: expect.stringMatching(/^not run: set CORS_TARGET_URL/) }),
  );
});

test('set: one test per probe with its cors-case record, and a findings test', async () => {
  test.setTimeout(240_000);
  const server = await startServer({ policy: { origin: APP, credentials: true, exposedHeaders: ['X-Request-Id'] } });
  try {
    const r = await runTarget({ CORS_TARGET_URL: server.url, CORS_ORIGINS: APP, CORS_CREDENTIALS: '1' });
    const plan = buildPlan({
      targetUrl: server.url,
      expectations: resolveExpectations(null, { origins: [APP], credentials: true }),
      methods: [],
      headers: [],
    });
    expect(r.specs.map((s) => s.title)).toEqual([...plan.probes.map((p) => p.id), 'findings at or above high']);
    expect(r.code, r.stdout).toBe(0);
    for (const spec of r.specs.slice(0, -1)) {
      const attachment = spec.tests[0]!.results.at(-1)!.attachments.find((a) => a.name === 'cors-case')!;
      const record = JSON.parse(Buffer.from(attachment.body!, 'base64').toString()) as {
        suite: string;
        caseId: string;
        verdict: string;
        browser: { name: string };
      };
      expect(record).toMatchObject({ suite: 'target', caseId: spec.title, verdict: 'pass', browser: { name: 'chromium' } });
    }
  } finally {
    await server.stop();
  }
});

test('CORS_CONFIG: one test per target of a config file, spread by --shard; a misconfigured target fails', async () => {
  test.setTimeout(300_000);
  const good = await startServer({ policy: { origin: APP, credentials: true } });
  const other = await startServer({ policy: { origin: APP } });
  const bad = await startServer({ policy: { origin: true, credentials: true } });
  try {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-target-config-'));
    const config = path.join(dir, 'cors-conform.config.json');
    fs.writeFileSync(
      config,
      JSON.stringify({ origins: [APP], credentials: true, targets: [good.url, { url: other.url, credentials: false }, bad.url] }),
    );
    const first = await runTarget({ CORS_CONFIG: config }, ['--shard=1/2']);
    const second = await runTarget({ CORS_CONFIG: config }, ['--shard=2/2']);
    const all = [...first.specs, ...second.specs];
    // Every target exactly once over the two shards, each a test named by its URL.
    expect(all.map((s) => s.title).sort()).toEqual([good.url, other.url, bad.url].sort());
    expect(first.specs.length * second.specs.length).toBeGreaterThan(0);
    const status = Object.fromEntries(all.map((s) => [s.title, s.tests[0]!.status]));
    expect(status).toEqual({ [good.url]: 'expected', [other.url]: 'expected', [bad.url]: 'unexpected' });
    // Each test carries a cors-case record per probe, for the matrix reporter and the baseline.
    const records = all
      .find((s) => s.title === bad.url)!
      .tests[0]!.results.at(-1)!
      .attachments.filter((a) => a.name === 'cors-case');
    expect(records.length).toBeGreaterThan(10);
    expect(first.code === 1 || second.code === 1).toBe(true);
  } finally {
    for (const s of [good, other, bad]) await s.stop();
  }
});
