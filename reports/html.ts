/**
 * `cors-matrix.html`: one self-contained page (inline CSS and JS, no network) a person reads at a
 * glance. Counts first; then one table per category (per category and policy for server suites):
 * a row per case, a column per browser (per server × browser where several servers answered).
 * A cell's colour says the result (pass / fail / deviation / not run), its pill the outcome
 * (allowed / blocked). Hovering or focusing a cell shows the request, the responses, the oracle's
 * and the browser's reasons and the wire in the side panel; clicking pins it. Filters: category,
 * result, text.
 *
 * The table and the counts are rendered here (the page reads without JavaScript); the script only
 * filters and fills the detail panel from the records embedded as JSON.
 */
import type { CaseRecord, RecordVerdict } from '../harness/core/record';
import { formatDrift, hasDrift, type Drift } from './baseline';
import { CLIENT_CSS, CLIENT_JS } from './html-client';
import { citationParts, FETCH_ANCHORS, FETCH_STANDARD } from '../harness/oracle/spec';
import { compareStrings, countKey, rowCaseId, VERDICTS, type Counts, type Matrix } from './matrix';

export interface RunInfo {
  startedAt?: string;
  durationMs?: number;
  status?: string;
  /** e.g. "shards merged from 2 blob reports" */
  note?: string;
}

export interface HtmlOptions {
  run?: RunInfo;
  drift?: { drift: Drift; file: string };
}

const VERDICT_LABEL: Record<RecordVerdict, string> = { pass: 'pass', fail: 'fail', deviation: 'deviation', 'not-run': 'not run' };

/** A citation with its anchors (Fetch Standard, HTML, …) as links (the text around them escaped). */
export function citationHtml(citation: string): string {
  return citationParts(citation)
    .map((p) => ('anchor' in p ? `<a href="${esc(p.url)}" title="${esc(p.standard)}: ${esc(p.name)}">${esc(p.name)}</a>` : esc(p.text)))
    .join('');
}

export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

interface Column {
  key: string;
  server: string;
  browser: string;
}

interface Row {
  caseId: string;
  title: string;
  spec: string;
  cells: Map<string, number>;
}

interface Group {
  suite: string;
  category: string;
  policy: string | undefined;
  columns: Column[];
  rows: Row[];
}

/** Groups records (already in matrix order) into tables: one per (suite, category, policy). */
export function groupRecords(records: readonly CaseRecord[]): Group[] {
  const groups = new Map<string, Group & { rowIndex: Map<string, Row>; columnIndex: Map<string, Column> }>();
  records.forEach((r, ix) => {
    const gk = [r.suite, r.category, r.policy ?? ''].join('\u0000');
    let g = groups.get(gk);
    if (!g) {
      g = { suite: r.suite, category: r.category, policy: r.policy, columns: [], rows: [], rowIndex: new Map(), columnIndex: new Map() };
      groups.set(gk, g);
    }
    const ck = `${r.server}\u0000${r.browser.name}`;
    if (!g.columnIndex.has(ck)) g.columnIndex.set(ck, { key: ck, server: r.server, browser: r.browser.name });
    const id = rowCaseId(r);
    let row = g.rowIndex.get(id);
    if (!row) {
      row = { caseId: id, title: r.title, spec: r.spec, cells: new Map() };
      g.rowIndex.set(id, row);
      g.rows.push(row);
    }
    // A repeated record (--repeat-each) of the same cell: the first, in sorted order, is shown.
    if (!row.cells.has(ck)) row.cells.set(ck, ix);
    // A not-run record has no title of its own; prefer the title of a record that ran.
    if (r.steps.length > 0 && row.title === row.caseId) row.title = r.title;
  });
  return [...groups.values()].map((g) => ({
    suite: g.suite,
    category: g.category,
    policy: g.policy,
    columns: [...g.columnIndex.values()].sort((a, b) => compareStrings(a.server, b.server) || compareStrings(a.browser, b.browser)),
    rows: [...g.rows].sort((a, b) => compareStrings(a.caseId, b.caseId)),
  }));
}

