/**
 * Finding and starting a browser, the ordinary way: Playwright's own build when it is installed
 * (`npx playwright install`), else a system browser (Debian's chromium / firefox-esr, Chrome,
 * Firefox; for WebKit, WebKitGTK's MiniBrowser over WebDriver: webkitgtk.ts), else one line saying
 * what to install. Nothing is downloaded from here.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { executable } from '../core/process';
import { playwrightLibrary } from './playwright';
import { findWebkitGtk, WEBKITGTK_INSTALL, WebkitGtkBrowsers, type PageCookie, type WebkitGtk } from './webkitgtk';
import type { BrowserKind } from '../oracle';
import { quietChromiumPage, quietFirefoxBrowser } from './quiet';

export interface FoundBrowser {
  kind: BrowserKind;
  /** `webkitgtk`: the system's WebKitGTK, driven over WebDriver (webkitgtk.ts), not by Playwright. */
  source: 'playwright' | 'system' | 'env' | 'webkitgtk';
  /** Undefined means Playwright's own build at its default location. */
  executablePath?: string;
  /** Playwright channel: system Firefox is driven over WebDriver BiDi as `moz-firefox`. */
  channel?: string;
  /** For source `webkitgtk`: its WebDriver, MiniBrowser and display server. */
  gtk?: WebkitGtk;
}

export type Discovery = { found: true; browser: FoundBrowser } | { found: false; reason: string };

const ENV_OVERRIDE: Record<BrowserKind, string> = {
  chromium: 'CORS_CONFORM_CHROMIUM',
  firefox: 'CORS_CONFORM_FIREFOX',
  webkit: 'CORS_CONFORM_WEBKIT',
};

/**
 * System locations, most specific first. `/usr/lib/chromium/chromium` is Debian's real binary:
 * `/usr/bin/chromium` is a wrapper script that prints a harmless `[: unexpected operator` line.
 */
const SYSTEM_PATHS: Record<BrowserKind, string[]> = {
  chromium: [
    '/usr/lib/chromium/chromium',
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/opt/google/chrome/chrome',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
  ],
  firefox: [
    '/usr/bin/firefox-esr',
    '/usr/bin/firefox',
    '/usr/lib/firefox-esr/firefox-esr',
    '/Applications/Firefox.app/Contents/MacOS/firefox',
  ],
  webkit: [],
};

/** What to do about a missing browser, in any project: Playwright's own command first. */
const INSTALL_HINT: Record<BrowserKind, string> = {
  chromium:
    "run `npx playwright install chromium`, or install your system's Chromium (Debian: `apt-get install chromium`), or set CORS_CONFORM_CHROMIUM=/path/to/chrome",
  firefox:
    "run `npx playwright install firefox`, or install your system's Firefox (Debian: `apt-get install firefox-esr`), or set CORS_CONFORM_FIREFOX=/path/to/firefox",
  webkit: `run \`npx playwright install webkit\`, or ${WEBKITGTK_INSTALL}`,
};

function playwrightBuild(kind: BrowserKind): string | null {
  try {
    const file = playwrightLibrary().library[kind].executablePath();
    return file && executable(file) ? file : null;
  } catch {
    return null;
  }
}

function systemChannel(kind: BrowserKind): string | undefined {
  // Playwright 1.64 drives a stock Firefox over WebDriver BiDi through this channel.
  return kind === 'firefox' ? 'moz-firefox' : undefined;
}

export function discover(kind: BrowserKind): Discovery {
  const override = process.env[ENV_OVERRIDE[kind]];
  if (override) {
    if (!executable(override)) return { found: false, reason: `${ENV_OVERRIDE[kind]}=${override} is not an executable file` };
    return { found: true, browser: { kind, source: 'env', executablePath: override, channel: systemChannel(kind) } };
  }
  if (playwrightBuild(kind)) return { found: true, browser: { kind, source: 'playwright' } };
  const system = SYSTEM_PATHS[kind].find(executable);
  if (system) return { found: true, browser: { kind, source: 'system', executablePath: system, channel: systemChannel(kind) } };
  if (kind === 'webkit') {
    const gtk = findWebkitGtk();
    if (gtk.found) return { found: true, browser: { kind, source: 'webkitgtk', executablePath: gtk.gtk.miniBrowser, gtk: gtk.gtk } };
    return { found: false, reason: `no webkit browser found (Playwright's WebKit is not installed; ${gtk.reason}): ${INSTALL_HINT[kind]}` };
  }
  return { found: false, reason: `no ${kind} browser found: ${INSTALL_HINT[kind]}` };
}

/** Headless Chromium flags for a closed network (on a machine without internet, background networking fails loudly). */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Where the Chromium profile lives: in memory (/dev/shm) where there is one. A persistent profile
 * keeps an HTTP disk cache, and every probe's response was written to it (unique URLs, so never
 * read back); on disk that cost the browser ~25 % more CPU per case than in memory (measured,
 * 1,000-case batches: ~380 vs ~500 cases/s; docs/speed.md).
 */
