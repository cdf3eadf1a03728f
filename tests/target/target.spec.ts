/**
 * A user's own server, as Playwright tests: the same probes as `cors-conform verify`, one test per
 * probe, each attaching its `cors-case` record (suite 'target') for the matrix report, plus one
 * test for the findings at or above CORS_FAIL_ON (default high). Settings come from the
 * environment (harness/cli/target-env.ts):
 *
 *   CORS_TARGET_URL=https://api.example.com/data CORS_ORIGINS=https://app.example.com \
 *     npx playwright test --project=target
 *
 * Unset, the project has one test, skipped with the reason (counted as not run). All probes run
 * once, from open pages, the first time any test needs a result.
 */
import { suiteTest as base, expect } from '../../harness/fixtures';
import { RECORD_ATTACHMENT } from '../../harness/core/record';
import { targetFromEnv } from '../../harness/cli/target-env';
import {
  ProbeEnvironment,
  buildPlan,
  failingFindings,
  resolveExpectations,
  toCaseRecord,
  verifyTarget,
  type VerifyRun,
} from '../../harness/verify';

const settings = targetFromEnv(process.env);

if ('unset' in settings) {
  base('target: your server (CORS_TARGET_URL, CORS_ORIGINS)', () => {
    console.log(`target project not run: ${settings.unset}`);
    base.skip(true, `not run: ${settings.unset}`);
  });
} else if ('invalid' in settings) {
  base('target: your server (CORS_TARGET_URL, CORS_ORIGINS)', () => {
    throw new Error(`the target settings are invalid: ${settings.invalid}`);
  });
} else {
  const options = settings.run;
  const url = options.url!;
  const expectations = resolveExpectations(options.expect, {
    origins: options.origins,
    credentials: options.credentials,
  });
  const plan = buildPlan({ targetUrl: url, expectations, methods: options.methods, headers: options.headers });

  // One run per worker, shared by every test of this file.
  const test = base.extend<object, { targetRun: VerifyRun }>({
    targetRun: [
      async ({ corsBrowser }, use) => {
        const kind = corsBrowser === 'firefox' ? 'firefox' : 'chromium';
        const env = await ProbeEnvironment.open(kind, plan.pages, url);
        try {
          const run = await verifyTarget({
            targetUrl: url,
            expectations,
            methods: options.methods,
            headers: options.headers,
            browsers: [kind],
            failOn: options.failOn,
            timeoutMs: options.timeoutMs,
            concurrency: options.concurrency,
            insecure: options.insecure,
            environments: env instanceof ProbeEnvironment ? { [kind]: env } : {},
          });
          await use(run);
        } finally {
          if (env instanceof ProbeEnvironment) await env.close();
        }
      },
      { scope: 'worker', timeout: 300_000 },
    ],
  });

  test.describe(`target ${url}`, () => {
    for (const probe of plan.probes) {
      test(probe.id, { tag: [`@${probe.role}`] }, async ({ targetRun }, testInfo) => {
        const report = targetRun.reports[0]!;
        const result = report.probes.find((r) => r.probe.id === probe.id)!;
        await testInfo.attach(RECORD_ATTACHMENT, {
          body: JSON.stringify(toCaseRecord(result, report.browser)),
          contentType: 'application/json',
        });
        if (result.outcome === 'not-run' && result.met) testInfo.skip(true, `not run: ${result.reason}`);
        expect(
          result.outcome,
          `${probe.id}: expected ${result.probe.expected} because ${result.probe.because} (reason: ${result.reason})`,
        ).toBe(result.probe.expected);
      });
    }

    test(`findings at or above ${options.failOn}`, async ({ targetRun }, testInfo) => {
      const report = targetRun.reports[0]!;
      await testInfo.attach('cors-findings', { body: JSON.stringify(report.findings, null, 2), contentType: 'application/json' });
      const failing = failingFindings(report.findings, options.failOn).map(
        (f) => `[${f.severity}] ${f.id} ${f.origin}: ${f.evidence.summary} – fix: ${f.fix.summary}`,
      );
      expect(failing).toEqual([]);
    });
  });
}
