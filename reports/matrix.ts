/**
 * The CORS matrix: every case record of a run (one per case × browser × server), in a stable order,
 * with the counts a reader wants first. Pure: the reporter, the writers, the baseline and the tests
 * all build on these functions, so what the page shows and what the JSON says cannot disagree.
 */
import type { CaseRecord, RecordVerdict } from '../harness/core/record';

export const MATRIX_SCHEMA = 'cors-conform/matrix@1';

export const VERDICTS: readonly RecordVerdict[] = ['pass', 'fail', 'deviation', 'not-run'];

export interface Counts {
  pass: number;
  fail: number;
  deviation: number;
  notRun: number;
  total: number;
}

export interface MatrixSummary {
  /** Distinct matrix rows: (suite, category, policy, case) – see rowCaseId. */
  cases: number;
  /** Case × browser (× server) records, i.e. matrix cells. */
  records: number;
  totals: Counts;
  /** One entry per browser, by name; `versions` lists the versions that ran (none when not run). */
  browsers: Array<{ name: string; versions: string[]; counts: Counts }>;
  /** One entry per server that answered, by name. */
  servers: Array<{ name: string; counts: Counts }>;
  /** One entry per (suite, category), in matrix order. */
  categories: Array<{ suite: string; category: string; cases: number; counts: Counts }>;
}

export interface Matrix {
  schema: typeof MATRIX_SCHEMA;
  summary: MatrixSummary;
  records: CaseRecord[];
}

export function emptyCounts(): Counts {
  return { pass: 0, fail: 0, deviation: 0, notRun: 0, total: 0 };
}

export function countKey(verdict: RecordVerdict): Exclude<keyof Counts, 'total'> {
  return verdict === 'not-run' ? 'notRun' : verdict;
}

function add(counts: Counts, verdict: RecordVerdict): void {
  counts[countKey(verdict)] += 1;
  counts.total += 1;
}

/** Code-unit order: independent of the machine's locale, so two runs sort alike everywhere. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The fields that say which cell a record fills, in sort order. */
export function recordKey(r: Pick<CaseRecord, 'suite' | 'category' | 'caseId' | 'server' | 'policy' | 'browser'>): string[] {
  return [r.suite, r.category, r.caseId, r.server, r.policy ?? '', r.browser.name];
}

/**
 * The case as a matrix row. Server suites name a case `<server> › <policy> › <probe>`; its row is
 * the probe under the policy, so the servers' results line up side by side in one row.
 */
export function rowCaseId(r: Pick<CaseRecord, 'caseId' | 'server' | 'policy'>): string {
  let id = r.caseId;
  for (const prefix of [r.server, r.policy]) if (prefix && id.startsWith(`${prefix} › `)) id = id.slice(prefix.length + 3);
  return id;
}

/** The row a record belongs to: one row per (suite, category, policy, case). */
export function rowKey(r: Pick<CaseRecord, 'suite' | 'category' | 'caseId' | 'server' | 'policy'>): string {
  return [r.suite, r.category, r.policy ?? '', rowCaseId(r)].join('\u0000');
}

function compareKeys(a: string[], b: string[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const c = compareStrings(a[i] ?? '', b[i] ?? '');
    if (c !== 0) return c;
  }
  return 0;
}

/**
 * Sorts by suite, category, caseId, server, policy, browser; exact duplicates of a key (e.g.
 * --repeat-each) fall back to their JSON text, so the order never depends on which worker or
 * shard finished first.
 */
export function sortRecords(records: readonly CaseRecord[]): CaseRecord[] {
  return records
    .map((r) => ({ r, key: recordKey(r), text: JSON.stringify(r) }))
    .sort((a, b) => compareKeys(a.key, b.key) || compareStrings(a.text, b.text))
    .map((x) => x.r);
}

export function summarize(sorted: readonly CaseRecord[]): MatrixSummary {
  const totals = emptyCounts();
  const browsers = new Map<string, { versions: Set<string>; counts: Counts }>();
  const servers = new Map<string, Counts>();
  const categories = new Map<string, { suite: string; category: string; rows: Set<string>; counts: Counts }>();
  const rows = new Set<string>();
  for (const r of sorted) {
    add(totals, r.verdict);
    const b = browsers.get(r.browser.name) ?? { versions: new Set<string>(), counts: emptyCounts() };
    if (r.browser.version) b.versions.add(r.browser.version);
    add(b.counts, r.verdict);
    browsers.set(r.browser.name, b);
    const s = servers.get(r.server) ?? emptyCounts();
    add(s, r.verdict);
    servers.set(r.server, s);
    const ck = `${r.suite}\u0000${r.category}`;
    const c = categories.get(ck) ?? { suite: r.suite, category: r.category, rows: new Set<string>(), counts: emptyCounts() };
    c.rows.add(rowKey(r));
    add(c.counts, r.verdict);
    categories.set(ck, c);
    rows.add(rowKey(r));
  }
  const byName = <T>(m: Map<string, T>) => [...m.entries()].sort(([a], [b]) => compareStrings(a, b));
  return {
    cases: rows.size,
    records: sorted.length,
    totals,
    browsers: byName(browsers).map(([name, b]) => ({ name, versions: [...b.versions].sort(compareStrings), counts: b.counts })),
    servers: byName(servers).map(([name, counts]) => ({ name, counts })),
    // Records are sorted by suite then category, so insertion order is matrix order.
    categories: [...categories.values()].map((c) => ({ suite: c.suite, category: c.category, cases: c.rows.size, counts: c.counts })),
  };
}

export function buildMatrix(records: readonly CaseRecord[]): Matrix {
  const sorted = sortRecords(records);
  return { schema: MATRIX_SCHEMA, summary: summarize(sorted), records: sorted };
}

/** "allowed", or "allowed → blocked" for a case of several steps; "—" when nothing ran. */
export function outcomesText(outcomes: readonly string[]): string {
  return outcomes.length === 0 ? '—' : outcomes.join(' → ');
}

export function countsText(c: Counts): string {
  const parts = [`${c.pass} pass`];
  if (c.fail) parts.push(`${c.fail} fail`);
  if (c.deviation) parts.push(`${c.deviation} deviation`);
  if (c.notRun) parts.push(`${c.notRun} not run`);
  return parts.join(', ');
}
