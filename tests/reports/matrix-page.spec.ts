/**
 * cors-matrix.html in a real Chromium: written by the reporter's own writer into a temporary
 * directory, opened from disk with no network, read as a person reads it at 1280×800. The counts
 * it shows must be the JSON's; the filters must hide and show the right cases; a cell must open
 * its request, responses, reasons and wire.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test, expect, chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_FLAGS, discover } from '../../harness/browser/engines';
import { writeMatrixReports, type Written } from '../../reports/write';
import { buildMatrix, countKey, rowKey, VERDICTS, type Matrix } from '../../reports/matrix';
import { normalizeRecord } from '../../reports/collect';
import { baselineFromRecords, diffBaseline } from '../../reports/baseline';
import { randomRun, sampleRecords } from './fixtures/records';

let browser: Browser;
let dir: string;
let written: Written;
let matrix: Matrix;

test.beforeAll(async () => {
  const found = discover('chromium');
  // This test is about the page, not about a browser being present: a missing Chromium is a failure with the reason.
  if (!found.found) throw new Error(found.reason);
  browser = await chromium.launch({ executablePath: found.browser.executablePath, args: CHROMIUM_FLAGS });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-matrix-page-'));
  const records = sampleRecords(randomRun()).map(normalizeRecord);
  const baseline = baselineFromRecords(records);
  written = writeMatrixReports(dir, buildMatrix(records), {
    run: { startedAt: '2026-01-01T00:00:00.000Z', durationMs: 1234, status: 'failed' },
    drift: { drift: diffBaseline(baseline, baseline.entries), file: 'cors-baseline.json' },
  });
  // What the page is checked against is what the writer put in the JSON, read back from disk.
  matrix = JSON.parse(fs.readFileSync(written.json, 'utf8')) as Matrix;
});

test.afterAll(async () => {
  await browser?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function open(): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(written.html).href);
  return { page, errors, requests };
}

const visibleCases = (page: Page) => page.locator('tr.case:visible');

// eslint-disable-next-line no-empty-pattern -- no Playwright page: the test launches its own Chromium
test('the counts on the page are the counts in cors-matrix.json', async ({}, testInfo) => {
  const { page, errors, requests } = await open();
  const shown = Object.fromEntries(
    await page.$$eval('[data-count]', (els) => els.map((e) => [e.getAttribute('data-count'), e.textContent?.trim()])),
  );

  const s = matrix.summary;
  const expected: Record<string, string> = { cases: String(s.cases), records: String(s.records) };
  for (const v of VERDICTS) expected[`total:${v}`] = String(s.totals[countKey(v)]);
  for (const b of s.browsers) {
    for (const v of VERDICTS) expected[`browser:${b.name}:${v}`] = String(b.counts[countKey(v)]);
    expected[`browser:${b.name}:total`] = String(b.counts.total);
  }
  for (const srv of s.servers) {
    for (const v of VERDICTS) expected[`server:${srv.name}:${v}`] = String(srv.counts[countKey(v)]);
    expected[`server:${srv.name}:total`] = String(srv.counts.total);
  }
  expect(shown).toEqual(expected);
  // The fixture has every verdict, so none of these is a trivially-equal zero.
  expect(s.totals).toEqual({ pass: 14, fail: 1, deviation: 1, notRun: 4, total: 20 });
  expect(shown['browser:webkit:not-run']).toBe('4');

  // One cell per record, one row per case; every cell says its verdict.
  await expect(page.locator('td.cell[data-ix]')).toHaveCount(s.records);
  await expect(page.locator('tr.case')).toHaveCount(s.cases);
  for (const v of VERDICTS) {
    await expect(page.locator(`td.cell.v-${v}`), v).toHaveCount(matrix.records.filter((r) => r.verdict === v).length);
  }
  await expect(page.locator('td.cell.o-allowed')).toHaveCount(
    matrix.records.filter((r) => r.steps.length > 0 && r.steps.every((x) => x.observed.outcome === 'allowed')).length,
  );
  await expect(page.locator('td.cell.o-blocked')).toHaveCount(
    matrix.records.filter((r) => r.steps.length > 0 && r.steps.every((x) => x.observed.outcome === 'blocked')).length,
  );
  await expect(page.locator('#shown')).toHaveText(`${s.cases} of ${s.cases} cases shown`);

  // Legible at 1280×800: the counts are in the first screen, nothing runs off to the side.
  const box = await page.locator('.stats').boundingBox();
  expect(box && box.y + box.height).toBeLessThan(800);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);

  await testInfo.attach('cors-matrix at 1280x800', { body: await page.screenshot(), contentType: 'image/png' });
  expect(errors).toEqual([]);
  // Self-contained: the only thing loaded is the file itself.
  expect(requests).toEqual([pathToFileURL(written.html).href]);
  await page.close();
});

// eslint-disable-next-line no-empty-pattern -- no Playwright page: the test launches its own Chromium
test('the result and category filters hide exactly the cases they should', async ({}, testInfo) => {
  const { page, errors } = await open();
  const total = matrix.summary.cases;
  const rowsWith = (pred: (r: Matrix['records'][number]) => boolean) => new Set(matrix.records.filter(pred).map(rowKey)).size;

  // Only failures.
  for (const v of ['pass', 'deviation', 'not-run']) await page.locator(`#filter-result input[value="${v}"]`).uncheck();
  const failing = rowsWith((r) => r.verdict === 'fail');
  expect(failing).toBe(1);
  await expect(visibleCases(page)).toHaveCount(failing);
  await expect(page.locator('#shown')).toHaveText(`${failing} of ${total} cases shown`);
  await expect(visibleCases(page).locator('code')).toHaveText(['authorization-not-covered-by-wildcard']);
  // In the visible row, cells of the other verdicts are dimmed, the failing one is not.
  await expect(visibleCases(page).locator('td.cell.v-fail')).not.toHaveClass(/dim/);
  await expect(visibleCases(page).locator('td.cell.v-deviation')).toHaveClass(/dim/);
  await testInfo.attach('filter: fail only', { body: await page.screenshot(), contentType: 'image/png' });

  // All results again, one category: the server suite's allow-origin cases.
  for (const v of ['pass', 'deviation', 'not-run']) await page.locator(`#filter-result input[value="${v}"]`).check();
  await page.selectOption('#filter-category', 'servers/allow-origin');
  const servers = rowsWith((r) => r.suite === 'servers' && r.category === 'allow-origin');
  expect(servers).toBe(2);
  await expect(visibleCases(page)).toHaveCount(servers);
  await expect(page.locator('section.group:visible h2')).toHaveText([
    /allow-origin\s+servers · policy allow-list/,
    /allow-origin\s+servers · policy reflect-with-credentials/,
  ]);
  // Both servers side by side in one row, each with both browsers.
  await expect(page.locator('section.group:visible').first().locator('th.srv')).toHaveText(['express-cors', 'fastify-cors']);
  await expect(visibleCases(page).first().locator('td.cell[data-ix]')).toHaveCount(4);

  // The category chip toggles the same filter; the text filter narrows within it.
  await page.selectOption('#filter-category', '');
  await page.locator('button.cat[data-cat="protocol/allow-origin"]').click();
  await expect(page.locator('#filter-category')).toHaveValue('protocol/allow-origin');
  await page.fill('#filter-text', 'WILDCARD');
  await expect(visibleCases(page).locator('code')).toHaveText(['wildcard-with-credentials-is-blocked']);
  await page.fill('#filter-text', 'no such case');
  await expect(visibleCases(page)).toHaveCount(0);
  await expect(page.locator('#no-match')).toBeVisible();
  expect(errors).toEqual([]);
  await page.close();
});

// eslint-disable-next-line no-empty-pattern -- no Playwright page: the test launches its own Chromium
test('a cell shows the request, the responses, both reasons and the wire; a click pins it', async ({}, testInfo) => {
  const { page, errors } = await open();
  const detail = page.locator('#detail');
  const row = (id: string) => page.locator('tr.case', { has: page.locator('code', { hasText: new RegExp(`^${id}$`) }) });

  // Every case's citation links to its anchor in the Fetch Standard.
  const citations = page.locator('tr.case .spec a');
  expect(await citations.count()).toBeGreaterThan(0);
  for (const href of await citations.evaluateAll((as) => as.map((x) => x.getAttribute('href'))))
    expect(href).toMatch(/^https:\/\/fetch\.spec\.whatwg\.org\/#[a-z0-9-]+$/);

  // Hovering a blocked chromium cell: Chromium's own reason next to the oracle's.
  const blocked = row('wildcard-with-credentials-is-blocked').locator('td.cell').first();
  await blocked.hover();
  await expect(detail.locator('.d-id')).toHaveText('wildcard-with-credentials-is-blocked');
  await expect(detail).toContainText('chromium 156.0.8078.108');
  await expect(detail.locator('table.cmp').first()).toContainText('allow-origin-mismatch');
  await expect(detail.locator('table.cmp').first()).toContainText('WildcardOriginNotAllowed = allow-origin-mismatch');
  await expect(detail.locator('pre.req')).toContainText('GET http://api.localhost:{port1}/p/{token}/0');
  await expect(detail.locator('pre.req')).toContainText('credentials include');
  await expect(detail.locator('.resp')).toContainText('Access-Control-Allow-Origin: *');
  await expect(detail.locator('.resp')).toContainText('Preflight (OPTIONS)');

  // Clicking the failing cell pins it: hovering elsewhere does not replace it.
  const failing = row('authorization-not-covered-by-wildcard').locator('td.cell.v-fail');
  await failing.click();
  await expect(failing).toHaveClass(/pinned/);
  await expect(detail.locator('.badge')).toHaveText('fail');
  await expect(detail.locator('.d-box.problems')).toContainText('expected blocked, the browser allowed');
  await expect(detail.locator('table.cmp').first().locator('td.diff').first()).toHaveText('blocked');
  await expect(detail).toContainText('Wire – what reached the server');
  await blocked.hover();
  await expect(detail.locator('.d-id')).toHaveText('authorization-not-covered-by-wildcard');
  await testInfo.attach('detail: failing cell pinned', { body: await page.screenshot(), contentType: 'image/png' });

  // Escape unpins; the deviation cell explains itself; a not-run cell gives the reason.
  await page.keyboard.press('Escape');
  await row('authorization-not-covered-by-wildcard').locator('td.cell.v-deviation').hover();
  await expect(detail.locator('.d-box.deviation')).toContainText('CORS-preflight fetch step 7.6');
  // The citation links to its anchor in the Fetch Standard.
  await expect(detail.locator('.d-box.deviation a')).toHaveAttribute('href', 'https://fetch.spec.whatwg.org/#cors-preflight-fetch');
  await row('exact-origin-is-allowed').locator('td.cell.v-not-run').hover();
  await expect(detail.locator('.d-box.notrun')).toContainText('no webkit browser found: run `npx playwright install webkit`');
  // The drift banner and the run line are there.
  await expect(page.locator('details.drift')).toContainText('Baseline cors-baseline.json: no drift');
  await expect(page.locator('.run')).toContainText('1.2 s');
  expect(errors).toEqual([]);
  await page.close();
});