function outcomeText(r: CaseRecord): { observed: string; expected: string } {
  return {
    observed: r.steps.map((s) => s.observed.outcome).join(' → '),
    expected: r.steps.map((s) => s.expected.outcome).join(' → '),
  };
}

/** For a failing cell whose outcome is right: what else differs, in two words. */
function whatDiffers(problems: readonly string[]): string {
  const text = problems.join(' ');
  if (/readable headers/.test(text)) return 'headers differ';
  if (/status/.test(text)) return 'status differs';
  if (/wire/.test(text)) return 'wire differs';
  return 'see details';
}

function cellHtml(r: CaseRecord, ix: number): string {
  const { observed, expected } = outcomeText(r);
  const outcomeClass =
    r.steps.length === 0
      ? 'o-none'
      : r.steps.every((s) => s.observed.outcome === 'allowed')
        ? 'o-allowed'
        : r.steps.every((s) => s.observed.outcome === 'blocked')
          ? 'o-blocked'
          : 'o-mixed';
  const tip = [
    `${r.browser.name}${r.browser.version ? ` ${r.browser.version}` : ''} · ${r.server}${r.policy ? ` (${r.policy})` : ''}`,
    r.verdict === 'not-run'
      ? `not run: ${r.notRunReason ?? 'skipped'}`
      : `${observed || 'no outcome'}${expected && expected !== observed ? ` (the Fetch Standard says ${expected})` : ''}`,
    `result: ${VERDICT_LABEL[r.verdict]}`,
    ...r.problems.slice(0, 2),
  ].join('\n');
  const body =
    r.verdict === 'not-run'
      ? '<span class="oc">not run</span>'
      : r.steps.length === 0
        ? '<span class="oc">error</span>'
        : `<span class="oc">${esc(observed)}</span>${expected !== observed ? `<span class="exp">std: ${esc(expected)}</span>` : r.verdict === 'fail' ? `<span class="exp">${esc(whatDiffers(r.problems))}</span>` : ''}`;
  const label = r.verdict === 'not-run' ? '' : `<span class="vd">${VERDICT_LABEL[r.verdict]}</span>`;
  return `<td class="cell v-${r.verdict} ${outcomeClass}" data-ix="${ix}" data-verdict="${r.verdict}" tabindex="0" title="${esc(tip)}">${body}${label}</td>`;
}

function countsCells(c: Counts, prefix: string): string {
  return (
    VERDICTS.map(
      (v) => `<td class="n n-${v}${c[countKey(v)] > 0 ? ' nz' : ''}" data-count="${esc(prefix)}:${v}">${c[countKey(v)]}</td>`,
    ).join('') + `<td class="n" data-count="${esc(prefix)}:total">${c.total}</td>`
  );
}