function profileBase(): string {
  try {
    fs.accessSync('/dev/shm', fs.constants.W_OK);
    if (fs.statSync('/dev/shm').isDirectory()) return '/dev/shm';
  } catch {
    // no /dev/shm (macOS, Windows): the ordinary temporary directory
  }
  return os.tmpdir();
}

/**
 * Firefox's HTTP cache, off: every probe URL is unique, so a cached response is never read back,
 * but storing each one kept Firefox's parent process busy (measured, 1,000-case batches: ~5.0 vs
 * ~4.0 ms of browser CPU per case). The CORS preflight cache is separate and stays on.
 */
const FIREFOX_NO_HTTP_CACHE = { 'browser.cache.disk.enable': false, 'browser.cache.memory.enable': false };

/**
 * One attempt per request: Firefox resends an idempotent request whose connection closed before
 * an answer (up to 10 attempts by default), so a target that stalls or resets got every probe
 * several times, each waiting out the deadline (measured: a stalled target took 26 s to verify
 * against Chromium's 11 s). A probe is one request; its failure is the answer.
 */
const FIREFOX_ONE_ATTEMPT = { 'network.http.request.max-attempts': 1 };

let noticed = false;

/**
 * Says once per process when this Playwright does not let the harness turn its network events off
 * (quiet.ts reaches into its internals): probing is then slower, never wrong.
 */
function noticeIfLoud(quiet: boolean): boolean {
  if (!quiet && !noticed) {
    noticed = true;
    const { version } = playwrightLibrary();
    process.stderr.write(
      `cors-conform: Playwright ${version || '(unknown version)'} does not let cors-conform turn off its per-request network events; probing works, more slowly\n`,
    );
  }
  return quiet;
}

export interface LaunchOptions {
  /**
   * Third-party cookies: `allowed` (the default: credentialed probes carry cookies across sites in
   * every engine) or `as-shipped` (the engine's own default policy; docs/cases.md).
   */
  thirdPartyCookies?: 'allowed' | 'as-shipped';
  /**
   * Chromium `--ip-address-space-overrides` entries, `ip:port=public|private|local`: how a loopback
   * server stands for one on the user's network in Local Network Access cases.
   */
  ipAddressSpaces?: string[];
  /** Chromium `--host-resolver-rules` entries, e.g. `MAP app.example.com:443 127.0.0.1:40123`. */
  hostResolverRules?: string[];
  /** A forward proxy every request goes through (how Firefox reaches claimed origins). */
  proxy?: { server: string; bypass?: string };
  /**
   * Extra Firefox preferences, e.g. `network.proxy.*` to send https through a forward proxy too
   * (Playwright's `proxy` over WebDriver BiDi sets only `httpProxy` for an http:// proxy server).
   */
  prefs?: Record<string, string | number | boolean>;
}

/**
 * A page as the probe runner uses it: Playwright's `Page` is one; so is a WebKitGTK page over
 * WebDriver (webkitgtk.ts).
 */
export interface ProbePage {
  goto(url: string): Promise<unknown>;
  /** Evaluates a JavaScript expression (a string, never a function) and awaits its value. */
  evaluate<R = unknown>(expression: string): Promise<R>;
  close(): Promise<void>;
}

export interface ProbeBrowser {
  kind: BrowserKind;
  found: FoundBrowser;
  version: string;
  /**
   * Adds cookies (Playwright's `addCookies` shape) to the browser all probing pages share. Cases
   * isolate themselves by URL (token) and cookie host or path.
   */
  addCookies(cookies: readonly PageCookie[]): Promise<void>;
  /**
   * A new page for probing, with Playwright's per-request network instrumentation off where that
   * is possible (browser/quiet.ts); `quiet` says whether it is off. `playwright` is the same page
   * as Playwright's `Page` when Playwright drives it (Chromium's block reasons come from its
   * console: browser/reasons.ts), null for WebKitGTK.
   */
  newProbingPage(): Promise<{ page: ProbePage; playwright: Page | null; quiet: boolean }>;
  /** A page as the engine's driver gives it, nothing turned off (the benchmark's reference). */
  newPlainPage(): Promise<ProbePage>;
  /**
   * Grants permissions to an origin's pages (Playwright's `grantPermissions`, e.g.
   * `local-network-access`); absent where the driver cannot (WebKitGTK over WebDriver).
   */
  grantPermissions?(permissions: string[], origin: string): Promise<void>;
  close(): Promise<void>;
}

/** What every engine Playwright drives gives the same way: from its one browser context. */
function contextParts(context: BrowserContext): Pick<ProbeBrowser, 'addCookies' | 'grantPermissions' | 'newPlainPage'> {
  return {
    addCookies: (cookies) => context.addCookies([...cookies]),
    grantPermissions: (permissions, origin) => context.grantPermissions(permissions, { origin }),
    newPlainPage: () => context.newPage(),
  };
}

