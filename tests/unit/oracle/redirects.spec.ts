/**
 * Redirects through predict(): #http-fetch HTTP fetch (CORS check on every hop, redirect mode), #http-redirect-fetch
 * HTTP-redirect fetch, and #concept-request-tainted-origin ("serializing a request origin").
 */
import { test, expect } from '@playwright/test';
import { predict, type ProbeInput, type WireResponse } from '../../../harness/oracle';
import { API, APP, OTHER, h, okPreflight, response, router } from './helpers';

const ACAO = 'Access-Control-Allow-Origin';
const ok = (origin = APP) => response(200, `${ACAO}: ${origin}`);
const redirect = (status: number, location: string, origin: string | null = APP): WireResponse =>
  response(status, ...(origin === null ? [] : [`${ACAO}: ${origin}`]), `Location: ${location}`);
const get = (url: string, over: Partial<ProbeInput> = {}): ProbeInput => ({ origin: APP, url, ...over });

test.describe('every hop is CORS-checked (Fetch #http-fetch HTTP fetch step "CORS check")', () => {
  test('a cross-origin redirect without Allow-Origin blocks, even when the target would allow', () => {
    const respond = router({ [`${API}/a`]: { actual: redirect(302, `${API}/b`, null) }, [`${API}/b`]: { actual: ok() } });
    const v = predict(get(`${API}/a`), respond);
    expect(v.reason).toBe('allow-origin-missing');
    expect(v.requests.map((r) => r.url)).toEqual([`${API}/a`]);
  });

  test('the redirect and the final response both need the origin', () => {
    const respond = router({
      [`${API}/a`]: { actual: redirect(302, `${API}/b`) },
      [`${API}/b`]: { actual: response(200, `${ACAO}: https://evil.example`) },
    });
    expect(predict(get(`${API}/a`), respond).reason).toBe('allow-origin-mismatch');
  });

  test('a same-origin first hop needs no CORS; the cross-origin hop does, with the page origin', () => {
    const respond = router({ [`${APP}/a`]: { actual: response(302, `Location: ${API}/b`) }, [`${API}/b`]: { actual: ok() } });
    const v = predict(get(`${APP}/a`), respond);
    expect(v.outcome).toBe('allowed');
    expect(v.reason).toBe('allowed');
    expect(v.requests.map((r) => r.headers.origin ?? null)).toEqual([null, APP]);
  });

  test('once CORS, always CORS: a redirect back to a same-origin URL is still CORS-checked', () => {
    const respond = router({ [`${API}/a`]: { actual: redirect(302, `${APP}/b`) }, [`${APP}/b`]: { actual: response(200) } });
    expect(predict(get(`${API}/a`), respond).reason).toBe('allow-origin-missing');
  });
});

test.describe('redirect-taint: the origin becomes "null" (Fetch #requests)', () => {
  test('after a cross-origin hop from a third origin, Origin is null and only null or * is accepted', () => {
    const chain = (final: WireResponse) =>
      router({ [`${API}/a`]: { actual: redirect(302, `${OTHER}/b`) }, [`${OTHER}/b`]: { actual: final } });
    const echoing = predict(get(`${API}/a`), chain(ok(APP)));
    expect(echoing.requests.map((r) => r.headers.origin)).toEqual([APP, 'null']);
    expect(echoing.reason).toBe('allow-origin-mismatch');
    expect(predict(get(`${API}/a`), chain(ok('null'))).outcome).toBe('allowed');
    expect(predict(get(`${API}/a`), chain(ok('*'))).outcome).toBe('allowed');
  });

  test('a same-origin hop on the target does not taint', () => {
    const respond = router({ [`${API}/a`]: { actual: redirect(301, `${API}/b`) }, [`${API}/b`]: { actual: ok() } });
    const v = predict(get(`${API}/a`), respond);
    expect(v.requests.map((r) => r.headers.origin)).toEqual([APP, APP]);
    expect(v.outcome).toBe('allowed');
  });

  test('a redirect from the target back to the page origin taints too', () => {
    const respond = router({ [`${API}/a`]: { actual: redirect(302, `${APP}/b`) }, [`${APP}/b`]: { actual: ok('null') } });
    const v = predict(get(`${API}/a`), respond);
    expect(v.requests.map((r) => r.headers.origin)).toEqual([APP, 'null']);
    expect(v.outcome).toBe('allowed');
  });

  test('the taint sticks: a later hop to the same third origin is still null', () => {
    const respond = router({
      [`${API}/a`]: { actual: redirect(302, `${OTHER}/b`) },
      [`${OTHER}/b`]: { actual: redirect(302, `${OTHER}/c`, 'null') },
      [`${OTHER}/c`]: { actual: ok('null') },
    });
    expect(predict(get(`${API}/a`), respond).requests.map((r) => r.headers.origin)).toEqual([APP, 'null', 'null']);
  });

  test('the preflight on a tainted hop carries Origin: null as well', () => {
    const respond = router({
      [`${API}/a`]: { preflight: okPreflight(APP, 'Access-Control-Allow-Methods: PUT'), actual: redirect(307, `${OTHER}/b`) },
      [`${OTHER}/b`]: { preflight: okPreflight('null', 'Access-Control-Allow-Methods: PUT'), actual: ok('null') },
    });
    const v = predict(get(`${API}/a`, { method: 'PUT' }), respond);
    expect(v.requests.map((r) => [r.method, r.headers.origin])).toEqual([
      ['OPTIONS', APP],
      ['PUT', APP],
      ['OPTIONS', 'null'],
      ['PUT', 'null'],
    ]);
    expect(v.outcome).toBe('allowed');
  });
});

