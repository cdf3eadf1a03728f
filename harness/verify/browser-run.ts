/**
 * Runs the planned probes in a real browser whose pages live on their claimed origins: every
 * request of the browser goes through the run's forward proxy (proxy.ts), which answers for the
 * page origins and sends the rest to its real destination.
 *
 * Safe for the target: pages run one after another and each page sends at most `concurrency`
 * probes at once; that keeps the browser's own queue short, but the bound itself is kept on the
 * wire, by the proxy's gate, whatever the browser does with requests it has given up on. Every
 * exchange has a deadline. Never a Playwright route on these pages: with one, Playwright answers
 * preflights itself.
 */
import type { BrowserKind, Outcome } from '../oracle';
import { discover, launchProbeBrowser, type FoundBrowser, type ProbeBrowser } from '../browser/engines';
import { ProbeSession } from '../browser/runner';
import type { InPageStep } from '../browser/in-page';
import { hostPortOf, type WireGate } from '../core/gate';
import { hostPort, PageHost } from '../browser/page-host';
import { ForwardProxy, type WireEvent } from '../browser/proxy';
import { VERIFY_PARAM } from '../core/probe-url';
import type { PageOrigin } from '../browser/page-host';
import type { VerifyProbe } from './types';

/**
 * Chromium's routes: page origins bypass the proxy and resolve to the page host
 * (`--host-resolver-rules`), everything else goes through the proxy. Why not the proxy for pages
 * too: Chromium refuses to open a proxy tunnel to a host it would load directly (measured,
 * Chromium 156: no CONNECT is sent for `app.example.com\`.evil-example.test`, the page fails
 * with ERR_TUNNEL_CONNECTION_FAILED). Loopback page origins cannot bypass (Playwright adds
 * `<-loopback>`, so loopback targets go through the proxy too); the proxy answers them itself.
 */
export function chromiumRouting(
  pages: readonly PageOrigin[],
  pagePort: number,
  proxyServer: string,
): { hostResolverRules: string[]; proxy: { server: string; bypass: string } } {
  return {
    hostResolverRules: [...new Set(pages.map((p) => `MAP ${hostPort(p)} 127.0.0.1:${pagePort}`))],
    proxy: { server: proxyServer, bypass: [...new Set(pages.map((p) => `${p.scheme}://${hostPort(p)}`))].join(',') },
  };
}

/** `scheme://host:port` of a target URL, the key page origins are hosted under. */
function targetKey(targetUrl: string): string {
  return `${new URL(targetUrl).protocol.slice(0, -1)}://${hostPortOf(targetUrl)}`;
}

/**
 * How much longer the page waits than the proxy's deadline: the proxy knows why an exchange did
 * not finish (timeout, reset), the page only that it did not, so the proxy should decide first.
 */
const PAGE_GRACE_MS = 1_500;

/** Pages opened at once (measured: Chromium gains from 4; Firefox over BiDi gains little). */
const PRELOAD_WIDTH: Record<BrowserKind, number> = { chromium: 4, firefox: 2, webkit: 2 };

/**
 * A browser ready to probe from a fixed set of page origins. Its pages stay open between runs
 * (tests and the Playwright `target` project run many targets from the same origins); every probe
 * has its own URL, so no cache joins two runs.
 */
export class ProbeEnvironment {
  /**
   * The in-page bound of the next run (ProbeSession reads it when a batch starts): --concurrency
   * per target host, as the proxy's gate keeps it on the wire, so no request waits in the proxy
   * behind the run's own traffic (its deadline would pass there).
   */
  private readonly sessionOptions = { concurrency: 2, perHost: true };
  readonly session: ProbeSession;
  /** Pages the browser would not open, with why (not tried again). */
  readonly refused = new Map<string, string>();

  private constructor(
    readonly kind: BrowserKind,
    readonly browser: ProbeBrowser,
    readonly pageHost: PageHost,
    readonly proxy: ForwardProxy,
    /** `scheme://host:port` of every page origin the proxy answers for. */
    private readonly hosted: Set<string>,
  ) {
    this.session = new ProbeSession(browser, this.sessionOptions);
  }

  setConcurrency(n: number): void {
    this.sessionOptions.concurrency = n;
  }

  get name(): string {
    return this.kind;
  }

  get version(): string {
    return this.browser.version;
  }

