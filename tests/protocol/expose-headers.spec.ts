import { test } from '../../harness/fixtures';
import { CaseBatch, caseBody, caseDetails } from '../../harness/protocol-suite';
import { exposeHeaderCases as cases } from './cases/expose-headers';

const batch = new CaseBatch(cases);

test.describe('expose-headers', () => {
  for (const c of cases) test(c.id, caseDetails(c), caseBody(c, batch));
});
