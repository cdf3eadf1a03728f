/**
 * The ceiling: a bare page firing the same number of fetches (the same share preflighted) at a
 * trivial keep-alive server – no harness, no recording, no oracle. What the browser and this
 * machine can do at all; the suite's in-test rate is reported as a fraction of it.
 *
 * Two bare pages are measured and the faster one is the ceiling: Playwright's ordinary page
 * (`context.newPage()`) and one with Playwright's per-request network events off (browser/quiet.ts),
 * as the suite's probing pages are. Taking the best keeps the ceiling a ceiling: the suite gains
 * nothing from the quiet pages that the bare page does not get too. In Firefox the two are the
 * same page setup (the network subscription is per browser, and the probing browser has none), so
 * there they are simply two measurements, and the better one counts.
 */
import type { ProbePage as Page } from '../harness/browser/engines';
import type { ProbeBrowser } from '../harness/browser/engines';
import { startBareServer, type BareServer } from './bare-server';

export interface Ceiling {
  /** The faster of the two. */
  casesPerSec: number;
  /** Playwright's ordinary page. */
  plainPage: number;
  /** The same page with Playwright's network events off. */
  quietPage: number;
}

export async function measureCeiling(browser: ProbeBrowser, total: number, preflighted: number): Promise<Ceiling> {
  const server = await startBareServer((req, res) => {
    const headers: Record<string, string> = { 'access-control-allow-origin': '*', 'content-length': '2' };
    if (req.method === 'OPTIONS') {
      headers['access-control-allow-methods'] = 'PUT';
      headers['access-control-allow-headers'] = 'x-bench';
    }
    res.writeHead(200, headers);
    res.end('ok');
  });
  try {
    // Nothing of the harness in either page: no runner, no recording.
    const plainPage = await bestOfTwo(await browser.newPlainPage(), server, total, preflighted);
    const quietPage = await bestOfTwo((await browser.newProbingPage()).page, server, total, preflighted);
    return { casesPerSec: Math.max(plainPage, quietPage), plainPage, quietPage };
  } finally {
    await server.stop();
  }
}

async function bestOfTwo(page: Page, server: BareServer, total: number, preflighted: number): Promise<number> {
  try {
    await page.goto(server.pageUrl);
    // The best of two rounds: the first pays for opening connections and warming the page, so
    // taken alone it would flatter the suite's share of the ceiling (measured: ~15 % lower).
    let best = 0;
    for (let round = 0; round < 2; round++) {
      const ms = (await page.evaluate(`(async () => {
      const t0 = performance.now();
      const jobs = [];
      for (let i = 0; i < ${total}; i++) {
        const url = 'http://api.localhost:${server.port}/c/' + i + '?r=' + Math.random();
        jobs.push(i < ${preflighted}
          ? fetch(url, { method: 'PUT', headers: { 'X-Bench': '1' } }).then((r) => r.text())
          : fetch(url).then((r) => r.text()));
      }
      await Promise.all(jobs);
      return performance.now() - t0;
    })()`)) as number;
      best = Math.max(best, (total / ms) * 1000);
    }
    return best;
  } finally {
    await page.close();
  }
}
