/**
 * cors-conform's programmatic API (the package's main entry, `import { verify } from 'cors-conform'`):
 *
 * - `verify(request)` checks a server in a real browser and resolves to the object
 *   `cors-conform verify --format json` prints;
 * - `verifyConfig(file)` checks every target of a config file (typed with `defineConfig`) in one
 *   browser and resolves to what `verify --config <file> --format json` prints;
 * - `explain(input)` is the oracle alone: what the Fetch Standard says a browser must do for one
 *   request and the responses you give, with no browser and no network;
 * - the types of both, and `UsageError`, which every bad input rejects with (one line, with the
 *   exit code the command line would use).
 *
 * The Playwright fixture and matchers are `cors-conform/playwright`; the matrix reporter is
 * `cors-conform/reporter`.
 */
export { verify, type RunOptions, type VerifyRequest, type VerifyJson, type JsonReport, type JsonProbe, type ExpectFile } from './verify';
export type { BrowserChoice } from './verify';
export { verifyConfig, defineConfig, type CorsConformConfig, type JsonRuns, type JsonTarget, type JsonFinding } from './verify';
export { FINDING_IDS, SEVERITIES, type Finding, type FindingId, type Severity, type Evidence, type FixAdvice } from './verify';
export { explain, type ExplainInput, type ExplainOutput, type Reason, type Outcome } from './oracle';
export { UsageError } from './core/errors';
