/**
 * `cors-conform baseline save|check`: keep a committed record of what every case did, and say
 * when a run no longer matches it. The work is in reports/baseline.ts (the reporter uses it too);
 * this is the command line around it. `--from` is the suite's `cors-matrix.json` or the JSON of
 * `cors-conform verify --format json` (one URL or a list): for verify, each probe's outcome per
 * target and browser, each finding, and whether each target could be reached.
 *
 *   cors-conform baseline save  [--from reports/out/cors-matrix.json | cors-verify.json] [--out cors-baseline.json] [--force]
 *   cors-conform baseline check --baseline <file> [--from reports/out/cors-matrix.json | cors-verify.json]
 *
 * Exit codes: 0 saved / no drift, 1 drift, 2 a usage error or a missing or malformed file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  BaselineError,
  baselineFromRecords,
  diffBaseline,
  formatDrift,
  hasDrift,
  readBaseline,
  writeBaseline,
} from '../../reports/baseline';
import { MatrixFileError, readMatrixFile } from '../../reports/json';
import type { Matrix } from '../../reports/matrix';
import { UsageError } from '../core/errors';
import { readJsonFile } from '../core/json-file';
import { z } from 'zod';
import type { BaselineEntry, Baseline } from '../../reports/baseline';
import { BASELINE_SCHEMA } from '../../reports/baseline';

export const BASELINE_USAGE =
  'usage: cors-conform baseline save [--from <cors-matrix.json|cors-verify.json>] [--out cors-baseline.json] [--force]\n' +
  '       cors-conform baseline check --baseline <file> [--from <cors-matrix.json|cors-verify.json>]';

export const DEFAULT_BASELINE = 'cors-baseline.json';

/** The matrix the last run wrote: $CORS_REPORT_DIR/, else cors-report/ (the reporter's default), else reports/out/. */
export function defaultMatrixFile(env: NodeJS.ProcessEnv = process.env, exists: (file: string) => boolean = fs.existsSync): string {
  if (env.CORS_REPORT_DIR) return path.join(env.CORS_REPORT_DIR, 'cors-matrix.json');
  // The reporter's own default in a user's project, else this repository's reports/out.
  const user = path.join('cors-report', 'cors-matrix.json');
  return exists(user) ? user : path.join('reports', 'out', 'cors-matrix.json');
}

