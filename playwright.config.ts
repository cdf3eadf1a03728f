/**
 * Projects are generated in a loop: one per browser (Chromium, Firefox, WebKit: Playwright's own
 * builds where installed, else the system's; harness/browser/engines.ts) plus the browser-less
 * `unit` project. A browser project whose browser is missing still runs: its cases show as not
 * run, with the reason.
 */
import { defineConfig, type Project } from '@playwright/test';
import type { BrowserKind } from './harness/oracle';
import type { CorsProjectOptions } from './harness/fixtures';
import { CASE_PROJECTS } from './reports/collect';

const browsers: BrowserKind[] = ['chromium', 'firefox', 'webkit'];

const projects: Project<CorsProjectOptions>[] = [
  { name: 'unit', testDir: 'tests/unit', use: { corsBrowser: null } },
  // The matrix page in a real Chromium (tests/reports); it launches its own browser.
  { name: 'report-ui', testDir: 'tests/reports', use: { corsBrowser: null } },
  ...browsers.map((name) => ({
    name,
    testDir: 'tests',
    // Anchored at tests/: tests/unit/<layer>/ has folders of the same names.
    testMatch: /\/tests\/(protocol|servers|browser)\/.*\.spec\.ts$/,
    // One worker (so one browser) per browser project: the browsers run side by side and each
    // launches once, opens its pages once and keeps its connections warm across spec files.
    // Measured (protocol + server suites, both browsers, 4 runs each, interleaved): 37.5–42 s
    // against 43.6–52 s with the two workers taking each project's files in turn.
    workers: 1,
    use: { corsBrowser: name },
  })),
  // `cors-conform verify` end to end (tests/verify): every finding against a misconfigured server
  // and its near-twin, the CLI's errors and output. Firefox and WebKit run the scenarios tagged
  // @every-engine.
  { name: 'verify', testDir: 'tests/verify', use: { corsBrowser: 'chromium' } },
  { name: 'verify-firefox', testDir: 'tests/verify', grep: /@every-engine/, use: { corsBrowser: 'firefox' } },
  { name: 'verify-webkit', testDir: 'tests/verify', grep: /@every-engine/, use: { corsBrowser: 'webkit' } },
  // The package as a user installs it (tests/package): npm pack, a fresh project, its own Playwright.
  { name: 'package', testDir: 'tests/package', timeout: 300_000, use: { corsBrowser: null } },
  // A user's own server: CORS_TARGET_URL=... CORS_ORIGINS=https://a,https://b npx playwright test --project=target
  { name: 'target', testDir: 'tests/target', use: { corsBrowser: 'chromium' } },
];

const reportDir = process.env.CORS_REPORT_DIR ?? 'reports/out';

export default defineConfig<CorsProjectOptions>({
  // The package's build (dist/), which the command-line and package tests run, kept current.
  globalSetup: './tests/global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 5_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  // Three workers on two cores: the browser projects keep one each (CPU-bound), and the third
  // takes the verify, package and unit tests, which mostly wait on child processes and deadlines.
  workers: process.env.CORS_WORKERS ? Number(process.env.CORS_WORKERS) : 3,
  // Everything goes to $CORS_REPORT_DIR or reports/out: Playwright's HTML report, JUnit XML and the
  // CORS matrix (docs/ci.md). CORS_BASELINE=<file> makes drift fail the run.
  reporter: [
    ...(process.env.CI ? [['github'] as const] : []),
    ['list'],
    ['html', { open: 'never', outputFolder: `${reportDir}/html` }],
    ['junit', { outputFile: `${reportDir}/junit.xml` }],
    ['./reports/matrix-reporter.ts', { outputDir: reportDir, caseProjects: [...CASE_PROJECTS] }],
  ],
  projects,
});
