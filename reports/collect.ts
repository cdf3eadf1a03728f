/**
 * From finished tests to case records. Each case test attaches one `cors-case` record (or
 * several, when one test covers several servers); a case test that did not run (its browser is
 * missing, or the run stopped first) gets a `not-run` record with the reason, and one that failed
 * before it could attach gets a `fail` record with the error, so no case silently disappears.
 *
 * Records are normalized here: ports the OS handed out and per-run probe tokens become
 * placeholders, so the same suite gives the same records on every run, sharded or not.
 *
 * Input is a plain description of each test (TestOutcome), not Playwright's objects, so this module
 * is tested without a runner; the reporter does the adapting.
 */
import fs from 'node:fs';
import { z } from 'zod';
import { RECORD_ATTACHMENT, type CaseRecord, type RecordVerdict } from '../harness/core/record';

/** The tag of tests in browser projects that check the harness, not a CORS case. */
export const HARNESS_TAG = '@harness';

export interface TestOutcome {
  projectName: string;
  /** The project's `corsBrowser` option when the runner exposes it (not in merged blob reports); names the browser of a record made here. */
  projectBrowser?: string | null;
  /** The spec file (its path in this run, `/` separators): with the titles, it says which tests are the same test in other projects. */
  file: string;
  /** Describe titles and the test title (no project, no file). */
  titles: string[];
  tags: string[];
  annotations: Array<{ type: string; description?: string }>;
  /** The final attempt's status; `not-started` when the run ended before the test ran. */
  status: 'passed' | 'failed' | 'timedOut' | 'skipped' | 'interrupted' | 'not-started';
  attachments: Array<{ name: string; contentType?: string; body?: Buffer | string; path?: string }>;
  /** The first error of the final attempt, if any. */
  error?: string;
}

/**
 * The projects whose every test is a matrix case: playwright.config.ts names them after their
 * browser. Other projects (unit, report-ui, verify, target) may run browsers too, but only their
 * attached records count. Project names survive a merge of blob reports; project options do not.
 */
export const CASE_PROJECTS: readonly string[] = ['chromium', 'firefox', 'webkit'];

export interface CollectOptions {
  /** Projects whose tests are cases even without a record (default CASE_PROJECTS). */
  caseProjects?: readonly string[];
}

/** Which server a suite's cases answer from when a record cannot say (see harness/protocol/judge.ts). */
const DEFAULT_SERVER: Readonly<Record<string, string>> = { protocol: 'node-http (scripted)' };

/** Annotations a case test may carry so a not-run record knows its place without a sibling. */
export const CASE_ANNOTATIONS = {
  suite: 'cors-suite',
  caseId: 'cors-case',
  category: 'cors-category',
  server: 'cors-server',
  policy: 'cors-policy',
} as const;

const verdict = z.enum(['pass', 'fail', 'deviation', 'not-run']);
/** The fields the report relies on; everything else in a record is carried through untouched. */
const recordShape = z.looseObject({
  suite: z.string(),
  caseId: z.string(),
  category: z.string(),
  title: z.string(),
  spec: z.string(),
  browser: z.looseObject({ name: z.string(), version: z.string() }),
  server: z.string(),
  policy: z.string().optional(),
  responses: z.array(z.unknown()),
  steps: z.array(
    z.looseObject({
      request: z.looseObject({}),
      expected: z.looseObject({ outcome: z.string() }),
      observed: z.looseObject({ outcome: z.string() }),
    }),
  ),
  wire: z.looseObject({ expected: z.array(z.unknown()), observed: z.array(z.unknown()) }),
  verdict,
  problems: z.array(z.string()),
});

// ---------------------------------------------------------------------------------------------
// Normalization

