/**
 * From what a suite's table says a page sends to what the page runs and the oracle is asked, and
 * back to the steps of a record. Both suites (protocol and server) go through here, so a step is
 * sent, predicted and recorded the same way in each.
 */
import {
  CHROMIUM_CORS_ERRORS,
  type Client,
  type CrossOriginAttribute,
  type CredentialsMode,
  type Prediction,
  type ProbeInput,
  type RedirectMode,
} from '../oracle';
import type { StepRecord } from '../core/record';
import type { InPageStep } from './in-page';
import type { StepResult } from './runner';

/** One request a page sends, as a table describes it (placeholders already filled). */
export interface PageRequest {
  url: string;
  method: string;
  headers: Array<[string, string]>;
  body: string | null;
  client: Client;
  /** For img, script, module and stylesheet: the `crossorigin` attribute (absent: none). */
  crossorigin?: CrossOriginAttribute;
  credentials: CredentialsMode;
  redirect: RedirectMode;
  /** Wait this long before sending (cases about the preflight cache). */
  delayMs: number;
}

export interface PageSteps {
  /** What the page runs. */
  steps: InPageStep[];
  /** What the oracle is asked, one per step. */
  inputs: ProbeInput[];
  /** Milliseconds after the first step at which each step starts: the oracle's cache clock. */
  at: number[];
}

/** The steps, oracle inputs and cache clock of requests sent in order from a page on `origin`. */
export function pageSteps(origin: string, requests: readonly PageRequest[], timeoutMs: number): PageSteps {
  const at: number[] = [];
  let clock = 0;
  const steps = requests.map((r) => {
    clock += r.delayMs;
    at.push(clock);
    return { ...r, timeoutMs };
  });
  const inputs = steps.map((s) => ({
    origin,
    url: s.url,
    method: s.method,
    headers: s.headers,
    credentials: s.credentials,
    client: s.client,
    ...(s.crossorigin ? { crossorigin: s.crossorigin } : {}),
    redirect: s.redirect,
  }));
  return { steps, inputs, at };
}

/**
 * The per-step part of a record: what the page asked, what the oracle expects, what the browser
 * did (with Chromium's reason mapped to ours where the name is known).
 */
export function stepRecords(
  m: {
    pageOrigin: string;
    steps: ReadonlyArray<Pick<InPageStep, 'url' | 'method' | 'headers' | 'client' | 'crossorigin' | 'credentials' | 'redirect'>>;
  },
  predictions: readonly Prediction[],
  seenSteps: readonly StepResult[],
): StepRecord[] {
  return m.steps.map((s, i) => {
    const p = predictions[i]!;
    const seen = seenSteps[i];
    return {
      request: {
        from: m.pageOrigin,
        url: s.url,
        method: s.method,
        headers: s.headers,
        client: s.client,
        ...(s.crossorigin ? { crossorigin: s.crossorigin } : {}),
        credentials: s.credentials,
        redirect: s.redirect,
      },
      expected: { outcome: p.outcome, reason: p.reason, preflight: p.preflight, status: p.status, readableHeaders: p.readableHeaders },
      observed: {
        // `unsent` (the page refused to build the request) is recorded as blocked, its error kept.
        outcome: seen?.outcome === 'allowed' || seen?.outcome === 'opaque' ? seen.outcome : 'blocked',
        status: seen?.status ?? null,
        readableHeaders: (seen?.headers ?? []).map(([n]) => n.toLowerCase()).sort(),
        browserReason: seen?.browserReason ?? null,
        browserReasonCode: seen?.browserReason ? (CHROMIUM_CORS_ERRORS[seen.browserReason] ?? null) : null,
        error: seen?.error ?? null,
      },
    };
  });
}
