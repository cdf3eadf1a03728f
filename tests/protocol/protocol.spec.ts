/**
 * The protocol suite: every case table in one file, so Playwright gives the whole suite of a
 * browser to one worker, which opens its pages once and sends all cases as one batch (measured:
 * ten files meant two browsers per project and ten batches; see docs/speed.md).
 */
import { suiteTest as test } from '../../harness/fixtures';
import { CaseBatch, caseBody, caseDetails } from '../../harness/protocol/suite';
import { PROTOCOL_TABLES } from './cases';

const batch = new CaseBatch(PROTOCOL_TABLES.flatMap((t) => t.cases));

for (const table of PROTOCOL_TABLES) {
  test.describe(table.category, () => {
    for (const c of table.cases) test(c.id, caseDetails(c), caseBody(c, batch));
  });
}
