/**
 * Projects are generated in a loop: one per browser (webkit only where Playwright's own WebKit is
 * installed; there is no system WebKit to drive) plus the browser-less `unit` project. A browser
 * project whose browser is missing still runs: its cases show as not run, with the reason.
 */
import { defineConfig, type Project } from '@playwright/test';
import { hasPlaywrightWebkit, type BrowserKind } from './harness/browsers';
import type { CorsProjectOptions } from './harness/fixtures';

const browsers: BrowserKind[] = ['chromium', 'firefox', ...(hasPlaywrightWebkit() ? (['webkit'] as const) : [])];

const projects: Project<CorsProjectOptions>[] = [
  { name: 'unit', testDir: 'tests/unit', use: { corsBrowser: null } },
  ...browsers.map((name) => ({
    name,
    testDir: 'tests',
    testMatch: ['protocol/**/*.spec.ts', 'servers/**/*.spec.ts'],
    use: { corsBrowser: name },
  })),
];

export default defineConfig<CorsProjectOptions>({
  timeout: 60_000,
  expect: { timeout: 5_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: process.env.CORS_WORKERS ? Number(process.env.CORS_WORKERS) : 2,
  reporter: process.env.CI ? [['github'], ['list']] : [['list']],
  projects,
});
