import { test } from '../../harness/fixtures';
import { CaseBatch, caseBody, caseDetails } from '../../harness/protocol-suite';
import { requestHeaderCases as cases } from './cases/request-headers';

const batch = new CaseBatch(cases);

test.describe('request-headers', () => {
  for (const c of cases) test(c.id, caseDetails(c), caseBody(c, batch));
});
