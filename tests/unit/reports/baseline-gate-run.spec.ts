/**
 * The CI gate: a suite run with CORS_BASELINE=<file> fails when any cell's outcome or verdict
 * differs from the committed baseline, and prints which – run for real on the fixture project in
 * child processes, with every output in a temporary directory.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { FIXTURE_CONFIG, playwright } from './child-run';
import { baselineFromRecords, writeBaseline } from '../../../reports/baseline';
import { readMatrixFile } from '../../../reports/json';

test.describe.configure({ mode: 'serial', timeout: 120_000 });

let dir: string;
let baseline: string;
const env = (extra: Record<string, string> = {}) => ({ MATRIX_FIXTURE_OUT: dir, CORS_REPORT_DIR: path.join(dir, 'out'), ...extra });
const run = (args: string[], extra: Record<string, string> = {}) => playwright(['test', '--config', FIXTURE_CONFIG, ...args], env(extra));

test.beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-gate-'));
  baseline = path.join(dir, 'cors-baseline.json');
});
test.afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a run that matches its baseline passes and says so', () => {
  const first = run([]);
  expect(first.code, first.stdout + first.stderr).toBe(0);
  writeBaseline(baseline, baselineFromRecords(readMatrixFile(path.join(dir, 'out', 'cors-matrix.json')).records));

  const again = run([], { CORS_BASELINE: baseline });
  expect(again.code, again.stdout + again.stderr).toBe(0);
  expect(again.stdout).toContain(`CORS baseline: no drift from ${baseline} (16 entries match)`);
});

test('a changed outcome fails the run, with one readable line per changed cell, also in the step summary', () => {
  const summary = path.join(dir, 'step-summary.md');
  fs.writeFileSync(summary, '# earlier step\n');
  const r = run([], { CORS_BASELINE: baseline, MATRIX_FIXTURE_FLIP: 'missing-allow-origin-is-blocked', GITHUB_STEP_SUMMARY: summary });
  // Every test passed; only the gate fails the run.
  expect(r.stdout).toMatch(/13 passed/);
  expect(r.code).toBe(1);
  expect(r.stdout).toContain(`CORS baseline drift from ${baseline}: 1 changed, 0 new, 0 missing (15 match)`);
  expect(r.stdout).toContain(
    'changed  protocol/allow-origin › missing-allow-origin-is-blocked · chromium: was blocked (pass) → now allowed (pass)',
  );
  const md = fs.readFileSync(summary, 'utf8');
  expect(md.startsWith('# earlier step\n## CORS matrix')).toBe(true);
  expect(md).toContain('### Baseline drift ❌');
  expect(fs.readFileSync(path.join(dir, 'out', 'cors-matrix.html'), 'utf8')).toContain('drift (1 changed, 0 new, 0 missing)');
});

test('a filtered run compares only what it ran; a vanished case in a full run is drift', () => {
  const filtered = run(['--grep', 'exact-origin'], { CORS_BASELINE: baseline });
  expect(filtered.code, filtered.stdout + filtered.stderr).toBe(0);
  expect(filtered.stdout).toContain('no drift');
  expect(filtered.stdout).toContain('14 not covered by this run');

  const oneFile = run([path.join('tests', 'reports', 'fixtures', 'matrix-fixture', 'preflight.cases.ts')], { CORS_BASELINE: baseline });
  expect(oneFile.code, oneFile.stdout + oneFile.stderr).toBe(0);
  expect(oneFile.stdout).toContain('CORS baseline: no drift');

  // The full run, with one case fewer in the baseline's eyes: a case that vanished is drift.
  const b = JSON.parse(fs.readFileSync(baseline, 'utf8'));
  b.entries.push({ ...b.entries[0], caseId: 'a-case-that-was-deleted' });
  const withGone = path.join(dir, 'with-gone.json');
  fs.writeFileSync(withGone, JSON.stringify(b));
  const full = run([], { CORS_BASELINE: withGone });
  expect(full.code).toBe(1);
  expect(full.stdout).toContain(
    'missing  protocol/allow-origin › a-case-that-was-deleted · chromium: was allowed (pass) → now not in this run',
  );
});

test('a missing or malformed baseline fails the run with one line, no stack', () => {
  const missing = run(['--grep', 'exact-origin'], { CORS_BASELINE: path.join(dir, 'nope.json') });
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain(
    `cors-conform: baseline ${path.join(dir, 'nope.json')} does not exist: create it with \`cors-conform baseline save`,
  );
  const bad = path.join(dir, 'bad.json');
  fs.writeFileSync(bad, JSON.stringify({ schema: 'cors-conform/baseline@1', browsers: {}, entries: 'all of them' }));
  const malformed = run(['--grep', 'exact-origin'], { CORS_BASELINE: bad });
  expect(malformed.code).toBe(1);
  const lines = malformed.stderr.split('\n').filter((l) => l.includes('cors-conform:'));
  expect(lines).toEqual([
    expect.stringMatching(/^cors-conform: baseline .*bad\.json is malformed \(cors-conform\/baseline@1\): entries: /),
  ]);
  expect(malformed.stderr).not.toMatch(/\n\s+at /);
});
