/**
 * Runs the planned probes in a real browser whose pages live on their claimed origins
 * (hosting.ts): Chromium through host-resolver rules, Firefox through the forward proxy.
 *
 * Safe for the target: pages run one after another and each page sends at most `concurrency`
 * probes at once, each probe one request at a time (its preflight, then the request), so no more
 * than `concurrency` requests are ever in flight to the target; every request has a timeout.
 * Never a Playwright route on these pages: with one, Playwright answers preflights itself.
 */
import { discover, launchProbeBrowser, type ProbeBrowser } from '../browsers';
import { ProbeSession } from '../probe/runner';
import type { InPageStep } from '../probe/in-page';
import { chromiumRules, hostPort, isLoopbackName, PageHost, targetHostPort } from './hosting';
import { ForwardProxy } from './proxy';
import type { Outcome, PageOrigin, VerifyProbe } from './types';

export type BrowserName = 'chromium' | 'firefox';

/** Pages opened at once (measured: Chromium gains from 4; Firefox over BiDi gains little). */
const PRELOAD_WIDTH: Record<BrowserName, number> = { chromium: 4, firefox: 2 };

/**
 * A browser ready to probe from a fixed set of page origins. Its pages stay open between runs
 * (tests and the Playwright `target` project run many targets from the same origins); every probe
 * has its own URL, so no cache joins two runs.
 */
export class ProbeEnvironment {
  /** The in-page concurrency of the next run (ProbeSession reads it when a batch starts). */
  private readonly sessionOptions = { concurrency: 2 };
  readonly session: ProbeSession;
  /** Pages the browser would not open, with why (not tried again). */
  readonly refused = new Map<string, string>();

