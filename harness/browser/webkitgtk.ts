/**
 * WebKit where Playwright's own build is not installed (it cannot be downloaded everywhere): the
 * system's WebKitGTK MiniBrowser, driven over W3C WebDriver by its `WebKitWebDriver`, with
 * selenium-webdriver as the client, on an X display of its own (Xvfb; MiniBrowser has no headless
 * mode under WebDriver: `--headless` is refused and hangs the session).
 *
 * One WebDriver session drives one window and runs one script at a time, and WebKitWebDriver holds
 * one session, so every probing page is a MiniBrowser of its own behind a WebKitWebDriver of its
 * own: pages then probe side by side as Playwright's do. Cookies go into every page's browser.
 *
 * What this WebKit does not give over WebDriver: its console (so no block reason of the browser's
 * own: reports give the oracle's and say so) and per-request events (nothing to turn off: pages
 * are "quiet").
 */
import type { ChildProcess } from 'node:child_process';
import type { BrowserContext } from 'playwright-core';
import type { WebDriver } from 'selenium-webdriver';
import { freeLoopbackPort } from '../core/listen';
import type { ProbePage } from './engines';
import { executable, spawnGroup, stopGroup, waitUntilAnswering } from '../core/process';

/** Where Linux distributions put WebKitGTK's pieces (Debian and Ubuntu, Fedora, Arch). */
export const WEBKITGTK_PLACES = {
  driver: ['/usr/bin/WebKitWebDriver', '/usr/local/bin/WebKitWebDriver'],
  miniBrowser: [
    '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
    '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
    '/usr/lib/x86_64-linux-gnu/webkitgtk-6.0/MiniBrowser',
    '/usr/lib/aarch64-linux-gnu/webkitgtk-6.0/MiniBrowser',
    '/usr/libexec/webkit2gtk-4.1/MiniBrowser',
    '/usr/libexec/webkitgtk-6.0/MiniBrowser',
    '/usr/lib/webkit2gtk-4.1/MiniBrowser',
    '/usr/lib/webkitgtk-6.0/MiniBrowser',
  ],
  xvfb: ['/usr/bin/Xvfb', '/usr/local/bin/Xvfb'],
};

export const WEBKITGTK_INSTALL =
  'on Debian or Ubuntu `apt-get install webkit2gtk-driver xvfb` and `npm i -D selenium-webdriver` (its WebDriver client)';

export interface WebkitGtk {
  driver: string;
  miniBrowser: string;
  /** Null: no Xvfb, so the display in $DISPLAY is used. */
  xvfb: string | null;
}

/** selenium-webdriver: the project's own copy first (as for Playwright), else one beside cors-conform. */
function seleniumWebdriver(): typeof import('selenium-webdriver') | null {
  for (const paths of [[process.cwd()], undefined]) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional, loaded only for WebKitGTK
      return require(require.resolve('selenium-webdriver', paths ? { paths } : undefined)) as typeof import('selenium-webdriver');
    } catch {
      // not there: the next place
    }
  }
  return null;
}

/** WebKitGTK's WebDriver, MiniBrowser and a display to run it on, or why not. */
export function findWebkitGtk(places = WEBKITGTK_PLACES): { found: true; gtk: WebkitGtk } | { found: false; reason: string } {
  const driver = places.driver.find(executable);
  const miniBrowser = places.miniBrowser.find(executable);
  const xvfb = places.xvfb.find(executable) ?? null;
  const missing = [
    ...(driver ? [] : ['WebKitWebDriver']),
    ...(miniBrowser ? [] : ['MiniBrowser']),
    ...(xvfb || process.env.DISPLAY ? [] : ['Xvfb (or a $DISPLAY)']),
    ...(seleniumWebdriver() ? [] : ['selenium-webdriver']),
  ];
  if (missing.length > 0 || !driver || !miniBrowser)
    return { found: false, reason: `no WebKitGTK to drive (missing ${missing.join(', ')})` };
  return { found: true, gtk: { driver, miniBrowser, xvfb } };
}

/** A cookie as Playwright's `addCookies` takes it (the suites' and verify's shape). */
export type PageCookie = Parameters<BrowserContext['addCookies']>[0][number];

export interface GtkLaunchOptions {
  /** A forward proxy every request goes through (`http://127.0.0.1:port`): how pages live on claimed origins. */
  proxy?: string;
  /** MiniBrowser's `--cookies-policy` (always | never | no-third-party); its own default when absent. */
  cookiesPolicy?: 'always' | 'never' | 'no-third-party';
}

