/** The benchmark's own Playwright config: one browser project per run, one worker, no reports. */
import { defineConfig } from '@playwright/test';
import type { CorsProjectOptions } from '../harness/fixtures';

export default defineConfig<CorsProjectOptions>({
  testDir: '.',
  testMatch: 'generated.spec.ts',
  timeout: 120_000,
  workers: 1,
  reporter: [['null']],
  projects: [
    { name: 'chromium', use: { corsBrowser: 'chromium' } },
    { name: 'firefox', use: { corsBrowser: 'firefox' } },
    { name: 'webkit', use: { corsBrowser: 'webkit' } },
  ],
});
