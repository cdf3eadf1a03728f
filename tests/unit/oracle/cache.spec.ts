/**
 * Fetch #cors-preflight-cache "CORS-preflight cache", filled by #cors-preflight-fetch steps 7.9-7.15, consulted by #http-fetch HTTP fetch
 * and cleared by #main-fetch when a CORS-with-preflight fetch ends in a network error.
 */
import { test, expect } from '@playwright/test';
import {
  clear,
  DEFAULT_MAX_AGE_SECONDS,
  headerMatch,
  methodMatch,
  predict,
  staticResponder,
  store,
  type LimitsOf,
  type CacheRequest,
  type PreflightCache,
  type ProbeInput,
  type Responder,
} from '../../../harness/oracle';
import { API, APP, OTHER, h, okPreflight, response, router } from './helpers';

const ACAO = 'Access-Control-Allow-Origin';
const req = (over: Partial<CacheRequest> = {}): CacheRequest => ({ key: APP, origin: APP, url: `${API}/x`, include: false, ...over });

test.describe('cache entries and matching (Fetch #cors-preflight-cache)', () => {
  test('a stored method matches the same method until max-age has passed', () => {
    const cache = store([], req(), ['PUT'], [], 10, 1000);
    expect(methodMatch(cache, req(), 'PUT', 1000)).toBe(true);
    expect(methodMatch(cache, req(), 'PUT', 10_999)).toBe(true);
    expect(methodMatch(cache, req(), 'PUT', 11_000)).toBe(false);
    expect(methodMatch(cache, req(), 'DELETE', 1000)).toBe(false);
  });

  test('method entries are byte-exact; a * entry matches any method', () => {
    const cache = store([], req(), ['PATCH'], [], 10, 0);
    expect(methodMatch(cache, req(), 'patch', 0)).toBe(false);
    const star = store([], req(), ['*'], [], 10, 0);
    expect(methodMatch(star, req(), 'DELETE', 0)).toBe(true);
  });

  test('header-name entries match case-insensitively; a * entry matches any name but Authorization', () => {
    const cache = store([], req(), [], ['X-Token', '*'], 10, 0);
    expect(headerMatch(cache, req(), 'x-token', 0)).toBe(true);
    expect(headerMatch(cache, req(), 'x-other', 0)).toBe(true);
    expect(headerMatch(cache, req(), 'Authorization', 0)).toBe(false);
    expect(headerMatch(store([], req(), [], ['authorization'], 10, 0), req(), 'Authorization', 0)).toBe(true);
  });

  test('an entry is keyed by partition key, serialized origin and URL', () => {
    const cache = store([], req(), ['PUT'], ['X-A'], 10, 0);
    for (const other of [
      req({ key: OTHER }),
      req({ origin: OTHER }),
      req({ origin: 'null' }),
      req({ url: `${API}/y` }),
      req({ url: `${API}/x?1` }),
    ]) {
      expect(methodMatch(cache, other, 'PUT', 0), JSON.stringify(other)).toBe(false);
      expect(headerMatch(cache, other, 'X-A', 0), JSON.stringify(other)).toBe(false);
    }
  });

  test('a credentialed entry serves uncredentialed requests, not the reverse', () => {
    const credentialed = store([], req({ include: true }), ['PUT'], [], 10, 0);
    expect(methodMatch(credentialed, req({ include: false }), 'PUT', 0)).toBe(true);
    expect(methodMatch(credentialed, req({ include: true }), 'PUT', 0)).toBe(true);
    const plain = store([], req({ include: false }), ['PUT'], [], 10, 0);
    expect(methodMatch(plain, req({ include: true }), 'PUT', 0)).toBe(false);
  });

  test('storing again refreshes the matching entry instead of adding one', () => {
    const first = store([], req(), ['PUT'], ['X-A'], 10, 0);
    const second = store(first, req(), ['PUT'], ['x-a'], 100, 5000);
    expect(second).toHaveLength(2);
    expect(second.map((e) => e.expiresAt)).toEqual([105_000, 105_000]);
  });

  test('max-age 0 stores nothing that can match', () => {
    const cache = store([], req(), ['PUT'], ['X-A'], 0, 0);
    expect(methodMatch(cache, req(), 'PUT', 0)).toBe(false);
    expect(cache).toHaveLength(0);
  });

  test('clear removes every entry for the key, origin and URL – credentialed or not – and only those', () => {
    let cache: PreflightCache = store([], req({ include: true }), ['PUT'], ['X-A'], 10, 0);
    cache = store(cache, req({ url: `${API}/y` }), ['PUT'], [], 10, 0);
    cache = clear(cache, req({ include: false }));
    expect(cache.map((e) => e.url)).toEqual([`${API}/y`]);
  });

  test('the default max-age is 5 seconds', () => {
    expect(DEFAULT_MAX_AGE_SECONDS).toBe(5);
  });
});

