/**
 * predict() as a whole: the entry point that walks main fetch (Fetch #main-fetch) for one fetch() or
 * XHR, and the client and credentials rules around it (XHR §4.5.6 withCredentials).
 */
import { test, expect } from '@playwright/test';
import {
  citedAnchors,
  effectiveCredentials,
  isFetchAnchor,
  isReason,
  isRedirectTainted,
  originOf,
  predict,
  sameOrigin,
  staticResponder,
  type WireRequest,
} from '../../../harness/oracle';
import { API, APP, OTHER, h, okPreflight, response } from './helpers';

const ACAO = 'Access-Control-Allow-Origin';

test.describe('XHR withCredentials and fetch credentials (XHR §4.5.6, Fetch #request-class)', () => {
  test('fetch defaults to same-origin and keeps what it is given', () => {
    expect(effectiveCredentials({ client: 'fetch' })).toBe('same-origin');
    expect(effectiveCredentials({})).toBe('same-origin');
    expect(effectiveCredentials({ client: 'fetch', credentials: 'omit' })).toBe('omit');
    expect(effectiveCredentials({ client: 'fetch', credentials: 'include' })).toBe('include');
  });

  test('XHR is include with withCredentials and same-origin otherwise (it has no omit)', () => {
    expect(effectiveCredentials({ client: 'xhr', credentials: 'include' })).toBe('include');
    expect(effectiveCredentials({ client: 'xhr' })).toBe('same-origin');
    expect(effectiveCredentials({ client: 'xhr', credentials: 'omit' })).toBe('same-origin');
  });

  test('XHR withCredentials meets * as fetch include does: blocked', () => {
    const respond = staticResponder(response(200, `${ACAO}: *`), response(500));
    expect(predict({ origin: APP, url: `${API}/x`, client: 'xhr', credentials: 'include' }, respond).reason).toBe(
      'allow-origin-wildcard-with-credentials',
    );
    expect(predict({ origin: APP, url: `${API}/x`, client: 'xhr' }, respond).reason).toBe('allowed');
  });

  test('cookies go with a cross-origin request only in include mode', () => {
    const seen: WireRequest[] = [];
    const respond = (r: WireRequest) => (seen.push(r), response(200, `${ACAO}: ${APP}`, 'Access-Control-Allow-Credentials: true'));
    for (const credentials of ['omit', 'same-origin', 'include'] as const) predict({ origin: APP, url: `${API}/x`, credentials }, respond);
    predict({ origin: APP, url: `${API}/x`, client: 'xhr', credentials: 'include' }, respond);
    expect(seen.map((r) => r.credentials)).toEqual([false, false, true, true]);
  });
});

test.describe('same-origin requests need no CORS (Fetch #main-fetch, basic tainting)', () => {
  test('a PUT with custom headers to the page origin: no preflight, no Allow-Origin needed', () => {
    const v = predict(
      { origin: APP, url: `${APP}/x`, method: 'PUT', headers: h('X-A: 1', 'Authorization: t'), credentials: 'include' },
      staticResponder(response(201, 'X-A: 1'), response(500)),
    );
    expect(v).toMatchObject({
      preflight: false,
      outcome: 'allowed',
      reason: 'same-origin',
      status: 201,
      readableHeaders: ['x-a'],
      preflightRequest: null,
    });
    expect(v.requests).toHaveLength(1);
  });

  test('a same-origin GET carries no Origin header, a same-origin POST does (#http-cors-protocol)', () => {
    const respond = staticResponder(response(200), response(500));
    expect(predict({ origin: APP, url: `${APP}/x` }, respond).requests[0]?.headers.origin).toBeUndefined();
    expect(predict({ origin: APP, url: `${APP}/x`, method: 'HEAD' }, respond).requests[0]?.headers.origin).toBeUndefined();
    expect(predict({ origin: APP, url: `${APP}/x`, method: 'POST' }, respond).requests[0]?.headers.origin).toBe(APP);
  });

  test('same-origin sends cookies unless credentials are omit', () => {
    const respond = staticResponder(response(200), response(500));
    expect(predict({ origin: APP, url: `${APP}/x`, credentials: 'same-origin' }, respond).requests[0]?.credentials).toBe(true);
    expect(predict({ origin: APP, url: `${APP}/x`, credentials: 'omit' }, respond).requests[0]?.credentials).toBe(false);
  });

  test('another port or scheme is another origin', () => {
    const respond = staticResponder(response(200), response(500));
    expect(predict({ origin: APP, url: 'https://app.example:8443/x' }, respond).reason).toBe('allow-origin-missing');
    expect(predict({ origin: APP, url: 'http://app.example/x' }, respond).reason).toBe('allow-origin-missing');
  });

  test('a page with an opaque origin sends Origin: null, which Allow-Origin: null admits', () => {
    const v = predict({ origin: 'null', url: `${API}/x` }, staticResponder(response(200, `${ACAO}: null`), response(500)));
    expect(v).toMatchObject({ outcome: 'allowed', reason: 'allowed' });
    expect(v.requests[0]?.headers.origin).toBe('null');
  });
});

