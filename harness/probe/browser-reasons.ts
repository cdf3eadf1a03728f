/**
 * The browser's own reason for a blocked request. A page cannot tell a CORS failure from a
 * network error (by design), so the reason comes from outside the page: in Chromium, CDP's
 * `Network.loadingFailed` carries `corsErrorStatus.corsError` (e.g. `WildcardOriginNotAllowed`).
 * Firefox over WebDriver BiDi reports no reason; there the oracle's reason stands alone.
 */
import type { CDPSession, Page } from '@playwright/test';

export interface ReasonCollector {
  /** Takes (and forgets) the reasons recorded for requests that started at `url`, in order. */
  take(url: string): string[];
  /**
   * Resolves once every request seen so far has finished or failed (or after `timeoutMs`). CDP
   * events travel apart from page.evaluate's result, so a failure's reason can arrive just after
   * the page already saw the rejection.
   */
  settled(timeoutMs: number): Promise<void>;
  detach(): Promise<void>;
}

interface RequestWillBeSent {
  requestId: string;
  type?: string;
  request: { url: string };
}
interface LoadingFailed {
  requestId: string;
  errorText: string;
  corsErrorStatus?: { corsError: string; failedParameter?: string };
}

export async function collectChromiumReasons(page: Page): Promise<ReasonCollector> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const firstUrl = new Map<string, string>();
  const byUrl = new Map<string, string[]>();
  cdp.on('Network.requestWillBeSent', (e: RequestWillBeSent) => {
    // Preflights are reported as their own requests; the reason that matters is the one on the
    // request the page made. Redirects reuse the requestId, so keep the first URL.
    if (e.type === 'Preflight' || firstUrl.has(e.requestId)) return;
    firstUrl.set(e.requestId, e.request.url);
  });
  cdp.on('Network.loadingFailed', (e: LoadingFailed) => {
    const url = firstUrl.get(e.requestId);
    firstUrl.delete(e.requestId);
    if (url === undefined) return;
    const reason = e.corsErrorStatus ? e.corsErrorStatus.corsError : e.errorText;
    const list = byUrl.get(url) ?? [];
    list.push(reason);
    byUrl.set(url, list);
  });
  cdp.on('Network.loadingFinished', (e: { requestId: string }) => firstUrl.delete(e.requestId));
  // Small buffers: bodies are read in the page, not over CDP.
  await cdp.send('Network.enable', { maxTotalBufferSize: 0, maxResourceBufferSize: 0 });
  return {
    take(url) {
      const list = byUrl.get(url) ?? [];
      byUrl.delete(url);
      return list;
    },
    async settled(timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      while (firstUrl.size > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    },
    detach: () => cdp.detach().catch(() => {}),
  };
}
