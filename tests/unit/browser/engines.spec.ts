/**
 * Finding a browser (harness/browser/engines.ts), and what a project does when its browser is missing:
 * its cases are not run, each with the reason – never a silent zero.
 */
import { test, expect } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { discover } from '../../../harness/browser/engines';
import { playwrightLibrary } from '../../../harness/browser/playwright';
import { findWebkitGtk } from '../../../harness/browser/webkitgtk';

function playwrightLibraryHasWebkit(): boolean {
  try {
    return fs.existsSync(playwrightLibrary().library.webkit.executablePath());
  } catch {
    return false;
  }
}

const ROOT = path.resolve(__dirname, '../../..');
const MISSING = path.join(os.tmpdir(), 'cors-conform-no-such-dir', 'firefox');

test('an override pointing nowhere is reported with the variable and the path', () => {
  const saved = process.env.CORS_CONFORM_FIREFOX;
  process.env.CORS_CONFORM_FIREFOX = MISSING;
  try {
    expect(discover('firefox')).toEqual({ found: false, reason: `CORS_CONFORM_FIREFOX=${MISSING} is not an executable file` });
  } finally {
    if (saved === undefined) delete process.env.CORS_CONFORM_FIREFOX;
    else process.env.CORS_CONFORM_FIREFOX = saved;
  }
});

test('an override pointing at an executable is used as a system browser over BiDi', () => {
  const saved = process.env.CORS_CONFORM_FIREFOX;
  process.env.CORS_CONFORM_FIREFOX = process.execPath;
  try {
    expect(discover('firefox')).toEqual({
      found: true,
      browser: { kind: 'firefox', source: 'env', executablePath: process.execPath, channel: 'moz-firefox' },
    });
  } finally {
    if (saved === undefined) delete process.env.CORS_CONFORM_FIREFOX;
    else process.env.CORS_CONFORM_FIREFOX = saved;
  }
});

test("WebKit: Playwright's build first, else WebKitGTK over WebDriver, else what to install", () => {
  const found = discover('webkit');
  const gtk = findWebkitGtk();
  if (playwrightLibraryHasWebkit()) expect(found.found && found.browser.source).toBe('playwright');
  else if (gtk.found)
    expect(found).toEqual({
      found: true,
      browser: { kind: 'webkit', source: 'webkitgtk', executablePath: gtk.gtk.miniBrowser, gtk: gtk.gtk },
    });
  else
    expect(found.found === false && found.reason).toMatch(
      /^no webkit browser found .*npx playwright install webkit.*webkit2gtk-driver xvfb/,
    );
});

test('WebKitGTK: every missing piece is named', () => {
  const none = path.join(os.tmpdir(), 'cors-conform-no-such-dir', 'x');
  const saved = process.env.DISPLAY;
  delete process.env.DISPLAY;
  try {
    expect(findWebkitGtk({ driver: [none], miniBrowser: [none], xvfb: [none] })).toEqual({
      found: false,
      reason: 'no WebKitGTK to drive (missing WebKitWebDriver, MiniBrowser, Xvfb (or a $DISPLAY))',
    });
  } finally {
    if (saved !== undefined) process.env.DISPLAY = saved;
  }
});

test('a project whose browser is missing reports its cases as not run, with the reason', () => {
  test.setTimeout(120_000);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-conform-missing-'));
  try {
    const json = path.join(out, 'report.json');
    const r = spawnSync(
      process.execPath,
      [
        require.resolve('@playwright/test/cli'),
        'test',
        'tests/protocol',
        '--project=firefox',
        '-g',
        'allow-origin .*exact-origin-is-allowed',
        '--reporter=json,./reports/matrix-reporter.ts',
        `--output=${path.join(out, 'results')}`,
      ],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 110_000,
        env: { ...process.env, CI: '', CORS_CONFORM_FIREFOX: MISSING, CORS_REPORT_DIR: out, PLAYWRIGHT_JSON_OUTPUT_NAME: json },
      },
    );
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(fs.readFileSync(json, 'utf8')) as { stats: { expected: number; skipped: number; unexpected: number } };
    // exact-origin-is-allowed and its XHR twin
    expect(report.stats).toMatchObject({ expected: 0, skipped: 2, unexpected: 0 });
    const text = fs.readFileSync(json, 'utf8');
    expect(text).toContain(`not run: CORS_CONFORM_FIREFOX=${MISSING} is not an executable file`);
    const matrix = JSON.parse(fs.readFileSync(path.join(out, 'cors-matrix.json'), 'utf8')) as {
      records: Array<{ verdict: string; notRunReason?: string }>;
    };
    expect(matrix.records.map((x) => x.verdict)).toEqual(['not-run', 'not-run']);
    expect(matrix.records[0]!.notRunReason).toContain('is not an executable file');
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
