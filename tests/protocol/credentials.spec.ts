import { test } from '../../harness/fixtures';
import { CaseBatch, caseBody, caseDetails } from '../../harness/protocol-suite';
import { credentialsCases as cases } from './cases/credentials';

const batch = new CaseBatch(cases);

test.describe('credentials', () => {
  for (const c of cases) test(c.id, caseDetails(c), caseBody(c, batch));
});
