/**
 * Header lists (Fetch #terminology-headers "Headers") and the author header list as fetch() and XHR hold it
 * (Fetch #headers-class Headers with guard "request"; XHR setRequestHeader uses "combine").
 */
import { test, expect } from '@playwright/test';
import {
  contains,
  decodeAndSplit,
  extractDeltaSeconds,
  extractTokenList,
  get,
  getDecodeSplit,
  isFailure,
  normalizeValue,
  parseHeaderLine,
  predict,
  requestHeaderList,
  sortedLowercaseSet,
  staticResponder,
} from '../../../harness/oracle';
import { API, APP, h, response } from './helpers';

test.describe('header list basics (Fetch #terminology-headers)', () => {
  test('normalize strips leading and trailing HTTP whitespace only', () => {
    expect(normalizeValue(' \t\r\nhttps://a.example \t\r\n')).toBe('https://a.example');
    expect(normalizeValue('a \t b')).toBe('a \t b');
    expect(normalizeValue('\x0bx\x0b')).toBe('\x0bx\x0b');
  });

  test('contains matches names case-insensitively', () => {
    expect(contains(h('Access-Control-Allow-Origin: *'), 'access-control-allow-origin')).toBe(true);
    expect(contains(h('Access-Control-Allow-Origin: *'), 'Access-Control-Allow-Origins')).toBe(false);
  });

  test('get joins repeated headers with ", " in order, null when absent, "" when empty', () => {
    expect(get(h('A: 1', 'B: 2', 'a: 3'), 'A')).toBe('1, 3');
    expect(get(h('B: 2'), 'A')).toBeNull();
    expect(get(h('A:'), 'A')).toBe('');
  });

  test('convert header names to a sorted-lowercase set', () => {
    expect(sortedLowercaseSet(['X-B', 'x-a', 'X-A', 'a'])).toEqual(['a', 'x-a', 'x-b']);
  });
});

test.describe('get, decode, and split (the #terminology-headers example table)', () => {
  const rows: [string[], string[] | null][] = [
    [['A: nosniff,'], ['nosniff', '']],
    [
      ['A: nosniff', 'B: sniff', 'A:'],
      ['nosniff', ''],
    ],
    [['A:', 'B: sniff'], ['']],
    [['B: sniff'], null],
    [['A: text/html;", x/x'], ['text/html;", x/x']],
    [['A: text/html;"', 'A: x/x'], ['text/html;", x/x']],
    [['A: x/x;test="hi",y/y'], ['x/x;test="hi"', 'y/y']],
    [
      ['A: x/x;test="hi"', 'C: **bingo**', 'A: y/y'],
      ['x/x;test="hi"', 'y/y'],
    ],
    [['A: x / x,,,1'], ['x / x', '', '', '1']],
    [
      ['A: x / x', 'A: ,', 'A: 1'],
      ['x / x', '', '', '1'],
    ],
    [['A: "1,2", 3'], ['"1,2"', '3']],
    [
      ['A: "1,2"', 'D: 4', 'A: 3'],
      ['"1,2"', '3'],
    ],
  ];
  for (const [lines, expected] of rows) {
    test(`${lines.join(' | ')} → ${JSON.stringify(expected)}`, () => {
      expect(getDecodeSplit(h(...lines), 'A')).toEqual(expected);
    });
  }

  test('text after a closing quote stays in the same value', () => {
    expect(decodeAndSplit('a"b"c, d')).toEqual(['a"b"c', 'd']);
    expect(decodeAndSplit('"x" y ,z')).toEqual(['"x" y', 'z']);
  });

  test('a backslash inside a quoted string escapes the next character', () => {
    expect(decodeAndSplit('"a\\",b", c')).toEqual(['"a\\",b"', 'c']);
  });
});

test.describe('extract header list values for #token lists (Fetch #terminology-headers, #http-new-header-syntax)', () => {
  test('absent is null, an empty value is an empty list', () => {
    expect(extractTokenList(h('B: 1'), 'Access-Control-Allow-Methods')).toBeNull();
    expect(extractTokenList(h('Access-Control-Allow-Methods:'), 'Access-Control-Allow-Methods')).toEqual([]);
  });

  test('elements are trimmed, empty elements skipped, repeated headers joined', () => {
    expect(
      extractTokenList(
        h('Access-Control-Allow-Methods:  PUT ,, DELETE ', 'access-control-allow-methods: patch'),
        'Access-Control-Allow-Methods',
      ),
    ).toEqual(['PUT', 'DELETE', 'patch']);
  });

  test('an element that is not a token is failure: a space-separated list, a quoted string', () => {
    for (const v of ['GET PUT', '"GET"', 'GET, PU T', 'X-A, X/B']) {
      expect(isFailure(extractTokenList(h(`Access-Control-Allow-Methods: ${v}`), 'Access-Control-Allow-Methods')), v).toBe(true);
    }
  });
});

