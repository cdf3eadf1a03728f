import { defineConfig } from '@playwright/test';

const port = Number(process.env.PORT ?? 3000);

export default defineConfig({
  testDir: 'tests',
  timeout: 60_000,
  reporter: [['list'], ['cors-conform/reporter']],
  webServer: { command: 'node server.js', url: `http://127.0.0.1:${port}/health`, reuseExistingServer: false },
  projects: [
    { name: process.env.BROWSER ?? 'chromium', use: { browserName: (process.env.BROWSER ?? 'chromium') as 'chromium' | 'firefox' } },
  ],
});
