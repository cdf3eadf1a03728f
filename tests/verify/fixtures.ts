/**
 * Fixtures for the verify suite: one browser per worker whose pages live on https://app.example.com
 * and every attacker origin derived from it (harness/browser/hosting.ts), kept open across tests –
 * each test then verifies its own loopback server from those pages.
 */
import { suiteTest as base } from '../../harness/fixtures';
import type { BrowserKind, Client } from '../../harness/oracle';
import { APP, needsTls, startServer, type ServerSpec, type TestServer } from './servers';
import {
  ProbeEnvironment,
  buildPlan,
  resolveExpectations,
  verifyTarget,
  type ExpectFile,
  type Severity,
  type VerifyRun,
} from '../../harness/verify';

/** No test target ever lives here; the page plan only needs a URL to compare host:port with. */
const PLACEHOLDER_TARGET = 'http://127.0.0.1:9/';

type Missing = { missing: string };

export interface VerifyOptions {
  origins?: string[];
  credentials?: boolean;
  methods?: string[];
  headers?: Array<[string, string]>;
  expect?: ExpectFile;
  failOn?: Severity;
  concurrency?: number;
  timeoutMs?: number;
  insecure?: boolean;
  /** The requester (`verify --as`). */
  as?: Client;
}

export interface VerifyEnv {
  kind: BrowserKind;
  env: ProbeEnvironment;
  /** Starts `spec`, verifies it from the shared pages, stops it. */
  verify(spec: ServerSpec | TestServer, options?: VerifyOptions): Promise<{ run: VerifyRun; server: TestServer }>;
}

export const test = base.extend<{ verifyEnv: VerifyEnv }, { sharedVerify: ProbeEnvironment | Missing }>({
  sharedVerify: [
    async ({ corsBrowser }, use) => {
      if (corsBrowser === null) return use({ missing: 'verify needs a browser; this project runs none' });
      const plan = buildPlan({
        targetUrl: PLACEHOLDER_TARGET,
        expectations: resolveExpectations(null, { origins: [APP], credentials: true }),
        methods: [],
        headers: [],
      });
      const env = await ProbeEnvironment.open(corsBrowser, plan.pages, PLACEHOLDER_TARGET);
      await use(env);
      if (env instanceof ProbeEnvironment) await env.close();
    },
    { scope: 'worker', timeout: 120_000 },
  ],

  verifyEnv: async ({ sharedVerify }, use, testInfo) => {
    if (!(sharedVerify instanceof ProbeEnvironment)) testInfo.skip(true, `not run: ${sharedVerify.missing}`);
    const env = sharedVerify as ProbeEnvironment;
    await use({
      kind: env.kind,
      env,
      async verify(spec, options = {}) {
        const tls = needsTls(env.kind);
        const server = 'url' in spec ? spec : await startServer(spec, 0, tls);
        try {
          const run = await verifyTarget({
            targetUrl: server.url,
            expectations: resolveExpectations(options.expect ?? null, {
              origins: options.origins ?? [APP],
              credentials: options.credentials ?? false,
            }),
            methods: options.methods ?? [],
            headers: options.headers ?? [],
            as: options.as ?? null,
            browsers: [env.kind],
            failOn: options.failOn ?? 'high',
            timeoutMs: options.timeoutMs ?? 10_000,
            concurrency: options.concurrency ?? 2,
            insecure: options.insecure ?? tls,
            environments: { [env.kind]: env },
          });
          return { run, server };
        } finally {
          if (!('url' in spec)) await server.stop();
        }
      },
    });
  },
});

export { expect } from '@playwright/test';
