/**
 * The project's engine launched again with other options (a cookie policy, host-resolver rules,
 * address-space overrides), for spec files whose cases need a browser set up unlike the suites'
 * shared one: each variant is launched once per worker, by the first test that needs it, and
 * closed with `closeAll` (call it from `test.afterAll`).
 */
import { launchProbeBrowser, type LaunchOptions, type ProbeBrowser } from '../../harness/browser/engines';
import { ProbeSession } from '../../harness/browser/runner';
import type { ProtocolEnv } from '../../harness/protocol/run';

export class Relaunches {
  private readonly open = new Map<string, Promise<{ browser: ProbeBrowser; session: ProbeSession }>>();

  /** `env` with its browser swapped for the engine launched with `options` (one per `key`). */
  async env(env: ProtocolEnv, key: string, options: LaunchOptions): Promise<ProtocolEnv> {
    let got = this.open.get(key);
    if (!got) {
      got = launchProbeBrowser(env.browser.found, options).then((browser) => ({ browser, session: new ProbeSession(browser) }));
      this.open.set(key, got);
    }
    const { browser, session } = await got;
    return { ...env, browser, session };
  }

  async closeAll(): Promise<void> {
    for (const got of this.open.values()) {
      const opened = await got.catch(() => null);
      await opened?.session.close();
      await opened?.browser.close();
    }
    this.open.clear();
  }
}
