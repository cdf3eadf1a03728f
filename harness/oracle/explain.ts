/**
 * The oracle's answer for one request and the responses you give it: what a browser must do, per
 * the Fetch Standard, with no browser and no network. The `cors-conform explain` command and the
 * package's `explain()` are this function.
 */
import { predict, staticResponder } from './fetch';
import type { HeaderList } from './headers';
import type { Reason } from './reasons';
import type { Outcome, ProbeInput } from './types';

/** One request (as the oracle's ProbeInput names its parts) and the responses you give. */
export interface ExplainInput extends Pick<ProbeInput, 'origin' | 'url' | 'method' | 'headers' | 'credentials' | 'client' | 'crossorigin'> {
  /** The actual response: status (default 200) and headers in order, repeats allowed. */
  response: { status?: number; headers: HeaderList };
  /** The answer to the preflight, when one is sent (default 200, no headers). */
  preflight?: { status?: number; headers: HeaderList };
}

export interface ExplainOutput {
  /** Whether a preflight is sent first. */
  preflight: boolean;
  /** allowed, blocked, or opaque (a no-cors load by an element without crossorigin: it loads, unreadable). */
  outcome: Outcome;
  /** Why, as one of the oracle's reason codes (`allow-origin-wildcard-with-credentials`). */
  reason: Reason;
  /** Lowercased names of the response headers the page may read. */
  readableHeaders: string[];
  /** The preflight the browser sends, if any. */
  preflightRequest: { method: 'OPTIONS'; headers: Record<string, string> } | null;
}

export function explain(input: ExplainInput): ExplainOutput {
  const verdict = predict(
    {
      origin: input.origin,
      url: input.url,
      method: input.method ?? 'GET',
      headers: input.headers ?? [],
      credentials: input.credentials ?? 'same-origin',
      client: input.client ?? 'fetch',
      ...(input.crossorigin ? { crossorigin: input.crossorigin } : {}),
    },
    staticResponder(
      { status: input.response.status ?? 200, headers: input.response.headers },
      { status: input.preflight?.status ?? 200, headers: input.preflight?.headers ?? [] },
    ),
  );
  return {
    preflight: verdict.preflight,
    outcome: verdict.outcome,
    reason: verdict.reason,
    readableHeaders: verdict.readableHeaders,
    preflightRequest: verdict.preflightRequest,
  };
}
