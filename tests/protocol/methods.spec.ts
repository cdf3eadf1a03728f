import { test } from '../../harness/fixtures';
import { CaseBatch, caseBody, caseDetails } from '../../harness/protocol-suite';
import { methodCases as cases } from './cases/methods';

const batch = new CaseBatch(cases);

test.describe('methods', () => {
  for (const c of cases) test(c.id, caseDetails(c), caseBody(c, batch));
});