function countsTable(title: string, rows: Array<{ label: string; sub?: string; prefix: string; counts: Counts }>): string {
  const head = `<tr><th>${esc(title)}</th>${VERDICTS.map((v) => `<th class="h-${v}">${VERDICT_LABEL[v]}</th>`).join('')}<th>total</th></tr>`;
  const body = rows
    .map(
      (r) =>
        `<tr><th scope="row">${esc(r.label)}${r.sub ? ` <small>${esc(r.sub)}</small>` : ''}</th>${countsCells(r.counts, r.prefix)}</tr>`,
    )
    .join('');
  return `<table class="counts"><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

function groupHtml(g: Group, records: readonly CaseRecord[], showServers: boolean): string {
  const catKey = `${g.suite}/${g.category}`;
  const servers = [...new Set(g.columns.map((c) => c.server))];
  const serverRow = showServers || servers.length > 1;
  let head: string;
  if (serverRow) {
    const spans = servers.map((s) => `<th colspan="${g.columns.filter((c) => c.server === s).length}" class="srv">${esc(s)}</th>`).join('');
    head = `<tr><th rowspan="2" class="case-h">Case</th>${spans}</tr><tr>${g.columns.map((c) => `<th class="br">${esc(c.browser)}</th>`).join('')}</tr>`;
  } else {
    head = `<tr><th class="case-h">Case</th>${g.columns.map((c) => `<th class="br">${esc(c.browser)}</th>`).join('')}</tr>`;
  }
  const rows = g.rows
    .map((row) => {
      const verdicts = new Set<RecordVerdict>();
      const cells = g.columns
        .map((c) => {
          const ix = row.cells.get(c.key);
          if (ix === undefined) return '<td class="cell none" title="no result for this column">·</td>';
          const r = records[ix]!;
          verdicts.add(r.verdict);
          return cellHtml(r, ix);
        })
        .join('');
      const text = `${row.caseId} ${row.title} ${row.spec}`.toLowerCase();
      return `<tr class="case" data-verdicts="${[...verdicts].join(' ')}" data-text="${esc(text)}"><th scope="row"><code>${esc(row.caseId)}</code><span class="title">${esc(row.title)}</span>${row.spec ? `<span class="spec">${citationHtml(row.spec)}</span>` : ''}</th>${cells}</tr>`;
    })
    .join('\n');
  const policy = g.policy ? ` · policy <code>${esc(g.policy)}</code>` : '';
  return `<section class="group" data-category="${esc(catKey)}"><h2>${esc(g.category)} <small>${esc(g.suite)}${policy} · ${g.rows.length} case${g.rows.length === 1 ? '' : 's'}</small></h2>
<table class="matrix"><thead>${head}</thead><tbody>
${rows}
</tbody></table></section>`;
}

function runLine(run: RunInfo | undefined): string {
  if (!run) return '';
  const parts: string[] = [];
  if (run.startedAt) parts.push(`run started ${esc(run.startedAt)}`);
  if (run.durationMs !== undefined) parts.push(`${(run.durationMs / 1000).toFixed(1)} s`);
  if (run.status) parts.push(`Playwright status: ${esc(run.status)}`);
  if (run.note) parts.push(esc(run.note));
  return parts.length ? `<p class="run">${parts.join(' · ')}</p>` : '';
}

function driftBanner(options: HtmlOptions): string {
  if (!options.drift) return '';
  const { drift, file } = options.drift;
  const bad = hasDrift(drift);
  return `<details class="drift ${bad ? 'bad' : 'ok'}"${bad ? ' open' : ''}><summary>Baseline ${esc(file)}: ${bad ? `drift (${drift.changed.length} changed, ${drift.added.length} new, ${drift.missing.length} missing)` : 'no drift'}</summary><pre>${esc(formatDrift(drift, file))}</pre></details>`;
}

/** The embedded data: `<` escaped so no string in a record can end the script element. */
function embed(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function renderHtml(matrix: Matrix, options: HtmlOptions = {}): string {
  const { summary, records } = matrix;
  const groups = groupRecords(records);
  const showServers = summary.servers.length > 1;
  const t = summary.totals;
  const stat = (key: string, n: number, label: string, cls = '') =>
    `<div class="stat ${cls}"><b data-count="${key}">${n}</b><span>${label}</span></div>`;
  const sharedName = (c: { suite: string; category: string }) =>
    summary.categories.some((o) => o.category === c.category && o.suite !== c.suite);
  const categories = summary.categories
    .map(
      (c) =>
        `<option value="${esc(`${c.suite}/${c.category}`)}">${esc(sharedName(c) ? `${c.suite} · ${c.category}` : c.category)} – ${c.cases}</option>`,
    )
    .join('');
  const browserRows = summary.browsers.map((b) => ({
    label: b.name,
    sub: b.versions.join(', ') || 'did not run',
    prefix: `browser:${b.name}`,
    counts: b.counts,
  }));
  const serverRows = summary.servers.map((s) => ({ label: s.name, prefix: `server:${s.name}`, counts: s.counts }));
  const categoryChips = summary.categories
    .map((c) => {
      const n = (v: RecordVerdict) =>
        c.counts[countKey(v)] > 0 ? `<span class="k k-${v}" title="${VERDICT_LABEL[v]}">${c.counts[countKey(v)]}</span>` : '';
      return `<button type="button" class="cat${c.counts.fail ? ' has-fail' : ''}" data-cat="${esc(`${c.suite}/${c.category}`)}" title="${esc(`${c.suite} · ${c.category}: ${c.cases} cases`)}">${esc(sharedName(c) ? `${c.suite} · ${c.category}` : c.category)}${VERDICTS.map(n).join('')}</button>`;
    })
    .join('');
  const verdictBoxes = VERDICTS.map(
    (v) => `<label class="chk h-${v}"><input type="checkbox" name="result" value="${v}" checked> ${VERDICT_LABEL[v]}</label>`,
  ).join('');

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>CORS matrix – ${summary.cases} cases${t.fail ? `, ${t.fail} failing` : ''}</title>
<style>${CLIENT_CSS}</style>
</head>
<body>
<header class="top">
  <div class="headline">
    <h1>CORS matrix <span class="verdict ${t.fail ? 'bad' : 'ok'}">${t.total === 0 ? 'no cases ran' : t.fail ? `${t.fail} failing` : 'all as expected'}</span></h1>
    <p class="sub">Will a browser let a page on origin A read a response from origin B? Each cell is what a real browser did, judged against the WHATWG Fetch Standard.</p>
    ${runLine(options.run)}
  </div>
  <div class="stats">
    ${stat('cases', summary.cases, 'cases')}${stat('records', summary.records, 'results')}${stat('total:pass', t.pass, 'pass', 's-pass')}${stat('total:fail', t.fail, 'fail', 's-fail')}${stat('total:deviation', t.deviation, 'deviation', 's-deviation')}${stat('total:not-run', t.notRun, 'not run', 's-not-run')}
  </div>
  <div class="tables">
    ${countsTable('Browser', browserRows)}
    ${showServers ? countsTable('Server', serverRows) : ''}
    <div class="cats" aria-label="Categories">${categoryChips}</div>
  </div>
  ${driftBanner(options)}
</header>
<nav class="filters" aria-label="Filters">
  <label>Category <select id="filter-category"><option value="">All categories – ${summary.cases}</option>${categories}</select></label>
  <fieldset id="filter-result"><legend>Result</legend>${verdictBoxes}</fieldset>
  <label>Find <input id="filter-text" type="search" placeholder="case id, title or #anchor"></label>
  <output id="shown" data-shown="${summary.cases}">${summary.cases} of ${summary.cases} cases shown</output>
  <span class="legend"><span class="pill o-allowed">allowed</span> the page could read the response · <span class="pill o-blocked">blocked</span> it could not · <span class="exp">std:</span> what the Fetch Standard says, when the browser differs</span>
</nav>
<div class="layout">
<main id="matrix">
${groups.length === 0 ? '<p class="empty">No CORS case ran in this run.</p>' : groups.map((g) => groupHtml(g, records, showServers)).join('\n')}
<p id="no-match" class="empty" hidden>No case matches the filters.</p>
</main>
<aside id="detail" aria-live="polite"><p class="hint">Hover or focus a cell to see the request, the server's responses (preflight and actual), the oracle's and the browser's reasons and the wire. Click to pin it; Esc to unpin.</p></aside>
</div>
<script id="matrix-data" type="application/json">${embed({ records, anchors: FETCH_ANCHORS, standard: FETCH_STANDARD })}</script>
<script>${CLIENT_JS}</script>
</body>
</html>
`;
}
