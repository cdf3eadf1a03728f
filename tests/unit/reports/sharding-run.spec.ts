/**
 * Sharding: the fixture project run once, and run as shards with the blob reporter then merged
 * with reports/merge.config.ts, must give the same cors-matrix.json byte for byte – although every
 * run hands out different ports and tokens, and shards split each browser's cases between them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { FIXTURE_CONFIG, MERGE_CONFIG, playwright } from './child-run';
import type { Matrix } from '../../../reports/matrix';

test.describe.configure({ timeout: 180_000 });

let dir: string;
test.beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-sharding-'));
});
test.afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs the fixture in `total` shards, merges the blobs, returns the merged matrix text. */
function shardedMatrix(total: number, env: Record<string, string>): string {
  const blobs = path.join(dir, `blobs-${total}`);
  fs.mkdirSync(blobs);
  for (let i = 1; i <= total; i++) {
    const out = path.join(dir, `blob-${total}-${i}`);
    const r = playwright(['test', '--config', FIXTURE_CONFIG, `--shard=${i}/${total}`, '--reporter=blob'], {
      ...env,
      PLAYWRIGHT_BLOB_OUTPUT_DIR: out,
    });
    expect(r.stdout, r.stderr).toContain(`shard ${i} of ${total}`);
    const zips = fs.readdirSync(out).filter((f) => f.endsWith('.zip'));
    expect(zips).toHaveLength(1);
    fs.copyFileSync(path.join(out, zips[0]!), path.join(blobs, zips[0]!));
    // A shard writes no matrix of its own: only the merge does.
    expect(fs.existsSync(path.join(dir, `merged-${total}`))).toBe(false);
  }
  const merged = path.join(dir, `merged-${total}`);
  const m = playwright(['merge-reports', '--config', MERGE_CONFIG, blobs], { ...env, CORS_REPORT_DIR: merged });
  expect(m.code, m.stderr).toBe(0);
  expect(m.stdout).toContain('CORS matrix: 8 cases, 16 results');
  // The merge config's other reporters follow CORS_REPORT_DIR too.
  expect(fs.existsSync(path.join(merged, 'junit.xml'))).toBe(true);
  expect(fs.existsSync(path.join(merged, 'html', 'index.html'))).toBe(true);
  return fs.readFileSync(path.join(merged, 'cors-matrix.json'), 'utf8');
}

test('shards merged with merge-reports give the cors-matrix.json of one unsharded run', () => {
  const env = { MATRIX_FIXTURE_OUT: dir, MATRIX_FIXTURE_CRASH: '1' };
  const single = playwright(['test', '--config', FIXTURE_CONFIG], { ...env, CORS_REPORT_DIR: path.join(dir, 'single') });
  // One fixture case crashes before recording, so the run fails – and the matrix still says why.
  expect(single.code).toBe(1);
  const one = fs.readFileSync(path.join(dir, 'single', 'cors-matrix.json'), 'utf8');

  // The comparison means something: both browsers, every kind of cell, run-specific values normalized.
  const matrix = JSON.parse(one) as Matrix;
  expect(matrix.summary.totals).toEqual({ pass: 11, fail: 1, deviation: 1, notRun: 3, total: 16 });
  expect(matrix.records.find((r) => r.verdict === 'fail')?.problems).toEqual(['no cors-case record: Error: the browser crashed (fixture)']);
  // Sorted by category: preflight, preflight-cache, request-headers.
  expect(matrix.records.filter((r) => r.verdict === 'not-run').map((r) => `${r.browser.name}:${r.caseId}`)).toEqual([
    'firefox:put-is-preflighted',
    'firefox:max-age-caches-the-preflight',
    'firefox:authorization-not-covered-by-wildcard',
  ]);
  expect(one).toContain('http://api.localhost:{port1}/p/{token}/0');
  expect(one).not.toMatch(/localhost:\d/);

  expect(shardedMatrix(2, env)).toBe(one);
  // Three shards split each browser's cases between machines: still the same bytes.
  expect(shardedMatrix(3, env)).toBe(one);
});
