/** The express-cors reference server under every policy of the table (harness/server-suite.ts). */
import { test } from '../../harness/fixtures';
import { ServerSuite } from '../../harness/server-suite';
import { POLICY_TABLE } from './policies';

const suite = new ServerSuite('express-cors', POLICY_TABLE);

test.describe(suite.server, () => {
  for (const policy of suite.table) {
    test.describe(policy.id, () => {
      for (const t of suite.tests(policy)) test(t.name, t.details, t.body);
    });
  }
});
