/**
 * The CORS matrix reporter. At the end of a run (or of `npx playwright merge-reports`, which
 * replays sharded runs through it), it collects every test's `cors-case` records – and a not-run
 * record for each case test that was skipped or never started – and writes cors-matrix.html,
 * cors-matrix.json and cors-matrix.md (also appended to $GITHUB_STEP_SUMMARY when that is set).
 *
 * With CORS_BASELINE=<file> (or the `baseline` option) it compares the run with a committed
 * baseline and fails the run on drift, printing one line per changed cell.
 *
 *   reporter: [['./reports/matrix-reporter.ts', { outputDir: 'reports/out' }]]
 *
 * Output directory: $CORS_REPORT_DIR, else the `outputDir` option (relative to the config file),
 * else reports/out next to this file.
 */
import path from 'node:path';
import type { FullConfig, FullResult, Reporter, Suite, TestCase } from '@playwright/test/reporter';
import { BaselineError, baselineFromRecords, diffBaseline, formatDrift, hasDrift, readBaseline, type Drift } from './baseline';
import { collectRecords, type TestOutcome } from './collect';
import { buildMatrix, countsText, type Matrix } from './matrix';
import { writeMatrixReports, type Written } from './write';

export interface MatrixReporterOptions {
  /** Where the three files go (relative to the config file); $CORS_REPORT_DIR wins. */
  outputDir?: string;
  /** A baseline to compare with (relative to the working directory); $CORS_BASELINE wins. */
  baseline?: string;
  /** Print nothing but errors and drift. */
  quiet?: boolean;
  /**
   * Projects whose tests are all cases, so a skipped or crashed one is a not-run or fail cell.
   * Default: the projects that set this repository's `corsBrowser` option (its suites); in a user's
   * project none, so the matrix holds the records tests attach (cors-conform/playwright's `cors`
   * fixture attaches one per probe). A merged report has no project options: name them.
   */
  caseProjects?: string[];
}

/** Where the reports go unless told: `cors-report/` next to the Playwright config. */
export const DEFAULT_OUTPUT_DIR = 'cors-report';

/** Where the reporter writes: env first (as Playwright's own reporters do), then option, then default. */
export function resolveOutputDir(options: MatrixReporterOptions, configDir: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.CORS_REPORT_DIR) return path.resolve(env.CORS_REPORT_DIR);
  return path.resolve(configDir, options.outputDir ?? DEFAULT_OUTPUT_DIR);
}

/** Projects of this repository's suites: they set the `corsBrowser` option to a browser. */
export function suiteProjects(config: FullConfig): string[] {
  return config.projects.filter((p) => typeof (p.use as { corsBrowser?: unknown }).corsBrowser === 'string').map((p) => p.name);
}

function describeTitles(test: TestCase): string[] {
  const titles: string[] = [test.title];
  for (let s: Suite | undefined = test.parent; s && s.type === 'describe'; s = s.parent) titles.unshift(s.title);
  return titles;
}

/** The spec file a test belongs to (a test declared by a helper, like protocolSuite, has its location there). */
function specFile(test: TestCase): string {
  let s: Suite | undefined = test.parent;
  while (s && s.type !== 'file') s = s.parent;
  return s?.location?.file ?? test.location.file;
}

/** Playwright's TestCase → the plain shape collect.ts works on. */
export function testOutcome(test: TestCase): TestOutcome {
  const project = test.parent.project();
  const last = test.results[test.results.length - 1];
  const use = (project?.use ?? {}) as { corsBrowser?: string | null };
  const error = last?.errors[0]?.message ?? last?.error?.message;
  return {
    projectName: project?.name ?? '',
    ...('corsBrowser' in use ? { projectBrowser: use.corsBrowser ?? null } : {}),
    file: specFile(test).split(path.sep).join('/'),
    titles: describeTitles(test),
    tags: test.tags,
    annotations: [...test.annotations, ...(last?.annotations ?? [])].map((a) => ({ type: a.type, description: a.description })),
    status: last ? last.status : 'not-started',
    attachments: (last?.attachments ?? []).map((a) => ({ name: a.name, contentType: a.contentType, body: a.body, path: a.path })),
    ...(error ? { error } : {}),
  };
}

/** `playwright test` options that narrow the run. */
const FILTER_OPTIONS = new Set([
  '-g',
  '--grep',
  '--grep-invert',
  '--shard',
  '--last-failed',
  '--only-changed',
  '--project',
  '--test-list',
  '--test-list-invert',
]);
/** `playwright test` options followed by a value (so that value is not a file filter). */
const VALUE_OPTIONS = new Set([
  '-c',
  '--config',
  '-j',
  '--workers',
  '--reporter',
  '--timeout',
  '--retries',
  '--repeat-each',
  '--max-failures',
  '--output',
  '--global-timeout',
  '--trace',
  '--tsconfig',
  '--update-source-method',
  '--browser',
]);
const UPDATE_VALUES = new Set(['all', 'changed', 'missing', 'none']);

