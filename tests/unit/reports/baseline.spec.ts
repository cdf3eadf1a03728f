/**
 * reports/baseline.ts: what a baseline holds, how it is validated, and what counts as drift.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import {
  BaselineError,
  baselineFromRecords,
  baselineToText,
  diffBaseline,
  formatDrift,
  hasDrift,
  parseBaseline,
  readBaseline,
  writeBaseline,
  type Baseline,
} from '../../../reports/baseline';
import { sampleRecords } from '../../reports/fixtures/records';

const baseline = (): Baseline => baselineFromRecords(sampleRecords());

test('one entry per case × browser × server: outcome per step and verdict, sorted like the matrix', () => {
  const b = baseline();
  expect(b.entries).toHaveLength(20);
  expect(b.browsers).toEqual({ chromium: ['156.0.8078.108'], firefox: ['153.8.0'], webkit: [] });
  expect(b.entries[0]).toEqual({
    suite: 'protocol',
    category: 'allow-origin',
    caseId: 'exact-origin-is-allowed',
    server: 'node-http (scripted)',
    browser: 'chromium',
    outcomes: ['allowed'],
    verdict: 'pass',
  });
  expect(b.entries.find((e) => e.caseId === 'max-age-caches-the-preflight' && e.browser === 'firefox')?.outcomes).toEqual([
    'allowed',
    'allowed',
  ]);
  expect(b.entries.find((e) => e.browser === 'webkit')).toMatchObject({ outcomes: [], verdict: 'not-run' });
  expect(b.entries.find((e) => e.suite === 'servers')).toMatchObject({
    server: 'express-cors',
    policy: 'allow-list',
    caseId: 'express-cors › allow-list › evil-origin-is-blocked',
  });
});

test('the file holds one entry per line (a drift reads as a one-line diff) and parses back to the same baseline', () => {
  const text = baselineToText(baseline());
  const lines = text.trimEnd().split('\n');
  expect(lines).toHaveLength(20 + 6);
  expect(lines[4]).toMatch(/^ {4}\{"suite":"protocol",.*"verdict":"pass"\},$/);
  expect(parseBaseline(text, 'b.json')).toEqual(baseline());
});

test.describe('validation: a malformed baseline is one line saying where', () => {
  const bad = (value: unknown) => () => parseBaseline(JSON.stringify(value), 'b.json');
  test('not JSON', () => {
    expect(() => parseBaseline('{"schema":', 'b.json')).toThrow(/^baseline b\.json is not JSON: /);
  });
  test('another schema', () => {
    expect(bad({ ...baseline(), schema: 'x' })).toThrow(/malformed \(cors-conform\/baseline@1\): schema: /);
  });
  test('an unknown outcome', () => {
    const b = baseline();
    (b.entries[3] as { outcomes: string[] }).outcomes = ['maybe'];
    expect(bad(b)).toThrow(/entries\[3\]\.outcomes\[0\]: /);
  });
  test('an unexpected field (a typo in a hand edit)', () => {
    const b = baseline();
    (b.entries[0] as Record<string, unknown>).verdcit = 'pass';
    expect(bad(b)).toThrow(/entries\[0\]: .*verdcit/);
  });
  test('the same cell twice', () => {
    const b = baseline();
    b.entries.push({ ...b.entries[0]! });
    expect(bad(b)).toThrow(/duplicate entry for protocol\/allow-origin › exact-origin-is-allowed · chromium/);
  });
  test('every message is a single line', () => {
    try {
      bad({ schema: 'cors-conform/baseline@1', browsers: {}, entries: [{}] })();
      throw new Error('no error');
    } catch (error) {
      expect(error).toBeInstanceOf(BaselineError);
      expect((error as Error).message).not.toContain('\n');
    }
  });
});

test.describe('files', () => {
  let dir: string;
  test.beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baseline-'));
  });
  test.afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('writing refuses to replace a file unless forced', () => {
    const file = path.join(dir, 'sub', 'b.json');
    writeBaseline(file, baseline());
    expect(() => writeBaseline(file, baseline())).toThrow(/exists: pass --force to replace it/);
    const changed = baseline();
    changed.entries = changed.entries.slice(1);
    writeBaseline(file, changed, { force: true });
    expect(readBaseline(file).entries).toHaveLength(19);
  });

  test('reading a missing file says how to make one', () => {
    expect(() => readBaseline(path.join(dir, 'none.json'))).toThrow(/does not exist: create it with `cors-conform baseline save --out /);
  });
});

test.describe('drift', () => {
  test('the same results are no drift', () => {
    const d = diffBaseline(baseline(), baseline().entries);
    expect(hasDrift(d)).toBe(false);
    expect(d.same).toBe(20);
    expect(formatDrift(d, 'b.json')).toBe('CORS baseline: no drift from b.json (20 entries match)');
  });

  test('a changed outcome, a changed verdict, a new case and a vanished case are each drift', () => {
    const now = baseline().entries;
    now[0] = { ...now[0]!, outcomes: ['blocked'], verdict: 'fail' };
    now[1] = { ...now[1]!, verdict: 'not-run', outcomes: [] };
    const gone = now.splice(5, 1)[0]!;
    now.push({ ...now[2]!, caseId: 'a-new-case' });
    const d = diffBaseline(baseline(), now);
    expect(d.changed.map((c) => `${c.now.caseId}/${c.now.browser}`)).toEqual([
      'exact-origin-is-allowed/chromium',
      'exact-origin-is-allowed/firefox',
    ]);
    expect(d.added.map((e) => e.caseId)).toEqual(['a-new-case']);
    expect(d.missing).toEqual([gone]);
    const text = formatDrift(d, 'b.json');
    expect(text.split('\n')[0]).toBe('CORS baseline drift from b.json: 2 changed, 1 new, 1 missing (17 match)');
    expect(text).toContain(
      'changed  protocol/allow-origin › exact-origin-is-allowed · chromium · node-http (scripted): was allowed (pass) → now blocked (fail)',
    );
    expect(text).toContain(
      'changed  protocol/allow-origin › exact-origin-is-allowed · firefox · node-http (scripted): was allowed (pass) → now no outcome (not-run)',
    );
    expect(text).toContain(
      'new      protocol/allow-origin › a-new-case · webkit · node-http (scripted): now no outcome (not-run), not in the baseline',
    );
    expect(text).toContain('missing  ');
    expect(text).toContain('cors-conform baseline save --out b.json --force');
  });

  test('a run that covers part of the matrix: entries outside it are not drift in run-scope mode', () => {
    const chromiumProtocolOnly = baseline().entries.filter((e) => e.browser === 'chromium' && e.suite === 'protocol');
    const strict = diffBaseline(baseline(), chromiumProtocolOnly, { expectMissing: 'all' });
    expect(strict.missing).toHaveLength(16);
    const scoped = diffBaseline(baseline(), chromiumProtocolOnly, { expectMissing: 'run-scope' });
    expect(hasDrift(scoped)).toBe(false);
    expect(scoped.notCovered).toBe(16);
    // Within the scope a vanished case still counts.
    const scopedMissing = diffBaseline(baseline(), chromiumProtocolOnly.slice(1), { expectMissing: 'run-scope' });
    expect(scopedMissing.missing.map((e) => e.caseId)).toEqual(['exact-origin-is-allowed']);
    expect(hasDrift(diffBaseline(baseline(), chromiumProtocolOnly.slice(1), { expectMissing: 'none' }))).toBe(false);
  });

  test('with a single server the diff leaves the server out', () => {
    const protocolOnly = baselineFromRecords(sampleRecords().filter((r) => r.suite === 'protocol'));
    const now = protocolOnly.entries.map((e, i) => (i === 0 ? { ...e, verdict: 'fail' as const } : e));
    expect(formatDrift(diffBaseline(protocolOnly, now), 'b.json')).toContain(
      'changed  protocol/allow-origin › exact-origin-is-allowed · chromium: was allowed (pass) → now allowed (fail)',
    );
  });

  test('moving a case to another category is not drift', () => {
    const now = baseline().entries.map((e) => ({ ...e, category: 'renamed' }));
    expect(hasDrift(diffBaseline(baseline(), now))).toBe(false);
  });
});
