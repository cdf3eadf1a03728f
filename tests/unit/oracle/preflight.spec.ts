/**
 * Fetch #main-fetch (when a preflight is needed), #cors-preflight-fetch "CORS-preflight fetch" (its shape, and whether its
 * response lets the actual request go ahead).
 */
import { test, expect } from '@playwright/test';
import {
  checkPreflightResponse,
  MAX_AGE_CAP_SECONDS,
  needsPreflight,
  predict,
  preflightHeaders,
  staticResponder,
  type CredentialsMode,
  type HeaderList,
  type PreflightFailure,
  type PreflightSuccess,
  type BrowserQuirk,
} from '../../../harness/oracle';
import { API, APP, h, okPreflight, response } from './helpers';

const ACAO = 'Access-Control-Allow-Origin';

interface Req {
  method?: string;
  headers?: HeaderList;
  credentials?: CredentialsMode;
  forcePreflight?: boolean;
}

/** checkPreflightResponse for a request from APP, with a 204 unless given. */
function check(req: Req, lines: string[], opts: { status?: number; cap?: number; quirks?: BrowserQuirk[] } = {}) {
  return checkPreflightResponse(
    {
      method: req.method ?? 'PUT',
      headers: req.headers ?? [],
      credentials: req.credentials ?? 'same-origin',
      serializedOrigin: APP,
      forcePreflight: req.forcePreflight,
    },
    { status: opts.status ?? 204, headers: h(...lines) },
    opts.cap ?? Number.POSITIVE_INFINITY,
    opts.quirks ? new Set(opts.quirks) : undefined,
  );
}
const reasonOf = (r: PreflightSuccess | PreflightFailure) => (r.ok ? 'ok' : r.reason);

test.describe('when a preflight is needed (Fetch #main-fetch)', () => {
  test('a safelisted method with safelisted headers needs none', () => {
    expect(needsPreflight('GET', [])).toBe(false);
    expect(needsPreflight('POST', h('Content-Type: text/plain', 'Accept: */*', 'Range: bytes=0-'))).toBe(false);
  });

  test('a non-safelisted method needs one', () => {
    for (const m of ['PUT', 'DELETE', 'patch', 'PATCH', 'OPTIONS']) expect(needsPreflight(m, []), m).toBe(true);
  });

  test('a CORS-unsafe header needs one, even on GET', () => {
    expect(needsPreflight('GET', h('X-A: 1'))).toBe(true);
    expect(needsPreflight('POST', h('Content-Type: application/json'))).toBe(true);
  });

  test('the use-CORS-preflight flag forces one for a simple GET', () => {
    expect(needsPreflight('GET', [], true)).toBe(true);
  });
});

test.describe('the preflight request (Fetch #cors-preflight-fetch steps 1-5)', () => {
  test('is OPTIONS with Accept */*, the method, the unsafe names joined by "," without spaces, and Origin', () => {
    expect(preflightHeaders(APP, 'PUT', h('X-B: 1', 'Content-Type: application/json', 'x-a: 2', 'Accept: text/html'))).toEqual({
      accept: '*/*',
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'content-type,x-a,x-b',
      origin: APP,
    });
  });

  test('has no Access-Control-Request-Headers when only the method is unsafe', () => {
    expect(preflightHeaders(APP, 'DELETE', h('Accept: */*'))).toEqual({
      accept: '*/*',
      'access-control-request-method': 'DELETE',
      origin: APP,
    });
  });

  test('predict() sends it first, without credentials, to the same URL, then the actual request', () => {
    const v = predict(
      { origin: APP, url: `${API}/x?q=1`, method: 'put', headers: h('X-Token: t', 'Content-Language: en'), credentials: 'include' },
      staticResponder(
        response(200, `${ACAO}: ${APP}`, 'Access-Control-Allow-Credentials: true'),
        okPreflight(
          APP,
          'Access-Control-Allow-Credentials: true',
          'Access-Control-Allow-Methods: PUT',
          'Access-Control-Allow-Headers: x-token',
        ),
      ),
    );
    expect(v.preflight).toBe(true);
    expect(v.preflightRequest).toEqual({
      method: 'OPTIONS',
      headers: { accept: '*/*', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'x-token', origin: APP },
    });
    expect(v.requests.map((r) => [r.method, r.url, r.preflight, r.credentials])).toEqual([
      ['OPTIONS', `${API}/x?q=1`, true, false],
      ['PUT', `${API}/x?q=1`, false, true],
    ]);
    expect(v.requests[1]?.headers).toEqual({ 'x-token': 't', 'content-language': 'en', origin: APP });
    expect(v.outcome).toBe('allowed');
  });

  test('when safelisted values exceed 1024 bytes, the safelisted names are listed too', () => {
    const headers = [
      ...Array.from({ length: 8 }, () => ['Accept', 'a'.repeat(128)] as const),
      ['Content-Language', 'en'] as const,
      ['X-A', '1'] as const,
    ];
    expect(preflightHeaders(APP, 'GET', headers)['access-control-request-headers']).toBe('accept,content-language,x-a');
  });

  test('a forced preflight (XHR upload listeners) asks for GET and lists no headers', () => {
    const v = predict(
      { origin: APP, url: `${API}/x`, forcePreflight: true, client: 'xhr' },
      staticResponder(response(200, `${ACAO}: *`), okPreflight('*')),
    );
    expect(v.preflightRequest?.headers).toEqual({ accept: '*/*', 'access-control-request-method': 'GET', origin: APP });
    expect(v.outcome).toBe('allowed');
  });
});

