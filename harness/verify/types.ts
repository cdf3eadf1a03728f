/**
 * The vocabulary of `cors-conform verify` (docs/verify.md): what is probed, what came back,
 * what it means. The finding ids and the JSON field names are read by other tools: keep them.
 */
import type { Client, CrossOriginAttribute, HeaderList, Outcome } from '../oracle';
import type { PageOrigin } from '../browser/page-host';

export const FINDING_IDS = [
  'reflects-any-origin',
  'reflects-any-origin-with-credentials',
  'trusts-null-origin',
  'trusts-prefix-lookalike',
  'trusts-suffix-lookalike',
  'trusts-unescaped-dot',
  'trusts-any-subdomain',
  'trusts-http-origin',
  'wildcard-with-credentials',
  'missing-vary-origin',
  'invalid-allow-origin',
  'preflight-failed',
  'allowed-origin-blocked',
] as const;
export type FindingId = (typeof FINDING_IDS)[number];

/** Lowest first, so an index comparison says "at or above". */
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function atLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(threshold);
}

/** How an attacker origin was derived from an origin the user named. */
export type AttackerKind =
  'unrelated' | 'null' | 'prefix-lookalike' | 'suffix-lookalike' | 'unescaped-dot' | 'subdomain' | 'http-twin' | 'special-character';

/**
 * Whose page a probe runs from: an origin the user says is allowed, one the expect file says is
 * denied, or an attacker origin derived from an allowed one.
 */
export type Role = 'allowed' | 'denied' | 'attacker';

export type Shape = 'get' | 'head' | 'post-form' | 'preflight-method' | 'preflight-header' | 'read-headers';

/** One request from one page, as planned. */
export interface VerifyProbe {
  /** Stable and unique in a plan; the Playwright `target` project uses it as the test title. */
  id: string;
  role: Role;
  kind: AttackerKind | 'named';
  page: PageOrigin;
  /** For attacker probes: the allowed origin this one imitates. */
  derivedFrom: string | null;
  shape: Shape;
  method: string;
  /** Author request headers the page sets, in order. */
  headers: Array<[string, string]>;
  body: string | null;
  /** fetch credentials:'include' / XHR withCredentials; for another requester, whether its request carries cookies. */
  credentials: boolean;
  /** Who sends it: fetch or XHR, or the requester of `verify --as` (an element, EventSource, a worker). */
  client: Client;
  /** For img, script, module and stylesheet: the crossorigin attribute (absent: none). */
  crossorigin?: CrossOriginAttribute;
  /**
   * read-headers probes: the response headers that must be readable; null until resolved from the
   * server's Access-Control-Expose-Headers (run.ts resolves it before any page runs).
   */
  readHeaders: string[] | null;
  expected: Outcome;
  /** Why that is expected, in words (for "expectation not met" lines). */
  because: string;
  /** Set when the probe is planned but must not run (e.g. nothing to read). */
  skip: string | null;
  /**
   * browser: sent by the browser from its page · node-preflight: a method the user did not name,
   * so only the preflight a browser would send goes out, from Node, judged by the oracle (not
   * browser-confirmed).
   */
  via: 'browser' | 'node-preflight';
}

/** A request Node sent itself (GET, HEAD or the preflight a browser would send) and the raw answer. */
export interface RawExchange {
  request: { method: string; url: string; headers: Record<string, string> };
  /** Null when no HTTP response came back; `error` then says why. */
  response: { status: number; headers: HeaderList } | null;
  error: string | null;
  /**
   * Set when the headers came but the body did not arrive whole (reset, truncated, past the
   * deadline): a network failure, which the results never read as a CORS answer.
   */
  bodyError?: string;
  /** Redirect hops followed after this one (GET/HEAD only), each with its own answer. */
  hops?: RawExchange[];
}

/** What happened to one probe in one browser. */
export interface ProbeResult {
  probe: VerifyProbe;
  url: string;
  /**
   * allowed / blocked: what the browser did · error: the exchange failed on the network (timeout,
   * reset, cut short) – neither, and never a CORS finding · not-run: why, in `reason`.
   */
  outcome: Outcome | 'error' | 'not-run';
  /**
   * Our reason code (oracle vocabulary), or the browser's own name, or why it did not run;
   * `timeout` or `network-error: <why>` for the outcome error.
   */
  reason: string;
  /** Chromium's CDP corsError / net error, null elsewhere. */
  browserReason: string | null;
  /** The oracle's answer from the raw responses Node recorded (null when there were none). */
  oracle: { outcome: Outcome; reason: string; preflight: boolean } | null;
  /** Whether a preflight went out (the oracle's answer for this request shape). */
  preflight: boolean;
  status: number | null;
  readableHeaders: string[];
  /** The page-visible error (TypeError text, XHR error, timeout). */
  pageError: string | null;
  /** The raw responses that stand as evidence for this probe. */
  evidence: { actual: RawExchange | null; preflight: RawExchange | null };
  /** Who sent it: the browser, or (a method the user did not name) only its preflight, from Node. */
  via: VerifyProbe['via'];
  /**
   * Whether the outcome matches `expected`. An error never does; not run does only for probes the
   * plan chose not to send and for attacker origins a browser refuses (results.ts isMet).
   */
  met: boolean;
}

export interface FixAdvice {
  summary: string;
  express: string;
  fastify: string;
  php: string;
  aspnet: string;
}

export interface Evidence {
  /** `browser`: the browser read the response from that origin; `header`: seen in the raw headers only. */
  level: 'browser' | 'header';
  summary: string;
  request: { method: string; url: string; headers: Record<string, string> } | null;
  response: { status: number; headers: HeaderList } | null;
  browser: { name: string; outcome: ProbeResult['outcome']; status: number | null; readableHeaders: string[] } | null;
  /** The browser's reason (Chromium corsError) or, where it gives none, the oracle's. */
  reason: { source: 'browser' | 'oracle'; code: string; text: string } | null;
  /** Probe ids behind this finding. */
  probes: string[];
  /** For attacker origins: the allowed origin this one imitates. */
  derivedFrom?: string;
  /** Other attacker origins the same rule let in (folded into this finding). */
  alsoTrusted?: string[];
}

export interface Finding {
  id: FindingId;
  severity: Severity;
  origin: string;
  evidence: Evidence;
  fix: FixAdvice;
}

export interface BrowserReport {
  target: string;
  browser: { name: string; version: string };
  probes: ProbeResult[];
  findings: Finding[];
  verdict: 'pass' | 'fail';
  /** Why the browser could not run at all (all probes then not run). */
  notRun: string | null;
  /** Findings a config file's `suppress` entry accepts (verify/suppress.ts): reported, not failing. */
  suppressed?: Array<{ finding: Finding; reason: string; until: string | null }>;
}
