/**
 * Credentialed cross-site requests under each engine's default cookie policy and with third-party
 * cookies allowed (harness/protocol/cookie-policy.ts): what the request carried, checked on the
 * wire, against the policy the engine documents. The "as shipped" browser is a second launch of
 * the project's engine, with nothing changed about cookies.
 */
import { suiteTest as test, expect } from '../../harness/fixtures';
import { attachRecord } from '../../harness/core/record';
import { COOKIE_CASES, cookieRecord, policyAnswer, runCookieCase, type CookiePolicy } from '../../harness/protocol/cookie-policy';
import { Relaunches } from './relaunch';

const relaunches = new Relaunches();
test.afterAll(() => relaunches.closeAll());

for (const policy of ['allowed', 'as-shipped'] as const satisfies readonly CookiePolicy[]) {
  test.describe(`third-party cookies ${policy}`, () => {
    for (const c of COOKIE_CASES) {
      test(c.id, { tag: '@third-party-cookies' }, async ({ protocol }, testInfo) => {
        const browser = { name: protocol.browser.kind, version: protocol.browser.version };
        const answer = policyAnswer(protocol.browser.found, policy);
        if (!answer) {
          const reason = `not measured for ${protocol.browser.kind} from ${protocol.browser.found.source}: its default cookie policy is unknown here`;
          attachRecord(testInfo, cookieRecord(c, policy, browser, null, null, [], reason));
          testInfo.skip(true, `not run: ${reason}`);
          return;
        }
        test.setTimeout(120_000);
        const env = policy === 'allowed' ? protocol : await relaunches.env(protocol, 'as-shipped', { thirdPartyCookies: 'as-shipped' });
        const seen = await runCookieCase(env, c);
        const problems = [
          ...(seen.readable.every(Boolean) ? [] : ['a response the page should read was blocked: the CORS side failed']),
          ...(seen.carried === answer.carried[c.id]
            ? []
            : [`the cookie was ${seen.carried ? '' : 'not '}carried; ${answer.why} says it would ${answer.carried[c.id] ? '' : 'not '}be`]),
        ];
        attachRecord(testInfo, cookieRecord(c, policy, browser, answer, seen, problems));
        expect(problems).toEqual([]);
      });
    }
  });
}
