import { test } from '../../harness/fixtures';
import { CaseBatch, caseBody, caseDetails } from '../../harness/protocol-suite';
import { preflightCases as cases } from './cases/preflight';

const batch = new CaseBatch(cases);

test.describe('preflight', () => {
  for (const c of cases) test(c.id, caseDetails(c), caseBody(c, batch));
});
