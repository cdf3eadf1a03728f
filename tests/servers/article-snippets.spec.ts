/**
 * The article's snippets as written (servers/reference/snippets.ts): Express's res.setHeader, PHP's
 * header() under Apache, ASP.NET's AddHeader in Application_BeginRequest – and the same line in
 * Apache's mod_headers and nginx's add_header – each asked for a simple GET, a JSON POST, a PUT, a
 * custom header, credentials and an error answer. Judged like every server: against `*` as the
 * article reads it, with each snippet's departures declared as quirks (harness/server-suite/model.ts),
 * and against the Fetch Standard on the headers really sent. docs/servers.md has the table.
 */
import { suiteTest as test } from '../../harness/fixtures';
import { selectServers, ServerSuite } from '../../harness/server-suite/suite';
import { SNIPPET_POLICY, snippetProbes } from '../../harness/server-suite/model';
import { SNIPPET_NAMES } from '../../servers/reference';

const suite = new ServerSuite(selectServers(SNIPPET_NAMES), [SNIPPET_POLICY], snippetProbes);

for (const server of suite.servers) {
  test.describe(server, () => {
    for (const policy of suite.table) {
      const t = suite.policyTest(server, policy);
      test(t.name, t.details, t.body);
    }
  });
}