function parse(args: string[], options: Record<string, { type: 'string' | 'boolean' }>) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>;
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]} (see cors-conform baseline --help)`);
  }
}

function loadMatrix(file: string): Matrix {
  try {
    return readMatrixFile(file);
  } catch (error) {
    if (error instanceof MatrixFileError) throw new UsageError(error.message);
    throw error;
  }
}

/** What the baseline reads of verify's JSON (docs/verify.md); the rest passes through. */
const verifyReport = z.looseObject({
  target: z.string(),
  browser: z.looseObject({ name: z.string(), version: z.string() }),
  probes: z.array(
    z.looseObject({
      id: z.string(),
      outcome: z.enum(['allowed', 'blocked', 'opaque', 'error', 'not-run']),
      expected: z.enum(['allowed', 'blocked', 'opaque']),
    }),
  ),
  findings: z.array(z.looseObject({ id: z.string(), origin: z.string(), severity: z.string() })),
});
const verifyJson = z.union([
  verifyReport,
  z.looseObject({ target: z.string(), browsers: z.array(verifyReport) }),
  z.looseObject({
    targets: z.array(z.looseObject({ target: z.string(), error: z.string().nullable(), browsers: z.array(verifyReport) })),
  }),
]);

/** Is this file verify's JSON rather than a matrix? Decided by its top-level keys, before any check. */
function isVerifyJson(file: string): boolean {
  try {
    const head = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    return (
      typeof head === 'object' && head !== null && ('probes' in head || 'browsers' in head || 'targets' in head) && !('records' in head)
    );
  } catch {
    return false;
  }
}

/**
 * verify's JSON as baseline entries: per target and browser, each probe (its outcome; not run and
 * network errors record no outcome) and each finding; an unreachable target is one failing entry.
 */
export function baselineFromVerify(file: string): Baseline {
  const json = readJsonFile(file, verifyJson, {
    name: file,
    invalid: `${file} is not the JSON of cors-conform verify`,
    missing: `${file} does not exist`,
    error: (message) => new UsageError(message),
  });
  type Report = z.infer<typeof verifyReport>;
  type Target = { target: string; error: string | null; browsers: Report[] };
  const given = json as { targets?: Target[]; target?: string; browsers?: Report[] };
  const targets: Target[] =
    given.targets ??
    (given.browsers
      ? [{ target: given.target!, error: null, browsers: given.browsers }]
      : [{ target: given.target!, error: null, browsers: [json as Report] }]);
  const entries: BaselineEntry[] = [];
  const browsers: Record<string, Set<string>> = {};
  for (const t of targets) {
    if (t.error !== null) {
      entries.push({
        suite: 'verify',
        category: 'target',
        caseId: 'reachable',
        server: t.target,
        browser: 'node',
        outcomes: [],
        verdict: 'fail',
      });
      continue;
    }
    for (const r of t.browsers) {
      (browsers[r.browser.name] ??= new Set()).add(r.browser.version);
      for (const p of r.probes)
        entries.push({
          suite: 'verify',
          category: 'probes',
          caseId: p.id,
          server: t.target,
          browser: r.browser.name,
          outcomes: p.outcome === 'allowed' || p.outcome === 'blocked' ? [p.outcome] : [],
          verdict: p.outcome === 'not-run' ? 'not-run' : p.outcome === p.expected ? 'pass' : 'fail',
        });
      for (const f of r.findings)
        entries.push({
          suite: 'verify',
          category: 'findings',
          caseId: `${f.id} (${f.severity}) from ${f.origin || 'any origin'}`,
          server: t.target,
          browser: r.browser.name,
          outcomes: [],
          verdict: 'fail',
        });
    }
  }
  const key = (e: BaselineEntry) => [e.server, e.browser, e.category, e.caseId].join('\u0000');
  const unique = [...new Map(entries.map((e) => [key(e), e])).values()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return {
    schema: BASELINE_SCHEMA,
    browsers: Object.fromEntries(Object.entries(browsers).map(([b, v]) => [b, [...v].filter((x) => x !== '').sort()])),
    entries: unique,
  };
}

/** The baseline a `--from` file gives: the suite's matrix, or verify's JSON. */
function baselineFrom(file: string): Baseline {
  return isVerifyJson(file) ? baselineFromVerify(file) : baselineFromRecords(loadMatrix(file).records);
}

function asUsage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof BaselineError) throw new UsageError(error.message);
    throw error;
  }
}

/** Runs `baseline <sub> ...`; returns the exit code, writes its report to `out`. */
export function baselineCommand(argv: string[], out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): number {
  const [sub, ...rest] = argv;
  if (sub === undefined) throw new UsageError('baseline needs a command, save or check (see cors-conform baseline --help)');
  if (sub === '--help' || sub === '-h' || sub === 'help' || rest.includes('--help') || rest.includes('-h')) {
    out(BASELINE_USAGE);
    return 0;
  }
  switch (sub) {
    case 'save': {
      const v = parse(rest, { from: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' } });
      const from = (v.from as string | undefined) ?? defaultMatrixFile();
      const file = (v.out as string | undefined) ?? DEFAULT_BASELINE;
      const baseline = baselineFrom(from);
      asUsage(() => writeBaseline(file, baseline, { force: v.force === true }));
      const perBrowser = Object.keys(baseline.browsers).map((b) => `${b} ${baseline.entries.filter((e) => e.browser === b).length}`);
      out(`wrote ${file}: ${baseline.entries.length} entries (${perBrowser.join(', ') || 'none'}) from ${from}`);
      const notRun = baseline.entries.filter((e) => e.verdict === 'not-run').length;
      const failed = baseline.entries.filter((e) => e.verdict === 'fail').length;
      if (notRun || failed)
        out(
          `note: the baseline records ${failed} failing and ${notRun} not-run entries as they are; a later run that fixes them counts as drift`,
        );
      return 0;
    }
    case 'check': {
      const v = parse(rest, { baseline: { type: 'string' }, from: { type: 'string' } });
      const file = v.baseline as string | undefined;
      if (!file)
        throw new UsageError(
          `--baseline <file> is required: the committed baseline to compare with (${BASELINE_USAGE.split('\n')[1]!.trim()})`,
        );
      const baseline = asUsage(() => readBaseline(file));
      const drift = diffBaseline(baseline, baselineFrom((v.from as string | undefined) ?? defaultMatrixFile()).entries, {
        expectMissing: 'all',
      });
      out(formatDrift(drift, file));
      return hasDrift(drift) ? 1 : 0;
    }
    default:
      throw new UsageError(`unknown baseline command "${sub}": ${BASELINE_USAGE.split('\n')[0]}`);
  }
}
