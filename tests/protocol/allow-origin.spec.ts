import { test } from '../../harness/fixtures';
import { CaseBatch, caseBody, caseDetails } from '../../harness/protocol-suite';
import { allowOriginCases as cases } from './cases/allow-origin';

const batch = new CaseBatch(cases);

test.describe('allow-origin', () => {
  for (const c of cases) test(c.id, caseDetails(c), caseBody(c, batch));
});