  /**
   * Starts the page host and the proxy and launches the browser with every request going through
   * the proxy. `targetUrl`'s host is always forwarded (even when it looks like a browser service).
   * Returns why not when the browser is missing or does not start.
   */
  static async open(
    kind: BrowserKind,
    pages: readonly PageOrigin[],
    /** The targets, whose hosts are always forwarded (even when they look like browser services). */
    targetUrls: string | readonly string[],
    /** A browser the caller found (the Playwright fixture: the project's own executablePath). */
    given?: FoundBrowser,
  ): Promise<ProbeEnvironment | { missing: string }> {
    const found = given ? ({ found: true, browser: given } as const) : discover(kind);
    if (!found.found) return { missing: found.reason };
    const pageHost = await new PageHost().start();
    const hosted = new Set(pages.map((p) => `${p.scheme}://${hostPort(p)}`));
    let proxy: ForwardProxy | null = null;
    try {
      proxy = await new ForwardProxy(
        (scheme, at) => hosted.has(`${scheme}://${at}`),
        pageHost.port,
        new Set((typeof targetUrls === 'string' ? [targetUrls] : targetUrls).map((u) => new URL(u).hostname)),
      ).start();
      const browser = await launchProbeBrowser(
        found.browser,
        kind === 'chromium'
          ? chromiumRouting(pages, pageHost.port, proxy.address)
          : kind === 'firefox'
            ? { prefs: proxy.firefoxPrefs() }
            : // WebKit: every request, http and https, through the proxy (a proxy capability).
              { proxy: { server: proxy.address } },
      );
      return new ProbeEnvironment(kind, browser, pageHost, proxy, hosted);
    } catch (error) {
      await proxy?.stop();
      await pageHost.stop();
      return { missing: `${kind} did not start: ${(error as Error).message.split('\n')[0]}` };
    }
  }

  /** Why a page cannot be used with this target in this environment, or null. */
  unhostable(page: PageOrigin, targetUrl: string): string | null {
    const key = `${page.scheme}://${hostPort(page)}`;
    if (!this.hosted.has(key)) return `${page.origin} is not hosted in this browser session`;
    const mixed = blocksMixedContent(this.kind, page, targetUrl);
    if (mixed) return mixed;
    if (key === targetKey(targetUrl))
      return `${page.origin} is the target's own origin: the proxy cannot send one to a local page and the other to your server`;
    return null;
  }

  /**
   * Opens these pages now, a few at a time (nothing reaches a target while they load: the page
   * host serves them). A page that will not open is tried again, and reported, when it is used.
   */
  async preload(pages: readonly PageOrigin[]): Promise<void> {
    const urls = pages.map((p) => p.pageUrl).filter((u) => !this.refused.has(u));
    const width = PRELOAD_WIDTH[this.kind];
    for (let i = 0; i < urls.length; i += width) await this.session.preload(urls.slice(i, i + width));
  }

  /** Whether every one of these pages is hosted here (a shared environment serves only its own). */
  hostsAll(pages: readonly PageOrigin[]): boolean {
    return pages.every((p) => this.hosted.has(`${p.scheme}://${hostPort(p)}`));
  }

  /** Whether the target itself would be answered by the page host (its origin is a page origin). */
  hijacksTarget(targetUrl: string): boolean {
    return this.hosted.has(targetKey(targetUrl));
  }

  async close(): Promise<void> {
    await this.session.close();
    await this.browser.close();
    await this.proxy.stop();
    await this.pageHost.stop();
  }
}

/**
 * Mixed content (https://w3c.github.io/webappsec-mixed-content/#should-block-fetch): an https
 * page's request to an http URL is blocked before CORS is asked, unless the URL is potentially
 * trustworthy (https://w3c.github.io/webappsec-secure-contexts/#is-origin-trustworthy: loopback
 * addresses and `localhost` names). Chromium and Firefox let loopback through; WebKit blocks it too
 * (measured, WebKitGTK 2.50: `http://127.0.0.1` and `http://localhost` from an https page, "Load
 * failed", nothing on the wire). Such a probe says nothing about the server, so it is not run.
 */
export function blocksMixedContent(kind: BrowserKind, page: PageOrigin, targetUrl: string): string | null {
  const target = new URL(targetUrl);
  if (page.scheme !== 'https' || target.protocol !== 'http:') return null;
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const loopback = /^127\./.test(host) || host === '::1' || host === 'localhost' || host.endsWith('.localhost');
  if (loopback && kind !== 'webkit') return null;
  return `${kind} blocks this http:// target from the https page ${page.origin} as mixed content${loopback ? ' (WebKit does so even on loopback)' : ''}: verify an https:// target, or claim http:// origins`;
}

