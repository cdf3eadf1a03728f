/**
 * `cors-conform baseline save|check`: keep a committed record of what every case did, and say
 * when a run no longer matches it. The work is in reports/baseline.ts (the reporter and `verify`
 * use it too); this is the command line around it.
 *
 *   cors-conform baseline save  [--from reports/out/cors-matrix.json] [--out cors-baseline.json] [--force]
 *   cors-conform baseline check --baseline <file> [--from reports/out/cors-matrix.json]
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

export const BASELINE_USAGE =
  'usage: cors-conform baseline save [--from <cors-matrix.json>] [--out cors-baseline.json] [--force]\n' +
  '       cors-conform baseline check --baseline <file> [--from <cors-matrix.json>]';

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
      const matrix = loadMatrix(from);
      const baseline = baselineFromRecords(matrix.records);
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
      const matrix = loadMatrix((v.from as string | undefined) ?? defaultMatrixFile());
      const drift = diffBaseline(baseline, baselineFromRecords(matrix.records).entries, { expectMissing: 'all' });
      out(formatDrift(drift, file));
      return hasDrift(drift) ? 1 : 0;
    }
    default:
      throw new UsageError(`unknown baseline command "${sub}": ${BASELINE_USAGE.split('\n')[0]}`);
  }
}
