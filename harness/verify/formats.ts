/**
 * The outputs of a verify run. `json` is read by other tools: its shape is fixed (docs/verify.md):
 * for one URL, one object per browser, or for --browser all one object
 * `{ target, browsers: [<one per browser>], verdict }`; for a list of targets (config file,
 * --targets, --openapi) `{ targets: [...], notRun, summary, cookies, verdict }`. `table` is for a
 * person at a terminal, `junit` for CI test tabs, `markdown` for CI summaries and pull-request
 * comments, `sarif` for code-scanning dashboards (sarif.ts).
 */
import { atLeast, type BrowserReport, type Finding, type ProbeResult, type Severity } from './types';
import type { VerifyRun, VerifyRuns } from './run';
import { sarif } from './sarif';
import type { Client, Outcome } from '../oracle';
import { localNetworkLines, type LocalNetworkNote } from './address-space';

/** The outputs of a run: for a person, for other tools, for CI test tabs, for CI summaries, for code scanning. */
export type Format = 'table' | 'json' | 'junit' | 'markdown' | 'sarif';
export const FORMATS: readonly Format[] = ['table', 'json', 'junit', 'markdown', 'sarif'];
/** The file each format is written to with --out-dir. */
export const FORMAT_FILES: Record<Format, string> = {
  table: 'cors-verify.txt',
  json: 'cors-verify.json',
  junit: 'cors-verify.junit.xml',
  markdown: 'cors-verify.md',
  sarif: 'cors-verify.sarif',
};

export interface JsonProbe {
  id: string;
  origin: string;
  method: string;
  headers: Record<string, string>;
  credentials: boolean;
  client: Client;
  preflight: boolean;
  outcome: ProbeResult['outcome'];
  reason: string;
  expected: Outcome;
  /** browser, or node-preflight: only the preflight went out, from Node, judged by the oracle (not browser-confirmed). */
  via: ProbeResult['via'];
}

export interface JsonReport {
  target: string;
  browser: { name: string; version: string };
  probes: JsonProbe[];
  findings: JsonFinding[];
  /** Findings a config file's `suppress` entry accepts; present only when there are some. */
  suppressed?: Array<JsonFinding & { reason: string; until: string | null }>;
  verdict: 'pass' | 'fail';
}

export type JsonFinding = Pick<Finding, 'id' | 'severity' | 'origin' | 'evidence' | 'fix'>;

export function jsonReport(r: BrowserReport): JsonReport {
  return {
    target: r.target,
    browser: { name: r.browser.name, version: r.browser.version },
    probes: r.probes.map((p) => ({
      id: p.probe.id,
      origin: p.probe.page.origin,
      method: p.probe.method,
      headers: Object.fromEntries(p.probe.headers),
      credentials: p.probe.credentials,
      client: p.probe.client,
      preflight: p.preflight,
      outcome: p.outcome,
      reason: p.reason,
      expected: p.probe.expected,
      via: p.via,
    })),
    findings: r.findings.map(jsonFinding),
    ...(r.suppressed?.length
      ? { suppressed: r.suppressed.map((s) => ({ ...jsonFinding(s.finding), reason: s.reason, until: s.until })) }
      : {}),
    verdict: r.verdict,
  };
}

const jsonFinding = (f: Finding): JsonFinding => ({ id: f.id, severity: f.severity, origin: f.origin, evidence: f.evidence, fix: f.fix });

/**
 * One report for one browser; for --browser all, one object holding a report per browser. Either
 * has `localNetwork` when a claimed origin's real pages would cross Local Network Access to reach
 * the target (address-space.ts).
 */
export type VerifyJson = (JsonReport | { target: string; browsers: JsonReport[]; verdict: 'pass' | 'fail' }) & {
  localNetwork?: LocalNetworkNote;
};

/** The object `--format json` prints (and the programmatic `verify()` resolves to). */
export function jsonOf(run: VerifyRun): VerifyJson {
  const local = run.localNetwork ? { localNetwork: run.localNetwork } : {};
  return run.reports.length === 1
    ? { ...jsonReport(run.reports[0]!), ...local }
    : { target: run.target, browsers: run.reports.map(jsonReport), verdict: run.verdict, ...local };
}