test.describe('extract header list values for delta-seconds (Access-Control-Max-Age, #http-new-header-syntax)', () => {
  const maxAge = (...lines: string[]) => extractDeltaSeconds(h(...lines), 'Access-Control-Max-Age');

  test('one header of digits is its number', () => {
    expect(maxAge('Access-Control-Max-Age: 600')).toBe(600);
    expect(maxAge('Access-Control-Max-Age: 0')).toBe(0);
    expect(maxAge('Access-Control-Max-Age: 007')).toBe(7);
  });

  test('absent is null', () => {
    expect(maxAge('X: 1')).toBeNull();
  });

  test('a sign, a fraction, a word, an empty value or two headers are failure', () => {
    for (const v of ['-1', '+5', '1.5', 'abc', '', '1e3', '5, 5'])
      expect(isFailure(maxAge(`Access-Control-Max-Age: ${v}`)), JSON.stringify(v)).toBe(true);
    expect(isFailure(maxAge('Access-Control-Max-Age: 5', 'Access-Control-Max-Age: 5'))).toBe(true);
  });
});

test.describe('parseHeaderLine (the CLI and case-table form "Name: value")', () => {
  test('splits at the first colon and keeps the raw value for later normalization', () => {
    expect(parseHeaderLine('Access-Control-Allow-Origin: https://a.example:8080')).toEqual([
      'Access-Control-Allow-Origin',
      ' https://a.example:8080',
    ]);
    expect(parseHeaderLine('X:')).toEqual(['X', '']);
  });

  test('no colon, an empty name or a name that is not a token is null', () => {
    for (const line of ['nocolon', ': value', 'Bad Name: v', 'X(1): v']) expect(parseHeaderLine(line), line).toBeNull();
  });
});

test.describe('the author header list (Fetch #headers-class guard "request"; XHR combine)', () => {
  test('forbidden request-headers are dropped silently: Cookie, Origin, Sec-*, Proxy-*, X-HTTP-Method-Override: TRACE', () => {
    const list = h(
      'Cookie: a=1',
      'Origin: https://evil.example',
      'Sec-Fetch-Site: same-origin',
      'Proxy-Authorization: Basic x',
      'X-HTTP-Method-Override: TRACE',
      'X-HTTP-Method-Override: PATCH',
      'X-A: 1',
    );
    expect(requestHeaderList(list, 'fetch')).toEqual([
      ['X-HTTP-Method-Override', 'PATCH'],
      ['X-A', '1'],
    ]);
  });

  test('values are normalized before the forbidden check and before they are kept', () => {
    expect(requestHeaderList([['X-HTTP-Method-Override', ' trace\t']], 'fetch')).toEqual([]);
    expect(requestHeaderList([['X-A', '  v  ']], 'xhr')).toEqual([['X-A', 'v']]);
  });

  test('fetch() keeps repeated names as separate headers', () => {
    expect(requestHeaderList(h('X-A: 1', 'x-a: 2'), 'fetch')).toEqual([
      ['X-A', '1'],
      ['x-a', '2'],
    ]);
  });

  test('XHR combines repeated names into the first one, joined by ", "', () => {
    expect(requestHeaderList(h('X-A: 1', 'X-B: 0', 'x-a: 2'), 'xhr')).toEqual([
      ['X-A', '1, 2'],
      ['X-B', '0'],
    ]);
  });

  test('XHR checks each value before combining: a TRACE override is dropped, the PATCH one kept', () => {
    expect(requestHeaderList(h('X-HTTP-Method-Override: PATCH', 'X-HTTP-Method-Override: TRACE'), 'xhr')).toEqual([
      ['X-HTTP-Method-Override', 'PATCH'],
    ]);
  });

  test('XHR combining two safelisted Content-Types makes one unsafe value, so a preflight', () => {
    const respond = staticResponder(
      response(200, `Access-Control-Allow-Origin: ${APP}`),
      response(204, `Access-Control-Allow-Origin: ${APP}`, 'Access-Control-Allow-Headers: content-type'),
    );
    const input = { origin: APP, url: `${API}/x`, method: 'POST', headers: h('Content-Type: text/plain', 'Content-Type: text/plain') };
    expect(predict({ ...input, client: 'fetch' }, respond).preflight).toBe(false);
    const xhr = predict({ ...input, client: 'xhr' }, respond);
    expect(xhr.preflight).toBe(true);
    expect(xhr.requests[1]?.headers['content-type']).toBe('text/plain, text/plain');
  });

  test('a forbidden header never causes a preflight and never reaches the wire from the page', () => {
    const v = predict(
      { origin: APP, url: `${API}/x`, headers: h('Cookie: a=1', 'Origin: https://evil.example', 'Sec-Foo: 1') },
      staticResponder(response(200, `Access-Control-Allow-Origin: ${APP}`), response(500)),
    );
    expect(v.preflight).toBe(false);
    expect(v.requests[0]?.headers).toEqual({ origin: APP });
  });
});