/** How long a WebDriver start, a session start and a page load may take. Cold, a session took 5–7 s here. */
const START_TIMEOUT_MS = 60_000;
/** A batch of probes is one script: as long as the longest batch (the server suite's, ~30 s). */
const SCRIPT_TIMEOUT_MS = 600_000;

/**
 * WebKitGTK's browsers for one probing run: the display, and a WebDriver + MiniBrowser per page.
 */
export class WebkitGtkBrowsers {
  private display: { child: ChildProcess; name: string } | null = null;
  private readonly open = new Set<GtkPage>();
  private readonly cookies: PageCookie[] = [];
  /** MiniBrowser's version (from the first session's capabilities). */
  version = '';

  private constructor(
    private readonly gtk: WebkitGtk,
    private readonly options: GtkLaunchOptions,
  ) {}

  static async launch(gtk: WebkitGtk, options: GtkLaunchOptions = {}): Promise<{ browsers: WebkitGtkBrowsers; first: GtkPage }> {
    const browsers = new WebkitGtkBrowsers(gtk, options);
    try {
      if (gtk.xvfb) browsers.display = await startXvfb(gtk.xvfb);
      // The first page opens now: its capabilities give the version, and a run needs a page anyway.
      const first = await browsers.newPage();
      return { browsers, first };
    } catch (error) {
      await browsers.close();
      throw error;
    }
  }

  /** A page: a WebKitWebDriver on a free port and its MiniBrowser; tried again if the port was taken meanwhile. */
  async newPage(): Promise<GtkPage> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.startPage();
      } catch (error) {
        if (attempt >= 3 || !/exited/.test((error as Error).message)) throw error;
      }
    }
  }

  private async startPage(): Promise<GtkPage> {
    const selenium = seleniumWebdriver();
    if (!selenium) throw new Error('selenium-webdriver is not installed');
    const port = await freeLoopbackPort();
    const env = { ...process.env, ...(this.display ? { DISPLAY: this.display.name } : {}) };
    const started = spawnGroup(this.gtk.driver, [`--port=${port}`], { env });
    let driver: WebDriver | null = null;
    try {
      await waitUntilAnswering('WebKitWebDriver', started, [port], '/status', START_TIMEOUT_MS);
      const capabilities = {
        browserName: 'MiniBrowser',
        // The pages are served with a run-time certificate (certs.ts).
        acceptInsecureCerts: true,
        'webkitgtk:browserOptions': {
          binary: this.gtk.miniBrowser,
          args: [
            '--automation',
            ...(this.options.cookiesPolicy ? [`--cookies-policy=${this.options.cookiesPolicy}`] : []),
            // MiniBrowser's own flag, not WebDriver's proxy capability: WebKitWebDriver turns the
            // capability's sslProxy into an https:// proxy (TLS to the proxy itself, which refuses
            // a run-time certificate whatever acceptInsecureCerts says); --proxy sends https as
            // CONNECT to a plain http proxy (measured, WebKitGTK 2.50).
            ...(this.options.proxy ? [`--proxy=${this.options.proxy}`] : []),
          ],
        },
      };
      driver = await withTimeout(
        new selenium.Builder().usingServer(`http://127.0.0.1:${port}`).withCapabilities(capabilities).build(),
        START_TIMEOUT_MS,
        'a WebKitGTK session did not start',
      );
      await driver.manage().setTimeouts({ script: SCRIPT_TIMEOUT_MS, pageLoad: START_TIMEOUT_MS });
      if (!this.version) this.version = String((await driver.getCapabilities()).get('browserVersion') ?? '');
    } catch (error) {
      await driver?.quit().catch(() => {});
      await stopGroup(started.child);
      throw error;
    }
    const page = new GtkPage(driver, started.child, this);
    this.open.add(page);
    return page;
  }

  /** Adds cookies to every page's browser now and to every page opened later. */
  async addCookies(cookies: readonly PageCookie[]): Promise<void> {
    this.cookies.push(...cookies);
    await Promise.all([...this.open].map((p) => p.setCookies(cookies)));
  }

  /** @internal the cookies a page gets once it has a document (WebDriver sets cookies from one). */
  cookiesSoFar(): readonly PageCookie[] {
    return this.cookies;
  }

  /** @internal */
  forget(page: GtkPage): void {
    this.open.delete(page);
  }

  async close(): Promise<void> {
    await Promise.all([...this.open].map((p) => p.close()));
    if (this.display) await stopGroup(this.display.child);
    this.display = null;
  }
}

