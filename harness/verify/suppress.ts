/**
 * `suppress` entries of a config file: a finding the team has looked at and accepted, for a target
 * or origin pattern, with a reason and an optional expiry date. A suppressed finding stays in every
 * report (SARIF marks it suppressed) but no longer fails the verdict; once `until` has passed the
 * entry no longer applies, so the finding fails the build again and the report says the entry
 * expired.
 */
import { failingFindings } from './findings';
import type { BrowserReport, Finding, FindingId, Severity } from './types';
import type { VerifyRun } from './run';

export interface Suppression {
  finding: FindingId;
  /** A target URL, `*` matching any run of characters (`https://api.example.com/internal/*`); absent: every target. */
  target?: string;
  /** An origin the finding names, `*` as in `target`; absent: every origin. */
  origin?: string;
  reason: string;
  /** YYYY-MM-DD, the last day the entry applies. */
  until?: string;
}

export type SuppressedFinding = NonNullable<BrowserReport['suppressed']>[number];

/** `*` matches any run of characters; everything else is literal. */
export function matchesPattern(pattern: string, value: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`).test(value);
}

/** Today as YYYY-MM-DD in UTC, the form `until` is written in. */
export function today(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

const applies = (s: Suppression, target: string, f: Finding) =>
  s.finding === f.id &&
  (s.target === undefined || matchesPattern(s.target, target)) &&
  (s.origin === undefined || matchesPattern(s.origin, f.origin));

/**
 * Moves suppressed findings of each report out of `findings` into `suppressed` and recomputes the
 * verdicts. Returns the expired entries that would have matched a finding (they match no longer).
 */
export function applySuppressions(runs: VerifyRun[], entries: readonly Suppression[], failOn: Severity, day = today()): Suppression[] {
  const active = entries.filter((s) => s.until === undefined || s.until >= day);
  const expired = entries.filter((s) => !active.includes(s));
  const expiredHit = new Set<Suppression>();
  for (const run of runs) {
    for (const r of run.reports) {
      const kept: Finding[] = [];
      const suppressed: SuppressedFinding[] = [...(r.suppressed ?? [])];
      for (const f of r.findings) {
        const entry = active.find((s) => applies(s, run.target, f));
        if (entry) suppressed.push({ finding: f, reason: entry.reason, until: entry.until ?? null });
        else {
          kept.push(f);
          for (const s of expired) if (applies(s, run.target, f)) expiredHit.add(s);
        }
      }
      r.findings = kept;
      if (suppressed.length > 0) r.suppressed = suppressed;
      r.verdict = verdictOf(r, failOn);
    }
    run.verdict = run.error !== null || run.reports.some((r) => r.verdict === 'fail') ? 'fail' : 'pass';
  }
  return entries.filter((s) => expiredHit.has(s));
}

/**
 * The probes a suppressed finding accounts for: the ones behind it, and for an origin-trust finding
 * every attacker probe from the origins it names (an attacker origin that reads the response is
 * both the finding and an unmet expectation; accepting one accepts the other).
 */
function accountedFor(r: Pick<BrowserReport, 'probes' | 'suppressed'>): Set<string> {
  const ids = new Set<string>();
  for (const { finding } of r.suppressed ?? []) {
    for (const id of finding.evidence.probes) ids.add(id);
    const origins = new Set([finding.origin, ...(finding.evidence.alsoTrusted ?? [])]);
    for (const p of r.probes) if (p.probe.role === 'attacker' && origins.has(p.probe.page.origin)) ids.add(p.probe.id);
  }
  return ids;
}

/** Fails on an unmet expectation no suppressed finding accounts for, or a finding at or above failOn. */
export function verdictOf(r: Pick<BrowserReport, 'probes' | 'findings' | 'suppressed'>, failOn: Severity): 'pass' | 'fail' {
  const accepted = accountedFor(r);
  const unmet = r.probes.some((p) => !p.met && !accepted.has(p.probe.id));
  return unmet || failingFindings(r.findings, failOn).length > 0 ? 'fail' : 'pass';
}
