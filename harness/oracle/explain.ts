/**
 * The oracle's answer for one request and the responses you give it: what a browser must do, per
 * the Fetch Standard, with no browser and no network. The `cors-conform explain` command and the
 * package's `explain()` are this function.
 */
import { predict, staticResponder } from './fetch';
import type { HeaderList } from './headers';
import type { Reason } from './reasons';
import type { Client, CredentialsMode, Outcome } from './types';

export interface ExplainInput {
  /** The requesting page's origin, serialized (`https://app.example.com`), or `null`. */
  origin: string;
  /** The URL the page requests. */
  url: string;
  /** Default GET. */
  method?: string;
  /** Request headers the page sets, in order. */
  headers?: HeaderList;
  /** fetch()'s credentials mode (for XHR, `include` means withCredentials). Default same-origin. */
  credentials?: CredentialsMode;
  /** Default fetch. */
  client?: Client;
  /** The actual response: status (default 200) and headers in order, repeats allowed. */
  response: { status?: number; headers: HeaderList };
  /** The answer to the preflight, when one is sent (default 200, no headers). */
  preflight?: { status?: number; headers: HeaderList };
}

export interface ExplainOutput {
  /** Whether a preflight is sent first. */
  preflight: boolean;
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