/**
 * Whether `playwright test` was asked for part of the suite: --grep, --project, --shard, file
 * arguments and the like. Read from the command line, because the reporter's config does not
 * carry command-line filters. A merge (`merge-reports`) is never a filtered run.
 */
export function filteredArgv(argv: readonly string[]): boolean {
  const at = argv.indexOf('test');
  if (at < 0) return false;
  const args = argv.slice(at + 1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') break;
    const name = a.split('=')[0]!;
    if (FILTER_OPTIONS.has(name)) return true;
    if (a.startsWith('-')) {
      if (!a.includes('=') && VALUE_OPTIONS.has(name)) i++;
      else if ((name === '-u' || name === '--update-snapshots') && UPDATE_VALUES.has(args[i + 1] ?? '')) i++;
      continue;
    }
    return true; // a file or line filter
  }
  return false;
}

/** A run that did not mean to cover everything: baseline entries it left out are not drift. */
function filteredRun(config: FullConfig): boolean {
  const grep = Array.isArray(config.grep) ? config.grep : [config.grep];
  const matchAll = grep.length === 0 || grep.some((g) => g.source === '.*' || g.source === '(?:)');
  const grepInvert = config.grepInvert === null || (Array.isArray(config.grepInvert) && config.grepInvert.length === 0) ? false : true;
  return !!config.shard || !matchAll || grepInvert || filteredArgv(config.argv ?? []);
}

export default class MatrixReporter implements Reporter {
  private config: FullConfig | undefined;
  private suite: Suite | undefined;

  constructor(private readonly options: MatrixReporterOptions = {}) {}

  printsToStdio(): boolean {
    return false;
  }

  onBegin(config: FullConfig, suite: Suite): void {
    this.config = config;
    this.suite = suite;
  }

  async onEnd(result: FullResult): Promise<{ status?: FullResult['status'] } | undefined> {
    if (!this.config || !this.suite) return undefined;
    const config = this.config;
    const { records, warnings } = collectRecords(
      this.suite.allTests().map((t) => testOutcome(t)),
      { caseProjects: this.options.caseProjects ?? suiteProjects(config) },
    );
    const matrix = buildMatrix(records);
    for (const w of warnings) process.stderr.write(`CORS matrix: warning: ${w}\n`);

    let failed = false;
    let drift: { drift: Drift; file: string } | undefined;
    const baselineFile = process.env.CORS_BASELINE || this.options.baseline;
    if (baselineFile) {
      try {
        const baseline = readBaseline(baselineFile);
        const d = diffBaseline(baseline, baselineFromRecords(matrix.records).entries, {
          expectMissing: filteredRun(config) ? 'none' : 'run-scope',
        });
        drift = { drift: d, file: baselineFile };
        if (hasDrift(d)) failed = true;
      } catch (error) {
        if (!(error instanceof BaselineError)) throw error;
        process.stderr.write(`cors-conform: ${error.message}\n`);
        failed = true;
      }
    }

    const configDir = config.configFile ? path.dirname(config.configFile) : config.rootDir;
    const dir = resolveOutputDir(this.options, configDir);
    const written = writeMatrixReports(dir, matrix, {
      run: {
        startedAt: result.startTime.toISOString(),
        durationMs: result.duration,
        status: result.status,
        ...(config.shard ? { note: `shard ${config.shard.current}/${config.shard.total}` } : {}),
      },
      drift,
      stepSummary: process.env.GITHUB_STEP_SUMMARY || undefined,
    });
    if (!this.options.quiet) process.stdout.write(`${summaryLines(matrix, written)}\n`);
    if (drift && (hasDrift(drift.drift) || !this.options.quiet)) process.stdout.write(`${formatDrift(drift.drift, drift.file)}\n`);
    return failed ? { status: 'failed' } : undefined;
  }
}

export function summaryLines(matrix: Matrix, written: Written): string {
  const { summary } = matrix;
  const browsers = summary.browsers.map((b) => `${b.name}: ${countsText(b.counts)}`).join(' · ');
  const rel = path.relative(process.cwd(), written.html);
  const shown = rel && !rel.startsWith('..') ? rel : written.html;
  return `CORS matrix: ${summary.cases} cases, ${summary.records} results${browsers ? ` – ${browsers}` : ''}\n  ${shown} (and .json, .md)`;
}
