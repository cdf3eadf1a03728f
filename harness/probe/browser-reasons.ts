/**
 * The browser's own reason for a blocked request. A page cannot tell a CORS failure from a
 * network error (by design), so the reason comes from outside the page: Chromium's DevTools
 * "issues" (CDP `Audits.issueAdded`, a `CorsIssue` per blocked request, carrying
 * `corsErrorStatus.corsError` such as `WildcardOriginNotAllowed`). Firefox over WebDriver BiDi
 * reports no reason; there the oracle's reason stands alone.
 *
 * Why Audits and not the Network domain: Network.enable streams five or more events for every
 * request, blocked or not, and decoding them cost 10-20 % of the batch rate (bench, README
 * "Speed"); Audits sends one event per blocked request and nothing otherwise. What it does not
 * report are plain network errors (too many redirects, a redirect to data:), which then have no
 * browser reason – the judge makes no claim about those.
 */
import type { CDPSession, Page } from '@playwright/test';

export interface ReasonCollector {
  /** How many reasons have arrived so far (to wait for the ones a batch is owed). */
  readonly received: number;
  /** Takes (and forgets) the reasons recorded for the probe whose URLs carry `key`, in order. */
  take(key: string): string[];
  /**
   * Waits until `total` reasons have arrived, or none has arrived for a short while, or
   * `timeoutMs` passed. CDP events travel apart from page.evaluate's result, so a reason can
   * arrive just after the page already saw the rejection.
   */
  settled(total: number, timeoutMs: number): Promise<void>;
  detach(): Promise<void>;
}

/**
 * What ties a request to its probe across redirects: the token in `/p/<token>/<hop>` (scripted
 * server), in `?cc=` (reference servers) or `_cors_conform=` (verify), else the URL itself.
 */
export function probeKey(url: string): string {
  const path = /\/p\/([A-Za-z0-9_-]+)/.exec(url);
  if (path) return `token:${path[1]}`;
  const query = /[?&](?:cc|_cors_conform)=([A-Za-z0-9_-]+)/.exec(url);
  if (query) return `token:${query[1]}`;
  return url.replace(/#.*$/, '');
}

interface CorsIssue {
  issue: {
    code: string;
    details?: { corsIssueDetails?: { corsErrorStatus?: { corsError: string }; request?: { url?: string }; isWarning?: boolean } };
  };
}

/**
 * How long without a new reason ends the wait for the ones still owed (plain network errors owe
 * none, so the count alone cannot end it). CDP events and the page's result travel apart; under
 * load (two workers, two browsers on two cores) a reason can trail the page's rejection by more
 * than 100 ms, which left it unattributed, so the window is 250 ms – paid once per batch, and only
 * when some blocked step has no reason.
 */
const QUIET_MS = 250;

export async function collectChromiumReasons(page: Page): Promise<ReasonCollector> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const byKey = new Map<string, string[]>();
  let received = 0;
  let lastAt = performance.now();
  cdp.on('Audits.issueAdded', (e: CorsIssue) => {
    const details = e.issue.details?.corsIssueDetails;
    if (e.issue.code !== 'CorsIssue' || !details?.corsErrorStatus || details.isWarning || !details.request?.url) return;
    const key = probeKey(details.request.url);
    byKey.set(key, [...(byKey.get(key) ?? []), details.corsErrorStatus.corsError]);
    received++;
    lastAt = performance.now();
  });
  await cdp.send('Audits.enable');
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
    detach: () => cdp.detach().catch(() => {}),
  };
}
