import { test } from '../../harness/fixtures';
import { CaseBatch, caseBody, caseDetails } from '../../harness/protocol-suite';
import { httpsCases as cases } from './cases/https';

const batch = new CaseBatch(cases);

test.describe('https', () => {
  for (const c of cases) test(c.id, caseDetails(c), caseBody(c, batch));
});
