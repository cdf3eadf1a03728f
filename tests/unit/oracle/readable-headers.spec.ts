/**
 * What a page can read of an allowed response: Fetch #main-fetch (the CORS-exposed
 * header-name list from Access-Control-Expose-Headers), #responses "CORS filtered response" and
 * #terminology-headers "CORS-safelisted response-header name".
 */
import { test, expect } from '@playwright/test';
import { predict, readableHeaders, staticResponder } from '../../../harness/oracle';
import { API, APP, h, response } from './helpers';

const ACEH = 'Access-Control-Expose-Headers';
const SAFELISTED = [
  'Cache-Control: no-cache',
  'Content-Language: en',
  'Content-Length: 2',
  'Content-Type: text/plain',
  'Expires: 0',
  'Last-Modified: x',
  'Pragma: no-cache',
];
const SAFELISTED_NAMES = ['cache-control', 'content-language', 'content-length', 'content-type', 'expires', 'last-modified', 'pragma'];

test.describe('CORS-safelisted response headers (Fetch #terminology-headers)', () => {
  test('without Expose-Headers only the seven safelisted headers are readable', () => {
    expect(
      readableHeaders(h(...SAFELISTED, 'Date: now', 'ETag: "1"', 'X-A: 1', 'Server: s', `Access-Control-Allow-Origin: ${APP}`), 'omit'),
    ).toEqual(SAFELISTED_NAMES);
  });

  test('names come back lowercased, sorted and once each', () => {
    expect(readableHeaders(h('Pragma: a', 'content-type: b', 'CONTENT-TYPE: c'), 'omit')).toEqual(['content-type', 'pragma']);
  });
});

test.describe('Access-Control-Expose-Headers (Fetch #main-fetch, CORS-exposed header-name list)', () => {
  test('listed names become readable', () => {
    expect(readableHeaders(h('X-A: 1', 'X-B: 2', 'ETag: "1"', `${ACEH}: X-A, ETag`), 'omit')).toEqual(['etag', 'x-a']);
  });

  test('the list matches names case-insensitively', () => {
    expect(readableHeaders(h('X-Request-Id: 1', `${ACEH}: x-REQUEST-id`), 'omit')).toEqual(['x-request-id']);
  });

  test('repeated Expose-Headers headers are combined', () => {
    expect(readableHeaders(h('X-A: 1', 'X-B: 2', 'X-C: 3', `${ACEH}: X-A`, `${ACEH}: X-B`), 'omit')).toEqual(['x-a', 'x-b']);
  });

  test('a listed name that is absent from the response adds nothing', () => {
    expect(readableHeaders(h('X-A: 1', `${ACEH}: X-Missing`), 'omit')).toEqual([]);
  });

  test('an Expose-Headers value that does not parse as #field-name exposes nothing extra', () => {
    expect(readableHeaders(h('X-A: 1', 'X-B: 2', 'Content-Type: text/plain', `${ACEH}: X-A X-B`), 'omit')).toEqual(['content-type']);
    expect(readableHeaders(h('X-A: 1', `${ACEH}: X-A`, `${ACEH}: "X-B"`), 'omit')).toEqual([]);
  });

  test('* without credentials exposes every header name (omit and same-origin)', () => {
    const list = h('X-A: 1', 'Date: now', 'Content-Type: text/plain', `${ACEH}: *`);
    for (const credentials of ['omit', 'same-origin'] as const) {
      expect(readableHeaders(list, credentials), credentials).toEqual(['access-control-expose-headers', 'content-type', 'date', 'x-a']);
    }
  });

  test('* with credentials is no wildcard: only safelisted headers and a header literally named *', () => {
    expect(readableHeaders(h('X-A: 1', 'Content-Type: text/plain', `${ACEH}: *`), 'include')).toEqual(['content-type']);
    expect(readableHeaders(h('X-A: 1', '*: star', `${ACEH}: *`), 'include')).toEqual(['*']);
  });

  test('with credentials, names listed next to * are exposed', () => {
    expect(readableHeaders(h('X-A: 1', 'X-B: 2', `${ACEH}: *, X-B`), 'include')).toEqual(['x-b']);
  });

  test('Set-Cookie and Set-Cookie2 are never readable: not listed, not by *', () => {
    expect(readableHeaders(h('Set-Cookie: a=1', 'Set-Cookie2: b=2', 'X-A: 1', `${ACEH}: Set-Cookie, set-cookie2, X-A`), 'include')).toEqual(
      ['x-a'],
    );
    expect(readableHeaders(h('Set-Cookie: a=1', 'X-A: 1', `${ACEH}: *`), 'omit')).toEqual(['access-control-expose-headers', 'x-a']);
  });
});

test.describe('readable headers through predict()', () => {
  test('an allowed CORS response exposes the filtered list', () => {
    const v = predict(
      { origin: APP, url: `${API}/x` },
      staticResponder(
        response(200, `Access-Control-Allow-Origin: ${APP}`, 'X-A: 1', 'X-B: 2', `${ACEH}: x-b`, 'Content-Type: text/plain'),
        response(500),
      ),
    );
    expect(v.readableHeaders).toEqual(['content-type', 'x-b']);
  });

  test('a same-origin response exposes everything but Set-Cookie and Set-Cookie2 (basic filtered response)', () => {
    const v = predict(
      { origin: APP, url: `${APP}/x` },
      staticResponder(response(200, 'X-A: 1', 'Set-Cookie: a=1', 'set-cookie2: b', 'Date: now'), response(500)),
    );
    expect(v.readableHeaders).toEqual(['date', 'x-a']);
  });

  test('a blocked response exposes nothing', () => {
    const v = predict(
      { origin: APP, url: `${API}/x` },
      staticResponder(response(200, 'Content-Type: text/plain', `${ACEH}: *`), response(500)),
    );
    expect(v.reason).toBe('allow-origin-missing');
    expect(v.readableHeaders).toEqual([]);
  });
});
