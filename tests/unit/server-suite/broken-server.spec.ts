/**
 * The server suite run as a child process against deliberately broken or missing servers:
 *   - CORS_CONFORM_BREAK=node-http makes node-http append `/` to every Access-Control-Allow-Origin
 *     it sends: the suite must fail, naming server, policy, probe and reason;
 *   - CORS_CONFORM_PHP pointing nowhere: the php cases must be reported as not run, with the
 *     reason, never silently dropped.
 * One policy each (CORS_CONFORM_POLICIES and --grep), so each run takes seconds.
 */
import { test, expect } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { discover } from '../../../harness/browser/engines';

const ROOT = path.resolve(__dirname, '../../..');

function runSuite(spec: string, grep: string, env: Record<string, string>) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-conform-child-'));
  const json = path.join(out, 'report.json');
  try {
    const r = spawnSync(
      process.execPath,
      [
        require.resolve('@playwright/test/cli'),
        'test',
        spec,
        '--project=chromium',
        '--workers=1',
        `--grep=${grep}`,
        '--reporter=line,json',
        `--output=${path.join(out, 'results')}`,
      ],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, CI: '', PLAYWRIGHT_JSON_OUTPUT_NAME: json, CORS_REPORT_DIR: out, ...env },
      },
    );
    const report = fs.existsSync(json) ? (JSON.parse(fs.readFileSync(json, 'utf8')) as { stats: Record<string, number> }) : null;
    return {
      code: r.status,
      output: `${r.stdout}\n${r.stderr}`,
      report,
      reportText: fs.existsSync(json) ? fs.readFileSync(json, 'utf8') : '',
    };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

test.describe('the server suite against broken servers', () => {
  test.describe.configure({ mode: 'parallel', timeout: 150_000 });
  test.skip(!discover('chromium').found, 'not run: no chromium to run the server suite with');

  test('a server that breaks Access-Control-Allow-Origin fails with server, policy, probe and reason named', () => {
    const r = runSuite('tests/servers/reference-servers.spec.ts', 'node-http single-origin', {
      CORS_CONFORM_BREAK: 'node-http',
      CORS_CONFORM_POLICIES: 'single-origin',
    });
    expect(r.code, r.output).toBe(1);
    expect(r.report?.stats.unexpected, r.output).toBe(1);
    expect(r.output).toContain("node-http › single-origin › app-origin-simple-get-is-allowed: the browser against the policy's intent");
    expect(r.output).toMatch(
      /the policy means allowed \(admitted\), the browser blocked it \([^)]*\); on the headers node-http sent the Fetch Standard says blocked \(allow-origin-invalid\)/,
    );
  });

  test('the same probe passes when nothing is broken', () => {
    const r = runSuite('tests/servers/reference-servers.spec.ts', 'node-http single-origin', { CORS_CONFORM_POLICIES: 'single-origin' });
    expect(r.code, r.output).toBe(0);
    expect(r.report?.stats.expected, r.output).toBe(1);
  });

  test('without php the php cases are not run, with the reason', () => {
    const r = runSuite('tests/servers/reference-servers.spec.ts', 'php public-api', {
      CORS_CONFORM_PHP: path.join(os.tmpdir(), 'no-such-dir', 'php'),
      CORS_CONFORM_POLICIES: 'public-api',
      CORS_CONFORM_SERVERS: 'php',
    });
    expect(r.code, r.output).toBe(0);
    expect(r.report?.stats.skipped, r.output).toBe(1);
    expect(r.reportText).toContain('not run: php is not available');
  });

  test('without Apache, nginx or Mono their cases are not run, each with its reason', () => {
    const missing = (name: string) => path.join(os.tmpdir(), 'no-such-dir', name);
    const r = runSuite('tests/servers/reference-servers.spec.ts', 'public-api', {
      CORS_CONFORM_APACHE: missing('apache2'),
      CORS_CONFORM_NGINX: missing('nginx'),
      CORS_CONFORM_MONO: missing('mono'),
      CORS_CONFORM_POLICIES: 'public-api',
      CORS_CONFORM_SERVERS: 'apache-php,nginx,aspnet-mono',
    });
    expect(r.code, r.output).toBe(0);
    expect(r.report?.stats.skipped, r.output).toBe(3);
    for (const reason of ['apache2 is not available', 'nginx is not available', 'mono is not available'])
      expect(r.reportText).toContain(`not run: ${reason}`);
    expect(r.reportText).toContain('apt-get install mono-devel');
  });
});
