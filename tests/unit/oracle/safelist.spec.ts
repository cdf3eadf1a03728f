/**
 * The safelists and forbidden lists: Fetch #methods (methods) and #terminology-headers (headers).
 * Content-Type and MIME parsing live in mime.spec.ts.
 */
import { test, expect } from '@playwright/test';
import {
  isForbiddenMethod,
  isForbiddenRequestHeader,
  isForbiddenResponseHeaderName,
  isNonWildcardRequestHeaderName,
  isSafelistedMethod,
  isSafelistedRequestHeader,
  isSafelistedResponseHeaderName,
  isUnsafeByte,
  normalizeMethod,
  parseSingleRange,
  predict,
  staticResponder,
  unsafeRequestHeaderNames,
} from '../../../harness/oracle';
import { API, APP, h, okPreflight, response } from './helpers';

const byte = (b: number) => String.fromCharCode(b);

test.describe('CORS-safelisted method (Fetch #methods)', () => {
  test('GET, HEAD and POST are the only safelisted methods', () => {
    for (const m of ['GET', 'HEAD', 'POST']) expect(isSafelistedMethod(m), m).toBe(true);
    for (const m of ['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'CONNECT', 'CHICKEN']) expect(isSafelistedMethod(m), m).toBe(false);
  });

  test('the safelist is byte-exact: lowercase get is only safelisted after normalization', () => {
    expect(isSafelistedMethod('get')).toBe(false);
    expect(isSafelistedMethod('Post')).toBe(false);
    expect(isSafelistedMethod(normalizeMethod('get'))).toBe(true);
  });
});

test.describe('method normalization (Fetch #methods "normalize")', () => {
  test('DELETE, GET, HEAD, OPTIONS, POST and PUT are uppercased from any casing', () => {
    for (const m of ['delete', 'get', 'head', 'options', 'post', 'put', 'pUt', 'Delete']) {
      expect(normalizeMethod(m), m).toBe(m.toUpperCase());
    }
  });

  test('every other method keeps its casing: patch stays patch', () => {
    expect(normalizeMethod('patch')).toBe('patch');
    expect(normalizeMethod('Patch')).toBe('Patch');
    expect(normalizeMethod('PATCH')).toBe('PATCH');
    expect(normalizeMethod('chicken')).toBe('chicken');
    expect(normalizeMethod('connect')).toBe('connect');
  });

  test('predict() preflights put as PUT but patch as patch', () => {
    const respond = staticResponder(
      response(200, `Access-Control-Allow-Origin: ${APP}`),
      okPreflight(APP, 'Access-Control-Allow-Methods: PUT, patch'),
    );
    const put = predict({ origin: APP, url: `${API}/x`, method: 'put' }, respond);
    expect(put.preflightRequest?.headers['access-control-request-method']).toBe('PUT');
    expect(put.requests.map((r) => r.method)).toEqual(['OPTIONS', 'PUT']);
    const patch = predict({ origin: APP, url: `${API}/x`, method: 'patch' }, respond);
    expect(patch.preflightRequest?.headers['access-control-request-method']).toBe('patch');
    expect(patch.requests.map((r) => r.method)).toEqual(['OPTIONS', 'patch']);
    expect(patch.outcome).toBe('allowed');
  });

  test('predict() sends a lowercase post without a preflight, because it normalizes to POST', () => {
    const v = predict(
      { origin: APP, url: `${API}/x`, method: 'post' },
      staticResponder(response(200, `Access-Control-Allow-Origin: ${APP}`), response(500)),
    );
    expect(v.preflight).toBe(false);
    expect(v.requests.map((r) => r.method)).toEqual(['POST']);
  });
});

test.describe('forbidden method (Fetch #methods)', () => {
  test('CONNECT, TRACE and TRACK are forbidden in any casing', () => {
    for (const m of ['CONNECT', 'TRACE', 'TRACK', 'connect', 'trace', 'Track', 'tRaCe']) expect(isForbiddenMethod(m), m).toBe(true);
  });

  test('other methods, and names merely containing a forbidden one, are not forbidden', () => {
    for (const m of ['GET', 'OPTIONS', 'PATCH', 'TRACES', 'XTRACE', 'TRAC', 'CONNECTX', '']) expect(isForbiddenMethod(m), m).toBe(false);
  });
});

test.describe('CORS-unsafe request-header byte (Fetch #terminology-headers)', () => {
  // The spec's list, written out independently of the oracle's.
  const listed = [0x22, 0x28, 0x29, 0x3a, 0x3c, 0x3e, 0x3f, 0x40, 0x5b, 0x5c, 0x5d, 0x7b, 0x7d, 0x7f];

  test('every control byte except HT (0x09) is unsafe', () => {
    for (let b = 0; b < 0x20; b++) expect(isUnsafeByte(b), `0x${b.toString(16)}`).toBe(b !== 0x09);
  });

  test('exactly " ( ) : < > ? @ [ \\ ] { } and DEL are unsafe among 0x20-0xFF', () => {
    for (let b = 0x20; b <= 0xff; b++) expect(isUnsafeByte(b), `0x${b.toString(16)}`).toBe(listed.includes(b));
  });

  test('Accept is safelisted unless it holds an unsafe byte: each unsafe byte makes it unsafe, tab does not', () => {
    for (let b = 0; b <= 0xff; b++) {
      const unsafe = (b < 0x20 && b !== 0x09) || listed.includes(b);
      expect(isSafelistedRequestHeader('Accept', `text/html${byte(b)}x`), `byte 0x${b.toString(16)}`).toBe(!unsafe);
    }
  });

  test('Accept values with , / ; = * and bytes above 0x7F are safelisted', () => {
    expect(isSafelistedRequestHeader('Accept', 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8')).toBe(true);
    expect(isSafelistedRequestHeader('accept', 'caf\xe9')).toBe(true);
  });
});

test.describe('CORS-safelisted request-header: the 128-byte limit (Fetch #terminology-headers step 1)', () => {
  test('an Accept value of 128 bytes is safelisted, 129 bytes is not', () => {
    expect(isSafelistedRequestHeader('Accept', 'a'.repeat(128))).toBe(true);
    expect(isSafelistedRequestHeader('Accept', 'a'.repeat(129))).toBe(false);
  });

  test('the limit applies to every safelisted name', () => {
    const lang = (n: number) => 'en'.padEnd(n, 'x');
    expect(isSafelistedRequestHeader('Accept-Language', lang(128))).toBe(true);
    expect(isSafelistedRequestHeader('Accept-Language', lang(129))).toBe(false);
    expect(isSafelistedRequestHeader('Content-Language', lang(128))).toBe(true);
    expect(isSafelistedRequestHeader('Content-Language', lang(129))).toBe(false);
    const ct = (n: number) => 'text/plain;a='.padEnd(n, 'b');
    expect(isSafelistedRequestHeader('Content-Type', ct(128))).toBe(true);
    expect(isSafelistedRequestHeader('Content-Type', ct(129))).toBe(false);
    const range = (n: number) => 'bytes=0-'.padEnd(n, '9');
    expect(isSafelistedRequestHeader('Range', range(128))).toBe(true);
    expect(isSafelistedRequestHeader('Range', range(129))).toBe(false);
  });

  test('a 129-byte Accept triggers a preflight that lists accept', () => {
    const v = predict(
      { origin: APP, url: `${API}/x`, headers: [['Accept', 'a'.repeat(129)]] },
      staticResponder(response(200, `Access-Control-Allow-Origin: ${APP}`), okPreflight(APP, 'Access-Control-Allow-Headers: accept')),
    );
    expect(v.preflightRequest?.headers['access-control-request-headers']).toBe('accept');
  });
});

test.describe('CORS-safelisted request-header: Accept-Language and Content-Language (Fetch #terminology-headers)', () => {
  const allowed = (b: number) =>
    (b >= 0x30 && b <= 0x39) ||
    (b >= 0x41 && b <= 0x5a) ||
    (b >= 0x61 && b <= 0x7a) ||
    [0x20, 0x2a, 0x2c, 0x2d, 0x2e, 0x3b, 0x3d].includes(b);

  for (const name of ['Accept-Language', 'Content-Language']) {
    test(`${name} allows only 0-9 A-Z a-z and space * , - . ; = (every byte checked)`, () => {
      for (let b = 0; b <= 0xff; b++) {
        expect(isSafelistedRequestHeader(name, `en${byte(b)}US`), `byte 0x${b.toString(16)}`).toBe(allowed(b));
      }
    });
  }

  test('a realistic Accept-Language list is safelisted, one with a quoted or slashed value is not', () => {
    expect(isSafelistedRequestHeader('accept-language', 'en-US,en;q=0.9,*;q=0.5')).toBe(true);
    expect(isSafelistedRequestHeader('Accept-Language', 'en/US')).toBe(false);
    expect(isSafelistedRequestHeader('Content-Language', 'en_US')).toBe(false);
    expect(isSafelistedRequestHeader('Content-Language', '')).toBe(true);
  });
});

test.describe('CORS-safelisted request-header: Range (Fetch #terminology-headers, "parse a single range header value")', () => {
  test('bytes=N- and bytes=N-M are safelisted', () => {
    for (const v of ['bytes=0-', 'bytes=0-499', 'bytes=500-', 'bytes=5-5', 'bytes=007-9'])
      expect(isSafelistedRequestHeader('Range', v), v).toBe(true);
  });

  test('a suffix range bytes=-M parses but is not safelisted', () => {
    expect(parseSingleRange('bytes=-500', false)).toEqual([null, 500n]);
    expect(isSafelistedRequestHeader('Range', 'bytes=-500')).toBe(false);
  });

  test('a start above the end (bytes=5-1) is a parse failure, so not safelisted', () => {
    expect(parseSingleRange('bytes=5-1', false)).toBeNull();
    expect(isSafelistedRequestHeader('Range', 'bytes=5-1')).toBe(false);
  });

  test('the start and end are compared as exact decimals, not doubles (both of these are 2^53 as doubles)', () => {
    expect(parseSingleRange('bytes=9007199254740993-9007199254740992', false)).toBeNull();
    expect(isSafelistedRequestHeader('Range', 'bytes=9007199254740993-9007199254740992')).toBe(false);
    expect(parseSingleRange('bytes=9007199254740992-9007199254740993', false)).toEqual([9007199254740992n, 9007199254740993n]);
    expect(isSafelistedRequestHeader('Range', 'bytes=9007199254740992-9007199254740993')).toBe(true);
  });

  test('whitespace anywhere inside the value is not safelisted (allowWhitespace is false)', () => {
    for (const v of ['bytes =0-', 'bytes= 0-', 'bytes=0 -', 'bytes=0- 5', 'bytes=\t0-', 'bytes=0 -5']) {
      expect(isSafelistedRequestHeader('Range', v), JSON.stringify(v)).toBe(false);
    }
  });

  test('the same whitespace parses when allowWhitespace is true', () => {
    expect(parseSingleRange('bytes = 0 - 5', true)).toEqual([0n, 5n]);
    expect(parseSingleRange('bytes\t=\t7\t-', true)).toEqual([7n, null]);
    expect(parseSingleRange('bytes = 0 - 5', false)).toBeNull();
  });

  test('other units, uppercase Bytes, lists, empty ends and non-digits are not safelisted', () => {
    for (const v of ['items=0-', 'Bytes=0-', 'bytes=0-1,2-3', 'bytes=-', 'bytes=a-', 'bytes=0', 'bytes0-', 'bytes=1-2-']) {
      expect(isSafelistedRequestHeader('Range', v), v).toBe(false);
    }
  });
});

test.describe('CORS-safelisted request-header: names (Fetch #terminology-headers)', () => {
  test('names match case-insensitively', () => {
    expect(isSafelistedRequestHeader('ACCEPT', 'x')).toBe(true);
    expect(isSafelistedRequestHeader('content-TYPE', 'text/plain')).toBe(true);
    expect(isSafelistedRequestHeader('rAnGe', 'bytes=0-')).toBe(true);
  });

  test('any other name is never safelisted, whatever its value', () => {
    for (const n of ['X-Requested-With', 'Authorization', 'Cache-Control', 'Accept-Encoding', 'Content-Encoding', 'DPR']) {
      expect(isSafelistedRequestHeader(n, 'a'), n).toBe(false);
    }
  });
});

test.describe('CORS-unsafe request-header names (Fetch #terminology-headers)', () => {
  test('are lowercased, deduplicated and byte-sorted', () => {
    expect(unsafeRequestHeaderNames(h('X-B: 1', 'x-a: 1', 'X-A: 2', 'Z: 1', 'a-z: 1', 'Accept: text/html'))).toEqual([
      'a-z',
      'x-a',
      'x-b',
      'z',
    ]);
  });

  test('the sort is by byte: - before digits before letters', () => {
    expect(unsafeRequestHeaderNames(h('X-b: 1', 'X-1: 1', 'X--: 1'))).toEqual(['x--', 'x-1', 'x-b']);
  });

  test('safelisted headers are not listed, unsafe values of safelisted names are', () => {
    expect(unsafeRequestHeaderNames(h('Accept: */*', 'Content-Type: text/plain', 'Range: bytes=0-'))).toEqual([]);
    expect(unsafeRequestHeaderNames(h('Accept: */*', 'Content-Type: application/json', 'Range: bytes=-5'))).toEqual([
      'content-type',
      'range',
    ]);
  });

  test('safelisted values totalling exactly 1024 bytes stay safe', () => {
    const eight = Array.from({ length: 8 }, () => ['Accept', 'a'.repeat(128)] as const);
    expect(unsafeRequestHeaderNames(eight)).toEqual([]);
  });

  test('one byte over 1024 makes every safelisted name unsafe', () => {
    const eight = Array.from({ length: 8 }, () => ['Accept', 'a'.repeat(128)] as const);
    expect(unsafeRequestHeaderNames([...eight, ['Content-Language', 'e']])).toEqual(['accept', 'content-language']);
  });

  test('values of unsafe headers do not count toward the 1024 bytes', () => {
    const seven = Array.from({ length: 7 }, () => ['Accept', 'a'.repeat(128)] as const);
    // 896 safelisted bytes + a 129-byte Accept-Language (unsafe on its own) + X-Big.
    const list = [...seven, ['Accept-Language', 'e'.repeat(129)], ['X-Big', 'x'.repeat(500)], ['Range', 'bytes=0-']] as const;
    expect(unsafeRequestHeaderNames(list)).toEqual(['accept-language', 'x-big']);
  });
});

test.describe('CORS non-wildcard request-header name (Fetch #terminology-headers)', () => {
  test('is Authorization in any casing and nothing else', () => {
    for (const n of ['Authorization', 'authorization', 'AUTHORIZATION']) expect(isNonWildcardRequestHeaderName(n), n).toBe(true);
    for (const n of ['Proxy-Authorization', 'X-Authorization', 'Authorization2', 'Cookie'])
      expect(isNonWildcardRequestHeaderName(n), n).toBe(false);
  });
});

test.describe('forbidden request-header (Fetch #terminology-headers)', () => {
  const listed = [
    'Accept-Charset',
    'Accept-Encoding',
    'Access-Control-Request-Headers',
    'Access-Control-Request-Method',
    'Connection',
    'Content-Length',
    'Cookie',
    'Cookie2',
    'Date',
    'DNT',
    'Expect',
    'Host',
    'Keep-Alive',
    'Origin',
    'Referer',
    'Set-Cookie',
    'TE',
    'Trailer',
    'Transfer-Encoding',
    'Upgrade',
    'Via',
  ];

  test('each listed name is forbidden in any casing', () => {
    for (const n of listed) {
      expect(isForbiddenRequestHeader(n, 'x'), n).toBe(true);
      expect(isForbiddenRequestHeader(n.toLowerCase(), 'x'), n.toLowerCase()).toBe(true);
      expect(isForbiddenRequestHeader(n.toUpperCase(), 'x'), n.toUpperCase()).toBe(true);
    }
  });

  test('names starting with Proxy- or Sec- are forbidden', () => {
    for (const n of ['Proxy-Authorization', 'proxy-', 'PROXY-X', 'Sec-Fetch-Mode', 'sec-ch-ua', 'SEC-X'])
      expect(isForbiddenRequestHeader(n, 'x'), n).toBe(true);
  });

  test('near misses are not forbidden', () => {
    for (const n of ['Secret', 'Proxy', 'X-Proxy-Foo', 'X-Sec-Foo', 'Cookies', 'Origin2', 'Accept', 'Authorization', 'X-Forwarded-For']) {
      expect(isForbiddenRequestHeader(n, 'x'), n).toBe(false);
    }
  });

  for (const name of ['X-HTTP-Method', 'X-HTTP-Method-Override', 'X-Method-Override']) {
    test(`${name} is forbidden only when one of its values is a forbidden method`, () => {
      for (const v of ['TRACE', 'trace', 'CONNECT', 'track', 'GET, TRACE', 'PUT,connect', ' TRACK'])
        expect(isForbiddenRequestHeader(name, v), v).toBe(true);
      for (const v of ['GET', 'PATCH', 'DELETE, PUT', 'TRACES', '']) expect(isForbiddenRequestHeader(name, v), v).toBe(false);
    });
  }

  test('X-HTTP-Method-Override values are split with "get, decode, and split": a quoted comma does not split', () => {
    expect(isForbiddenRequestHeader('X-HTTP-Method-Override', '"TRACE"')).toBe(false);
    expect(isForbiddenRequestHeader('X-HTTP-Method-Override', '"GET,TRACE,PUT"')).toBe(false);
    expect(isForbiddenRequestHeader('X-HTTP-Method-Override', '"GET", TRACE')).toBe(true);
  });

  test('X-HTTP-Method-Override values are trimmed of tab and space only', () => {
    expect(isForbiddenRequestHeader('X-HTTP-Method-Override', 'GET,\tTRACE\t')).toBe(true);
    expect(isForbiddenRequestHeader('X-HTTP-Method-Override', 'TRACE\x0b')).toBe(false);
  });
});

test.describe('response-header names (Fetch #terminology-headers)', () => {
  test('Set-Cookie and Set-Cookie2 are the forbidden response-header names', () => {
    for (const n of ['Set-Cookie', 'set-cookie', 'SET-COOKIE2']) expect(isForbiddenResponseHeaderName(n), n).toBe(true);
    for (const n of ['Set-Cookie3', 'Cookie', 'X-Set-Cookie']) expect(isForbiddenResponseHeaderName(n), n).toBe(false);
  });

  test('the seven CORS-safelisted response-header names need no list', () => {
    for (const n of ['Cache-Control', 'Content-Language', 'Content-Length', 'Content-Type', 'Expires', 'Last-Modified', 'pragma']) {
      expect(isSafelistedResponseHeaderName(n, []), n).toBe(true);
    }
    for (const n of ['Date', 'ETag', 'Content-Encoding', 'Server', 'Vary']) expect(isSafelistedResponseHeaderName(n, []), n).toBe(false);
  });

  test('listed names count, case-insensitively, unless forbidden', () => {
    expect(isSafelistedResponseHeaderName('ETag', ['etag'])).toBe(true);
    expect(isSafelistedResponseHeaderName('x-a', ['X-A'])).toBe(true);
    expect(isSafelistedResponseHeaderName('X-B', ['X-A'])).toBe(false);
    expect(isSafelistedResponseHeaderName('Set-Cookie', ['Set-Cookie'])).toBe(false);
    expect(isSafelistedResponseHeaderName('set-cookie2', ['SET-COOKIE2'])).toBe(false);
  });
});
