import { test } from '../../harness/fixtures';
import { CaseBatch, caseBody, caseDetails } from '../../harness/protocol-suite';
import { nullOriginCases as cases } from './cases/null-origin';

const batch = new CaseBatch(cases);

test.describe('null-origin', () => {
  for (const c of cases) test(c.id, caseDetails(c), caseBody(c, batch));
});
