/**
 * The baseline: what each case did in each browser (and server) – the outcome of every step and
 * the verdict – in a small JSON file meant to be committed. A later run is compared with it; any
 * difference is drift, and the CI gate fails on drift. Used by the matrix reporter
 * (`CORS_BASELINE=<file>`), by `cors-conform baseline save|check` and by `cors-conform verify`.
 *
 * Errors are BaselineError with a one-line message; callers turn them into exit code 2.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { CaseRecord } from '../harness/core/record';
import { parseJson, readJsonFile } from '../harness/core/json-file';
import { compareStrings, sortRecords } from './matrix';

export const BASELINE_SCHEMA = 'cors-conform/baseline@1';

const entrySchema = z.strictObject({
  suite: z.string().min(1),
  category: z.string(),
  caseId: z.string().min(1),
  server: z.string(),
  policy: z.string().optional(),
  browser: z.string().min(1),
  /** The observed outcome of each step, in order (empty when the case did not run). */
  outcomes: z.array(z.enum(['allowed', 'blocked', 'opaque'])),
  verdict: z.enum(['pass', 'fail', 'deviation', 'not-run']),
});

export const baselineSchema = z
  .strictObject({
    schema: z.literal(BASELINE_SCHEMA),
    /** For people: which browser versions the baseline was recorded with. Not compared. */
    browsers: z.record(z.string(), z.array(z.string())),
    entries: z.array(entrySchema),
  })
  .superRefine((b, ctx) => {
    const seen = new Set<string>();
    b.entries.forEach((e, i) => {
      const key = entryKey(e);
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['entries', i], message: `duplicate entry for ${entryLabel(e)}` });
      seen.add(key);
    });
  });

export type BaselineEntry = z.infer<typeof entrySchema>;
export type Baseline = z.infer<typeof baselineSchema>;

export class BaselineError extends Error {
  override name = 'BaselineError';
}

/** Which cell an entry speaks for. The category is not part of it: moving a case is not drift. */
export function entryKey(e: Pick<BaselineEntry, 'suite' | 'caseId' | 'server' | 'policy' | 'browser'>): string {
  return [e.suite, e.caseId, e.server, e.policy ?? '', e.browser].join('\u0000');
}

export function entryLabel(
  e: Pick<BaselineEntry, 'suite' | 'category' | 'caseId' | 'server' | 'policy' | 'browser'>,
  withServer = true,
): string {
  const where = withServer && e.server ? ` · ${e.server}${e.policy ? ` (${e.policy})` : ''}` : e.policy ? ` (${e.policy})` : '';
  return `${e.suite}/${e.category} › ${e.caseId} · ${e.browser}${where}`;
}

export function entryFromRecord(
  r: Pick<CaseRecord, 'suite' | 'category' | 'caseId' | 'server' | 'policy' | 'browser' | 'steps' | 'verdict'>,
): BaselineEntry {
  return {
    suite: r.suite,
    category: r.category,
    caseId: r.caseId,
    server: r.server,
    ...(r.policy !== undefined ? { policy: r.policy } : {}),
    browser: r.browser.name,
    outcomes: r.steps.map((s) => s.observed.outcome),
    verdict: r.verdict,
  };
}

