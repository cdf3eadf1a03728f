/**
 * reports/matrix.ts and reports/json.ts: a stable order (whatever order workers or shards finish
 * in), counts that add up, not-run counted as such, and JSON that is byte-for-byte the same for
 * the same results.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { buildMatrix, compareStrings, rowCaseId, sortRecords } from '../../../reports/matrix';
import { matrixToJson, MatrixFileError, readMatrixFile } from '../../../reports/json';
import { normalizeRecord } from '../../../reports/collect';
import { sampleRecords, randomRun } from '../../reports/fixtures/records';
import type { CaseRecord } from '../../../harness/core/record';

function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const key = (r: CaseRecord) => [r.suite, r.category, r.caseId, r.server, r.policy ?? '', r.browser.name].join(' | ');

test('records sort by suite, category, caseId, server, policy, browser', () => {
  const keys = sortRecords(sampleRecords()).map(key);
  expect(keys.slice(0, 4)).toEqual([
    'protocol | allow-origin | exact-origin-is-allowed | node-http (scripted) |  | chromium',
    'protocol | allow-origin | exact-origin-is-allowed | node-http (scripted) |  | firefox',
    'protocol | allow-origin | exact-origin-is-allowed | node-http (scripted) |  | webkit',
    'protocol | allow-origin | wildcard-with-credentials-is-blocked | node-http (scripted) |  | chromium',
  ]);
  expect(keys.at(-1)).toBe(
    'servers | allow-origin | fastify-cors › reflect-with-credentials › evil-origin-is-allowed | fastify-cors | reflect-with-credentials | firefox',
  );
  expect([...keys].sort(compareStrings)).toEqual(keys);
});

test('the order is code-unit order, not the locale: upper case before lower case', () => {
  const records = sampleRecords().slice(0, 2);
  records[0]!.caseId = 'b-case';
  records[1]!.caseId = 'B-case';
  expect(sortRecords(records).map((r) => r.caseId)).toEqual(['B-case', 'b-case']);
});

test('the JSON is the same bytes whatever order the records arrive in and whatever ports the run had', () => {
  const a = matrixToJson(buildMatrix(shuffled(sampleRecords(randomRun()), 1).map(normalizeRecord)));
  const b = matrixToJson(buildMatrix(shuffled(sampleRecords(randomRun()), 7).map(normalizeRecord)));
  expect(a).toBe(b);
  expect(a.endsWith('}\n')).toBe(true);
  expect(a).not.toMatch(/duration|startTime|"\w*[Tt]ime"/);
});

test('duplicate keys (--repeat-each) still sort deterministically', () => {
  const [r] = sampleRecords();
  const twin = { ...r!, problems: ['other'] };
  expect(matrixToJson(buildMatrix([r!, twin]))).toBe(matrixToJson(buildMatrix([twin, r!])));
});

test('the summary counts every verdict per browser, per server and per category, not-run included', () => {
  const { summary } = buildMatrix(sampleRecords());
  expect(summary.records).toBe(20);
  // 4 protocol rows; 2 server-suite rows (one probe per policy, both servers side by side).
  expect(summary.cases).toBe(6);
  expect(summary.totals).toEqual({ pass: 14, fail: 1, deviation: 1, notRun: 4, total: 20 });
  expect(summary.browsers).toEqual([
    { name: 'chromium', versions: ['156.0.8078.108'], counts: { pass: 7, fail: 1, deviation: 0, notRun: 0, total: 8 } },
    { name: 'firefox', versions: ['153.8.0'], counts: { pass: 7, fail: 0, deviation: 1, notRun: 0, total: 8 } },
    { name: 'webkit', versions: [], counts: { pass: 0, fail: 0, deviation: 0, notRun: 4, total: 4 } },
  ]);
  expect(summary.servers.map((s) => [s.name, s.counts.total])).toEqual([
    ['express-cors', 4],
    ['fastify-cors', 4],
    ['node-http (scripted)', 12],
  ]);
  expect(summary.categories.map((c) => `${c.suite}/${c.category}:${c.cases}:${c.counts.total}`)).toEqual([
    'protocol/allow-origin:2:6',
    'protocol/preflight-cache:1:3',
    'protocol/request-headers:1:3',
    'servers/allow-origin:2:8',
  ]);
  const sum = summary.browsers.reduce((n, b) => n + b.counts.total, 0);
  expect(sum).toBe(summary.records);
});

test('a server-suite case is one row per probe and policy, whatever the server', () => {
  expect(rowCaseId({ caseId: 'express-cors › allow-list › evil-origin-is-blocked', server: 'express-cors', policy: 'allow-list' })).toBe(
    'evil-origin-is-blocked',
  );
  expect(rowCaseId({ caseId: 'exact-origin-is-allowed', server: 'node-http (scripted)' })).toBe('exact-origin-is-allowed');
  expect(rowCaseId({ caseId: 'php › x', server: 'express-cors', policy: 'x' })).toBe('php › x');
});

test('an empty run is an empty matrix, not an error', () => {
  const m = buildMatrix([]);
  expect(m.summary).toMatchObject({ cases: 0, records: 0, browsers: [], totals: { total: 0 } });
});

test.describe('reading a matrix file', () => {
  let dir: string;
  test.beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'matrix-'));
  });
  test.afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('round-trips what the writer wrote', () => {
    const file = path.join(dir, 'm.json');
    const m = buildMatrix(sampleRecords());
    fs.writeFileSync(file, matrixToJson(m));
    expect(readMatrixFile(file)).toEqual(JSON.parse(matrixToJson(m)));
  });

  test('missing, not JSON or not a matrix: one line saying which', () => {
    const file = path.join(dir, 'm.json');
    expect(() => readMatrixFile(file)).toThrow(MatrixFileError);
    expect(() => readMatrixFile(file)).toThrow(/does not exist/);
    fs.writeFileSync(file, '{');
    expect(() => readMatrixFile(file)).toThrow(/is not JSON/);
    fs.writeFileSync(file, JSON.stringify({ schema: 'cors-conform/matrix@1', summary: {}, records: [] }));
    expect(() => readMatrixFile(file)).toThrow(/not a CORS matrix.*summary\.cases/);
    try {
      readMatrixFile(file);
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
    }
  });
});
