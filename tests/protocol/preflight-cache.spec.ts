import { test } from '../../harness/fixtures';
import { CaseBatch, caseBody, caseDetails } from '../../harness/protocol-suite';
import { preflightCacheCases as cases } from './cases/preflight-cache';

const batch = new CaseBatch(cases);

test.describe('preflight-cache', () => {
  for (const c of cases) test(c.id, caseDetails(c), caseBody(c, batch));
});
