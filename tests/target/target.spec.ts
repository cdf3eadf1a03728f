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
 *
 * A whole API: CORS_CONFIG=cors-conform.config.json gives one test per target of the config file
 * (its URL as the title), so Playwright's --shard and merge-reports spread a large API over CI
 * machines. The targets are listed when the file is loaded (`cors-conform verify --config --list`,
 * which sends nothing); each worker opens one browser for every page origin of the config, and
 * each test verifies its target from those pages, attaching a `cors-case` record per probe.
 */
import { suiteTest as base, expect } from '../../harness/fixtures';
import { RECORD_ATTACHMENT } from '../../harness/core/record';
import { targetFromEnv } from '../../harness/cli/target-env';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import {
  ProbeEnvironment,
  buildPlan,
  failingFindings,
  loadConfig,
  runRequest,
  type RunRequest,
  resolveExpectations,
  toCaseRecord,
  verifyTarget,
  type VerifyRun,
} from '../../harness/verify';

const settings = targetFromEnv(process.env);

if (process.env.CORS_CONFIG) configTests(process.env.CORS_CONFIG);
else if ('unset' in settings) {
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

/** One test per target of a config file (CORS_CONFIG). */
function configTests(file: string): void {
  // Test files load synchronously: the targets come from the command line's --list, which reads
  // the config (and its OpenAPI file) and sends nothing.
  const listed = spawnSync(
    process.execPath,
    [path.join(__dirname, '../../bin/cors-conform.js'), 'verify', '--config', file, '--list', '--format', 'json'],
    {
      encoding: 'utf8',
    },
  );
  if (listed.status !== 0) {
    base('target: your config (CORS_CONFIG)', () => {
      throw new Error(`CORS_CONFIG=${file}: ${listed.stderr.trim() || `exit code ${listed.status}`}`);
    });
    return;
  }
  const { targets, notRun } = JSON.parse(listed.stdout) as {
    targets: Array<{ url: string }>;
    notRun: Array<{ target: string; reason: string }>;
  };

  const test = base.extend<object, { configRun: { request: RunRequest; env: ProbeEnvironment | { missing: string } } }>({
    configRun: [
      async ({ corsBrowser }, use) => {
        const kind = corsBrowser === 'firefox' ? 'firefox' : 'chromium';
        const request = await loadConfig(file);
        const pages = [...new Map(request.targets.flatMap((t) => buildPlan({ ...t }).pages).map((p) => [p.pageUrl, p])).values()];
        const env = await ProbeEnvironment.open(
          kind,
          pages,
          request.targets.map((t) => t.targetUrl),
        );
        try {
          await use({ request: { ...request, browsers: [kind] }, env });
        } finally {
          if (env instanceof ProbeEnvironment) await env.close();
        }
      },
      { scope: 'worker', timeout: 120_000 },
    ],
  });

  test.describe(`config ${path.basename(file)}`, () => {
    // Each target its own group: --shard spreads them over machines, workers over processes.
    test.describe.configure({ mode: 'parallel' });
    for (const t of targets) {
      test(t.url, async ({ configRun }, testInfo) => {
        const { request, env } = configRun;
        const spec = request.targets.find((x) => x.targetUrl === t.url)!;
        const kind = request.browsers[0]!;
        const runs = await runRequest(
          { ...request, targets: [spec], many: true },
          env instanceof ProbeEnvironment ? { environments: { [kind]: env } } : {},
        );
        const run = runs.runs[0]!;
        if (run.error !== null) throw new Error(`${t.url}: not verified: ${run.error}`);
        const report = run.reports[0]!;
        for (const result of report.probes)
          await testInfo.attach(RECORD_ATTACHMENT, {
            body: JSON.stringify(toCaseRecord(result, report.browser)),
            contentType: 'application/json',
          });
        if (report.notRun) testInfo.skip(true, `not run: ${report.notRun}`);
        const problems = [
          ...report.probes.filter((p) => !p.met).map((p) => `${p.probe.id}: expected ${p.probe.expected}, got ${p.outcome} (${p.reason})`),
          ...failingFindings(report.findings, request.failOn).map((f) => `[${f.severity}] ${f.id} ${f.origin}: ${f.evidence.summary}`),
          ...runs.expired.map((s) => `suppression expired on ${s.until}: ${s.finding} (${s.reason})`),
        ];
        expect(report.verdict === 'pass' ? [] : problems, `${t.url}: ${report.verdict}`).toEqual([]);
      });
    }
    for (const u of notRun)
      test(u.target, () => {
        test.skip(true, `not run: ${u.reason}`);
      });
  });
}
