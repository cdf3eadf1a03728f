/**
 * Playwright Test fixtures: the only place the harness meets @playwright/test's runner.
 * Worker-scoped: the browser (found the ordinary way, launched once per worker), the scripted
 * server and the origin plan. Test-scoped: `protocol`, which skips – with the reason, counted as
 * not run – when the project's browser is not on this machine.
 */
// `_baseTest` is Playwright Test's root test type (exported and typed by @playwright/test) without
// the fixtures behind Playwright's own `page`: tracing, screenshot and context-option hooks that
// run around every test. This harness never uses that `page` – it starts its own browsers – and
// those hooks cost ~14.5 ms per test here (1,000 empty tests: 16.8 s with `test`, 2.3 s with
// `_baseTest`), which was most of the protocol suite's wall time. See docs/speed.md.
import { _baseTest as base } from '@playwright/test';
import { discover, launchProbeBrowser, type ProbeBrowser } from './browser/engines';
import type { BrowserKind } from './oracle';
import { OriginPlan } from './browser/origins';
import { ProbeSession, type ProbingEnv } from './browser/runner';
import type { ProtocolEnv } from './protocol/run';
import { ScriptedServer } from './protocol/scripted-server';

export interface CorsProjectOptions {
  /** Which browser a project probes with; null for browser-less projects (unit). */
  corsBrowser: BrowserKind | null;
}

type Missing = { missing: string };

interface WorkerFixtures extends CorsProjectOptions {
  probeBrowser: ProbeBrowser | Missing;
  scripted: ScriptedServer;
  protocolEnv: ProtocolEnv | Missing;
}

interface TestFixtures {
  /** The protocol suite's environment: the probing browser and the scripted server. */
  protocol: ProtocolEnv;
  /** The probing browser alone (the server suite brings its own servers). */
  probing: ProbingEnv;
}

export function isMissing(x: object): x is Missing {
  return 'missing' in x;
}

export const suiteTest = base.extend<TestFixtures, WorkerFixtures>({
  corsBrowser: [null, { scope: 'worker', option: true }],

  probeBrowser: [
    async ({ corsBrowser }, use) => {
      if (corsBrowser === null) return use({ missing: 'this project runs no browser' });
      const found = discover(corsBrowser);
      if (!found.found) return use({ missing: found.reason });
      const browser = await launchProbeBrowser(found.browser);
      await use(browser);
      await browser.close();
    },
    { scope: 'worker', timeout: 60_000 },
  ],

  scripted: [
    // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies by destructuring
    async ({}, use) => {
      const server = await new ScriptedServer().start();
      await use(server);
      await server.stop();
    },
    { scope: 'worker' },
  ],

  protocolEnv: [
    async ({ probeBrowser, scripted }, use) => {
      if (isMissing(probeBrowser)) return use(probeBrowser);
      const session = new ProbeSession(probeBrowser);
      await use({
        browser: probeBrowser,
        session,
        server: scripted,
        plan: new OriginPlan({ http: scripted.httpPort, https: scripted.httpsPort }),
      });
      await session.close();
    },
    { scope: 'worker' },
  ],

  protocol: async ({ protocolEnv }, use, testInfo) => {
    // A missing browser is a case not run, with the reason – never a silent zero.
    if (isMissing(protocolEnv)) testInfo.skip(true, `not run: ${protocolEnv.missing}`);
    await use(protocolEnv as ProtocolEnv);
  },

  probing: async ({ protocolEnv }, use, testInfo) => {
    if (isMissing(protocolEnv)) testInfo.skip(true, `not run: ${protocolEnv.missing}`);
    await use(protocolEnv as ProbingEnv);
  },
});

export { expect } from '@playwright/test';
