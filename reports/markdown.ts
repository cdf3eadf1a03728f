/**
 * `cors-matrix.md`: the summary for a CI job page ($GITHUB_STEP_SUMMARY) or a pull request – the
 * counts per browser (and server), then every failure, deviation and not-run reason, then drift.
 */
import type { CaseRecord } from '../harness/core/record';
import { renderCitation } from '../harness/oracle/spec';
import { formatDrift, hasDrift, type Drift } from './baseline';
import { outcomesText, type Counts, type Matrix } from './matrix';

/** A citation with its Fetch Standard anchors as Markdown links. */
export function citationMarkdown(citation: string): string {
  return renderCitation(citation, (name, url) => `[${name}](${url})`);
}

/** More than this many failures are summarized by a count (a step summary is limited to 1 MiB). */
const MAX_LISTED = 50;

function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/** A problem can quote a whole wire log; the summary keeps its start, the page has the rest. */
function clip(text: string): string {
  return text.length > 400 ? `${text.slice(0, 399)}…` : text;
}

function row(values: Array<string | number>): string {
  return `| ${values.map((v) => cell(String(v))).join(' | ')} |`;
}

function countsRow(label: string, extra: string[], c: Counts): string {
  return row([label, ...extra, c.pass, c.fail, c.deviation, c.notRun, c.total]);
}

function where(r: CaseRecord, withServer: boolean): string {
  return `${r.browser.name}${withServer ? ` · ${r.server}${r.policy ? ` (${r.policy})` : ''}` : ''}`;
}

export function renderMarkdown(matrix: Matrix, options: { drift?: { drift: Drift; file: string } } = {}): string {
  const { summary, records } = matrix;
  const withServer = summary.servers.length > 1;
  const status = summary.totals.fail > 0 ? '❌' : summary.totals.total === 0 ? '⚪' : '✅';
  const lines: string[] = [];
  lines.push('## CORS matrix', '');
  lines.push(
    `${status} **${summary.cases} cases**, ${summary.records} results: ${summary.totals.pass} pass, ${summary.totals.fail} fail, ${summary.totals.deviation} deviation, ${summary.totals.notRun} not run`,
    '',
  );
  if (summary.records === 0) {
    lines.push('No CORS cases ran.', '');
  } else {
    lines.push('| Browser | Version | Pass | Fail | Deviation | Not run | Total |', '| --- | --- | ---: | ---: | ---: | ---: | ---: |');
    for (const b of summary.browsers) lines.push(countsRow(b.name, [b.versions.join(', ') || '—'], b.counts));
    lines.push('');
    if (withServer) {
      lines.push('| Server | Pass | Fail | Deviation | Not run | Total |', '| --- | ---: | ---: | ---: | ---: | ---: |');
      for (const s of summary.servers) lines.push(countsRow(s.name, [], s.counts));
      lines.push('');
    }
    lines.push(
      '| Suite | Category | Cases | Pass | Fail | Deviation | Not run | Total |',
      '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const c of summary.categories) lines.push(countsRow(c.suite, [c.category, String(c.cases)], c.counts));
    lines.push('');
  }

  const failed = records.filter((r) => r.verdict === 'fail');
  if (failed.length > 0) {
    lines.push(`### Failures (${failed.length})`, '');
    for (const r of failed.slice(0, MAX_LISTED)) {
      const expected = outcomesText(r.steps.map((s) => s.expected.outcome));
      const observed = outcomesText(r.steps.map((s) => s.observed.outcome));
      const outcomes = r.steps.length > 0 ? `expected ${expected}, observed ${observed}` : 'no result';
      lines.push(
        `- ${code(r.caseId)} (${r.suite}/${r.category}) · ${where(r, withServer)}: ${outcomes}${r.problems.length ? ` – ${r.problems.map(clip).join('; ')}` : ''}`,
      );
    }
    if (failed.length > MAX_LISTED) lines.push(`- … and ${failed.length - MAX_LISTED} more: see cors-matrix.html`);
    lines.push('');
  }
  const deviations = records.filter((r) => r.verdict === 'deviation');
  if (deviations.length > 0) {
    lines.push(`### Known deviations from the Fetch Standard (${deviations.length})`, '');
    for (const r of deviations.slice(0, MAX_LISTED)) {
      lines.push(
        `- ${code(r.caseId)} · ${where(r, withServer)}: ${r.deviation ? `${citationMarkdown(r.deviation.section)} – ${r.deviation.observed}` : 'deviation'}`,
      );
    }
    if (deviations.length > MAX_LISTED) lines.push(`- … and ${deviations.length - MAX_LISTED} more`);
    lines.push('');
  }
  const notRun = records.filter((r) => r.verdict === 'not-run');
  if (notRun.length > 0) {
    lines.push(`### Not run (${notRun.length})`, '');
    const reasons = new Map<string, { count: number; browsers: Set<string> }>();
    for (const r of notRun) {
      const reason = r.notRunReason ?? 'skipped';
      const e = reasons.get(reason) ?? { count: 0, browsers: new Set<string>() };
      e.count++;
      e.browsers.add(r.browser.name);
      reasons.set(reason, e);
    }
    for (const [reason, e] of reasons) lines.push(`- ${[...e.browsers].join(', ')}: ${e.count} × ${reason}`);
    lines.push('');
  }
  if (options.drift) {
    const { drift, file } = options.drift;
    lines.push(`### Baseline ${hasDrift(drift) ? 'drift ❌' : '✅'}`, '', '```', formatDrift(drift, file), '```', '');
  }
  return `${lines.join('\n')}\n`.replace(/\n{3,}/g, '\n\n');
}
