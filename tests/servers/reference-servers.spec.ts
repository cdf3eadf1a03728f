/**
 * Every reference server under the policies about who may read: `*`, one origin, lists, RegExps,
 * reflection, credentials, `null`. All servers and policies of this file run as one batch per
 * worker (harness/server-suite.ts); the header and method policies are the other file, so the two
 * halves of the suite can run on two workers.
 */
import { test } from '../../harness/fixtures';
import { selectPolicies, ServerSuite } from '../../harness/server-suite';
import { SERVER_NAMES } from '../../servers/reference';
import { POLICY_TABLE } from './policies';

const suite = new ServerSuite(
  SERVER_NAMES,
  selectPolicies(POLICY_TABLE, [
    'public-api',
    'single-origin',
    'allow-list',
    'regexp-subdomains',
    'regexp-unescaped-dot',
    'reflect-any-with-credentials',
    'credentials-with-explicit-origin',
    'wildcard-with-credentials',
    'null-trusted',
  ]),
);

for (const server of suite.servers) {
  test.describe(server, () => {
    for (const policy of suite.table) {
      const t = suite.policyTest(server, policy);
      test(t.name, t.details, t.body);
    }
  });
}
