/**
 * `cors-conform baseline save|check`, run as a user runs it (bin/cors-conform.js in a child
 * process): exit codes 0 / 1 / 2, one-line errors without a stack, refusing to overwrite.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { buildMatrix } from '../../../reports/matrix';
import { matrixToJson } from '../../../reports/json';
import { normalizeRecord } from '../../../reports/collect';
import { sampleRecords } from '../../reports/fixtures/records';

const ROOT = path.resolve(__dirname, '../../..');
const BIN = path.join(ROOT, 'bin', 'cors-conform.js');

let dir: string;
test.beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-baseline-'));
});
test.afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(...args: string[]) {
  const env = { ...process.env };
  delete env.CORS_REPORT_DIR;
  const r = spawnSync(process.execPath, [BIN, 'baseline', ...args], { cwd: dir, env, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function writeMatrix(name: string, mutate?: (records: ReturnType<typeof sampleRecords>) => void): string {
  const records = sampleRecords();
  mutate?.(records);
  const file = path.join(dir, name);
  fs.writeFileSync(file, matrixToJson(buildMatrix(records.map(normalizeRecord))));
  return file;
}

test('save, then check the same run: exit 0, no drift', () => {
  const from = writeMatrix('m.json');
  const saved = run('save', '--from', from);
  expect(saved.stderr).toBe('');
  expect(saved.code).toBe(0);
  expect(saved.stdout).toContain('wrote cors-baseline.json: 20 entries (chromium 8, firefox 8, webkit 4)');
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'cors-baseline.json'), 'utf8')).entries).toHaveLength(20);
  const checked = run('check', '--baseline', 'cors-baseline.json', '--from', from);
  expect(checked.code).toBe(0);
  expect(checked.stdout).toBe('CORS baseline: no drift from cors-baseline.json (20 entries match)\n');
});

test('the default --from is reports/out/cors-matrix.json under the working directory', () => {
  fs.mkdirSync(path.join(dir, 'reports', 'out'), { recursive: true });
  fs.copyFileSync(writeMatrix('m.json'), path.join(dir, 'reports', 'out', 'cors-matrix.json'));
  expect(run('save', '--out', 'b.json').code).toBe(0);
  expect(run('check', '--baseline', 'b.json').code).toBe(0);
});

test('a changed outcome: exit 1 and a readable diff', () => {
  expect(run('save', '--from', writeMatrix('before.json'), '--out', 'b.json').code).toBe(0);
  const after = writeMatrix('after.json', (records) => {
    const r = records.find((x) => x.caseId === 'wildcard-with-credentials-is-blocked' && x.browser.name === 'firefox')!;
    r.steps[0]!.observed.outcome = 'allowed';
    r.verdict = 'fail';
  });
  const checked = run('check', '--baseline', 'b.json', '--from', after);
  expect(checked.code).toBe(1);
  expect(checked.stdout).toContain('CORS baseline drift from b.json: 1 changed, 0 new, 0 missing (19 match)');
  expect(checked.stdout).toContain(
    'wildcard-with-credentials-is-blocked · firefox · node-http (scripted): was blocked (pass) → now allowed (fail)',
  );
});

test('save refuses to overwrite without --force', () => {
  const from = writeMatrix('m.json');
  fs.writeFileSync(path.join(dir, 'b.json'), 'keep me');
  const refused = run('save', '--from', from, '--out', 'b.json');
  expect(refused.code).toBe(2);
  expect(refused.stderr).toBe('cors-conform: b.json exists: pass --force to replace it\n');
  expect(fs.readFileSync(path.join(dir, 'b.json'), 'utf8')).toBe('keep me');
  expect(run('save', '--from', from, '--out', 'b.json', '--force').code).toBe(0);
  expect(fs.readFileSync(path.join(dir, 'b.json'), 'utf8')).toContain('"schema": "cors-conform/baseline@1"');
});

test('missing or malformed files and bad usage: exit 2, one line, no stack', () => {
  const from = writeMatrix('m.json');
  fs.writeFileSync(
    path.join(dir, 'bad.json'),
    JSON.stringify({ schema: 'cors-conform/baseline@1', browsers: {}, entries: [{ suite: 'protocol' }] }),
  );
  fs.writeFileSync(path.join(dir, 'notjson.json'), '{oops');
  const cases: Array<[string[], RegExp]> = [
    [
      ['check', '--baseline', 'missing.json', '--from', from],
      /^cors-conform: baseline missing\.json does not exist: create it with `cors-conform baseline save --out missing\.json`$/,
    ],
    [
      ['check', '--baseline', 'bad.json', '--from', from],
      /^cors-conform: baseline bad\.json is malformed \(cors-conform\/baseline@1\): entries\[0\]\.category: /,
    ],
    [['check', '--baseline', 'notjson.json', '--from', from], /^cors-conform: baseline notjson\.json is not JSON: /],
    [['check', '--baseline', 'bad.json', '--from', 'nowhere.json'], /^cors-conform: baseline bad\.json is malformed/],
    [['save', '--from', 'nowhere.json'], /^cors-conform: nowhere\.json does not exist: run the suite first/],
    [['save', '--from', 'notjson.json'], /^cors-conform: notjson\.json is not JSON/],
    [['check', '--from', from], /^cors-conform: --baseline <file> is required/],
    [['save', '--frm', from], /^cors-conform: Unknown option '--frm'/],
    [['frobnicate'], /^cors-conform: unknown baseline command "frobnicate"/],
    [[], /^cors-conform: baseline needs a command, save or check/],
  ];
  for (const [args, message] of cases) {
    const r = run(...args);
    expect(r.code, args.join(' ')).toBe(2);
    expect(r.stderr.trimEnd(), args.join(' ')).toMatch(message);
    expect(r.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }
});

test('--help prints both forms', () => {
  const r = run('--help');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(
    'cors-conform baseline save [--from <cors-matrix.json|cors-verify.json>] [--out cors-baseline.json] [--force]',
  );
  expect(r.stdout).toContain('cors-conform baseline check --baseline <file> [--from <cors-matrix.json|cors-verify.json>]');
});
