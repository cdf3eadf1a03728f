/**
 * The four outputs of a verify run. `json` is read by other tools: its shape is fixed (docs/verify.md): one object per browser, or for --browser all one object
 * `{ target, browsers: [<one per browser>], verdict }`. `table` is for a person at a terminal,
 * `junit` for CI test tabs, `markdown` for CI summaries and pull-request comments.
 */
import { atLeast, type BrowserReport, type Finding, type ProbeResult, type Severity } from './types';
import type { VerifyRun } from './run';

/** The outputs of a run: for a person, for other tools, for CI test tabs, for CI summaries. */
export type Format = 'table' | 'json' | 'junit' | 'markdown';
export const FORMATS: readonly Format[] = ['table', 'json', 'junit', 'markdown'];

export interface JsonProbe {
  id: string;
  origin: string;
  method: string;
  headers: Record<string, string>;
  credentials: boolean;
  client: 'fetch' | 'xhr';
  preflight: boolean;
  outcome: ProbeResult['outcome'];
  reason: string;
  expected: 'allowed' | 'blocked';
}

export interface JsonReport {
  target: string;
  browser: { name: string; version: string };
  probes: JsonProbe[];
  findings: Array<Pick<Finding, 'id' | 'severity' | 'origin' | 'evidence' | 'fix'>>;
  verdict: 'pass' | 'fail';
}

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
    })),
    findings: r.findings.map((f) => ({ id: f.id, severity: f.severity, origin: f.origin, evidence: f.evidence, fix: f.fix })),
    verdict: r.verdict,
  };
}

/** One report for one browser; for --browser all, one object holding a report per browser. */
export type VerifyJson = JsonReport | { target: string; browsers: JsonReport[]; verdict: 'pass' | 'fail' };

/** The object `--format json` prints (and the programmatic `verify()` resolves to). */
export function jsonOf(run: VerifyRun): VerifyJson {
  return run.reports.length === 1
    ? jsonReport(run.reports[0]!)
    : { target: run.target, browsers: run.reports.map(jsonReport), verdict: run.verdict };
}

export function json(run: VerifyRun): string {
  return `${JSON.stringify(jsonOf(run), null, 2)}\n`;
}

function label(p: ProbeResult): string {
  const req = `${p.probe.method}${p.probe.headers.length && p.probe.shape !== 'post-form' ? ` +${p.probe.headers.map(([n]) => n).join(',')}` : ''}${p.probe.shape === 'post-form' ? ' (empty form)' : ''}${p.probe.shape === 'read-headers' ? ` read ${(p.probe.readHeaders ?? []).join(',') || '-'}` : ''}`;
  return `${req} ${p.probe.client}${p.probe.credentials ? '+credentials' : ''}${p.preflight ? ' (preflight)' : ''}`;
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
  }
  return `${out.join('\n')}\n`;
}

export function render(format: Format, run: VerifyRun, failOn: Severity, note: string | null): string {
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
