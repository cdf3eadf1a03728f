/**
 * Content-Type as a CORS-safelisted request-header (Fetch #terminology-headers), which uses MIME Sniffing's
 * "parse a MIME type" (#http-fetch) and deliberately not the forgiving "extract a MIME type".
 */
import { test, expect } from '@playwright/test';
import { isSafelistedRequestHeader, mimeEssence, predict, staticResponder, unsafeRequestHeaderNames } from '../../../harness/oracle';
import { API, APP, okPreflight, response } from './helpers';

test.describe('parse a MIME type: the essence (MIME Sniffing §4.4)', () => {
  test('type and subtype are lowercased, parameters dropped', () => {
    expect(mimeEssence('Text/Plain;Charset=UTF-8')).toBe('text/plain');
    expect(mimeEssence('multipart/form-data; boundary=----x')).toBe('multipart/form-data');
  });

  test('leading and trailing HTTP whitespace is removed, and trailing whitespace of the subtype', () => {
    expect(mimeEssence(' \ttext/plain\r\n')).toBe('text/plain');
    expect(mimeEssence('text/plain \t;charset=x')).toBe('text/plain');
  });

  test('an empty parameter list (text/plain;) still parses', () => {
    expect(mimeEssence('text/plain;')).toBe('text/plain');
    expect(mimeEssence('text/plain;;;')).toBe('text/plain');
  });

  test('a missing type, subtype or slash is failure', () => {
    for (const v of ['text/', '/plain', 'text', '', '/', 'text/;charset=x']) expect(mimeEssence(v), JSON.stringify(v)).toBeNull();
  });

  test('non-token code points in type or subtype are failure', () => {
    for (const v of ['text /plain', 'te xt/plain', 'text/pl ain', 'text/plain, application/json', 'text/pla"in', 'tëxt/plain']) {
      expect(mimeEssence(v), v).toBeNull();
    }
  });
});

test.describe('Content-Type as a CORS-safelisted request-header (Fetch #terminology-headers)', () => {
  test('text/plain, application/x-www-form-urlencoded and multipart/form-data are safelisted', () => {
    for (const v of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data'])
      expect(isSafelistedRequestHeader('Content-Type', v), v).toBe(true);
  });

  test('the three essences stay safelisted with parameters and in any casing', () => {
    for (const v of [
      'text/plain;charset=UTF-8',
      'multipart/form-data; boundary=abc',
      'APPLICATION/X-WWW-FORM-URLENCODED;charset=utf-8',
      'text/plain;',
      'text/plain ; a=b',
    ]) {
      expect(isSafelistedRequestHeader('Content-Type', v), v).toBe(true);
    }
  });

  test('other essences are not safelisted: application/json, text/html, text/plain+x', () => {
    for (const v of [
      'application/json',
      'text/html',
      'text/plain+x',
      'multipart/mixed',
      'text/xml',
      'application/x-www-form-urlencoded-x',
    ]) {
      expect(isSafelistedRequestHeader('Content-Type', v), v).toBe(false);
    }
  });

  test('invalid MIME types are not safelisted: text/, /plain, a bare word, a list', () => {
    for (const v of ['text/', '/plain', 'text', '', 'text/plain, application/json', 'text /plain']) {
      expect(isSafelistedRequestHeader('Content-Type', v), JSON.stringify(v)).toBe(false);
    }
  });

  test('an unsafe byte fails before parsing: a quoted charset is not safelisted', () => {
    // MIME Sniffing would accept the quotes, but 0x22 is a CORS-unsafe request-header byte.
    expect(mimeEssence('text/plain; charset="utf-8"')).toBe('text/plain');
    expect(isSafelistedRequestHeader('Content-Type', 'text/plain; charset="utf-8"')).toBe(false);
    expect(isSafelistedRequestHeader('Content-Type', 'text/plain; a=(b)')).toBe(false);
    expect(isSafelistedRequestHeader('Content-Type', 'text/plain; a=b?')).toBe(false);
  });

  test('a JSON body with Content-Type: application/json is preflighted, text/plain is not', () => {
    const respond = staticResponder(
      response(200, `Access-Control-Allow-Origin: ${APP}`),
      okPreflight(APP, 'Access-Control-Allow-Headers: content-type'),
    );
    const json = predict({ origin: APP, url: `${API}/x`, method: 'POST', headers: [['Content-Type', 'application/json']] }, respond);
    expect(json.preflightRequest?.headers['access-control-request-headers']).toBe('content-type');
    const text = predict(
      { origin: APP, url: `${API}/x`, method: 'POST', headers: [['Content-Type', 'text/plain;charset=UTF-8']] },
      respond,
    );
    expect(text.preflight).toBe(false);
  });

  test('two Content-Type headers are checked one by one: json next to text/plain still needs a preflight (the #terminology-headers example)', () => {
    expect(
      unsafeRequestHeaderNames([
        ['Content-Type', 'application/json'],
        ['Content-Type', 'text/plain'],
      ]),
    ).toEqual(['content-type']);
  });
});
