/**
 * Config for merging sharded runs into one report:
 *
 *   npx playwright test --shard=1/2 --reporter=blob      # on each machine (blob-report/)
 *   npx playwright merge-reports --config reports/merge.config.ts all-blob-reports/
 *
 * The merge replays every shard's results through these reporters, so cors-matrix.json comes out
 * the same as from one unsharded run. Output goes where the suite's own reports go
 * ($CORS_REPORT_DIR, else reports/out); CORS_BASELINE=<file> gates the merged run on drift.
 */
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { CASE_PROJECTS } from './collect';

const reportDir = path.resolve(process.env.CORS_REPORT_DIR ?? path.join(__dirname, 'out'));

export default defineConfig({
  // Paths in the blobs are rebased onto the repository root.
  testDir: '..',
  reporter: [
    ...(process.env.CI ? [['github'] as const] : []),
    ['html', { open: 'never', outputFolder: path.join(reportDir, 'html') }],
    ['junit', { outputFile: path.join(reportDir, 'junit.xml') }],
    [path.join(__dirname, 'matrix-reporter.ts'), { outputDir: reportDir, caseProjects: [...CASE_PROJECTS] }],
  ],
});