export class GtkPage implements ProbePage {
  private loaded = false;

  constructor(
    private readonly driver: WebDriver,
    private readonly process: ChildProcess,
    private readonly owner: WebkitGtkBrowsers,
  ) {}

  async goto(url: string): Promise<null> {
    await this.driver.get(url);
    // A load WebKit refuses (a host it will not resolve, a TLS failure) still "navigates": to
    // about:blank with the error as the document's text. Say so, as Playwright's goto would throw.
    const [at, text] = (await this.driver.executeScript('return [location.href, document.body ? document.body.innerText : ""];')) as [
      string,
      string,
    ];
    if (at === 'about:blank' && url !== 'about:blank')
      throw new Error(`WebKit did not load ${url}: ${text.trim().split('\n')[0] || 'no reason given'}`);
    if (!this.loaded) {
      this.loaded = true;
      await this.setCookies(this.owner.cookiesSoFar());
    }
    return null;
  }

  /**
   * Evaluates a JavaScript expression in the page and awaits it, as Playwright's
   * `page.evaluate(string)`: the value must survive JSON, a rejection becomes an Error here.
   */
  async evaluate<R = unknown>(expression: string): Promise<R> {
    const answer = (await this.driver.executeAsyncScript(
      `var expression = arguments[0], done = arguments[arguments.length - 1];
       Promise.resolve().then(function () { return (0, eval)(expression); }).then(
         function (value) { done({ value: value }); },
         function (error) { done({ error: String(error && error.message || error) }); });`,
      expression,
    )) as { value?: R; error?: string };
    // WebKit quotes the failing source in its messages ("… (In 'window.__ccRun([…])')"): the
    // expression can be a whole batch, so only the message itself is kept.
    if (answer.error !== undefined) throw new Error(answer.error.replace(/ \(In '[\s\S]*$/, '').slice(0, 500));
    return answer.value as R;
  }

  /**
   * WebDriver sets a cookie from a document, not from about:blank; before the first page loads,
   * cookies wait for it. WebKit stores no `Secure` cookie set over http, even on `localhost`
   * (measured, WebKitGTK 2.50), and sends a cookie without `SameSite` on cross-site requests (it
   * has no Lax-by-default), so cross-site test cookies go in without either: what a credentialed
   * request carries is then the same as in the other engines.
   */
  async setCookies(cookies: readonly PageCookie[]): Promise<void> {
    if (!this.loaded) return;
    for (const c of cookies) {
      const cookie: Record<string, unknown> = { name: c.name, value: c.value, path: c.path ?? '/' };
      const domain = c.domain ?? (c.url ? new URL(c.url).hostname : undefined);
      if (domain) cookie.domain = domain;
      if (c.httpOnly) cookie.httpOnly = true;
      if (c.expires !== undefined && c.expires > 0) cookie.expiry = Math.floor(c.expires);
      if (c.sameSite && c.sameSite !== 'None') cookie.sameSite = c.sameSite;
      await this.driver.manage().addCookie(cookie as never);
    }
  }

  async close(): Promise<void> {
    this.owner.forget(this);
    await withTimeout(this.driver.quit(), 10_000, 'quit').catch(() => {});
    await stopGroup(this.process);
  }
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} within ${ms / 1000} s`)), ms))),
  ]).finally(() => clearTimeout(timer));
}

/** Xvfb on a display it picks itself (-displayfd: no guessing at free display numbers). */
async function startXvfb(xvfb: string): Promise<{ child: ChildProcess; name: string }> {
  const started = spawnGroup(xvfb, ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  try {
    const number = await withTimeout(
      new Promise<string>((resolve, reject) => {
        let got = '';
        const fd = started.child.stdio[3] as NodeJS.ReadableStream | null;
        fd?.setEncoding('utf8');
        fd?.on('data', (d: string) => {
          got += d;
          if (got.includes('\n')) resolve(got.trim());
        });
        started.child.once('exit', (code) =>
          reject(new Error(`Xvfb exited (${code}): ${started.stderr().split('\n').slice(-2).join(' ')}`)),
        );
      }),
      START_TIMEOUT_MS,
      'Xvfb did not start',
    );
    return { child: started.child, name: `:${number}` };
  } catch (error) {
    await stopGroup(started.child);
    throw error;
  }
}
