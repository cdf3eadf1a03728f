/**
 * SARIF 2.1.0 (OASIS, https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html), the
 * format code-scanning dashboards read: one rule per finding id, one result per finding per
 * target and origin (the browsers that showed it listed in its properties). A suppressed finding
 * is a result with an external suppression carrying the config file's reason, as §3.34 intends.
 * tests/unit/verify/sarif.spec.ts validates the output against the SARIF schema.
 */
import { createHash } from 'node:crypto';
import { packageInfo } from '../core/package-info';
import { FINDING_INFO } from './findings';
import type { VerifyRuns } from './run';
import { FINDING_IDS, type Finding, type FindingId, type Severity } from './types';

/** SARIF levels: what fails a build is an error, what should be looked at a warning. */
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note' };

/** GitHub code scanning reads `security-severity` (0–10) to rank security results: ≥9 critical, ≥7 high, ≥4 medium. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '7.5', medium: '5.0', low: '2.0' };

interface Occurrence {
  target: string;
  finding: Finding;
  browsers: string[];
  suppression: { reason: string; until: string | null } | null;
}

function fixText(f: Finding): string {
  return `${f.fix.summary}\nExpress: ${f.fix.express}\nFastify: ${f.fix.fastify}\nPHP: ${f.fix.php}\nASP.NET: ${f.fix.aspnet}`;
}

function fixMarkdown(f: Finding): string {
  const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
  return `${f.fix.summary}\n\n- Express: ${code(f.fix.express)}\n- Fastify: ${code(f.fix.fastify)}\n- PHP: ${code(f.fix.php)}\n- ASP.NET: ${code(f.fix.aspnet)}`;
}

/** One occurrence per finding id × target × origin, whichever browsers showed it. */
function occurrences(input: VerifyRuns): Occurrence[] {
  const byKey = new Map<string, Occurrence>();
  for (const run of input.runs) {
    for (const r of run.reports) {
      const all = [
        ...r.findings.map((finding) => ({ finding, suppression: null })),
        ...(r.suppressed ?? []).map((s) => ({ finding: s.finding, suppression: { reason: s.reason, until: s.until } })),
      ];
      for (const { finding, suppression } of all) {
        const key = `${finding.id}\u0000${run.target}\u0000${finding.origin}`;
        const seen = byKey.get(key);
        if (seen) {
          if (!seen.browsers.includes(r.browser.name)) seen.browsers.push(r.browser.name);
        } else byKey.set(key, { target: run.target, finding, browsers: [r.browser.name], suppression });
      }
    }
  }
  return [...byKey.values()];
}

export function sarifOf(input: VerifyRuns): object {
  const found = occurrences(input);
  const ids = FINDING_IDS.filter((id) => found.some((o) => o.finding.id === id));
  const rules = ids.map((id: FindingId) => {
    const info = FINDING_INFO[id];
    // The fix depends on what the pages need (origins, methods, credentials): the first
    // occurrence's advice stands as the rule's help; every result carries its own in the message.
    const example = found.find((o) => o.finding.id === id)!.finding;
    return {
      id,
      name: id.replace(/(^|-)([a-z])/g, (_m, _d: string, c: string) => c.toUpperCase()),
      shortDescription: { text: info.title },
      fullDescription: { text: `${info.title}.` },
      help: { text: fixText(example), markdown: fixMarkdown(example) },
      properties: {
        tags: ['security', 'cors', ...(info.cwe ? [info.cwe, `external/cwe/${info.cwe.toLowerCase()}`] : [])],
        precision: example.evidence.level === 'browser' ? 'very-high' : 'high',
        'security-severity': SECURITY_SEVERITY[example.severity],
      },
    };
  });
  const results = found.map((o) => {
    const f = o.finding;
    const where = f.origin === '' ? o.target : `${o.target} from ${f.origin}`;
    return {
      ruleId: f.id,
      ruleIndex: ids.indexOf(f.id),
      level: LEVEL[f.severity],
      message: { text: `${f.evidence.summary}. Fix: ${f.fix.summary}` },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: o.target } },
          logicalLocations: [{ name: f.origin || '(any origin)', fullyQualifiedName: where }],
        },
      ],
      // Stable across runs (no per-run token): a dashboard sees the same finding, not a new one.
      partialFingerprints: {
        'corsConformFinding/v1': createHash('sha256').update(`${f.id}\u0000${o.target}\u0000${f.origin}`).digest('hex').slice(0, 32),
      },
      properties: {
        severity: f.severity,
        'security-severity': SECURITY_SEVERITY[f.severity],
        evidenceLevel: f.evidence.level,
        browsers: o.browsers,
        origin: f.origin,
        target: o.target,
      },
      ...(o.suppression
        ? {
            suppressions: [
              {
                kind: 'external',
                status: 'accepted',
                justification: `${o.suppression.reason}${o.suppression.until ? ` (until ${o.suppression.until})` : ''}`,
              },
            ],
          }
        : {}),
    };
  });
  const { version } = packageInfo();
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'cors-conform',
            version,
            informationUri: 'https://www.npmjs.com/package/cors-conform',
            rules,
          },
        },
        invocations: [
          {
            executionSuccessful: input.runs.every((r) => r.error === null),
            toolExecutionNotifications: [
              ...input.runs
                .filter((r) => r.error !== null)
                .map((r) => ({ level: 'error', message: { text: `${r.target}: not verified: ${r.error}` } })),
              ...input.unrun.map((u) => ({ level: 'note', message: { text: `${u.target}: not run: ${u.reason}` } })),
            ],
          },
        ],
        results,
      },
    ],
  };
}

export function sarif(input: VerifyRuns): string {
  return `${JSON.stringify(sarifOf(input), null, 2)}\n`;
}