test.describe('preflight status: only an ok status, 200-299 (Fetch #cors-preflight-fetch step 7)', () => {
  const allow = [`${ACAO}: ${APP}`, 'Access-Control-Allow-Methods: PUT'];
  for (const status of [200, 204, 299]) {
    test(`${status} passes`, () => {
      expect(reasonOf(check({}, allow, { status }))).toBe('ok');
    });
  }
  for (const status of [199, 300, 400, 403, 404, 500]) {
    test(`${status} fails with preflight-status-not-ok`, () => {
      expect(reasonOf(check({}, allow, { status }))).toBe('preflight-status-not-ok');
    });
  }
  for (const status of [301, 302, 303, 307, 308]) {
    test(`${status} fails with the distinct reason preflight-redirect`, () => {
      expect(reasonOf(check({}, [...allow, `Location: ${API}/elsewhere`], { status }))).toBe('preflight-redirect');
    });
  }

  test('predict() never follows a redirected preflight: one OPTIONS, no actual request', () => {
    const v = predict(
      { origin: APP, url: `${API}/x`, method: 'PUT' },
      staticResponder(
        response(200, `${ACAO}: ${APP}`),
        response(307, `${ACAO}: ${APP}`, 'Access-Control-Allow-Methods: PUT', `Location: ${API}/y`),
      ),
    );
    expect(v.reason).toBe('preflight-redirect');
    expect(v.requests.map((r) => r.method)).toEqual(['OPTIONS']);
  });
});

test.describe("preflight CORS check (Fetch #cors-preflight-fetch step 7 with the actual request's credentials mode)", () => {
  test('each CORS check failure is reported with the preflight- prefix', () => {
    expect(reasonOf(check({}, ['Access-Control-Allow-Methods: PUT']))).toBe('preflight-allow-origin-missing');
    expect(reasonOf(check({}, [`${ACAO}: https://evil.example`, 'Access-Control-Allow-Methods: PUT']))).toBe(
      'preflight-allow-origin-mismatch',
    );
    expect(reasonOf(check({}, [`${ACAO}: ${APP}`, `${ACAO}: ${APP}`, 'Access-Control-Allow-Methods: PUT']))).toBe(
      'preflight-allow-origin-multiple-values',
    );
    expect(reasonOf(check({}, [`${ACAO}: ${APP}/`, 'Access-Control-Allow-Methods: PUT']))).toBe('preflight-allow-origin-invalid');
    expect(
      reasonOf(
        check({ credentials: 'include' }, [`${ACAO}: *`, 'Access-Control-Allow-Credentials: true', 'Access-Control-Allow-Methods: PUT']),
      ),
    ).toBe('preflight-allow-origin-wildcard-with-credentials');
  });

  test('a credentialed request needs Allow-Credentials: true on the preflight itself', () => {
    expect(reasonOf(check({ credentials: 'include' }, [`${ACAO}: ${APP}`, 'Access-Control-Allow-Methods: PUT']))).toBe(
      'preflight-allow-credentials-invalid',
    );
    expect(
      reasonOf(
        check({ credentials: 'include' }, [
          `${ACAO}: ${APP}`,
          'Access-Control-Allow-Credentials: True',
          'Access-Control-Allow-Methods: PUT',
        ]),
      ),
    ).toBe('preflight-allow-credentials-invalid');
    expect(
      reasonOf(
        check({ credentials: 'include' }, [
          `${ACAO}: ${APP}`,
          'Access-Control-Allow-Credentials: true',
          'Access-Control-Allow-Methods: PUT',
        ]),
      ),
    ).toBe('ok');
  });

  test('an uncredentialed request needs no Allow-Credentials on the preflight', () => {
    expect(reasonOf(check({ credentials: 'omit' }, [`${ACAO}: ${APP}`, 'Access-Control-Allow-Methods: PUT']))).toBe('ok');
  });
});