test.describe('predict(): the verdict', () => {
  test('a simple cross-origin GET sends one request with Origin and reads the status', () => {
    const v = predict({ origin: APP, url: `${API}/x` }, staticResponder(response(203, `${ACAO}: ${APP}`), response(500)));
    expect(v).toMatchObject({
      preflight: false,
      outcome: 'allowed',
      reason: 'allowed',
      status: 203,
      preflightRequest: null,
      readableHeaders: [],
    });
    expect(v.requests).toEqual([{ url: `${API}/x`, method: 'GET', headers: { origin: APP }, preflight: false, credentials: false }]);
  });

  test('no HTTP response at all is blocked with no-response', () => {
    expect(predict({ origin: APP, url: `${API}/x` }, () => null).reason).toBe('no-response');
    const preflightLost = predict({ origin: APP, url: `${API}/x`, method: 'PUT' }, (r) => (r.preflight ? null : response(200)));
    expect(preflightLost).toMatchObject({ outcome: 'blocked', reason: 'no-response', preflight: true });
  });

  test('staticResponder answers preflights and actual requests separately', () => {
    const respond = staticResponder(response(200, 'X: actual'), response(204, 'X: preflight'));
    const base = { url: `${API}/x`, method: 'GET', headers: {}, credentials: false };
    expect(respond({ ...base, preflight: true })?.headers).toEqual([['X', 'preflight']]);
    expect(respond({ ...base, preflight: false })?.headers).toEqual([['X', 'actual']]);
  });

  test('a blocked preflight never sends the actual request', () => {
    const v = predict(
      { origin: APP, url: `${API}/x`, method: 'DELETE' },
      staticResponder(response(200, `${ACAO}: ${APP}`), okPreflight(APP)),
    );
    expect(v.reason).toBe('preflight-method-not-allowed');
    expect(v.requests.map((r) => r.method)).toEqual(['OPTIONS']);
    expect(v.status).toBeNull();
  });

  test('every reason predict() gives is a documented reason, and the trace cites anchors from the list', () => {
    const v = predict(
      { origin: APP, url: `${API}/x`, method: 'PUT' },
      staticResponder(response(200, `${ACAO}: ${APP}`), okPreflight(APP, 'Access-Control-Allow-Methods: PUT')),
    );
    expect(isReason(v.reason)).toBe(true);
    expect(v.trace.length).toBeGreaterThanOrEqual(2);
    for (const line of v.trace) {
      expect(citedAnchors(line).length, line).toBeGreaterThan(0);
      expect(citedAnchors(line).every(isFetchAnchor), line).toBe(true);
    }
  });
});

test.describe('origins (URL Standard) and redirect-taint (Fetch #requests)', () => {
  test('originOf serializes the URL origin, dropping default ports, paths and userinfo', () => {
    expect(originOf('https://u:p@API.example:443/a?b#c')).toBe(API);
    expect(originOf('http://api.example:8080/')).toBe('http://api.example:8080');
    expect(originOf('data:text/plain,x')).toBe('null');
    expect(originOf('not a url')).toBe('null');
  });

  test('an opaque origin is not same origin with anything, not even another opaque origin', () => {
    expect(sameOrigin(APP, APP)).toBe(true);
    expect(sameOrigin(APP, API)).toBe(false);
    expect(sameOrigin('null', 'null')).toBe(false);
  });

  test('taint needs a hop between two origins from an origin that is not the request origin', () => {
    expect(isRedirectTainted(APP, [`${API}/a`])).toBe(false);
    expect(isRedirectTainted(APP, [`${APP}/a`, `${API}/b`])).toBe(false);
    expect(isRedirectTainted(APP, [`${API}/a`, `${API}/b`])).toBe(false);
    expect(isRedirectTainted(APP, [`${API}/a`, `${OTHER}/b`])).toBe(true);
    expect(isRedirectTainted(APP, [`${API}/a`, `${APP}/b`])).toBe(true);
    expect(isRedirectTainted(APP, [`${APP}/a`, `${API}/b`, `${API}/c`])).toBe(false);
    expect(isRedirectTainted(APP, [`${APP}/a`, `${API}/b`, `${OTHER}/c`])).toBe(true);
  });

  test('for an opaque request origin every cross-origin hop taints (it is never the origin redirected from)', () => {
    expect(isRedirectTainted('null', [`${API}/a`, `${OTHER}/b`])).toBe(true);
    expect(isRedirectTainted('null', [`${API}/a`, `${API}/b`])).toBe(false);
  });
});