/** Runs probes in order through predict(), carrying the cache; returns whether each sent a preflight. */
function sequence(respond: Responder, steps: { input: ProbeInput; at: number }[], browser?: LimitsOf) {
  let cache: PreflightCache = [];
  return steps.map(({ input, at }) => {
    const v = predict(input, respond, { cache, now: at, browser });
    cache = v.cache;
    return { preflight: v.preflight, reason: v.reason, cache };
  });
}

const put = (over: Partial<ProbeInput> = {}): ProbeInput => ({ origin: APP, url: `${API}/x`, method: 'PUT', ...over });
const actualOk = response(200, `${ACAO}: ${APP}`, 'Access-Control-Allow-Credentials: true');

test.describe('the cache in predict(): lifetime (Fetch #cors-preflight-fetch steps 7.9-7.10, #http-fetch)', () => {
  const preflightWith = (...lines: string[]) => staticResponder(actualOk, okPreflight(APP, 'Access-Control-Allow-Methods: PUT', ...lines));

  test('without Max-Age a preflight is reused for 5 s and no longer', () => {
    const r = sequence(preflightWith(), [
      { input: put(), at: 0 },
      { input: put(), at: 4_999 },
      { input: put(), at: 5_000 },
    ]);
    expect(r.map((x) => x.preflight)).toEqual([true, false, true]);
  });

  test('Max-Age: 0 disables reuse', () => {
    const r = sequence(preflightWith('Access-Control-Max-Age: 0'), [
      { input: put(), at: 0 },
      { input: put(), at: 0 },
    ]);
    expect(r.map((x) => x.preflight)).toEqual([true, true]);
  });

  for (const [value, label] of [
    ['-1', 'negative'],
    ['ten', 'invalid'],
    ['1.5', 'fractional'],
  ] as const) {
    test(`a ${label} Max-Age (${value}) means 5 s`, () => {
      const r = sequence(preflightWith(`Access-Control-Max-Age: ${value}`), [
        { input: put(), at: 0 },
        { input: put(), at: 4_000 },
        { input: put(), at: 5_000 },
      ]);
      expect(r.map((x) => x.preflight)).toEqual([true, false, true]);
    });
  }

  test('a repeated Max-Age means 5 s, even when both say 600', () => {
    const r = sequence(preflightWith('Access-Control-Max-Age: 600', 'Access-Control-Max-Age: 600'), [
      { input: put(), at: 0 },
      { input: put(), at: 5_000 },
    ]);
    expect(r.map((x) => x.preflight)).toEqual([true, true]);
  });

  for (const [browser, cap] of [
    ['chromium', 7_200],
    ['firefox', 86_400],
    ['spec', 100_000],
  ] as const) {
    test(`Max-Age: 100000 lasts ${cap} s for ${browser}`, () => {
      const r = sequence(
        preflightWith('Access-Control-Max-Age: 100000'),
        [
          { input: put(), at: 0 },
          { input: put(), at: cap * 1000 - 1 },
          { input: put(), at: cap * 1000 },
        ],
        browser,
      );
      expect(r.map((x) => x.preflight)).toEqual([true, false, true]);
    });
  }
});