export function json(run: VerifyRun): string {
  return `${JSON.stringify(jsonOf(run), null, 2)}\n`;
}

function label(p: ProbeResult): string {
  const req = `${p.probe.method}${p.probe.headers.length && p.probe.shape !== 'post-form' ? ` +${p.probe.headers.map(([n]) => n).join(',')}` : ''}${p.probe.shape === 'post-form' ? ' (empty form)' : ''}${p.probe.shape === 'read-headers' ? ` read ${(p.probe.readHeaders ?? []).join(',') || '-'}` : ''}`;
  if (p.via === 'node-preflight')
    return `${req} preflight only, from Node${p.probe.credentials ? ' (+credentials)' : ''} – not browser-confirmed`;
  // An element's credentials come from its crossorigin attribute: name the attribute instead.
  const sent = p.probe.crossorigin ? ` crossorigin=${p.probe.crossorigin}` : p.probe.credentials ? '+credentials' : '';
  return `${req} ${p.probe.client}${sent}${p.preflight ? ' (preflight)' : ''}`;
}

function mark(p: ProbeResult): string {
  if (!p.met) return 'FAIL';
  return p.outcome === 'not-run' ? '-' : 'ok';
}

function pageLabel(p: ProbeResult): string {
  const who = p.probe.page.origin === 'null' ? 'null (sandboxed)' : p.probe.page.origin;
  return p.probe.role === 'attacker' ? `${who} [${p.probe.kind}]` : p.probe.role === 'denied' ? `${who} [denied]` : who;
}

function corsHeaders(headers: ReadonlyArray<readonly [string, string]>): string {
  const shown = headers.filter(([n]) => /^access-control-|^vary$/i.test(n));
  return shown.length ? shown.map(([n, v]) => `${n}: ${v}`).join(' · ') : '(no CORS headers)';
}