test.describe('Access-Control-Allow-Methods (Fetch #cors-preflight-fetch steps 7.1-7.5)', () => {
  const base = [`${ACAO}: ${APP}`];

  test('a value that does not parse as #method fails: GET PUT', () => {
    expect(reasonOf(check({}, [...base, 'Access-Control-Allow-Methods: GET PUT']))).toBe('preflight-allow-methods-invalid');
    expect(reasonOf(check({}, [...base, 'Access-Control-Allow-Methods: "PUT"']))).toBe('preflight-allow-methods-invalid');
  });

  test('a listed method passes, in a list or across repeated headers', () => {
    expect(reasonOf(check({ method: 'DELETE' }, [...base, 'Access-Control-Allow-Methods: GET, PUT,DELETE']))).toBe('ok');
    expect(
      reasonOf(check({ method: 'DELETE' }, [...base, 'Access-Control-Allow-Methods: PUT', 'Access-Control-Allow-Methods: DELETE'])),
    ).toBe('ok');
  });

  test('an unlisted or absent method fails with preflight-method-not-allowed', () => {
    expect(reasonOf(check({ method: 'DELETE' }, [...base, 'Access-Control-Allow-Methods: PUT']))).toBe('preflight-method-not-allowed');
    expect(reasonOf(check({ method: 'DELETE' }, base))).toBe('preflight-method-not-allowed');
  });

  test('the match is case-sensitive: put does not allow PUT, PATCH does not allow patch', () => {
    expect(reasonOf(check({ method: 'PUT' }, [...base, 'Access-Control-Allow-Methods: put']))).toBe('preflight-method-not-allowed');
    expect(reasonOf(check({ method: 'patch' }, [...base, 'Access-Control-Allow-Methods: PATCH']))).toBe('preflight-method-not-allowed');
    expect(reasonOf(check({ method: 'patch' }, [...base, 'Access-Control-Allow-Methods: patch']))).toBe('ok');
  });

  test('* allows any method only without credentials', () => {
    expect(reasonOf(check({ method: 'DELETE', credentials: 'omit' }, [...base, 'Access-Control-Allow-Methods: *']))).toBe('ok');
    expect(reasonOf(check({ method: 'DELETE', credentials: 'same-origin' }, [...base, 'Access-Control-Allow-Methods: *']))).toBe('ok');
    expect(
      reasonOf(
        check({ method: 'DELETE', credentials: 'include' }, [
          ...base,
          'Access-Control-Allow-Credentials: true',
          'Access-Control-Allow-Methods: *',
        ]),
      ),
    ).toBe('preflight-method-not-allowed');
  });

  test('with credentials a method literally named * is still matched by name', () => {
    expect(
      reasonOf(
        check({ method: '*', credentials: 'include' }, [
          ...base,
          'Access-Control-Allow-Credentials: true',
          'Access-Control-Allow-Methods: *',
        ]),
      ),
    ).toBe('ok');
  });

  test('safelisted methods pass without being listed (the preflight was for a header)', () => {
    for (const method of ['GET', 'HEAD', 'POST']) {
      expect(
        reasonOf(
          check({ method, headers: h('X-A: 1') }, [...base, 'Access-Control-Allow-Methods: PUT', 'Access-Control-Allow-Headers: X-A']),
        ),
        method,
      ).toBe('ok');
    }
  });

  test('without Allow-Methods a forced preflight caches its own method; otherwise no methods are cached', () => {
    const forced = check({ method: 'GET', forcePreflight: true }, base) as PreflightSuccess;
    expect(forced.methods).toEqual(['GET']);
    const unforced = check({ method: 'GET', headers: h('X-A: 1') }, [...base, 'Access-Control-Allow-Headers: x-a']) as PreflightSuccess;
    expect(unforced.methods).toEqual([]);
  });
});