/** What a page saw for one probe. */
export interface PageObservation {
  outcome: Outcome | 'not-run';
  status: number | null;
  /** Lowercased names and values the page could read. */
  headers: Array<[string, string]>;
  browserReason: string | null;
  pageError: string | null;
  notRun: string | null;
  /** How each of the probe's requests to the target ended, as the proxy saw it. */
  wire: WireEvent[];
}

/** A probe the browser did not send, with why. */
export const notRunObservation = (reason: string): PageObservation => ({
  outcome: 'not-run',
  status: null,
  headers: [],
  browserReason: null,
  pageError: null,
  notRun: reason,
  wire: [],
});

export interface BrowserRunOptions {
  concurrency: number;
  /** The run's bound on the wire (shared with Node's own requests) and its deadline. */
  gate: WireGate;
  insecure: boolean;
  onPage?: (index: number, total: number, page: PageOrigin, count: number) => void;
}

function step(probe: VerifyProbe, url: string, gate: WireGate): InPageStep {
  return {
    url,
    method: probe.method,
    headers: probe.headers,
    body: probe.body,
    client: probe.client,
    ...(probe.crossorigin ? { crossorigin: probe.crossorigin } : {}),
    credentials: probe.credentials ? 'include' : 'omit',
    redirect: 'follow',
    delayMs: 0,
    timeoutMs: gate.timeoutMs + PAGE_GRACE_MS,
  };
}

/**
 * Runs every probe (each with its own URL, whatever its target), page after page, all targets'
 * probes of a page in one batch. Observations are keyed by URL (each carries a unique token).
 * Probes with `skip` are reported not run.
 */
export async function runInBrowser(
  env: ProbeEnvironment,
  probes: ReadonlyArray<{ probe: VerifyProbe; url: string }>,
  options: BrowserRunOptions,
): Promise<Map<string, PageObservation>> {
  const out = new Map<string, PageObservation>();
  const notRun = notRunObservation;
  const wire = (url: string) => env.proxy.takeEvents(new URL(url).searchParams.get(VERIFY_PARAM) ?? '');
  const byPage = new Map<string, { page: PageOrigin; items: Array<{ probe: VerifyProbe; url: string }> }>();
  for (const item of probes) {
    if (item.probe.skip) {
      out.set(item.url, notRun(item.probe.skip));
      continue;
    }
    const why = env.unhostable(item.probe.page, item.url);
    if (why) {
      out.set(item.url, notRun(why));
      continue;
    }
    const group = byPage.get(item.probe.page.pageUrl) ?? { page: item.probe.page, items: [] };
    group.items.push(item);
    byPage.set(item.probe.page.pageUrl, group);
  }
  const groups = [...byPage.values()];
  env.setConcurrency(options.concurrency);
  env.proxy.use(options.gate, options.insecure);
  // Pages open a few at a time (nothing reaches the target while they load); probes then run
  // page after page, so the in-page limit is the limit on the target.
  await env.preload(groups.map(({ page }) => page));
  for (const [index, { page, items }] of groups.entries()) {
    options.onPage?.(index, groups.length, page, items.length);
    const refused = env.refused.get(page.pageUrl);
    if (refused) {
      for (const { url } of items) out.set(url, notRun(refused));
      continue;
    }
    try {
      const results = await env.session.run([
        { pageUrl: page.pageUrl, probes: items.map(({ probe, url }) => ({ id: url, steps: [step(probe, url, options.gate)] })) },
      ]);
      for (const { url } of items) {
        const r = results.get(url)?.steps[0];
        if (!r) {
          out.set(url, notRun('the page returned no result'));
          continue;
        }
        if (r.outcome === 'unsent') {
          out.set(url, notRun(`${env.kind} refused to send it (${r.error ?? 'no reason given'})`));
          continue;
        }
        out.set(url, {
          outcome: r.outcome,
          status: r.status,
          headers: r.headers,
          browserReason: r.browserReason,
          pageError: r.error,
          notRun: null,
          wire: wire(url),
        });
      }
    } catch (error) {
      const message = (error as Error).message.split('\n')[0]!.replace(/^page\.goto: /, '');
      const reason = `${env.kind} would not open a page on ${page.origin === 'null' ? page.pageUrl : page.origin} (${message})`;
      env.refused.set(page.pageUrl, reason);
      for (const { url } of items) out.set(url, notRun(reason));
    }
  }
  return out;
}