function counts(r: BrowserReport, failOn: Severity): string {
  const unmet = r.probes.filter((p) => !p.met).length;
  const failing = r.findings.filter((f) => atLeast(f.severity, failOn)).length;
  const notRun = r.probes.filter((p) => p.outcome === 'not-run').length;
  const errors = r.probes.filter((p) => p.outcome === 'error').length;
  return `${r.probes.length - notRun} probes run${errors ? ` (${errors} failed on the network)` : ''}, ${notRun} not run, ${unmet} expectation${unmet === 1 ? '' : 's'} not met, ${r.findings.length} finding${r.findings.length === 1 ? '' : 's'} (${failing} at or above ${failOn})`;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

export function table(run: VerifyRun, failOn: Severity, note: string | null): string {
  const out: string[] = [];
  for (const r of run.reports) {
    out.push(`cors-conform verify ${r.target} — ${r.browser.name}${r.browser.version ? ` ${r.browser.version}` : ''}`);
    if (note) out.push(note);
    if (r.notRun) out.push(`not run: ${r.notRun}`);
    out.push('');
    const rows = r.probes.map((p) => [
      mark(p),
      p.outcome === 'not-run' ? 'not run' : p.outcome,
      p.probe.expected,
      pageLabel(p),
      label(p),
      p.reason,
    ]);
    const head = ['', 'OUTCOME', 'EXPECTED', 'ORIGIN', 'REQUEST', 'REASON'];
    const widths = head.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((row) => row[i]!.length))));
    out.push(
      head
        .map((h, i) => pad(h, widths[i]!))
        .join('  ')
        .trimEnd(),
    );
    for (const row of rows)
      out.push(
        row
          .map((c, i) => (i === row.length - 1 ? c : pad(c, widths[i]!)))
          .join('  ')
          .trimEnd(),
      );
    out.push('');
    if (r.findings.length === 0) out.push('Findings: none');
    else out.push(`Findings (${r.findings.length}):`);
    for (const f of r.findings) {
      out.push('');
      out.push(`  [${f.severity.toUpperCase()}] ${f.id} — ${f.origin || '(no origin)'}`);
      out.push(`    ${f.evidence.summary}`);
      if (f.evidence.request)
        out.push(
          `    request:  ${f.evidence.request.method} ${f.evidence.request.url}  ${Object.entries(f.evidence.request.headers)
            .map(([n, v]) => `${n}: ${v}`)
            .join(' · ')}`,
        );
      if (f.evidence.response) out.push(`    response: ${f.evidence.response.status}  ${corsHeaders(f.evidence.response.headers)}`);
      if (f.evidence.reason)
        out.push(
          `    reason:   ${f.evidence.reason.source === 'browser' ? r.browser.name : 'oracle'}: ${f.evidence.reason.code} — ${f.evidence.reason.text}`,
        );
      if (f.evidence.alsoTrusted?.length) out.push(`    also trusted: ${f.evidence.alsoTrusted.join(', ')}`);
      if (f.evidence.probes.length > 1)
        out.push(
          `    probes:   ${f.evidence.probes.length} (${f.evidence.probes.slice(0, 3).join('; ')}${f.evidence.probes.length > 3 ? '; …' : ''})`,
        );
      out.push(`    fix:      ${f.fix.summary}`);
      out.push(`      Express:  ${f.fix.express}`);
      out.push(`      Fastify:  ${f.fix.fastify}`);
      out.push(`      PHP:      ${f.fix.php}`);
      out.push(`      ASP.NET:  ${f.fix.aspnet}`);
    }
    for (const x of r.suppressed ?? [])
      out.push(
        '',
        `  suppressed: ${x.finding.id} — ${x.finding.origin || '(no origin)'}: ${x.reason}${x.until ? ` (until ${x.until})` : ''}`,
      );
    const unmet = r.probes.filter((p) => !p.met);
    if (unmet.length) {
      out.push('');
      out.push(`Expectations not met (${unmet.length}):`);
      for (const p of unmet)
        out.push(`  ${p.probe.id}: expected ${p.probe.expected}, got ${p.outcome} (${p.reason}) — expected because ${p.probe.because}`);
    }
    out.push('');
    out.push(`${r.browser.name}: ${r.verdict.toUpperCase()} — ${counts(r, failOn)}`);
    out.push('');
  }
  if (run.localNetwork) out.push('Local Network Access:', ...localNetworkLines(run.localNetwork).map((l) => `  ${l}`), '');
  if (run.reports.length > 1)
    out.push(`Verdict: ${run.verdict.toUpperCase()} (${run.reports.map((r) => `${r.browser.name} ${r.verdict}`).join(', ')})`);
  out.push(`Verdict: ${run.verdict.toUpperCase()} in ${(run.ms / 1000).toFixed(1)} s`);
  return `${out.join('\n')}\n`;
}

/** XML 1.0 forbids these control characters; they are dropped. */
// eslint-disable-next-line no-control-regex -- the point of this pattern
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