test.describe('the cache in predict(): what an entry covers (Fetch #cors-preflight-cache, #http-fetch)', () => {
  test('entries are per method: Allow-Methods PUT, DELETE covers a later DELETE, not a PATCH', () => {
    const respond = staticResponder(
      actualOk,
      okPreflight(APP, 'Access-Control-Allow-Methods: PUT, DELETE, PATCH', 'Access-Control-Max-Age: 60'),
    );
    const r = sequence(respond, [
      { input: put(), at: 0 },
      { input: put({ method: 'DELETE' }), at: 1 },
      { input: put({ method: 'patch' }), at: 2 },
    ]);
    expect(r.map((x) => x.preflight)).toEqual([true, false, true]);
    expect(r[2]?.reason).toBe('preflight-method-not-allowed');
  });

  test('entries are per header name, case-insensitive: X-A covers x-a, not X-B', () => {
    const respond = staticResponder(actualOk, okPreflight(APP, 'Access-Control-Allow-Headers: X-A', 'Access-Control-Max-Age: 60'));
    const get = (headers: string[]) => put({ method: 'GET', headers: h(...headers) });
    const r = sequence(respond, [
      { input: get(['X-A: 1']), at: 0 },
      { input: get(['x-a: 2']), at: 1 },
      { input: get(['X-A: 1', 'X-B: 1']), at: 2 },
    ]);
    expect(r.map((x) => x.preflight)).toEqual([true, false, true]);
  });

  test('a * entry covers new header names but never Authorization', () => {
    const respond = staticResponder(
      actualOk,
      okPreflight(APP, 'Access-Control-Allow-Methods: *', 'Access-Control-Allow-Headers: *', 'Access-Control-Max-Age: 60'),
    );
    const r = sequence(respond, [
      { input: put({ headers: h('X-A: 1') }), at: 0 },
      { input: put({ method: 'DELETE', headers: h('X-Other: 1') }), at: 1 },
      { input: put({ headers: h('Authorization: Bearer t') }), at: 2 },
    ]);
    expect(r.map((x) => x.preflight)).toEqual([true, false, true]);
    expect(r[2]?.reason).toBe('preflight-authorization-not-covered-by-wildcard');
  });

  test('a credentialed entry serves a later uncredentialed request', () => {
    const respond = staticResponder(
      actualOk,
      okPreflight(APP, 'Access-Control-Allow-Methods: PUT', 'Access-Control-Allow-Credentials: true', 'Access-Control-Max-Age: 60'),
    );
    const r = sequence(respond, [
      { input: put({ credentials: 'include' }), at: 0 },
      { input: put({ credentials: 'omit' }), at: 1 },
    ]);
    expect(r.map((x) => x.preflight)).toEqual([true, false]);
  });

  test('an uncredentialed entry does not serve a later credentialed request', () => {
    const respond = staticResponder(
      actualOk,
      okPreflight(APP, 'Access-Control-Allow-Methods: PUT', 'Access-Control-Allow-Credentials: true', 'Access-Control-Max-Age: 60'),
    );
    const r = sequence(respond, [
      { input: put({ credentials: 'omit' }), at: 0 },
      { input: put({ credentials: 'include' }), at: 1 },
    ]);
    expect(r.map((x) => x.preflight)).toEqual([true, true]);
  });

  test('entries are per page origin and per URL, within one partition', () => {
    const respond = staticResponder(
      response(200, `${ACAO}: *`),
      response(204, `${ACAO}: *`, 'Access-Control-Allow-Methods: PUT', 'Access-Control-Max-Age: 60'),
    );
    const partitionKey = 'https://top.example';
    const first = predict(put(), respond, { partitionKey });
    const again = (input: ProbeInput) => predict(input, respond, { cache: first.cache, partitionKey, now: 1 }).preflight;
    expect(again(put())).toBe(false);
    expect(again(put({ origin: OTHER }))).toBe(true);
    expect(again(put({ url: `${API}/y` }))).toBe(true);
  });

  test('entries are per network partition key', () => {
    const respond = staticResponder(actualOk, okPreflight(APP, 'Access-Control-Allow-Methods: PUT', 'Access-Control-Max-Age: 60'));
    const first = predict(put(), respond, { partitionKey: 'https://top-a.example' });
    expect(predict(put(), respond, { cache: first.cache, partitionKey: 'https://top-a.example' }).preflight).toBe(false);
    expect(predict(put(), respond, { cache: first.cache, partitionKey: 'https://top-b.example' }).preflight).toBe(true);
  });

  test('a preflight forced by the use-CORS-preflight flag is cached under its own method', () => {
    const respond = staticResponder(response(200, `${ACAO}: ${APP}`), okPreflight(APP, 'Access-Control-Max-Age: 60'));
    const r = sequence(respond, [
      { input: { origin: APP, url: `${API}/x`, client: 'xhr', forcePreflight: true }, at: 0 },
      { input: { origin: APP, url: `${API}/x`, client: 'xhr', forcePreflight: true }, at: 1 },
    ]);
    expect(r.map((x) => x.preflight)).toEqual([true, false]);
  });
});

