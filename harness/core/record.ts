/**
 * The record each case leaves behind (attached to its Playwright test as `cors-case`), read by the
 * matrix reporter, the baseline and the JSON output. One record per case × browser (× server).
 */
import type { Outcome } from '../oracle';

export const RECORD_ATTACHMENT = 'cors-case';

export interface WireSummary {
  hop: number;
  method: string;
  preflight: boolean;
  origin: string | null;
  acrm: string | null;
  acrh: string | null;
  /** Whether the case's cookie came along; null when the case does not look at cookies. */
  cookie: boolean | null;
}

export interface StepRecord {
  request: {
    from: string;
    url: string;
    method: string;
    headers: Array<[string, string]>;
    client: string;
    /** The element's `crossorigin` attribute, for the requesters that take one. */
    crossorigin?: string;
    credentials: string;
    redirect: string;
  };
  expected: {
    outcome: Outcome;
    reason: string;
    preflight: boolean;
    status: number | null;
    readableHeaders: string[];
  };
  observed: {
    outcome: Outcome;
    status: number | null;
    readableHeaders: string[];
    /** The browser's own reason (Chromium corsError), mapped to ours where we know the name. */
    browserReason: string | null;
    browserReasonCode: string | null;
    error: string | null;
  };
}

export type RecordVerdict = 'pass' | 'fail' | 'deviation' | 'not-run';

export interface CaseRecord {
  suite: string;
  caseId: string;
  category: string;
  title: string;
  spec: string;
  browser: { name: string; version: string };
  /** Which server answered (the scripted node:http server for the protocol suite). */
  server: string;
  /** For server suites: the policy name. */
  policy?: string;
  /** What the server answered at each hop (preflight and actual), as written on the wire. */
  responses: Array<{
    url: string;
    preflight: { status: number; headers: Array<[string, string]> };
    response: { status: number; headers: Array<[string, string]> };
  }>;
  steps: StepRecord[];
  wire: { expected: WireSummary[]; observed: WireSummary[] };
  /** Set when the browser knowingly departs from the Fetch Standard on this case. */
  deviation: { section: string; observed: string; standard: string } | null;
  /** Set for framework differences from the policy's intent (server suites). */
  quirk?: string | null;
  verdict: RecordVerdict;
  problems: string[];
  notRunReason?: string;
}

/** Where a record goes: a Playwright TestInfo (its `attachments`), or anything shaped like one. */
export interface RecordSink {
  attachments: Array<{ name: string; contentType: string; body?: Buffer }>;
}

/**
 * Attaches a record to its test (the matrix reporter collects them). Pushed, not
 * testInfo.attach(): attach() is a reporting step, and Playwright captures a stack trace for every
 * step – per case that was a measurable share of the suite (docs/speed.md).
 */
export function attachRecord(testInfo: RecordSink, record: CaseRecord): void {
  testInfo.attachments.push({ name: RECORD_ATTACHMENT, contentType: 'application/json', body: Buffer.from(JSON.stringify(record)) });
}

/**
 * The record of a case judged outside the oracle (a browser policy: third-party cookies, Local
 * Network Access): no steps or responses, the wire as observed, pass unless there are problems.
 */
export function policyRecord(fields: {
  caseId: string;
  category: string;
  title: string;
  spec: string;
  browser: { name: string; version: string };
  wire?: WireSummary[];
  problems?: string[];
  notRunReason?: string;
}): CaseRecord {
  const problems = fields.problems ?? [];
  return {
    suite: 'protocol',
    caseId: fields.caseId,
    category: fields.category,
    title: fields.title,
    spec: fields.spec,
    browser: fields.browser,
    server: 'scripted',
    responses: [],
    steps: [],
    wire: { expected: [], observed: fields.wire ?? [] },
    deviation: null,
    verdict: fields.notRunReason ? 'not-run' : problems.length > 0 ? 'fail' : 'pass',
    problems,
    ...(fields.notRunReason ? { notRunReason: fields.notRunReason } : {}),
  };
}