test.describe('Access-Control-Allow-Headers (Fetch #cors-preflight-fetch steps 7.2-7.3, 7.6-7.7)', () => {
  const base = [`${ACAO}: ${APP}`, 'Access-Control-Allow-Methods: PUT'];
  const withCreds = [...base, 'Access-Control-Allow-Credentials: true'];

  test('a value that does not parse as #field-name fails: X-A X-B', () => {
    expect(reasonOf(check({ headers: h('X-A: 1') }, [...base, 'Access-Control-Allow-Headers: X-A X-B']))).toBe(
      'preflight-allow-headers-invalid',
    );
  });

  test('listed headers pass case-insensitively', () => {
    expect(
      reasonOf(
        check({ headers: h('X-Custom: 1', 'content-type: application/json') }, [
          ...base,
          'Access-Control-Allow-Headers: x-CUSTOM, Content-Type',
        ]),
      ),
    ).toBe('ok');
  });

  test('an unlisted CORS-unsafe header fails with preflight-header-not-allowed', () => {
    expect(reasonOf(check({ headers: h('X-A: 1', 'X-B: 1') }, [...base, 'Access-Control-Allow-Headers: X-A']))).toBe(
      'preflight-header-not-allowed',
    );
    expect(reasonOf(check({ headers: h('X-A: 1') }, base))).toBe('preflight-header-not-allowed');
  });

  test('safelisted headers need not be listed', () => {
    expect(
      reasonOf(check({ headers: h('Accept: */*', 'Content-Type: text/plain', 'X-A: 1') }, [...base, 'Access-Control-Allow-Headers: X-A'])),
    ).toBe('ok');
  });

  test('* covers any header only without credentials', () => {
    expect(reasonOf(check({ headers: h('X-A: 1', 'X-B: 2') }, [...base, 'Access-Control-Allow-Headers: *']))).toBe('ok');
    expect(reasonOf(check({ headers: h('X-A: 1'), credentials: 'include' }, [...withCreds, 'Access-Control-Allow-Headers: *']))).toBe(
      'preflight-header-not-allowed',
    );
  });

  test('with credentials, headers listed by name still pass next to *', () => {
    expect(reasonOf(check({ headers: h('X-A: 1'), credentials: 'include' }, [...withCreds, 'Access-Control-Allow-Headers: *, X-A']))).toBe(
      'ok',
    );
  });

  test('* never covers Authorization: preflight-authorization-not-covered-by-wildcard (step 7.6)', () => {
    expect(reasonOf(check({ headers: h('Authorization: Bearer t') }, [...base, 'Access-Control-Allow-Headers: *']))).toBe(
      'preflight-authorization-not-covered-by-wildcard',
    );
    expect(reasonOf(check({ headers: h('authorization: Bearer t', 'X-A: 1') }, [...base, 'Access-Control-Allow-Headers: *']))).toBe(
      'preflight-authorization-not-covered-by-wildcard',
    );
  });

  test('Authorization passes when listed by name, in any case, with or without *', () => {
    expect(reasonOf(check({ headers: h('Authorization: Bearer t') }, [...base, 'Access-Control-Allow-Headers: authorization']))).toBe('ok');
    expect(
      reasonOf(check({ headers: h('Authorization: Bearer t', 'X-A: 1') }, [...base, 'Access-Control-Allow-Headers: *, AUTHORIZATION'])),
    ).toBe('ok');
    expect(
      reasonOf(
        check({ headers: h('Authorization: x'), credentials: 'include' }, [...withCreds, 'Access-Control-Allow-Headers: Authorization']),
      ),
    ).toBe('ok');
  });

  test('with credentials an unlisted Authorization is a plain preflight-header-not-allowed', () => {
    expect(
      reasonOf(check({ headers: h('Authorization: x'), credentials: 'include' }, [...withCreds, 'Access-Control-Allow-Headers: *'])),
    ).toBe('preflight-header-not-allowed');
    expect(reasonOf(check({ headers: h('Authorization: x') }, [...base, 'Access-Control-Allow-Headers: X-A']))).toBe(
      'preflight-header-not-allowed',
    );
  });
});

