/**
 * Local Network Access (harness/protocol/local-network.ts): a public page calling the user's own
 * machine (`loopback`) or network (`local`), from secure and non-secure pages, with and without the
 * `local-network-access` permission; what reached the server is checked on the wire (a blocked
 * request never leaves). Chromium only; the other engines' cases are not applicable, not run.
 */
import { suiteTest as test, expect } from '../../harness/fixtures';
import { attachRecord, policyRecord } from '../../harness/core/record';
import {
  LNA_RESOLVER_RULES,
  LOCAL_NETWORK_CASES,
  localNetworkNotApplicable,
  runLocalNetworkCase,
  type TargetSpace,
} from '../../harness/protocol/local-network';
import type { ProtocolEnv } from '../../harness/protocol/run';
import { Relaunches } from './relaunch';

const relaunches = new Relaunches();
test.afterAll(() => relaunches.closeAll());

/**
 * The engine again, with the pages' names mapped to loopback and, for `local`, the scripted https
 * listener standing for a server on the user's network (one browser per target address space).
 */
function lnaEnv(env: ProtocolEnv, target: TargetSpace): Promise<ProtocolEnv> {
  return relaunches.env(env, target, {
    hostResolverRules: LNA_RESOLVER_RULES,
    ...(target === 'local' ? { ipAddressSpaces: [`127.0.0.1:${env.server.httpsPort}=private`] } : {}),
  });
}

test.describe('local-network-access', () => {
  for (const c of LOCAL_NETWORK_CASES) {
    test(c.id, { tag: '@local-network-access' }, async ({ protocol }, testInfo) => {
      const browser = { name: protocol.browser.kind, version: protocol.browser.version };
      const record = {
        caseId: c.id,
        category: 'local-network-access',
        title: `A ${c.method} from a ${c.secure ? 'secure' : 'non-secure'} public page to a ${c.target} server, ${c.permission ? 'with' : 'without'} the permission: ${c.expected} (${c.why}).`,
        spec: 'Local Network Access (WICG draft, https://wicg.github.io/local-network-access/)',
        browser,
      };
      const notApplicable = localNetworkNotApplicable(protocol.browser.kind);
      if (notApplicable) {
        attachRecord(testInfo, policyRecord({ ...record, notRunReason: notApplicable }));
        testInfo.skip(true, `not run: ${notApplicable}`);
        return;
      }
      test.setTimeout(120_000);
      const env = await lnaEnv(protocol, c.target);
      const seen = await runLocalNetworkCase(env, c);
      const wantWire = c.expected === 'blocked' ? [] : c.method === 'PUT' ? ['OPTIONS', 'PUT'] : ['GET'];
      // The permission can be granted to a secure origin only.
      const grantable = c.permission && c.secure;
      const problems = [
        ...(seen.granted === grantable
          ? []
          : [`the permission was ${seen.granted ? '' : 'not '}granted; expected ${grantable ? '' : 'not '}to be`]),
        ...(seen.outcome === c.expected ? [] : [`expected ${c.expected}, the browser ${seen.outcome} it`]),
        ...(seen.wire.join(',') === wantWire.join(',')
          ? []
          : [`the wire differs: expected [${wantWire.join(', ')}], the server saw [${seen.wire.join(', ')}]`]),
      ];
      attachRecord(testInfo, policyRecord({ ...record, problems }));
      expect(problems).toEqual([]);
    });
  }
});
