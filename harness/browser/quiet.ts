/**
 * Turns off Playwright's own network instrumentation where the harness probes.
 *
 * Playwright reports every request of every page to its client (page.on('request'), the Response
 * that page.goto returns, HAR, tracing): in Chromium it enables the CDP Network domain on each
 * page, in Firefox it subscribes the whole WebDriver BiDi session to `network.*` events. That is
 * five or more events per request, decoded by the browser, sent over the pipe and parsed here –
 * and the harness uses none of them: probe results come from the page itself, the wire from the
 * server, Chromium's block reasons from its console messages (reasons.ts).
 *
 * Measured here (bench; docs/speed.md): a bare page's CORS fetches per second rose from ~270 to
 * ~390 in Chromium 156 with Network off, and from ~130 to ~450 in Firefox ESR 153 without the
 * network subscription; the suite's batch rate in Firefox went from ~80 to ~210 cases/s, in
 * Chromium (once its block reasons no longer needed Network) from ~230 to ~340.
 *
 * There is no public API for this, so it reaches into Playwright's in-process server objects
 * (`_connection.toImpl`, present when the client and server share a process, as in Playwright
 * Test workers and `chromium.launch()` from Node). @playwright/test is pinned (1.64.1); every step
 * is feature-checked and the answer says whether it took effect, so a Playwright that moved things
 * is slower, never wrong – and tests/browser/instrumentation.spec.ts fails so the move is noticed.
 *
 * What is lost, on probing pages only: page.goto resolves to null instead of a Response, and
 * page.on('request'/'response') stays silent. Nothing in the harness listens for them.
 */
import type { Browser, Page } from 'playwright-core';

interface Sender {
  send(method: string, params?: object): Promise<unknown>;
}

function isSender(x: unknown): x is Sender {
  return typeof x === 'object' && x !== null && typeof (x as { send?: unknown }).send === 'function';
}

/** The server-side object behind a Playwright client object, when both live in this process. */
function serverSide(clientObject: object): Record<string, unknown> | null {
  const connection = (clientObject as { _connection?: { toImpl?: (x: object) => unknown } })._connection;
  if (typeof connection?.toImpl !== 'function') return null;
  try {
    const impl = connection.toImpl(clientObject);
    return typeof impl === 'object' && impl !== null ? (impl as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function field(x: unknown, name: string): unknown {
  return typeof x === 'object' && x !== null ? (x as Record<string, unknown>)[name] : undefined;
}

/**
 * Firefox: unsubscribes the BiDi session from `network` events (Playwright subscribed it to
 * them globally at launch), and from `log` and `input`, which nothing here listens to either:
 * `log` carries console messages and page errors (in Firefox the harness reads neither – Chromium's
 * reasons come from its own console), `input` file-dialog events. Call once per launched browser.
 * Returns whether the network events are off (the part that matters: measured, ~130 -> ~450 bare
 * fetches/s); `log` and `input` are a further ~6 % of browser and runner CPU per case (measured,
 * 1,000 generated cases, eight rounds alternating: 2.28 vs 2.42 ms), so a failure there is ignored.
 */
export async function quietFirefoxBrowser(browser: Browser): Promise<boolean> {
  const session = field(serverSide(browser), '_browserSession');
  if (!isSender(session)) return false;
  try {
    await session.send('session.unsubscribe', { events: ['network'] });
  } catch {
    return false;
  }
  await session.send('session.unsubscribe', { events: ['log', 'input'] }).catch(() => {});
  return true;
}

/**
 * Chromium: disables the CDP Network domain on the session Playwright drives the page with. Call
 * before the page's first navigation. Returns whether it took effect. Chromium's console still
 * reports each CORS block with Network off, which is where the block reasons come from.
 */
export async function quietChromiumPage(page: Page): Promise<boolean> {
  const client = field(field(field(serverSide(page), 'delegate'), '_mainFrameSession'), '_client');
  if (!isSender(client)) return false;
  try {
    await client.send('Network.disable');
    return true;
  } catch {
    return false;
  }
}
