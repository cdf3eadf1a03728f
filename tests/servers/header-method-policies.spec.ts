/**
 * Every reference server under the policies about what may be sent and read: allowed request
 * headers, methods, exposed headers, max-age. All servers and policies of this file run as one
 * batch per worker (harness/server-suite.ts); the origin policies are the other file.
 */
import { test } from '../../harness/fixtures';
import { selectPolicies, ServerSuite } from '../../harness/server-suite';
import { SERVER_NAMES } from '../../servers/reference';
import { POLICY_TABLE } from './policies';

const suite = new ServerSuite(
  SERVER_NAMES,
  selectPolicies(POLICY_TABLE, [
    'custom-allowed-headers',
    'allowed-headers-without-custom',
    'allowed-headers-unset',
    'restricted-methods',
    'exposed-headers',
    'max-age',
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
