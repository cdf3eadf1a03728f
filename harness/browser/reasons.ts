/**
 * The browser's own reason for a blocked request. A page cannot tell a CORS failure from a
 * network error (by design), so the reason comes from outside the page. Firefox over WebDriver
 * BiDi reports none; there the oracle's reason stands alone.
 *
 * Chromium writes one console message per CORS block ("Access to fetch at '…' from origin '…' has
 * been blocked by CORS policy: <why>"), built in the renderer from the network service's
 * CorsErrorStatus, so each sentence stands for exactly one of Chromium's CorsError names
 * (blink's cors_error_string.cc; the table below matches the fixed part of each sentence).
 *
 * Why the console and not DevTools issues (CDP `Audits.issueAdded`, which carries the name
 * itself): Chromium files a CorsIssue only while the page's CDP Network domain is on, and Network
 * instruments every request, blocked or not. Measured here (docs/speed.md): with Network on, the
 * browser spent ~8 ms of CPU per case, without it ~5.4 ms, and batches ran ~230 vs ~340 cases/s.
 * The console costs nothing for requests that pass. tests/browser/instrumentation.spec.ts checks
 * that each kind of block still gets its name, so a reworded Chromium fails there, not silently.
 *
 * Not reported this way, as before: plain network errors (too many redirects, a redirect to
 * data:) – they get no browser reason, and the judge makes no claim about those.
 */
import type { ConsoleMessage, Page } from 'playwright-core';
import { probeKey } from '../core/probe-url';

export interface ReasonCollector {
  /** How many reasons have arrived so far (to wait for the ones a batch is owed). */
  readonly received: number;
  /** Takes (and forgets) the reasons recorded for the probe whose URLs carry `key`, in order. */
  take(key: string): string[];
  /**
   * Waits until `total` reasons have arrived, or none has arrived for a short while, or
   * `timeoutMs` passed. Console events travel apart from page.evaluate's result, so a reason can
   * arrive just after the page already saw the rejection.
   */
  settled(total: number, timeoutMs: number): Promise<void>;
  detach(): Promise<void>;
}

/** The part every CORS block message shares; the URL is the last one of a redirect chain. */
const BLOCKED_MESSAGE =
  /^Access to [\w ]+ at '(.*?)' (?:\(redirected from '(.*?)'\) )?from origin '.*?' has been blocked by CORS policy: ([\s\S]*)$/;
const PREFLIGHT_PREFIX = "Response to preflight request doesn't pass access control check: ";

/**
 * Chromium's sentence for each CorsError, by its fixed start. `both` sentences are shared by a
 * response error and its Preflight* twin; the preflight prefix above tells them apart.
 */
const SENTENCES: Array<{ start: RegExp; name: string; both?: true }> = [
  { start: /^No 'Access-Control-Allow-Origin' header is present/, name: 'MissingAllowOriginHeader', both: true },
  {
    start: /^The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard/,
    name: 'WildcardOriginNotAllowed',
    both: true,
  },
  { start: /^The 'Access-Control-Allow-Origin' header contains multiple values/, name: 'MultipleAllowOriginValues', both: true },
  { start: /^The 'Access-Control-Allow-Origin' header contains the invalid value/, name: 'InvalidAllowOriginValue', both: true },
  {
    start: /^The 'Access-Control-Allow-Origin' header has a value [\s\S]* that is not equal to the supplied origin/,
    name: 'AllowOriginMismatch',
    both: true,
  },
  { start: /^The value of the 'Access-Control-Allow-Credentials' header in the response is/, name: 'InvalidAllowCredentials', both: true },
  { start: /^It does not have HTTP ok status/, name: 'PreflightInvalidStatus' },
  { start: /^Redirect is not allowed for a preflight request/, name: 'PreflightDisallowedRedirect' },
  { start: /^Cannot parse Access-Control-Allow-Methods response header field/, name: 'InvalidAllowMethodsPreflightResponse' },
  { start: /^Cannot parse Access-Control-Allow-Headers response header field/, name: 'InvalidAllowHeadersPreflightResponse' },
  {
    start: /^Method [\s\S]* is not allowed by Access-Control-Allow-Methods in preflight response/,
    name: 'MethodDisallowedByPreflightResponse',
  },
  {
    start: /^Request header field [\s\S]* is not allowed by Access-Control-Allow-Headers in preflight response/,
    name: 'HeaderDisallowedByPreflightResponse',
  },
  { start: /^Redirect location [\s\S]* contains a username and password/, name: 'RedirectContainsCredentials' },
  { start: /^Cross origin requests are not allowed by request mode/, name: 'DisallowedByMode' },
  { start: /^Cross origin requests are only supported for protocol schemes/, name: 'CorsDisabledScheme' },
  { start: /^The response is invalid/, name: 'InvalidResponse' },
];

/**
 * Reads one console message: null when it is not a CORS block, else the blocked URL and
 * Chromium's CorsError name – or `unrecognized: <sentence>` for a sentence this table does not
 * know (kept, not dropped, so a report shows it; the judge makes no claim about unknown names).
 */
export function parseCorsConsoleMessage(text: string): { url: string; name: string } | null {
  const m = BLOCKED_MESSAGE.exec(text);
  if (!m) return null;
  let why = m[3]!;
  const preflight = why.startsWith(PREFLIGHT_PREFIX);
  if (preflight) why = why.slice(PREFLIGHT_PREFIX.length);
  const known = SENTENCES.find((s) => s.start.test(why));
  if (!known) return { url: m[1]!, name: `unrecognized: ${m[3]!.slice(0, 200)}` };
  return { url: m[1]!, name: preflight && known.both ? `Preflight${known.name}` : known.name };
}

/**
 * How long without a new reason ends the wait for the ones still owed (plain network errors owe
 * none, so the count alone cannot end it). Console events and the page's result travel apart;
 * under load (two workers, two browsers on two cores) a reason can trail the page's rejection by
 * more than 100 ms, which left it unattributed, so the window is 250 ms – paid once per batch, and
 * only when some blocked step has no reason.
 */
const QUIET_MS = 250;

export async function collectChromiumReasons(page: Page): Promise<ReasonCollector> {
  const byKey = new Map<string, string[]>();
  let received = 0;
  let lastAt = performance.now();
  const onConsole = (message: ConsoleMessage) => {
    if (message.type() !== 'error') return;
    const parsed = parseCorsConsoleMessage(message.text());
    if (!parsed) return;
    const key = probeKey(parsed.url);
    byKey.set(key, [...(byKey.get(key) ?? []), parsed.name]);
    received++;
    lastAt = performance.now();
  };
  page.on('console', onConsole);
  return {
    get received() {
      return received;
    },
    take(key) {
      const list = byKey.get(key) ?? [];
      byKey.delete(key);
      return list;
    },
    async settled(total, timeoutMs) {
      const start = performance.now();
      const deadline = start + timeoutMs;
      for (;;) {
        const now = performance.now();
        if (received >= total || now >= deadline) return;
        if (now - start >= QUIET_MS && now - lastAt >= QUIET_MS) return;
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    detach: async () => {
      page.off('console', onConsole);
    },
  };
}
