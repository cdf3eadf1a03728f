import { test } from '../../harness/fixtures';
import { CaseBatch, caseBody, caseDetails } from '../../harness/protocol-suite';
import { redirectCases as cases } from './cases/redirects';

const batch = new CaseBatch(cases);

test.describe('redirects', () => {
  for (const c of cases) test(c.id, caseDetails(c), caseBody(c, batch));
});
