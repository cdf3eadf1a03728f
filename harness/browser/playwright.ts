/**
 * The Playwright library cors-conform drives browsers with. In a project that has Playwright of its
 * own, that copy (its `playwright-core`, resolved from the working directory): its
 * `npx playwright install` put the browser builds that copy expects, so discovery finds them.
 * Elsewhere, the `playwright-core` cors-conform depends on. Public API only, apart from the
 * feature-checked quieting in quiet.ts.
 */
import type * as PlaywrightCore from 'playwright-core';

let loaded: { library: typeof PlaywrightCore; from: 'project' | 'cors-conform'; version: string } | undefined;

export function playwrightLibrary(): { library: typeof PlaywrightCore; from: 'project' | 'cors-conform'; version: string } {
  if (loaded) return loaded;
  const own = require.resolve('playwright-core');
  let file = own;
  try {
    file = require.resolve('playwright-core', { paths: [process.cwd()] });
  } catch {
    // the project has no Playwright of its own: ours
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a module chosen at run time, from the user's project
  const library = require(file) as typeof PlaywrightCore;
  let version = '';
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the same copy's version
    version = (require(require.resolve('playwright-core/package.json', { paths: [file] })) as { version: string }).version;
  } catch {
    // a Playwright without its package.json in exports: the version stays unknown
  }
  loaded = { library, from: file === own ? 'cors-conform' : 'project', version };
  return loaded;
}
