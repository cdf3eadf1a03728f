/**
 * Findings: what the probe results and the raw headers mean for the server's safety and for the
 * pages that should work. Pure.
 *
 * - Origin trust (reflects-*, trusts-*): reported only when the browser itself read the response
 *   from that attacker origin – a page truly living there (hosting.ts) – never from headers alone.
 *   With credentials the worst case is reading users' data with their cookies; without, reading
 *   what needs no cookie (intranet or IP-restricted data). `Access-Control-Allow-Origin: *`
 *   without credentials is a deliberate public API, not a finding (the expectations decide).
 * - Header-level (wildcard-with-credentials, missing-vary-origin, invalid-allow-origin): seen in
 *   the raw responses Node recorded; browsers block these, so the evidence says "header-level".
 * - Breakage (preflight-failed, allowed-origin-blocked): an origin the user says must work was
 *   blocked in the browser.
 *
 * A finding the user's expect file explicitly allows (e.g. a `https://*.example.com` entry) is not
 * reported: the expectation records the decision.
 */
import { CLIENT_TITLES, get, isOriginOrNull, REASONS, values, isReason, type HeaderList } from '../oracle';
import { fixFor, type FixContext } from './fixes';
import {
  atLeast,
  SEVERITIES,
  type AttackerKind,
  type Evidence,
  type Finding,
  type FindingId,
  type ProbeResult,
  type RawExchange,
  type Severity,
} from './types';

/** Severity of trusting an attacker origin, with and without credentials (docs/verify.md, "Findings"). */
export const TRUST_SEVERITY: Record<AttackerKind, { id: FindingId; credentials: Severity; plain: Severity }> = {
  unrelated: { id: 'reflects-any-origin', credentials: 'critical', plain: 'medium' },
  null: { id: 'trusts-null-origin', credentials: 'critical', plain: 'medium' },
  'prefix-lookalike': { id: 'trusts-prefix-lookalike', credentials: 'critical', plain: 'medium' },
  'special-character': { id: 'trusts-prefix-lookalike', credentials: 'critical', plain: 'medium' },
  'suffix-lookalike': { id: 'trusts-suffix-lookalike', credentials: 'critical', plain: 'medium' },
  'unescaped-dot': { id: 'trusts-unescaped-dot', credentials: 'critical', plain: 'medium' },
  subdomain: { id: 'trusts-any-subdomain', credentials: 'high', plain: 'low' },
  'http-twin': { id: 'trusts-http-origin', credentials: 'high', plain: 'low' },
};

/**
 * What each finding means, for readers of SARIF and other reports: a title and the weakness it is
 * (CWE-942: a permissive cross-domain policy with untrusted domains; CWE-346: an origin
 * validation error; breakage is no weakness, so it has none).
 */
export const FINDING_INFO: Record<FindingId, { title: string; cwe: string | null }> = {
  'reflects-any-origin': { title: 'The server echoes any Origin: every site can read responses that need no cookie', cwe: 'CWE-942' },
  'reflects-any-origin-with-credentials': {
    title: "The server echoes any Origin with credentials: every site can read users' data with their cookies",
    cwe: 'CWE-942',
  },
  'trusts-null-origin': { title: 'The server trusts the null origin, which any site can send from a sandboxed frame', cwe: 'CWE-942' },
  'trusts-prefix-lookalike': { title: 'The server trusts an origin that only starts like an allowed one', cwe: 'CWE-346' },
  'trusts-suffix-lookalike': { title: 'The server trusts an origin that only ends like an allowed one', cwe: 'CWE-346' },
  'trusts-unescaped-dot': { title: "The server's origin pattern leaves a dot unescaped", cwe: 'CWE-346' },
  'trusts-any-subdomain': { title: 'The server trusts every sub-domain of an allowed origin', cwe: 'CWE-942' },
  'trusts-http-origin': { title: 'The server trusts the plain-http twin of an https origin', cwe: 'CWE-346' },
  'wildcard-with-credentials': {
    title: 'Access-Control-Allow-Origin: * together with Access-Control-Allow-Credentials: true',
    cwe: 'CWE-942',
  },
  'missing-vary-origin': { title: 'Access-Control-Allow-Origin depends on Origin but the response has no Vary: Origin', cwe: 'CWE-346' },
  'invalid-allow-origin': { title: 'Access-Control-Allow-Origin is not *, null or one origin: no browser accepts it', cwe: null },
  'preflight-failed': { title: 'A preflight for something the pages need failed', cwe: null },
  'allowed-origin-blocked': { title: 'An origin that should work is blocked', cwe: null },
};