/** Where harness/protocol/run.ts and harness/server-suite/suite.ts put a probe's token in its URL. */
const PROBE_TOKEN = [/\/p\/([A-Za-z0-9_-]{4,})(?=[/?#]|$)/, /[?&](?:cc|token|probe)=([A-Za-z0-9_-]{4,})/];
/** `scheme://[userinfo@]host:port` and bare loopback `host:port` (Host headers, resolver rules). */
const URL_PORT = /(\/\/(?:[^\s/@"'<>]*@)?(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)):(\d{1,5})(?!\d)/g;
const LOOPBACK_PORT = /(?<![\w.:/-])((?:[A-Za-z0-9-]+\.)*localhost|127\.0\.0\.1|\[::1\]):(\d{1,5})(?!\d)/g;

function mapStrings<T>(value: T, fix: (s: string) => string): T {
  if (typeof value === 'string') return fix(value) as T;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fix)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = mapStrings(v, fix);
    return out as T;
  }
  return value;
}

/**
 * Replaces what differs from run to run with placeholders: the probe token (`/p/<token>/`,
 * `?cc=<token>`, the `cc_<token>` cookie) becomes `{token}`, each port from 1024 up (ports the OS
 * assigns; well-known ports a case writes on purpose, like :443, stay) becomes `{port1}`,
 * `{port2}`… in order of first appearance, so distinct ports stay distinct, and the values of
 * clock and validator headers in the server's answers become `{varies}`.
 */
export function normalizeRecord(record: CaseRecord): CaseRecord {
  const urls = [...record.responses.map((r) => r.url), ...record.steps.map((s) => s.request.url)];
  const tokens = new Set<string>();
  for (const url of urls) {
    for (const re of PROBE_TOKEN) {
      const m = re.exec(url ?? '');
      if (m?.[1]) tokens.add(m[1]);
    }
  }
  const variants = [...tokens].flatMap((t) => [t, t.replace(/-/g, '_')]).sort((a, b) => b.length - a.length);
  const ports = new Map<string, string>();
  const port = (whole: string, host: string, p: string) => {
    if (Number(p) < 1024) return whole;
    let name = ports.get(p);
    if (!name) {
      name = `{port${ports.size + 1}}`;
      ports.set(p, name);
    }
    return `${host}:${name}`;
  };
  const normalized = mapStrings(record, (s) => {
    let out = s;
    for (const t of variants) out = out.split(t).join('{token}');
    return out.replace(URL_PORT, port).replace(LOOPBACK_PORT, port);
  });
  return {
    ...normalized,
    responses: normalized.responses.map((r) => ({ ...r, preflight: steadyHeaders(r.preflight), response: steadyHeaders(r.response) })),
  };
}

/**
 * Response headers whose values change from run to run whatever the server decides: the clock
 * (Date, Expires, Last-Modified, Age) and validators computed over a body that carries the probe's
 * token (ETag). Their values become `{varies}`; the names stay, so a report still shows them.
 */
const VARYING_HEADERS = new Set(['date', 'expires', 'last-modified', 'age', 'etag']);

function steadyHeaders<T extends { headers: Array<[string, string]> }>(answer: T): T {
  return {
    ...answer,
    headers: answer.headers.map(([n, v]) => [n, VARYING_HEADERS.has(n.toLowerCase()) ? '{varies}' : v] as [string, string]),
  };
}

// ---------------------------------------------------------------------------------------------
// Collection

export interface Collected {
  records: CaseRecord[];
  /** Things a person should know (an unreadable attachment, a case test that passed without a record). */
  warnings: string[];
}

function attachmentText(a: TestOutcome['attachments'][number]): string | null {
  if (a.body !== undefined) return typeof a.body === 'string' ? a.body : a.body.toString('utf8');
  if (a.path) {
    try {
      return fs.readFileSync(a.path, 'utf8');
    } catch {
      return null;
    }
  }
  return null;
}

function testName(t: TestOutcome): string {
  return `[${t.projectName}] ${t.file} › ${t.titles.join(' › ')}`;
}

/** One line from a Playwright error message: no ANSI colours, no stack. */
export function firstLine(message: string): string {
  // eslint-disable-next-line no-control-regex -- ANSI colour codes are control characters
  const plain = message.replace(/\u001b\[[0-9;]*m/g, '');
  return (
    plain
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0) ?? plain.trim()
  );
}

/** The test's records, and why any attachment could not be read. */
function readRecords(t: TestOutcome): { records: CaseRecord[]; unreadable: string[] } {
  const records: CaseRecord[] = [];
  const unreadable: string[] = [];
  for (const a of t.attachments) {
    if (a.name !== RECORD_ATTACHMENT) continue;
    const text = attachmentText(a);
    if (text === null) {
      unreadable.push(`the attachment file ${a.path ?? ''} is gone`);
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      unreadable.push('not JSON');
      continue;
    }
    const checked = recordShape.safeParse(parsed);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      unreadable.push(issue ? `${issue.path.join('.') || 'record'}: ${issue.message}` : 'not a case record');
      continue;
    }
    records.push(normalizeRecord(checked.data as unknown as CaseRecord));
  }
  return { records, unreadable };
}

function annotation(t: TestOutcome, type: string): string | undefined {
  return t.annotations.find((a) => a.type === type)?.description;
}

/** `tests/protocol/x.spec.ts` → `protocol`. */
function suiteFromFile(file: string): string {
  const parts = file.split('/');
  const i = parts.lastIndexOf('tests');
  return (i >= 0 ? parts[i + 1] : parts[0]) ?? 'unknown';
}

type Identity = Pick<CaseRecord, 'suite' | 'caseId' | 'category' | 'title' | 'spec' | 'server' | 'policy'>;

function identityFromTest(t: TestOutcome): Identity {
  const suite = annotation(t, CASE_ANNOTATIONS.suite) ?? suiteFromFile(t.file);
  const tag = t.tags.find((x) => x.startsWith('@'));
  const policy = annotation(t, CASE_ANNOTATIONS.policy);
  const title = t.titles[t.titles.length - 1] ?? '(untitled)';
  return {
    suite,
    caseId: annotation(t, CASE_ANNOTATIONS.caseId) ?? title,
    category: annotation(t, CASE_ANNOTATIONS.category) ?? (tag ? tag.slice(1) : 'uncategorized'),
    title,
    spec: annotation(t, 'spec') ?? '',
    server: annotation(t, CASE_ANNOTATIONS.server) ?? DEFAULT_SERVER[suite] ?? '',
    ...(policy !== undefined ? { policy } : {}),
  };
}

function identityOf(r: CaseRecord): Identity {
  return {
    suite: r.suite,
    caseId: r.caseId,
    category: r.category,
    title: r.title,
    spec: r.spec,
    server: r.server,
    ...(r.policy !== undefined ? { policy: r.policy } : {}),
  };
}

function synthesize(identity: Identity, browser: string, verdict: RecordVerdict, reason: string): CaseRecord {
  return {
    ...identity,
    browser: { name: browser, version: '' },
    responses: [],
    steps: [],
    wire: { expected: [], observed: [] },
    deviation: null,
    verdict,
    problems: verdict === 'fail' ? [reason] : [],
    ...(verdict === 'not-run' ? { notRunReason: reason } : {}),
  };
}

function notRunReason(t: TestOutcome): string {
  if (t.status === 'not-started') return 'the run ended before this case ran';
  const skip = t.annotations.find((a) => a.type === 'skip' || a.type === 'fixme');
  const reason = skip?.description?.replace(/^not run:\s*/i, '').trim();
  return reason || 'skipped';
}

/**
 * Turns every finished test into records. A case test without a record borrows its identity
 * (suite, case, category, server, policy) from the same test in another browser's project, so a
 * missing browser shows up in the same row as the browsers that ran.
 */
export function collectRecords(tests: readonly TestOutcome[], options: CollectOptions = {}): Collected {
  const caseProjects = new Set(options.caseProjects ?? CASE_PROJECTS);
  // `@harness` tests check the harness itself in a browser project (tests/browser); they are not
  // cases, so neither a missing record nor a skip of theirs belongs in the matrix.
  const isCaseTest = (t: TestOutcome) => caseProjects.has(t.projectName) && !t.tags.includes(HARNESS_TAG);
  const warnings: string[] = [];
  const records: CaseRecord[] = [];
  const byTest = new Map<string, CaseRecord[]>();
  const pending: TestOutcome[] = [];
  const testKey = (t: TestOutcome) => [t.file, ...t.titles].join('\u0000');

  for (const t of tests) {
    const { records: found, unreadable } = readRecords(t);
    for (const why of unreadable) warnings.push(`${testName(t)}: unreadable ${RECORD_ATTACHMENT} attachment (${why})`);
    if (found.length > 0) {
      records.push(...found);
      const key = testKey(t);
      if (!byTest.has(key)) byTest.set(key, found);
    } else if (unreadable.length > 0) {
      // The case ran but its result is unknown: a failure of the harness, shown as such.
      pending.push({ ...t, status: 'failed', error: `unreadable ${RECORD_ATTACHMENT} attachment (${unreadable[0]})` });
    } else if (isCaseTest(t)) {
      pending.push(t);
    }
  }

  for (const t of pending) {
    const browser = t.projectBrowser ?? t.projectName;
    const siblings = byTest.get(testKey(t));
    const identities = siblings ? siblings.map(identityOf) : [identityFromTest(t)];
    if (t.status === 'skipped' || t.status === 'not-started') {
      for (const id of identities) records.push(synthesize(id, browser, 'not-run', notRunReason(t)));
    } else if (t.status === 'passed') {
      warnings.push(`${testName(t)}: passed without a ${RECORD_ATTACHMENT} record; it is not in the matrix`);
    } else {
      const why = t.error ? firstLine(t.error) : t.status === 'timedOut' ? 'the test timed out' : `the test ${t.status}`;
      const problem = why.startsWith('unreadable') ? why : `no ${RECORD_ATTACHMENT} record: ${why}`;
      for (const id of identities) records.push(synthesize(id, browser, 'fail', problem));
    }
  }
  // Dedupe identical identities a synthesized record may share (several siblings, one test).
  return { records: dedupeSynthesized(records), warnings };
}

function dedupeSynthesized(records: CaseRecord[]): CaseRecord[] {
  const seen = new Set<string>();
  return records.filter((r) => {
    if (r.steps.length > 0 || r.responses.length > 0) return true;
    const key = JSON.stringify(r);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