test.describe("the opt-in BrowserQuirk 'authorization-covered-by-wildcard' (a browser deviation, never the expectation)", () => {
  const base = [`${ACAO}: ${APP}`, 'Access-Control-Allow-Methods: PUT'];
  const quirks: BrowserQuirk[] = ['authorization-covered-by-wildcard'];

  test('lets * cover Authorization without credentials', () => {
    expect(reasonOf(check({ headers: h('Authorization: x') }, [...base, 'Access-Control-Allow-Headers: *'], { quirks }))).toBe('ok');
  });

  test('changes nothing with credentials, where * is no wildcard at all', () => {
    const creds = [...base, 'Access-Control-Allow-Credentials: true', 'Access-Control-Allow-Headers: *'];
    expect(reasonOf(check({ headers: h('Authorization: x'), credentials: 'include' }, creds, { quirks }))).toBe(
      'preflight-header-not-allowed',
    );
  });

  test('changes nothing without *, and nothing for other headers', () => {
    expect(reasonOf(check({ headers: h('Authorization: x') }, [...base, 'Access-Control-Allow-Headers: X-A'], { quirks }))).toBe(
      'preflight-header-not-allowed',
    );
    expect(reasonOf(check({ headers: h('X-B: 1') }, [...base, 'Access-Control-Allow-Headers: X-A'], { quirks }))).toBe(
      'preflight-header-not-allowed',
    );
  });

  test('predict() keeps the standard answer unless the quirk is passed', () => {
    const respond = staticResponder(response(200, `${ACAO}: ${APP}`), okPreflight(APP, 'Access-Control-Allow-Headers: *'));
    const input = { origin: APP, url: `${API}/x`, headers: h('Authorization: Bearer t') };
    expect(predict(input, respond).reason).toBe('preflight-authorization-not-covered-by-wildcard');
    expect(predict(input, respond, { quirks: new Set(quirks) }).reason).toBe('allowed');
  });
});

test.describe('Access-Control-Max-Age (Fetch #cors-preflight-fetch steps 7.8-7.10)', () => {
  const base = [`${ACAO}: ${APP}`, 'Access-Control-Allow-Methods: PUT'];
  const maxAge = (lines: string[], cap = Number.POSITIVE_INFINITY) => (check({}, [...base, ...lines], { cap }) as PreflightSuccess).maxAge;

  test('defaults to 5 seconds when absent', () => {
    expect(maxAge([])).toBe(5);
  });

  test('takes a valid value, including 0', () => {
    expect(maxAge(['Access-Control-Max-Age: 600'])).toBe(600);
    expect(maxAge(['Access-Control-Max-Age: 0'])).toBe(0);
  });

  test('an invalid, negative or repeated value falls back to 5 seconds', () => {
    for (const v of ['-1', '1.5', 'abc', '+60', '600s']) expect(maxAge([`Access-Control-Max-Age: ${v}`]), v).toBe(5);
    expect(maxAge(['Access-Control-Max-Age: 600', 'Access-Control-Max-Age: 600'])).toBe(5);
  });

  test('is capped at the user agent limit: chromium 7200, firefox 86400, none in the spec', () => {
    expect(MAX_AGE_CAP_SECONDS.chromium).toBe(7200);
    expect(MAX_AGE_CAP_SECONDS.firefox).toBe(86400);
    expect(MAX_AGE_CAP_SECONDS.spec).toBe(Number.POSITIVE_INFINITY);
    expect(maxAge(['Access-Control-Max-Age: 100000'], MAX_AGE_CAP_SECONDS.chromium)).toBe(7200);
    expect(maxAge(['Access-Control-Max-Age: 100000'], MAX_AGE_CAP_SECONDS.firefox)).toBe(86400);
    expect(maxAge(['Access-Control-Max-Age: 100000'], MAX_AGE_CAP_SECONDS.spec)).toBe(100000);
    expect(maxAge(['Access-Control-Max-Age: 60'], MAX_AGE_CAP_SECONDS.chromium)).toBe(60);
  });

  test('the cap never raises the 5 second default', () => {
    expect(maxAge([], MAX_AGE_CAP_SECONDS.chromium)).toBe(5);
  });
});