export const FIXED_SEVERITY: Partial<Record<FindingId, Severity>> = {
  'reflects-any-origin-with-credentials': 'critical',
  'wildcard-with-credentials': 'medium',
  'missing-vary-origin': 'low',
  'invalid-allow-origin': 'medium',
  'preflight-failed': 'high',
  'allowed-origin-blocked': 'high',
};

function reasonText(code: string): string {
  if (isReason(code)) return REASONS[code];
  if (code.startsWith('header-not-sent'))
    return 'The response was readable, but it did not carry these headers at all: send them from this route (CORS cannot expose an absent header).';
  if (code.startsWith('header-not-exposed'))
    return 'The response was readable, but these headers were not (not in Access-Control-Expose-Headers, or `*` with credentials).';
  if (code === 'timeout') return 'No response within --timeout.';
  return code;
}

function reasonOf(r: ProbeResult): Evidence['reason'] {
  if (r.outcome === 'not-run') return null;
  if (r.browserReason && r.outcome === 'blocked') return { source: 'browser', code: r.browserReason, text: reasonText(r.reason) };
  if (r.oracle) return { source: 'oracle', code: r.oracle.reason, text: reasonText(r.oracle.reason) };
  return { source: 'oracle', code: r.reason, text: reasonText(r.reason) };
}

function browserEvidence(r: ProbeResult, browser: string, summary: string, raw: RawExchange | null): Evidence {
  return {
    level: 'browser',
    summary,
    ...(r.probe.derivedFrom ? { derivedFrom: r.probe.derivedFrom } : {}),
    request: { method: r.probe.method, url: r.url, headers: { origin: r.probe.page.origin, ...Object.fromEntries(r.probe.headers) } },
    response: raw?.response ?? null,
    browser: { name: browser, outcome: r.outcome, status: r.status, readableHeaders: r.readableHeaders },
    reason: reasonOf(r),
    probes: [r.probe.id],
  };
}

function headerEvidence(x: RawExchange, summary: string): Evidence {
  return {
    level: 'header',
    summary: `header-level: ${summary}`,
    request: x.request,
    response: x.response,
    browser: null,
    reason: null,
    probes: [],
  };
}

function acao(headers: HeaderList): string | null {
  return get(headers, 'Access-Control-Allow-Origin');
}

function varies(headers: HeaderList): boolean {
  return values(headers, 'Vary').some((v) => v.split(',').some((t) => ['origin', '*'].includes(t.trim().toLowerCase())));
}

/** Every raw exchange with its redirect hops, flattened. */
function flatten(all: readonly RawExchange[]): RawExchange[] {
  return all.flatMap((x) => [x, ...(x.hops ?? [])]);
}

/** "2 requests", or for another requester "2 loads by @font-face". */
function loads(client: ProbeResult['probe']['client'], n: number): string {
  if (client === 'fetch' || client === 'xhr') return `request${n > 1 ? 's' : ''}`;
  return `load${n > 1 ? 's' : ''} by ${CLIENT_TITLES[client]}`;
}