test.describe('the cache in predict(): cleared on failure (Fetch #main-fetch, #cors-preflight-cache "clear cache entries")', () => {
  test('a failed preflight forgets every entry for its URL, so the next request preflights again', () => {
    const routes = router({
      [`${API}/x`]: {
        preflight: okPreflight(APP, 'Access-Control-Allow-Methods: PUT', 'Access-Control-Allow-Headers: X-A', 'Access-Control-Max-Age: 60'),
        actual: actualOk,
      },
    });
    const first = predict(put({ headers: h('X-A: 1') }), routes, { now: 0 });
    expect(first.cache.length).toBeGreaterThan(0);
    const failing = predict(put({ headers: h('X-B: 1') }), routes, { cache: first.cache, now: 1 });
    expect(failing.reason).toBe('preflight-header-not-allowed');
    expect(failing.cache).toEqual([]);
    expect(predict(put({ headers: h('X-A: 1') }), routes, { cache: failing.cache, now: 2 }).preflight).toBe(true);
  });

  test('a failed CORS check on the actual response clears the entries that skipped the preflight', () => {
    const good = staticResponder(actualOk, okPreflight(APP, 'Access-Control-Allow-Methods: PUT', 'Access-Control-Max-Age: 60'));
    const first = predict(put(), good, { now: 0 });
    const bad = staticResponder(response(200), okPreflight(APP));
    const failing = predict(put(), bad, { cache: first.cache, now: 1 });
    expect(failing.preflight).toBe(false);
    expect(failing.reason).toBe('allow-origin-missing');
    expect(failing.cache).toEqual([]);
  });

  test('no response at all also clears the entries (any network error)', () => {
    const good = staticResponder(actualOk, okPreflight(APP, 'Access-Control-Allow-Methods: PUT', 'Access-Control-Max-Age: 60'));
    const first = predict(put(), good, { now: 0 });
    const failing = predict(put(), () => null, { cache: first.cache, now: 1 });
    expect(failing.reason).toBe('no-response');
    expect(failing.cache).toEqual([]);
  });

  test('a refused redirect after a cached preflight clears the entries of the redirecting URL', () => {
    const good = staticResponder(actualOk, okPreflight(APP, 'Access-Control-Allow-Methods: PUT', 'Access-Control-Max-Age: 60'));
    const first = predict(put(), good, { now: 0 });
    const redirecting = staticResponder(response(307, `${ACAO}: ${APP}`, `Location: ${API}/y`), okPreflight(APP));
    const failing = predict(put({ redirect: 'error' }), redirecting, { cache: first.cache, now: 1 });
    expect(failing.reason).toBe('redirect-mode-error');
    expect(failing.cache).toEqual([]);
  });

  test('a failing simple request (no preflight branch) leaves the cache alone', () => {
    const good = staticResponder(actualOk, okPreflight(APP, 'Access-Control-Allow-Methods: PUT', 'Access-Control-Max-Age: 60'));
    const first = predict(put(), good, { now: 0 });
    const failing = predict({ origin: APP, url: `${API}/x` }, staticResponder(response(200), response(500)), {
      cache: first.cache,
      now: 1,
    });
    expect(failing.reason).toBe('allow-origin-missing');
    expect(failing.cache).toEqual(first.cache);
  });

  test('a failure clears only its own URL', () => {
    const respond = router({
      [`${API}/x`]: { preflight: okPreflight(APP, 'Access-Control-Allow-Methods: PUT', 'Access-Control-Max-Age: 60'), actual: actualOk },
      [`${API}/y`]: { preflight: response(500) },
    });
    const first = predict(put(), respond, { now: 0 });
    const failing = predict(put({ url: `${API}/y` }), respond, { cache: first.cache, now: 1 });
    expect(failing.reason).toBe('preflight-status-not-ok');
    expect(failing.cache).toEqual(first.cache);
  });
});
