/**
 * A run over a list of targets – from a config file (config.ts), a URL list (`--targets`) or an
 * OpenAPI file (openapi.ts) – as one checked request: every target's URL and expectations, the
 * shared options, the cookies the credentialed probes carry and the suppressions. Everything here
 * is checked before any request, each mistake one UsageError line naming where it is.
 */
import { UsageError } from '../core/errors';
import { BROWSER_KINDS, type BrowserKind } from '../oracle';
import { loadStorageState, parseCookiePair, type CookieSource } from './cookies';
import { resolveExpectations } from './expect-file';
import { API_NAMES, checkTargetOrigin, parseTargetUrl, type BrowserChoice, type CheckedRequest, type OptionNames } from './options';
import type { NotRunTarget, TargetSpec } from './run';
import type { Suppression } from './suppress';
import type { Severity } from './types';

/** The most targets one run takes: a large API is spread over machines with --shard. */
export const MAX_TARGETS = 2000;

export interface RunRequest {
  targets: TargetSpec[];
  /** Targets known but not run (an OpenAPI path with no example value), with why. */
  unrun: NotRunTarget[];
  browsers: BrowserKind[];
  failOn: Severity;
  timeoutMs: number;
  concurrency: number;
  insecure: boolean;
  cookies: CookieSource;
  suppress: Suppression[];
  /** Came as a list: reported per target with a summary, even when the list has one. */
  many: boolean;
}

export function browsersOf(choice: BrowserChoice): BrowserKind[] {
  return choice === 'all' ? [...BROWSER_KINDS] : [choice];
}

/** One checked target: its expectations from its origins, credentials and expect file. */
export function targetSpecOf(checked: CheckedRequest, extra: { readableHeaders?: string[]; listedMethods?: string[] } = {}): TargetSpec {
  return {
    targetUrl: checked.url!,
    expectations: resolveExpectations(checked.expect, {
      origins: checked.origins,
      credentials: checked.credentials,
      ...(extra.readableHeaders ? { readableHeaders: extra.readableHeaders } : {}),
    }),
    methods: checked.methods,
    headers: checked.headers,
    as: checked.as,
    ...(extra.listedMethods?.length ? { listedMethods: extra.listedMethods } : {}),
  };
}

/** --cookie and --storage-state (or the config's cookies / storageState): at most one of them. */
export function cookieSource(
  given: { cookies?: readonly string[]; storageState?: string | null },
  names = { cookie: '--cookie', storageState: '--storage-state' },
): CookieSource {
  const cookies = given.cookies ?? [];
  if (cookies.length > 0 && given.storageState)
    throw new UsageError(
      `${names.cookie} and ${names.storageState} together: give the session one way (the storage state holds its cookies)`,
    );
  if (given.storageState) return loadStorageState(given.storageState);
  if (cookies.length > 0) return { kind: 'given', pairs: cookies.map((c) => parseCookiePair(c, names.cookie)) };
  return { kind: 'marker' };
}

/**
 * A URL list: one URL a line; blank lines and lines starting with # are skipped. A bad line is
 * named by its number.
 */
export function parseTargetList(text: string, source: string): string[] {
  const urls: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const value = line.trim();
    if (value === '' || value.startsWith('#')) return;
    try {
      urls.push(parseTargetUrl(value));
    } catch (error) {
      throw new UsageError(`${source} line ${i + 1}: ${(error as Error).message}`);
    }
  });
  if (urls.length === 0) throw new UsageError(`${source} lists no URL: one URL a line (# starts a comment)`);
  const unique = [...new Set(urls)];
  if (unique.length > MAX_TARGETS)
    throw new UsageError(`${source} lists ${unique.length} URLs: at most ${MAX_TARGETS} per run; split it with --shard i/n`);
  return unique;
}

/** `i/n`: the i-th of n contiguous parts of the list (1-based, as Playwright's --shard). */
export function parseShard(value: string): { index: number; total: number } {
  const m = /^(\d+)\/(\d+)$/.exec(value);
  const index = m ? Number(m[1]) : NaN;
  const total = m ? Number(m[2]) : NaN;
  if (!m || total < 1 || index < 1 || index > total)
    throw new UsageError(`--shard "${value}" is not i/n with 1 ≤ i ≤ n (e.g. --shard 2/4)`);
  return { index, total };
}

/** The targets of one shard: contiguous, so targets on one host stay together. */
export function shardOf(request: RunRequest, shard: { index: number; total: number }): RunRequest {
  const cut = (n: number) => Math.floor((n * (shard.index - 1)) / shard.total);
  const end = (n: number) => Math.floor((n * shard.index) / shard.total);
  return {
    ...request,
    targets: request.targets.slice(cut(request.targets.length), end(request.targets.length)),
    unrun: request.unrun.slice(cut(request.unrun.length), end(request.unrun.length)),
  };
}

/** Shared, checked options over a list of URLs (--targets, --openapi): each URL a target. */
export function listRequest(
  checked: CheckedRequest,
  list: ReadonlyArray<{ url: string; listedMethods?: string[] }>,
  extra: { unrun?: NotRunTarget[]; cookies: CookieSource; names?: OptionNames },
): RunRequest {
  const targets = list.map((t) => {
    checkTargetOrigin(t.url, checked.origins, extra.names ?? API_NAMES);
    return targetSpecOf({ ...checked, url: t.url }, t.listedMethods ? { listedMethods: t.listedMethods } : {});
  });
  return { ...sharedOf(checked, extra.cookies), targets, unrun: extra.unrun ?? [], many: true };
}

/** One URL, checked, as a run request (reported in the one-target shapes). */
export function oneRequest(checked: CheckedRequest, cookies: CookieSource): RunRequest {
  if (checked.url === null) throw new UsageError('a run needs the URL of the server to check');
  return { ...sharedOf(checked, cookies), targets: [targetSpecOf(checked)], unrun: [], many: false };
}

function sharedOf(checked: CheckedRequest, cookies: CookieSource): Omit<RunRequest, 'targets' | 'unrun' | 'many'> {
  return {
    browsers: browsersOf(checked.browser),
    failOn: checked.failOn,
    timeoutMs: checked.timeoutMs,
    concurrency: checked.concurrency,
    insecure: checked.insecure,
    cookies,
    suppress: [],
  };
}