export function baselineFromRecords(records: readonly CaseRecord[]): Baseline {
  const sorted = sortRecords(records);
  const versions = new Map<string, Set<string>>();
  for (const r of sorted) {
    const v = versions.get(r.browser.name) ?? new Set<string>();
    if (r.browser.version) v.add(r.browser.version);
    versions.set(r.browser.name, v);
  }
  const browsers: Record<string, string[]> = {};
  for (const [name, v] of [...versions.entries()].sort(([a], [b]) => compareStrings(a, b))) browsers[name] = [...v].sort(compareStrings);
  // One cell, one entry: a repeated record (--repeat-each) keeps its first, sorted, occurrence.
  const seen = new Set<string>();
  const entries = sorted.map(entryFromRecord).filter((e) => {
    const key = entryKey(e);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { schema: BASELINE_SCHEMA, browsers, entries };
}

/** One entry per line, so a change to the committed file reads as a one-line diff per cell. */
export function baselineToText(b: Baseline): string {
  const lines = b.entries.map((e) => `    ${JSON.stringify(e)}`);
  return `{\n  "schema": ${JSON.stringify(b.schema)},\n  "browsers": ${JSON.stringify(b.browsers)},\n  "entries": [\n${lines.join(',\n')}${lines.length ? '\n' : ''}  ]\n}\n`;
}

const baselineText = (file: string) => ({
  name: `baseline ${file}`,
  invalid: `baseline ${file} is malformed (${BASELINE_SCHEMA})`,
  error: (message: string) => new BaselineError(message),
});

export function parseBaseline(text: string, file: string): Baseline {
  return parseJson(text, baselineSchema, baselineText(file));
}

export function readBaseline(file: string): Baseline {
  return readJsonFile(file, baselineSchema, {
    ...baselineText(file),
    missing: `baseline ${file} does not exist: create it with \`cors-conform baseline save --out ${file}\``,
  });
}

/** Writes a baseline; an existing file is only replaced with `force`. */
export function writeBaseline(file: string, baseline: Baseline, options: { force?: boolean } = {}): void {
  if (!options.force && fs.existsSync(file)) throw new BaselineError(`${file} exists: pass --force to replace it`);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, baselineToText(baseline));
}

// ---------------------------------------------------------------------------------------------
// Drift

export interface Drift {
  /** In both, with a different outcome or verdict. */
  changed: Array<{ was: BaselineEntry; now: BaselineEntry }>;
  /** In this run, not in the baseline. */
  added: BaselineEntry[];
  /** In the baseline, not in this run (counted as drift only when the run covered them). */
  missing: BaselineEntry[];
  /** Baseline entries this run did not cover (another browser, suite or category, a --grep, a shard): not compared. */
  notCovered: number;
  /** How many entries matched. */
  same: number;
  /** Whether the entries name more than one server (then the diff names the server of each cell). */
  severalServers: boolean;
}

export interface DiffOptions {
  /**
   * `all`: every baseline entry must be in the run (a full matrix file).
   * `run-scope`: only entries whose (suite, category, browser) the run produced are expected.
   * `none`: missing entries are never drift (a filtered or sharded run).
   */
  expectMissing?: 'all' | 'run-scope' | 'none';
}

const sameEntry = (a: BaselineEntry, b: BaselineEntry) => a.verdict === b.verdict && a.outcomes.join() === b.outcomes.join();

export function diffBaseline(baseline: Baseline, current: readonly BaselineEntry[], options: DiffOptions = {}): Drift {
  const expect = options.expectMissing ?? 'all';
  const now = new Map(current.map((e) => [entryKey(e), e]));
  const was = new Map(baseline.entries.map((e) => [entryKey(e), e]));
  const scope = new Set(current.map((e) => `${e.suite}\u0000${e.category}\u0000${e.browser}`));
  const servers = new Set([...baseline.entries, ...current].map((e) => `${e.server}\u0000${e.policy ?? ''}`));
  const drift: Drift = { changed: [], added: [], missing: [], notCovered: 0, same: 0, severalServers: servers.size > 1 };
  for (const [key, e] of was) {
    const n = now.get(key);
    if (n) {
      if (sameEntry(e, n)) drift.same++;
      else drift.changed.push({ was: e, now: n });
    } else if (expect === 'all' || (expect === 'run-scope' && scope.has(`${e.suite}\u0000${e.category}\u0000${e.browser}`))) {
      drift.missing.push(e);
    } else {
      drift.notCovered++;
    }
  }
  for (const [key, e] of now) if (!was.has(key)) drift.added.push(e);
  return drift;
}

export function hasDrift(d: Drift): boolean {
  return d.changed.length + d.added.length + d.missing.length > 0;
}

const state = (e: BaselineEntry) => `${e.outcomes.length ? e.outcomes.join(' → ') : 'no outcome'} (${e.verdict})`;

/** A readable diff: one line per cell, `case · browser: was … → now …`. */
export function formatDrift(d: Drift, baselineFile: string): string {
  const withServer = d.severalServers;
  const lines: string[] = [];
  if (!hasDrift(d)) {
    lines.push(
      `CORS baseline: no drift from ${baselineFile} (${d.same} entries match${d.notCovered ? `, ${d.notCovered} not covered by this run` : ''})`,
    );
    return lines.join('\n');
  }
  lines.push(
    `CORS baseline drift from ${baselineFile}: ${d.changed.length} changed, ${d.added.length} new, ${d.missing.length} missing (${d.same} match${d.notCovered ? `, ${d.notCovered} not covered by this run` : ''})`,
  );
  for (const c of d.changed) lines.push(`  changed  ${entryLabel(c.now, withServer)}: was ${state(c.was)} → now ${state(c.now)}`);
  for (const e of d.added) lines.push(`  new      ${entryLabel(e, withServer)}: now ${state(e)}, not in the baseline`);
  for (const e of d.missing) lines.push(`  missing  ${entryLabel(e, withServer)}: was ${state(e)} → now not in this run`);
  lines.push(`  If the change is intended, save a new baseline: cors-conform baseline save --out ${baselineFile} --force`);
  return lines.join('\n');
}
