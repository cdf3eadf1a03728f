/**
 * reports/markdown.ts: the CI summary – counts per browser and server, failures with what differed,
 * deviations, not-run reasons, drift – and table cells that survive any text.
 */
import { test, expect } from '@playwright/test';
import { renderMarkdown } from '../../../reports/markdown';
import { buildMatrix } from '../../../reports/matrix';
import { normalizeRecord } from '../../../reports/collect';
import { baselineFromRecords, diffBaseline } from '../../../reports/baseline';
import { sampleRecords } from '../../reports/fixtures/records';

const matrix = () => buildMatrix(sampleRecords().map(normalizeRecord));

test('one row per browser with its version and counts, one per server when several answered', () => {
  const md = renderMarkdown(matrix());
  expect(md).toContain('❌ **6 cases**, 20 results: 14 pass, 1 fail, 1 deviation, 4 not run');
  expect(md).toContain('| chromium | 156.0.8078.108 | 7 | 1 | 0 | 0 | 8 |');
  expect(md).toContain('| firefox | 153.8.0 | 7 | 0 | 1 | 0 | 8 |');
  expect(md).toContain('| webkit | — | 0 | 0 | 0 | 4 | 4 |');
  expect(md).toContain('| express-cors | 4 | 0 | 0 | 0 | 4 |');
  expect(md).toContain('| protocol | request-headers | 1 | 0 | 1 | 1 | 1 | 3 |');
});

test('failures say expected and observed; deviations and not-run reasons are listed', () => {
  const md = renderMarkdown(matrix());
  expect(md).toMatch(
    /### Failures \(1\)\n\n- `authorization-not-covered-by-wildcard` \(protocol\/request-headers\) · chromium · node-http \(scripted\): expected blocked, observed allowed – expected blocked, the browser allowed \(http:\/\/api\.localhost:\{port1\}\/p\/\{token\}\/0\)/,
  );
  expect(md).toContain('### Known deviations from the Fetch Standard (1)');
  expect(md).toContain(
    '- `authorization-not-covered-by-wildcard` · firefox · node-http (scripted): [CORS-preflight fetch](https://fetch.spec.whatwg.org/#cors-preflight-fetch) step 7.6',
  );
  expect(md).toContain('### Not run (4)\n\n- webkit: 4 × no webkit browser found: run `npx playwright install webkit`');
});

test('a case that failed before recording says so; a long problem is clipped', () => {
  const records = sampleRecords();
  records.push({
    ...records[0]!,
    caseId: 'crashed',
    steps: [],
    responses: [],
    verdict: 'fail',
    problems: ['no cors-case record: Error: boom'],
  });
  records[6]!.problems = ['x'.repeat(1000)];
  const md = renderMarkdown(buildMatrix(records));
  expect(md).toContain(
    '- `crashed` (protocol/allow-origin) · chromium · node-http (scripted): no result – no cors-case record: Error: boom',
  );
  expect(md).toContain(`expected blocked, observed allowed – ${'x'.repeat(399)}…\n`);
});

test('an all-pass run says so and lists nothing else', () => {
  const records = sampleRecords().filter((r) => r.verdict === 'pass');
  const md = renderMarkdown(buildMatrix(records));
  expect(md.startsWith('## CORS matrix\n\n✅ **5 cases**, 14 results: 14 pass, 0 fail, 0 deviation, 0 not run')).toBe(true);
  expect(md).not.toContain('###');
});

test('no cases at all is said in words', () => {
  expect(renderMarkdown(buildMatrix([]))).toContain('No CORS cases ran.');
});

test('pipes and newlines in a value do not break the table', () => {
  const records = sampleRecords();
  records[0]!.category = 'a|b\nc';
  const md = renderMarkdown(buildMatrix(records));
  expect(md).toContain('| protocol | a\\|b c | 1 |');
});

test('drift is appended as a block with one line per changed cell', () => {
  const before = sampleRecords();
  const baseline = baselineFromRecords(before);
  const after = sampleRecords();
  after[0]!.steps[0]!.observed.outcome = 'blocked';
  after[0]!.verdict = 'fail';
  const drift = diffBaseline(baseline, baselineFromRecords(after).entries);
  const md = renderMarkdown(buildMatrix(after), { drift: { drift, file: 'cors-baseline.json' } });
  expect(md).toContain('### Baseline drift ❌');
  expect(md).toContain(
    'changed  protocol/allow-origin › exact-origin-is-allowed · chromium · node-http (scripted): was allowed (pass) → now blocked (fail)',
  );
});