/**
 * Starts a browser ready for probing: https errors ignored (run-time certificates) and
 * third-party cookies allowed, so credentialed probes really carry cookies across sites.
 */
export async function launchProbeBrowser(found: FoundBrowser, options: LaunchOptions = {}): Promise<ProbeBrowser> {
  const common = { executablePath: found.executablePath, channel: found.channel, headless: true, proxy: options.proxy };
  if (found.kind === 'chromium') {
    // Chromium blocks third-party cookies by default; a persistent profile whose preferences say
    // cookie_controls_mode 0 lets them through (measured with Chromium 156). Only a persistent context
    // reads a profile, hence launchPersistentContext.
    const profile = fs.mkdtempSync(path.join(profileBase(), 'cors-conform-profile-'));
    fs.mkdirSync(path.join(profile, 'Default'));
    if (options.thirdPartyCookies !== 'as-shipped')
      fs.writeFileSync(path.join(profile, 'Default', 'Preferences'), JSON.stringify({ profile: { cookie_controls_mode: 0 } }));
    const args = [...CHROMIUM_FLAGS];
    if (options.hostResolverRules?.length) args.push(`--host-resolver-rules=${options.hostResolverRules.join(',')}`);
    if (options.ipAddressSpaces?.length) args.push(`--ip-address-space-overrides=${options.ipAddressSpaces.join(',')}`);
    let context: BrowserContext;
    try {
      context = await playwrightLibrary().library.chromium.launchPersistentContext(profile, { ...common, args, ignoreHTTPSErrors: true });
    } catch (error) {
      fs.rmSync(profile, { recursive: true, force: true });
      throw error;
    }
    const page = context.pages()[0] ?? (await context.newPage());
    const cdp = await context.newCDPSession(page);
    const { product } = (await cdp.send('Browser.getVersion')) as { product: string };
    await cdp.detach();
    return {
      kind: 'chromium',
      found,
      version: product.replace(/^[A-Za-z]*Chrome\//, ''),
      ...contextParts(context),
      async newProbingPage() {
        const page = await context.newPage();
        return { page, playwright: page, quiet: noticeIfLoud(await quietChromiumPage(page)) };
      },
      async close() {
        await context.close().catch(() => {});
        fs.rmSync(profile, { recursive: true, force: true });
      },
    };
  }
  if (found.kind === 'firefox') {
    const browser = await playwrightLibrary().library.firefox.launch({
      ...common,
      // Firefox partitions third-party cookies (Total Cookie Protection); 0 = accept all, the
      // same stance as the Chromium profile above.
      firefoxUserPrefs: {
        ...(options.thirdPartyCookies === 'as-shipped' ? {} : { 'network.cookie.cookieBehavior': 0 }),
        ...FIREFOX_NO_HTTP_CACHE,
        ...FIREFOX_ONE_ATTEMPT,
        ...options.prefs,
      },
    });
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    // Firefox's network events are one subscription for the whole session, so once is enough.
    const quiet = noticeIfLoud(await quietFirefoxBrowser(browser));
    return {
      kind: 'firefox',
      found,
      version: browser.version(),
      ...contextParts(context),
      async newProbingPage() {
        const page = await context.newPage();
        return { page, playwright: page, quiet };
      },
      close: () => browser.close(),
    };
  }
  if (found.source === 'webkitgtk' && found.gtk) return launchWebkitGtk(found, found.gtk, options);
  const browser = await playwrightLibrary().library.webkit.launch(common);
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  return {
    kind: 'webkit',
    found,
    version: browser.version(),
    ...contextParts(context),
    // Not measured in Playwright's WebKit (not installed here): its instrumentation stays as Playwright has it.
    async newProbingPage() {
      const page = await context.newPage();
      return { page, playwright: page, quiet: false };
    },
    close: () => browser.close(),
  };
}

/**
 * WebKitGTK (webkitgtk.ts). Its default cookie policy is `no-third-party`, which stops a
 * cross-site response from setting cookies; `always` is the same stance as the other engines'
 * settings above. A page's requests go through `options.proxy` when given (verify's claimed
 * origins); the suites' `*.localhost` names resolve to loopback in WebKit by themselves.
 */
async function launchWebkitGtk(found: FoundBrowser, gtk: WebkitGtk, options: LaunchOptions): Promise<ProbeBrowser> {
  const { browsers, first } = await WebkitGtkBrowsers.launch(gtk, {
    proxy: options.proxy?.server,
    cookiesPolicy: options.thirdPartyCookies === 'as-shipped' ? undefined : 'always',
  });
  let spare: typeof first | null = first;
  const page = async () => {
    const ready = spare ?? (await browsers.newPage());
    spare = null;
    return ready;
  };
  return {
    kind: 'webkit',
    found,
    version: browsers.version,
    addCookies: (cookies) => browsers.addCookies(cookies),
    // Nothing to turn off: WebDriver reports no per-request events.
    newProbingPage: async () => ({ page: await page(), playwright: null, quiet: true }),
    newPlainPage: page,
    close: () => browsers.close(),
  };
}
