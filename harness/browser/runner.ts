/**
 * Runs batches of probes in real pages: one page per page origin, every probe of a batch sent
 * concurrently from it (a page per case costs ~120 ms, a fetch in an open page ~8 ms). Returns
 * what the page saw plus, in Chromium, the browser's own reason for each blocked step.
 */
import type { ProbeBrowser, ProbePage } from './engines';
import type { OriginPlan } from './origins';
import { probeKey } from '../core/probe-url';
import { collectChromiumReasons, type ReasonCollector } from './reasons';
import type { InPageProbe, InPageStepResult } from './in-page';

export interface StepResult extends InPageStepResult {
  /** The browser's own reason (Chromium's corsError name), null when it gives none. */
  browserReason: string | null;
}

export interface PageProbeResult {
  id: string;
  steps: StepResult[];
}

export interface Batch {
  /** URL of the document the probes run in; its origin is the request origin. */
  pageUrl: string;
  probes: InPageProbe[];
}

/**
 * Groups probes into one batch per page they run from (a page's origin is the request origin),
 * keeping their order within each page.
 */
export function batchesByPage(items: Iterable<{ pageUrl: string; token: string; steps: InPageProbe['steps'] }>): Batch[] {
  const byPage = new Map<string, Batch>();
  for (const item of items) {
    const batch = byPage.get(item.pageUrl) ?? { pageUrl: item.pageUrl, probes: [] };
    batch.probes.push({ id: item.token, steps: item.steps });
    byPage.set(item.pageUrl, batch);
  }
  return [...byPage.values()];
}

interface OpenPage {
  page: ProbePage;
  reasons: ReasonCollector | null;
}

/** Requests in flight per page unless a caller (verify's --concurrency) says otherwise. */
export const DEFAULT_IN_FLIGHT = 48;

export class ProbeSession {
  private readonly pages = new Map<string, Promise<OpenPage>>();

  constructor(
    readonly browser: ProbeBrowser,
    private readonly options: { concurrency?: number; captureReasons?: boolean; perHost?: boolean } = {},
  ) {}

  private open(pageUrl: string): Promise<OpenPage> {
    let opened = this.pages.get(pageUrl);
    if (!opened) {
      opened = (async () => {
        const capture = this.browser.kind === 'chromium' && this.options.captureReasons !== false;
        const { page, playwright } = await this.browser.newProbingPage();
        const reasons = capture && playwright ? await collectChromiumReasons(playwright) : null;
        await page.goto(pageUrl);
        return { page, reasons };
      })();
      this.pages.set(pageUrl, opened);
      opened.catch(() => this.pages.delete(pageUrl));
    }
    return opened;
  }

  /**
   * Opens pages now, in parallel, so a later run() finds them ready (opening a page costs far
   * more than a probe). A page that fails to open is opened again – and fails – in run().
   */
  async preload(pageUrls: readonly string[]): Promise<void> {
    await Promise.all(pageUrls.map((url) => this.open(url).catch(() => undefined)));
  }

  /** Runs every batch (batches in parallel, each in its own page) and returns results by probe id. */
  async run(batches: Batch[]): Promise<Map<string, PageProbeResult>> {
    const results = new Map<string, PageProbeResult>();
    await Promise.all(
      batches.map(async (batch) => {
        if (batch.probes.length === 0) return;
        const { page, reasons } = await this.open(batch.pageUrl);
        // Bounded in flight per page: a step's timeout starts when the page sends it, so requests
        // must not sit for seconds in the browser's per-host connection queue first.
        const options = { concurrency: this.options.concurrency ?? DEFAULT_IN_FLIGHT, perHost: this.options.perHost === true };
        // A string expression, not a function: nothing from this module's compiled output
        // (helpers a TypeScript transform may add) is sent into the page. The results come back
        // as one JSON string: Playwright's own serialization of a deep result (an object per
        // step, header pairs) cost more than the requests (measured, 1,000 probes: Firefox
        // ~280 -> ~420/s, Chromium ~400 -> ~515/s; docs/speed.md).
        const before = reasons?.received ?? 0;
        const json = (await page.evaluate(
          `window.__ccRun(${JSON.stringify(batch.probes)}, ${JSON.stringify(options)}).then(JSON.stringify)`,
        )) as string;
        const raw = JSON.parse(json) as Array<{ id: string; steps: InPageStepResult[] }>;
        const blocked = raw.reduce((n, r) => n + r.steps.filter((step) => step.outcome === 'blocked').length, 0);
        if (reasons && blocked > 0) await reasons.settled(before + blocked, 1_000);
        for (const [i, probe] of batch.probes.entries()) {
          const got = raw[i]!;
          // Attribute Chromium's reasons to the blocked steps of this probe, in order.
          const byKey = new Map<string, string[]>();
          const steps = got.steps.map((step, s) => {
            let browserReason: string | null = null;
            if (reasons && step.outcome === 'blocked') {
              const key = probeKey(probe.steps[s]!.url);
              if (!byKey.has(key)) byKey.set(key, reasons.take(key));
              browserReason = byKey.get(key)!.shift() ?? null;
            }
            return { ...step, browserReason };
          });
          results.set(probe.id, { id: probe.id, steps });
        }
      }),
    );
    return results;
  }

  async close(): Promise<void> {
    const pages = [...this.pages.values()];
    this.pages.clear();
    await Promise.all(
      pages.map(async (p) => {
        const { page, reasons } = await p.catch(() => ({ page: null, reasons: null }));
        await reasons?.detach();
        await page?.close().catch(() => {});
      }),
    );
  }
}

/** A worker's probing browser: the browser, its session of open pages, the named origins' plan. */
export interface ProbingEnv {
  browser: ProbeBrowser;
  session: ProbeSession;
  plan: OriginPlan;
}
