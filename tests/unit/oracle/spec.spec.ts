/**
 * Citations name Fetch Standard anchors from one checked list (harness/oracle/spec.ts), never
 * section numbers: every case, server probe, known deviation, reason and oracle rule cites an
 * anchor on the list, so the reports link to it and a renumbered standard breaks nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import {
  citedAnchors,
  citedOtherAnchors,
  FETCH_ANCHORS,
  isFetchAnchor,
  isOtherAnchor,
  renderCitation,
  REASONS,
} from '../../../harness/oracle';
import { KNOWN_DEVIATIONS } from '../../../harness/protocol/deviations';
import { probesFor } from '../../../harness/server-suite/model';
import { PROTOCOL_TABLES } from '../../protocol/cases';

const ROOT = path.resolve(__dirname, '../../..');

function checkCitation(where: string, citation: string): string[] {
  const anchors = citedAnchors(citation);
  // Other standards keep their own numbering (HTML, XHR, MIME Sniffing, RFCs).
  if (/(?<!(?:HTML|XHR|Sniffing|RFC \d+) )§\s*\d/.test(citation)) return [`${where}: cites a section number (${citation})`];
  const others = citedOtherAnchors(citation);
  if (anchors.length === 0 && others.length === 0) return [`${where}: names no anchor (${citation})`];
  return [
    ...anchors.filter((a) => !isFetchAnchor(a)).map((a) => `${where}: #${a} is not on the checked list`),
    ...others
      .filter((o) => !isOtherAnchor(o.standard, o.anchor))
      .map((o) => `${where}: ${o.standard} #${o.anchor} is not on the checked list`),
  ];
}

test('every case, server probe, deviation and reason cites anchors from the list', () => {
  const problems: string[] = [];
  const cases = PROTOCOL_TABLES.flatMap((t) => t.cases);
  expect(cases.length).toBeGreaterThan(200);
  for (const c of cases) problems.push(...checkCitation(`case ${c.id}`, c.spec));
  for (const p of probesFor({ origin: '*', methods: ['GET', 'OPTIONS'] }))
    problems.push(...checkCitation(`server probe ${p.base}`, p.spec));
  for (const d of KNOWN_DEVIATIONS) problems.push(...checkCitation(`deviation ${d.caseId}`, d.section));
  for (const [code, text] of Object.entries(REASONS)) {
    // Not a rule of the standard: no HTTP response came at all.
    if (code === 'no-response') continue;
    problems.push(...checkCitation(`reason ${code}`, text));
  }
  expect(problems).toEqual([]);
});

test("the oracle's rules cite anchors from the list, never section numbers", () => {
  const problems: string[] = [];
  const dir = path.join(ROOT, 'harness/oracle');
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'spec.ts')) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const [i, line] of text.split('\n').entries()) {
      // Other standards keep their own numbering (HTML, XHR, MIME Sniffing, RFCs).
      if (/(?<!(?:HTML|XHR|Sniffing|RFC \d+) )§\s*\d/.test(line)) problems.push(`${file}:${i + 1}: a section number`);
      for (const a of citedAnchors(line)) if (!isFetchAnchor(a)) problems.push(`${file}:${i + 1}: #${a} is not on the checked list`);
      for (const o of citedOtherAnchors(line))
        if (!isOtherAnchor(o.standard, o.anchor)) problems.push(`${file}:${i + 1}: ${o.standard} #${o.anchor} is not on the checked list`);
    }
  }
  expect(problems).toEqual([]);
});

test('a citation renders as names, or as links to the standard', () => {
  const c = '#cors-preflight-fetch step 7.6 (#cors-non-wildcard-request-header-name); ABNF `#method`';
  expect(renderCitation(c)).toBe('CORS-preflight fetch step 7.6 (CORS non-wildcard request-header name); ABNF `#method`');
  expect(renderCitation('#cors-check step 3', (name, url) => `[${name}](${url})`)).toBe(
    '[CORS check](https://fetch.spec.whatwg.org/#cors-check) step 3',
  );
  expect(Object.keys(FETCH_ANCHORS).every((a) => /^[a-z0-9]+(-[a-z0-9]+)*$/.test(a))).toBe(true);
  expect(renderCitation('HTML #muted-errors; Fetch #main-fetch', (name, url) => `[${name}](${url})`)).toBe(
    '[HTML muted errors](https://html.spec.whatwg.org/#muted-errors); Fetch [Main fetch](https://fetch.spec.whatwg.org/#main-fetch)',
  );
  expect(citedOtherAnchors('HTML #muted-errors and #cors-check')).toEqual([{ standard: 'HTML', anchor: 'muted-errors' }]);
  expect(citedAnchors('HTML #muted-errors and #cors-check')).toEqual(['cors-check']);
});