export function deriveFindings(
  results: readonly ProbeResult[],
  exchanges: readonly RawExchange[],
  browser: string,
  ctx: FixContext,
): Finding[] {
  const findings: Finding[] = [];
  const add = (id: FindingId, severity: Severity, origin: string, evidence: Evidence) =>
    findings.push({ id, severity, origin, evidence, fix: fixFor(id, ctx) });

  // Origin trust, browser-confirmed: one finding per attacker page.
  const attackerPages = new Map<string, ProbeResult[]>();
  for (const r of results) {
    if (r.probe.role !== 'attacker') continue;
    attackerPages.set(r.probe.page.pageUrl, [...(attackerPages.get(r.probe.page.pageUrl) ?? []), r]);
  }
  const trust: Finding[] = [];
  for (const rs of attackerPages.values()) {
    // Only what the browser read, and only where the user did not expect it – and not where the
    // Fetch Standard, replaying the server's own answer, blocks it: then the browser departed
    // from the standard (WebKitGTK uses fonts without a CORS check), the server trusted no one.
    const read = rs.filter((r) => r.outcome === 'allowed' && r.probe.expected === 'blocked' && r.oracle?.outcome !== 'blocked');
    const withCreds = read.find((r) => r.probe.credentials);
    const plain = read.find((r) => !r.probe.credentials);
    const r = withCreds ?? plain;
    if (!r) continue;
    const kind = r.probe.kind as AttackerKind;
    const raw = r.evidence.actual;
    const allowOrigin = raw?.response ? acao(raw.response.headers) : null;
    // `*` without credentials is a public API (a deliberate choice), not trust in this origin.
    if (!withCreds && allowOrigin === '*') continue;
    const table = TRUST_SEVERITY[kind];
    const id: FindingId = kind === 'unrelated' && withCreds ? 'reflects-any-origin-with-credentials' : table.id;
    const severity = withCreds ? table.credentials : table.plain;
    const page = r.probe.page.origin === 'null' ? 'a sandboxed page (Origin: null)' : r.probe.page.origin;
    const summary = `${browser} read the response from ${page}${withCreds ? ' with credentials' : ''}${r.probe.derivedFrom ? `, an origin made to look like ${r.probe.derivedFrom}` : ''}; the server answered Access-Control-Allow-Origin: ${allowOrigin ?? '(see response)'}`;
    trust.push({ id, severity, origin: r.probe.page.origin, evidence: browserEvidence(r, browser, summary, raw), fix: fixFor(id, ctx) });
  }
  // A server that trusts an unrelated origin trusts the lookalikes too: fold those in. Variants
  // of one mistake (each unescaped dot, each special character) fold into one finding per origin
  // they imitate, the most severe first.
  const rank = (f: Finding) => SEVERITIES.indexOf(f.severity);
  const reflections = trust.filter((f) => f.id === 'reflects-any-origin' || f.id === 'reflects-any-origin-with-credentials');
  const kept: Finding[] = [];
  for (const f of [...trust].sort((a, b) => rank(b) - rank(a))) {
    if (reflections.includes(f)) continue;
    const into =
      reflections.find((x) => rank(x) >= rank(f)) ?? kept.find((x) => x.id === f.id && x.evidence.derivedFrom === f.evidence.derivedFrom);
    if (into) (into.evidence.alsoTrusted ??= []).push(f.origin);
    else kept.push(f);
  }
  findings.push(...reflections, ...trust.filter((f) => kept.includes(f)));

  // Header-level, from the raw responses.
  const raw = flatten(exchanges).filter((x) => x.response !== null);
  const wildcard = raw.find(
    (x) => acao(x.response!.headers) === '*' && get(x.response!.headers, 'Access-Control-Allow-Credentials')?.toLowerCase() === 'true',
  );
  if (wildcard) {
    add(
      'wildcard-with-credentials',
      FIXED_SEVERITY['wildcard-with-credentials']!,
      wildcard.request.headers.origin ?? '',
      headerEvidence(
        wildcard,
        'the response carries Access-Control-Allow-Origin: * together with Access-Control-Allow-Credentials: true; browsers refuse credentialed reads of it',
      ),
    );
  }
  const invalidSeen = new Set<string>();
  for (const x of raw) {
    const all = values(x.response!.headers, 'Access-Control-Allow-Origin');
    if (all.length === 0) continue;
    const value = all.map((v) => v.trim()).join(', ');
    // A value that is byte for byte the request's Origin is one the browser itself serialized
    // (hosts like `app.example.com_.evil-example.test` included), so it can match.
    const ok = all.length === 1 && (value === '*' || value === x.request.headers.origin || isOriginOrNull(value));
    if (ok || invalidSeen.has(value)) continue;
    invalidSeen.add(value);
    const why =
      all.length > 1
        ? `${all.length} Access-Control-Allow-Origin headers`
        : `Access-Control-Allow-Origin: ${value} is not *, null or one serialized origin`;
    add(
      'invalid-allow-origin',
      FIXED_SEVERITY['invalid-allow-origin']!,
      x.request.headers.origin ?? '',
      headerEvidence(x, `${why}; no browser accepts it`),
    );
  }
  // Missing Vary: Origin, when Allow-Origin demonstrably depends on Origin.
  const actuals = raw.filter((x) => x.request.method !== 'OPTIONS');
  const answers = new Set(actuals.map((x) => acao(x.response!.headers) ?? '(none)'));
  const dynamic = answers.size > 1;
  const unvaried = actuals.find((x) => {
    const value = acao(x.response!.headers);
    return value !== null && value !== '*' && !varies(x.response!.headers);
  });
  if (dynamic && unvaried) {
    add(
      'missing-vary-origin',
      FIXED_SEVERITY['missing-vary-origin']!,
      unvaried.request.headers.origin ?? '',
      headerEvidence(
        unvaried,
        `Access-Control-Allow-Origin is ${acao(unvaried.response!.headers)} for Origin ${unvaried.request.headers.origin} and differs for other origins, but the response has no Vary: Origin`,
      ),
    );
  }

  // Breakage: what the user said must work, blocked in the browser.
  const groups = new Map<string, { id: FindingId; rs: ProbeResult[] }>();
  for (const r of results) {
    if (r.probe.role !== 'allowed' || r.probe.expected !== 'allowed' || r.outcome !== 'blocked') continue;
    const code = r.reason;
    const preflightFailed = r.preflight && code.startsWith('preflight-');
    const id: FindingId = preflightFailed ? 'preflight-failed' : 'allowed-origin-blocked';
    const key = preflightFailed
      ? `${id} ${r.probe.page.origin} ${r.probe.method} ${r.probe.headers.map(([n]) => n).join()}`
      : `${id} ${r.probe.page.origin}`;
    const g = groups.get(key) ?? { id, rs: [] };
    g.rs.push(r);
    groups.set(key, g);
  }
  for (const { id, rs } of groups.values()) {
    const r = rs[0]!;
    const raw = id === 'preflight-failed' ? r.evidence.preflight : r.evidence.actual;
    const what =
      id === 'preflight-failed'
        ? `the preflight for ${r.probe.method}${r.probe.headers.length ? ` with ${r.probe.headers.map(([n]) => n).join(', ')}` : ''} failed`
        : `${rs.length} ${loads(r.probe.client, rs.length)} that should work ${rs.length > 1 ? 'were' : 'was'} blocked`;
    // A method the user did not name: only its preflight went out, from Node; the oracle judged it.
    const evidence =
      r.via === 'node-preflight' && raw
        ? headerEvidence(
            raw,
            `from ${r.probe.page.origin}, ${what} (${r.reason}); preflight only, sent from Node and judged by the oracle – not browser-confirmed`,
          )
        : browserEvidence(r, browser, `${browser}: from ${r.probe.page.origin}, ${what} (${r.reason})`, raw);
    if (id === 'preflight-failed' && raw) evidence.request = raw.request;
    evidence.probes = rs.map((x) => x.probe.id);
    add(id, FIXED_SEVERITY[id]!, r.probe.page.origin, evidence);
  }
  return findings;
}

export function failingFindings(findings: readonly Finding[], failOn: Severity): Finding[] {
  return findings.filter((f) => atLeast(f.severity, failOn));
}
