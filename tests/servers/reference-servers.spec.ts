/**
 * Every reference server under every policy of the table (tests/servers/policies.ts): who may read
 * (`*`, one origin, lists, RegExps, reflection, credentials, `null`) and what may be sent and read
 * (request headers, methods, exposed headers, max-age).
 *
 * One file, so one batch per worker (harness/server-suite/suite.ts): each browser project runs on one
 * worker, and a batch's length is set by its 6 s preflight-cache probes, which all wait side by
 * side – two files meant two such waits one after the other (docs/speed.md).
 */
import { suiteTest as test } from '../../harness/fixtures';
import { selectPolicies, selectServers, ServerSuite } from '../../harness/server-suite/suite';
import { SERVER_NAMES } from '../../servers/reference';
import { POLICY_TABLE } from './policies';

const suite = new ServerSuite(
  selectServers(SERVER_NAMES),
  selectPolicies(
    POLICY_TABLE,
    POLICY_TABLE.map((p) => p.id),
  ),
);

for (const server of suite.servers) {
  test.describe(server, () => {
    for (const policy of suite.table) {
      const t = suite.policyTest(server, policy);
      test(t.name, t.details, t.body);
    }
  });
}