function xml(s: string): string {
  return s.replace(XML_FORBIDDEN, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function junit(run: VerifyRun, failOn: Severity): string {
  const suites: string[] = [];
  let total = 0;
  let failures = 0;
  let skipped = 0;
  for (const r of run.reports) {
    const cases: string[] = [];
    let f = 0;
    let s = 0;
    for (const p of r.probes) {
      const name = xml(p.probe.id);
      if (p.outcome === 'not-run' && p.met) {
        s++;
        cases.push(
          `    <testcase classname="verify.${r.browser.name}.probes" name="${name}"><skipped message="${xml(p.reason)}"/></testcase>`,
        );
      } else if (!p.met) {
        f++;
        cases.push(
          `    <testcase classname="verify.${r.browser.name}.probes" name="${name}"><failure message="${xml(`expected ${p.probe.expected}, got ${p.outcome} (${p.reason})`)}">${xml(`expected because ${p.probe.because}`)}</failure></testcase>`,
        );
      } else {
        cases.push(`    <testcase classname="verify.${r.browser.name}.probes" name="${name}"/>`);
      }
    }
    for (const finding of r.findings) {
      const name = xml(`[${finding.severity}] ${finding.id} ${finding.origin}`);
      const body = xml(
        `${finding.evidence.summary}\nfix: ${finding.fix.summary}\nExpress: ${finding.fix.express}\nFastify: ${finding.fix.fastify}\nPHP: ${finding.fix.php}\nASP.NET: ${finding.fix.aspnet}`,
      );
      if (atLeast(finding.severity, failOn)) {
        f++;
        cases.push(
          `    <testcase classname="verify.${r.browser.name}.findings" name="${name}"><failure message="${xml(finding.evidence.summary)}">${body}</failure></testcase>`,
        );
      } else {
        cases.push(
          `    <testcase classname="verify.${r.browser.name}.findings" name="${name}"><system-out>${body}</system-out></testcase>`,
        );
      }
    }
    total += cases.length;
    failures += f;
    skipped += s;
    suites.push(
      `  <testsuite name="${xml(`cors-conform verify ${r.target} (${r.browser.name} ${r.browser.version})`)}" tests="${cases.length}" failures="${f}" skipped="${s}" errors="0">\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="cors-conform verify" tests="${total}" failures="${failures}" skipped="${skipped}" errors="0">\n${suites.join('\n')}\n</testsuites>\n`;
}

function md(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function markdown(run: VerifyRun, failOn: Severity, note: string | null): string {
  const out: string[] = [`# cors-conform verify: ${run.verdict.toUpperCase()}`, ''];
  if (note) out.push(`> ${note}`, '');
  if (run.localNetwork) {
    const [head, ...rest] = localNetworkLines(run.localNetwork);
    out.push(`**Local Network Access:** ${md(head!)}`, '', ...rest.map((l) => `- ${md(l)}`), '');
  }
  for (const r of run.reports) {
    out.push(
      `## ${r.browser.name}${r.browser.version ? ` ${r.browser.version}` : ''}: ${r.verdict.toUpperCase()}`,
      '',
      `Target: \`${r.target}\` · ${counts(r, failOn)}`,
      '',
    );
    if (r.notRun) out.push(`Not run: ${md(r.notRun)}`, '');
    out.push('| | Outcome | Expected | Origin | Request | Reason |', '|---|---|---|---|---|---|');
    for (const p of r.probes)
      out.push(`| ${mark(p)} | ${p.outcome} | ${p.probe.expected} | \`${md(pageLabel(p))}\` | ${md(label(p))} | ${md(p.reason)} |`);
    out.push('', `### Findings (${r.findings.length})`, '');
    if (r.findings.length === 0) out.push('None.', '');
    for (const f of r.findings) {
      out.push(`#### ${f.severity.toUpperCase()} · \`${f.id}\` · \`${f.origin}\``, '', md(f.evidence.summary), '');
      if (f.evidence.request)
        out.push(
          `- Request: \`${f.evidence.request.method} ${f.evidence.request.url}\` ${Object.entries(f.evidence.request.headers)
            .map(([n, v]) => `\`${md(`${n}: ${v}`)}\``)
            .join(' ')}`,
        );
      if (f.evidence.response) out.push(`- Response: ${f.evidence.response.status} \`${md(corsHeaders(f.evidence.response.headers))}\``);
      if (f.evidence.reason)
        out.push(
          `- Reason (${f.evidence.reason.source === 'browser' ? r.browser.name : 'oracle'}): \`${f.evidence.reason.code}\` ${md(f.evidence.reason.text)}`,
        );
      if (f.evidence.alsoTrusted?.length) out.push(`- Also trusted: ${f.evidence.alsoTrusted.map((o) => `\`${o}\``).join(', ')}`);
      out.push(
        '',
        `**Fix:** ${md(f.fix.summary)}`,
        '',
        `- Express: \`${md(f.fix.express)}\``,
        `- Fastify: \`${md(f.fix.fastify)}\``,
        `- PHP: \`${md(f.fix.php)}\``,
        `- ASP.NET: \`${md(f.fix.aspnet)}\``,
        '',
      );
    }
    if (r.suppressed?.length) {
      out.push(`### Suppressed (${r.suppressed.length})`, '');
      for (const x of r.suppressed)
        out.push(`- \`${x.finding.id}\` · \`${x.finding.origin}\`: ${md(x.reason)}${x.until ? ` (until ${x.until})` : ''}`);
      out.push('');
    }
  }
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// A list of targets (config file, --targets, --openapi): the same reports, a summary first.

/** One target's entry in the JSON of a list. */
export interface JsonTarget {
  target: string;
  /** Why it could not be verified at all (unreachable); its verdict is then fail. */
  error: string | null;
  browsers: JsonReport[];
  verdict: 'pass' | 'fail';
  /** Present when a claimed origin's real pages would cross Local Network Access (address-space.ts). */
  localNetwork?: LocalNetworkNote;
}

export interface JsonRuns {
  targets: JsonTarget[];
  /** Targets known but not run (an OpenAPI path with no example), with why. */
  notRun: Array<{ target: string; reason: string }>;
  summary: {
    targets: number;
    passed: number;
    failed: number;
    notRun: number;
    /** Finding id → how many targets show it (in any browser), suppressed ones not counted. */
    findings: Record<string, number>;
    /** Suppressions past their date that matched a finding again. */
    expiredSuppressions: Array<{ finding: string; target?: string; origin?: string; reason: string; until?: string }>;
  };
  /** What the credentialed probes carried. */
  cookies: string;
  verdict: 'pass' | 'fail';
}

export function jsonOfRuns(input: VerifyRuns): JsonRuns {
  const findings: Record<string, number> = {};
  for (const run of input.runs)
    for (const id of new Set(run.reports.flatMap((r) => r.findings.map((f) => f.id)))) findings[id] = (findings[id] ?? 0) + 1;
  return {
    targets: input.runs.map((run) => ({
      target: run.target,
      error: run.error,
      browsers: run.reports.map(jsonReport),
      verdict: run.verdict,
      ...(run.localNetwork ? { localNetwork: run.localNetwork } : {}),
    })),
    notRun: input.unrun,
    summary: {
      targets: input.runs.length + input.unrun.length,
      passed: input.runs.filter((r) => r.verdict === 'pass').length,
      failed: input.runs.filter((r) => r.verdict === 'fail').length,
      notRun: input.unrun.length,
      findings,
      expiredSuppressions: input.expired.map((s) => ({ ...s })),
    },
    cookies: input.cookies,
    verdict: input.verdict,
  };
}

interface SummaryRow {
  mark: string;
  target: string;
  origin: string;
  cells: string[];
  findings: string;
}

/** target × origin: per browser how many probes were allowed / blocked, and the findings there. */
function summaryRows(input: VerifyRuns): { browsers: string[]; rows: SummaryRow[] } {
  const browsers = [...new Set(input.runs.flatMap((run) => run.reports.map((r) => r.browser.name)))];
  const rows: SummaryRow[] = [];
  for (const run of input.runs) {
    const first = rows.length;
    if (run.error !== null) {
      rows.push({ mark: 'FAIL', target: run.target, origin: '-', cells: browsers.map(() => '-'), findings: `not verified: ${run.error}` });
      continue;
    }
    const probes = run.reports.flatMap((r) => r.probes);
    const named = [...new Set(probes.filter((p) => p.probe.role !== 'attacker').map((p) => p.probe.page.origin))];
    const attackers = new Set(probes.filter((p) => p.probe.role === 'attacker').map((p) => p.probe.page.origin));
    const groups: Array<{ origin: string; label: string; has: (p: ProbeResult) => boolean }> = [
      ...named.map((o) => ({ origin: o, label: o, has: (p: ProbeResult) => p.probe.role !== 'attacker' && p.probe.page.origin === o })),
      ...(attackers.size
        ? [{ origin: '', label: `attackers (${attackers.size} origins)`, has: (p: ProbeResult) => p.probe.role === 'attacker' }]
        : []),
    ];
    for (const g of groups) {
      const cells = browsers.map((b) => {
        const r = run.reports.find((x) => x.browser.name === b);
        if (!r) return '-';
        if (r.notRun) return 'not run';
        const mine = r.probes.filter(g.has);
        const n = (o: string) => mine.filter((p) => p.outcome === o).length;
        const unmet = mine.filter((p) => !p.met).length;
        return `${n('allowed')} allowed / ${n('blocked')} blocked${unmet ? ` (${unmet} unmet)` : ''}`;
      });
      const ids = new Map<string, Severity>();
      for (const f of run.reports.flatMap((r) => r.findings)) {
        const attacker = !named.includes(f.origin) && f.origin !== '';
        if (g.origin === '' ? attacker : f.origin === g.origin || (f.origin === '' && rows.length === first)) ids.set(f.id, f.severity);
      }
      const suppressed = new Set(
        run.reports.flatMap((r) =>
          (r.suppressed ?? []).filter((s) => g.origin === '' || s.finding.origin === g.origin).map((s) => s.finding.id),
        ),
      );
      const text = [
        ...[...ids].map(([id, sev]) => `${id} (${sev})`),
        ...[...suppressed].filter((id) => !ids.has(id)).map((id) => `${id} (suppressed)`),
      ];
      rows.push({
        mark: rows.length === first ? (run.verdict === 'pass' ? 'ok' : 'FAIL') : '',
        target: rows.length === first ? run.target : '',
        origin: g.label,
        cells,
        findings: text.join(', '),
      });
    }
  }
  for (const u of input.unrun)
    rows.push({ mark: '-', target: u.target, origin: '-', cells: browsers.map(() => 'not run'), findings: u.reason });
  return { browsers, rows };
}

function manyVerdictLine(input: VerifyRuns): string {
  const failed = input.runs.filter((r) => r.verdict === 'fail').length;
  return `${input.verdict.toUpperCase()}: ${input.runs.length - failed} of ${input.runs.length} targets pass${input.unrun.length ? `, ${input.unrun.length} not run` : ''} in ${(input.ms / 1000).toFixed(1)} s`;
}

function expiredLines(input: VerifyRuns): string[] {
  return input.expired.map(
    (s) =>
      `suppression expired on ${s.until}: ${s.finding}${s.target ? ` for ${s.target}` : ''}${s.origin ? ` from ${s.origin}` : ''} (${s.reason}) – the finding fails again`,
  );
}

/** A person's view of a list: the summary table, then the full report of each target that did not pass. */
export function tableOfRuns(input: VerifyRuns, failOn: Severity): string {
  const { browsers, rows } = summaryRows(input);
  const head = ['', 'TARGET', 'ORIGIN', ...browsers.map((b) => b.toUpperCase()), 'FINDINGS'];
  const cells = rows.map((r) => [r.mark, r.target, r.origin, ...r.cells, r.findings]);
  const widths = head.map((h, i) => Math.min(64, Math.max(h.length, ...cells.map((c) => c[i]!.length))));
  const line = (c: string[]) =>
    c
      .map((x, i) => (i === c.length - 1 ? x : pad(x, widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [
    `cors-conform verify: ${input.runs.length + input.unrun.length} targets — credentialed probes carried ${input.cookies}`,
    '',
    line(head),
    ...cells.map(line),
    '',
  ];
  for (const l of expiredLines(input)) out.push(l);
  if (input.expired.length) out.push('');
  for (const run of input.runs.filter((r) => r.verdict === 'fail' && r.error === null)) out.push(table(run, failOn, null).trimEnd(), '');
  out.push(manyVerdictLine(input));
  return `${out.join('\n')}\n`;
}

export function markdownOfRuns(input: VerifyRuns, failOn: Severity): string {
  const { browsers, rows } = summaryRows(input);
  const out = [
    `# cors-conform verify: ${manyVerdictLine(input)}`,
    '',
    `Credentialed probes carried ${md(input.cookies)}.`,
    '',
    `| | Target | Origin | ${browsers.join(' | ')} | Findings |`,
    `|---|---|---|${browsers.map(() => '---|').join('')}---|`,
    ...rows.map(
      (r) =>
        `| ${r.mark} | ${r.target ? `\`${md(r.target)}\`` : ''} | ${md(r.origin)} | ${r.cells.map(md).join(' | ')} | ${md(r.findings)} |`,
    ),
    '',
  ];
  for (const l of expiredLines(input)) out.push(`- ${md(l)}`);
  if (input.expired.length) out.push('');
  for (const run of input.runs.filter((r) => r.verdict === 'fail' && r.error === null))
    out.push(`<details><summary>${run.target}: FAIL</summary>`, '', markdown(run, failOn, null).replace(/^# .*\n\n/, ''), '</details>', '');
  return `${out.join('\n')}\n`;
}

export function junitOfRuns(input: VerifyRuns, failOn: Severity): string {
  const suites: string[] = [];
  const totals = { tests: 0, failures: 0, skipped: 0 };
  for (const run of input.runs) {
    if (run.error !== null) {
      totals.tests++;
      totals.failures++;
      suites.push(
        `  <testsuite name="${xml(`cors-conform verify ${run.target}`)}" tests="1" failures="1" skipped="0" errors="0">\n    <testcase classname="verify.reachability" name="${xml(run.target)}"><failure message="${xml(run.error)}"/></testcase>\n  </testsuite>`,
      );
      continue;
    }
    const one = junit(run, failOn);
    for (const m of one.matchAll(/<testsuites [^>]*tests="(\d+)" failures="(\d+)" skipped="(\d+)"/g)) {
      totals.tests += Number(m[1]);
      totals.failures += Number(m[2]);
      totals.skipped += Number(m[3]);
    }
    suites.push(
      one
        .replace(/^[\s\S]*?<testsuites [^>]*>\n/, '')
        .replace(/<\/testsuites>\n$/, '')
        .trimEnd(),
    );
  }
  for (const u of input.unrun) {
    totals.tests++;
    totals.skipped++;
    suites.push(
      `  <testsuite name="${xml(`cors-conform verify ${u.target}`)}" tests="1" failures="0" skipped="1" errors="0">\n    <testcase classname="verify.targets" name="${xml(u.target)}"><skipped message="${xml(u.reason)}"/></testcase>\n  </testsuite>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="cors-conform verify" tests="${totals.tests}" failures="${totals.failures}" skipped="${totals.skipped}" errors="0">\n${suites.join('\n')}\n</testsuites>\n`;
}

/** One run as a list of one (what `many` formats and SARIF take). */
export function asRuns(input: VerifyRun | VerifyRuns): VerifyRuns {
  if ('runs' in input) return input;
  return { runs: [input], verdict: input.verdict, cookies: '', ms: input.ms, unrun: [], expired: [], many: false };
}

/**
 * Renders a run in a format. One URL keeps the one-target shapes; a list (`many`) gets the list's
 * (a summary and one entry per target). SARIF is the same for both.
 */
export function render(format: Format, input: VerifyRun | VerifyRuns, failOn: Severity, note: string | null): string {
  const runs = asRuns(input);
  if (format === 'sarif') return sarif(runs);
  if (runs.many || runs.runs.length !== 1) {
    switch (format) {
      case 'json':
        return `${JSON.stringify(jsonOfRuns(runs), null, 2)}\n`;
      case 'junit':
        return junitOfRuns(runs, failOn);
      case 'markdown':
        return markdownOfRuns(runs, failOn);
      case 'table':
        return tableOfRuns(runs, failOn);
    }
  }
  const run = runs.runs[0]!;
  switch (format) {
    case 'json':
      return json(run);
    case 'junit':
      return junit(run, failOn);
    case 'markdown':
      return markdown(run, failOn, note);
    case 'table':
      return table(run, failOn, note);
  }
}