test.describe('HTTP-redirect fetch checks (Fetch #http-redirect-fetch)', () => {
  test('a Location with userinfo fails a CORS request (steps 9-10)', () => {
    for (const location of [`https://user:pass@other.example/b`, `https://user@api.example/b`, `https://:pw@app.example/b`]) {
      const respond = router({ [`${API}/a`]: { actual: redirect(302, location) } });
      expect(predict(get(`${API}/a`), respond).reason, location).toBe('redirect-contains-credentials');
    }
  });

  test('a same-origin request may be redirected to a same-origin URL with userinfo', () => {
    const respond = router({
      [`${APP}/a`]: { actual: response(302, 'Location: https://u:p@app.example/b') },
      ['https://u:p@app.example/b']: { actual: response(200) },
    });
    expect(predict(get(`${APP}/a`), respond)).toMatchObject({ outcome: 'allowed', reason: 'same-origin' });
  });

  test('a same-origin request redirected to a cross-origin URL with userinfo fails (step 9)', () => {
    const respond = router({ [`${APP}/a`]: { actual: response(302, 'Location: https://u:p@api.example/b') } });
    expect(predict(get(`${APP}/a`), respond).reason).toBe('redirect-contains-credentials');
  });

  test('20 redirects are followed, the 21st fails (step 7)', () => {
    const chain = (redirects: number) => {
      const routes: Record<string, { actual: WireResponse }> = {};
      for (let i = 0; i < redirects; i++) routes[`${API}/r${i}`] = { actual: redirect(302, `${API}/r${i + 1}`) };
      routes[`${API}/r${redirects}`] = { actual: ok() };
      return router(routes);
    };
    const twenty = predict(get(`${API}/r0`), chain(20));
    expect(twenty.outcome).toBe('allowed');
    expect(twenty.requests).toHaveLength(21);
    const twentyOne = predict(get(`${API}/r0`), chain(21));
    expect(twentyOne.reason).toBe('redirect-too-many');
    expect(twentyOne.requests).toHaveLength(21);
  });

  test('a Location that does not parse fails with redirect-location-invalid', () => {
    const respond = router({ [`${API}/a`]: { actual: redirect(302, 'https://[bad') } });
    expect(predict(get(`${API}/a`), respond).reason).toBe('redirect-location-invalid');
  });

  test('two Location headers fail: Location allows a single header (#responses "location URL")', () => {
    const respond = router({
      [`${API}/a`]: { actual: response(302, `${ACAO}: ${APP}`, `Location: ${API}/b`, `Location: ${API}/b`) },
      [`${API}/b`]: { actual: ok() },
    });
    expect(predict(get(`${API}/a`), respond).reason).toBe('redirect-location-invalid');
  });

  test('a non-HTTP(S) Location fails with redirect-scheme-not-http (step 6)', () => {
    for (const location of ['data:text/plain,hi', 'ftp://api.example/b', 'javascript:alert(1)']) {
      const respond = router({ [`${API}/a`]: { actual: redirect(302, location) } });
      expect(predict(get(`${API}/a`), respond).reason, location).toBe('redirect-scheme-not-http');
    }
  });

  test('a relative Location resolves against the current URL', () => {
    const respond = router({ [`${API}/dir/a`]: { actual: redirect(302, '../b?x=1') }, [`${API}/b?x=1`]: { actual: ok() } });
    const v = predict(get(`${API}/dir/a`), respond);
    expect(v.requests.map((r) => r.url)).toEqual([`${API}/dir/a`, `${API}/b?x=1`]);
  });

  test('a redirect status without Location is the response itself in follow mode', () => {
    const respond = router({ [`${API}/a`]: { actual: response(302, `${ACAO}: ${APP}`) } });
    expect(predict(get(`${API}/a`), respond)).toMatchObject({ outcome: 'allowed', status: 302 });
  });
});