  private constructor(
    readonly kind: BrowserName,
    readonly browser: ProbeBrowser,
    readonly pageHost: PageHost,
    private readonly proxy: ForwardProxy | null,
    /** host:port pairs mapped (Chromium) or page origins answered (Firefox). */
    private readonly hosted: Set<string>,
    private readonly mapped: Set<string>,
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
   * Starts the page host (and for Firefox the proxy) and launches the browser. `targetUrl` keeps
   * Chromium from mapping the target's own host:port to the page host. Returns why not when the
   * browser is missing or does not start.
   */
  static async open(kind: BrowserName, pages: readonly PageOrigin[], targetUrl: string): Promise<ProbeEnvironment | { missing: string }> {
    const found = discover(kind);
    if (!found.found) return { missing: found.reason };
    const pageHost = await new PageHost().start();
    const hosted = new Set(pages.map((p) => `${p.scheme}://${hostPort(p)}`));
    let proxy: ForwardProxy | null = null;
    try {
      if (kind === 'chromium') {
        const { rules } = chromiumRules(pages, pageHost.port, targetUrl);
        const mapped = new Set(rules.map((r) => r.split(' ')[1]!));
        const browser = await launchProbeBrowser(found.browser, { hostResolverRules: rules });
        return new ProbeEnvironment(kind, browser, pageHost, null, hosted, mapped);
      }
      proxy = await new ForwardProxy((scheme, at) => hosted.has(`${scheme}://${at}`), pageHost.port, new Set([new URL(targetUrl).hostname])).start();
      const hijack = pages.some((p) => isLoopbackName(p.host));
      const browser = await launchProbeBrowser(found.browser, { prefs: proxy.firefoxPrefs(hijack) });
      return new ProbeEnvironment(kind, browser, pageHost, proxy, hosted, new Set());
    } catch (error) {
      await proxy?.stop();
      await pageHost.stop();
      return { missing: `${kind} did not start: ${(error as Error).message.split('\n')[0]}` };
    }
  }

  /** Why a page cannot be used with this target in this environment, or null. */
  unhostable(page: PageOrigin, targetUrl: string): string | null {
    if (!this.hosted.has(`${page.scheme}://${hostPort(page)}`)) return `${page.origin} is not hosted in this browser session`;
    if (this.kind === 'chromium') {
      const target = targetHostPort(targetUrl);
      if (hostPort(page) === target) {
        return `${page.origin} shares ${target} with the target: Chromium's host-resolver rules cannot send one to a local page and the other to your server`;
      }
    }
    return null;
  }

  /** Whether every one of these pages is hosted here (a shared environment serves only its own). */
  hostsAll(pages: readonly PageOrigin[]): boolean {
    return pages.every((p) => this.hosted.has(`${p.scheme}://${hostPort(p)}`));
  }

  /** Whether the target itself would be answered by the page host (its host:port is mapped). */
  hijacksTarget(targetUrl: string): boolean {
    return this.mapped.has(targetHostPort(targetUrl));
  }

  async close(): Promise<void> {
    await this.session.close();
    await this.browser.close();
    await this.proxy?.stop();
    await this.pageHost.stop();
  }
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
}

export interface RunOptions {
  concurrency: number;
  timeoutMs: number;
  onPage?: (index: number, total: number, page: PageOrigin, count: number) => void;
}

function step(probe: VerifyProbe, url: string, timeoutMs: number): InPageStep {
  return {
    url,
    method: probe.method,
    headers: probe.headers,
    body: probe.body,
    client: probe.client,
    credentials: probe.credentials ? 'include' : 'omit',
    redirect: 'follow',
    delayMs: 0,
    timeoutMs,
  };
}

/** Runs every probe (with its URL), page after page. Probes with `skip` are reported not run. */
export async function runInBrowser(env: ProbeEnvironment, targetUrl: string, probes: ReadonlyArray<{ probe: VerifyProbe; url: string }>, options: RunOptions): Promise<Map<string, PageObservation>> {
  const out = new Map<string, PageObservation>();
  const notRun = (reason: string): PageObservation => ({ outcome: 'not-run', status: null, headers: [], browserReason: null, pageError: null, notRun: reason });
  const byPage = new Map<string, { page: PageOrigin; items: Array<{ probe: VerifyProbe; url: string }> }>();
  for (const item of probes) {
    if (item.probe.skip) {
      out.set(item.probe.id, notRun(item.probe.skip));
      continue;
    }
    const group = byPage.get(item.probe.page.pageUrl) ?? { page: item.probe.page, items: [] };
    group.items.push(item);
    byPage.set(item.probe.page.pageUrl, group);
  }
  const groups = [...byPage.values()];
  env.setConcurrency(options.concurrency);
  // Pages open a few at a time (nothing reaches the target while they load); probes then run
  // page after page, so the in-page limit is the limit on the target.
  const urls = groups.filter(({ page }) => env.unhostable(page, targetUrl) === null && !env.refused.has(page.pageUrl)).map(({ page }) => page.pageUrl);
  const width = PRELOAD_WIDTH[env.kind];
  for (let i = 0; i < urls.length; i += width) await env.session.preload(urls.slice(i, i + width));
  for (const [index, { page, items }] of groups.entries()) {
    options.onPage?.(index, groups.length, page, items.length);
    const why = env.unhostable(page, targetUrl) ?? env.refused.get(page.pageUrl);
    if (why) {
      for (const { probe } of items) out.set(probe.id, notRun(why));
      continue;
    }
    try {
      const results = await env.session.run([{ pageUrl: page.pageUrl, probes: items.map(({ probe, url }) => ({ id: probe.id, steps: [step(probe, url, options.timeoutMs)] })) }]);
      for (const { probe } of items) {
        const r = results.get(probe.id)?.steps[0];
        if (!r) {
          out.set(probe.id, notRun('the page returned no result'));
          continue;
        }
        out.set(probe.id, { outcome: r.outcome, status: r.status, headers: r.headers, browserReason: r.browserReason, pageError: r.error, notRun: null });
      }
    } catch (error) {
      const message = (error as Error).message.split('\n')[0]!.replace(/^page\.goto: /, '');
      const reason = `${env.kind} would not open a page on ${page.origin === 'null' ? page.pageUrl : page.origin} (${message})`;
      env.refused.set(page.pageUrl, reason);
      for (const { probe } of items) out.set(probe.id, notRun(reason));
    }
  }
  return out;
}
