/**
 * reports/matrix-reporter.ts without a run: where it writes, and which command lines ask for part
 * of the suite (so baseline entries outside them are not called missing).
 */
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { DEFAULT_OUTPUT_DIR, filteredArgv, resolveOutputDir } from '../../../reports/matrix-reporter';

test('output: $CORS_REPORT_DIR, else the option (relative to the config), else cors-report/ next to the config', () => {
  expect(DEFAULT_OUTPUT_DIR).toBe('cors-report');
  expect(resolveOutputDir({}, '/repo', {})).toBe('/repo/cors-report');
  expect(resolveOutputDir({ outputDir: 'out/x' }, '/repo', {})).toBe('/repo/out/x');
  expect(resolveOutputDir({ outputDir: 'out/x' }, '/repo', { CORS_REPORT_DIR: '/tmp/r' })).toBe('/tmp/r');
  expect(resolveOutputDir({}, '/repo', { CORS_REPORT_DIR: 'rel' })).toBe(path.resolve('rel'));
});

test.describe('filtered runs, from the command line', () => {
  const pw = (...args: string[]) => ['/usr/bin/node', '/repo/node_modules/.bin/playwright', 'test', ...args];
  for (const args of [
    [],
    ['--workers=1'],
    ['--workers', '1', '--reporter', 'list'],
    ['-c', 'playwright.config.ts', '--retries', '2'],
    ['-u', 'all'],
    ['--update-snapshots', 'none', '--headed'],
    ['--', 'tests/protocol'],
  ]) {
    test(`whole suite: ${args.join(' ') || '(no arguments)'}`, () => {
      expect(filteredArgv(pw(...args))).toBe(false);
    });
  }
  for (const args of [
    ['tests/protocol'],
    ['--workers', '1', 'tests/protocol/methods.spec.ts:12'],
    ['--grep', 'x'],
    ['-g=x'],
    ['--grep-invert', 'x'],
    ['--project=chromium'],
    ['--project', 'firefox'],
    ['--shard=1/2'],
    ['--last-failed'],
    ['--only-changed'],
    ['-u', 'tests/x.spec.ts'],
  ]) {
    test(`part of it: ${args.join(' ')}`, () => {
      expect(filteredArgv(pw(...args))).toBe(true);
    });
  }
  test('merge-reports is never filtered', () => {
    expect(
      filteredArgv([
        '/usr/bin/node',
        '/repo/node_modules/.bin/playwright',
        'merge-reports',
        '--config',
        'reports/merge.config.ts',
        'blob-dir',
      ]),
    ).toBe(false);
  });
});