test.describe('redirect mode (Fetch #http-fetch HTTP fetch, "switch on redirect mode")', () => {
  test('error: any redirect is a network error', () => {
    const respond = router({ [`${API}/a`]: { actual: redirect(302, `${API}/b`) } });
    expect(predict(get(`${API}/a`, { redirect: 'error' }), respond).reason).toBe('redirect-mode-error');
  });

  test('manual: an opaque-redirect, status 0, nothing readable, the target never requested', () => {
    const respond = router({
      [`${API}/a`]: { actual: response(301, `${ACAO}: ${APP}`, `Location: ${API}/b`, 'Content-Type: text/plain') },
    });
    const v = predict(get(`${API}/a`, { redirect: 'manual' }), respond);
    expect(v).toMatchObject({ outcome: 'allowed', reason: 'opaque-redirect', status: 0, readableHeaders: [] });
    expect(v.requests).toHaveLength(1);
  });

  test('error and manual apply to a redirect status even without Location', () => {
    const respond = router({ [`${API}/a`]: { actual: response(307, `${ACAO}: ${APP}`) } });
    expect(predict(get(`${API}/a`, { redirect: 'error' }), respond).reason).toBe('redirect-mode-error');
    expect(predict(get(`${API}/a`, { redirect: 'manual' }), respond).reason).toBe('opaque-redirect');
  });

  test('the CORS check comes first: manual mode on a redirect without Allow-Origin is blocked', () => {
    const respond = router({ [`${API}/a`]: { actual: redirect(302, `${API}/b`, null) } });
    expect(predict(get(`${API}/a`, { redirect: 'manual' }), respond).reason).toBe('allow-origin-missing');
  });

  test('a 200 with a Location header is no redirect', () => {
    const respond = router({ [`${API}/a`]: { actual: response(200, `${ACAO}: ${APP}`, `Location: ${API}/b`) } });
    expect(predict(get(`${API}/a`, { redirect: 'error' }), respond)).toMatchObject({ outcome: 'allowed', status: 200 });
  });
});

test.describe('method and header changes on redirect (Fetch #http-redirect-fetch steps 12-13)', () => {
  const post = (over: Partial<ProbeInput> = {}): ProbeInput =>
    get(`${API}/a`, { method: 'POST', headers: h('Content-Type: text/plain', 'Content-Language: en', 'Accept: */*'), ...over });

  for (const status of [301, 302]) {
    test(`${status} turns POST into GET and drops the request-body headers`, () => {
      const respond = router({ [`${API}/a`]: { actual: redirect(status, `${API}/b`) }, [`${API}/b`]: { actual: ok() } });
      const v = predict(post(), respond);
      expect(v.requests.map((r) => r.method)).toEqual(['POST', 'GET']);
      expect(v.requests[1]?.headers).toEqual({ accept: '*/*', origin: APP });
    });

    test(`${status} keeps any other method, e.g. PUT`, () => {
      const respond = router({
        [`${API}/a`]: { preflight: okPreflight(APP, 'Access-Control-Allow-Methods: PUT'), actual: redirect(status, `${API}/b`) },
        [`${API}/b`]: { preflight: okPreflight(APP, 'Access-Control-Allow-Methods: PUT'), actual: ok() },
      });
      expect(predict(get(`${API}/a`, { method: 'PUT' }), respond).requests.map((r) => r.method)).toEqual([
        'OPTIONS',
        'PUT',
        'OPTIONS',
        'PUT',
      ]);
    });
  }

  test('303 turns PUT into GET, drops Content-Type, and the GET needs no preflight', () => {
    const respond = router({
      [`${API}/a`]: {
        preflight: okPreflight(APP, 'Access-Control-Allow-Methods: PUT', 'Access-Control-Allow-Headers: content-type'),
        actual: redirect(303, `${API}/b`),
      },
      [`${API}/b`]: { actual: ok() },
    });
    const v = predict(get(`${API}/a`, { method: 'PUT', headers: h('Content-Type: application/json') }), respond);
    expect(v.requests.map((r) => [r.method, r.preflight])).toEqual([
      ['OPTIONS', true],
      ['PUT', false],
      ['GET', false],
    ]);
    expect(v.requests[2]?.headers).toEqual({ origin: APP });
  });

  test('303 keeps GET and HEAD', () => {
    const respond = router({ [`${API}/a`]: { actual: redirect(303, `${API}/b`) }, [`${API}/b`]: { actual: ok() } });
    expect(predict(get(`${API}/a`, { method: 'HEAD' }), respond).requests.map((r) => r.method)).toEqual(['HEAD', 'HEAD']);
  });

  for (const status of [307, 308]) {
    test(`${status} keeps POST and its body headers`, () => {
      const respond = router({ [`${API}/a`]: { actual: redirect(status, `${API}/b`) }, [`${API}/b`]: { actual: ok() } });
      const v = predict(post(), respond);
      expect(v.requests.map((r) => r.method)).toEqual(['POST', 'POST']);
      expect(v.requests[1]?.headers['content-type']).toBe('text/plain');
    });
  }

  test('Authorization is dropped on a hop to another origin, and then needs no preflight there', () => {
    const respond = router({
      [`${API}/a`]: { preflight: okPreflight(APP, 'Access-Control-Allow-Headers: Authorization'), actual: redirect(302, `${OTHER}/b`) },
      [`${OTHER}/b`]: { actual: ok('null') },
    });
    const v = predict(get(`${API}/a`, { headers: h('Authorization: Bearer t') }), respond);
    expect(v.requests.map((r) => [r.url, r.preflight, r.headers.authorization ?? null])).toEqual([
      [`${API}/a`, true, null],
      [`${API}/a`, false, 'Bearer t'],
      [`${OTHER}/b`, false, null],
    ]);
    expect(v.outcome).toBe('allowed');
  });

  test('Authorization is kept on a same-origin hop, which preflights the new URL again', () => {
    const pre = okPreflight(APP, 'Access-Control-Allow-Headers: Authorization');
    const respond = router({
      [`${API}/a`]: { preflight: pre, actual: redirect(302, `${API}/b`) },
      [`${API}/b`]: { preflight: pre, actual: ok() },
    });
    const v = predict(get(`${API}/a`, { headers: h('Authorization: Bearer t') }), respond);
    expect(v.requests.map((r) => [r.url, r.preflight, r.headers.authorization ?? r.headers['access-control-request-headers']])).toEqual([
      [`${API}/a`, true, 'authorization'],
      [`${API}/a`, false, 'Bearer t'],
      [`${API}/b`, true, 'authorization'],
      [`${API}/b`, false, 'Bearer t'],
    ]);
  });

  test('the preflight on the new URL can fail on its own', () => {
    const respond = router({
      [`${API}/a`]: { preflight: okPreflight(APP, 'Access-Control-Allow-Methods: DELETE'), actual: redirect(307, `${API}/b`) },
      [`${API}/b`]: { preflight: okPreflight(APP, 'Access-Control-Allow-Methods: PUT') },
    });
    const v = predict(get(`${API}/a`, { method: 'DELETE' }), respond);
    expect(v.reason).toBe('preflight-method-not-allowed');
    expect(v.preflightRequest?.headers.origin).toBe(APP);
    expect(v.requests.map((r) => r.url)).toEqual([`${API}/a`, `${API}/a`, `${API}/b`]);
  });
});
