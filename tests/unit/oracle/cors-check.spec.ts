/**
 * Fetch #cors-check "CORS check" and the classification of its failures into stable reason codes.
 * corsCheck() takes normalized values; predict() normalizes what the server wrote (#terminology-headers).
 */
import { test, expect } from '@playwright/test';
import {
  CHROMIUM_CORS_ERRORS,
  corsCheck,
  isOriginOrNull,
  isReason,
  predict,
  REASONS,
  staticResponder,
  type HeaderList,
} from '../../../harness/oracle';
import { API, APP, h, response } from './helpers';

const ACAO = 'Access-Control-Allow-Origin';
const ACAC = 'Access-Control-Allow-Credentials';

test.describe('CORS check: Access-Control-Allow-Origin (Fetch #cors-check steps 1-4)', () => {
  test('a missing header fails with allow-origin-missing (step 2: null is not `null`)', () => {
    expect(corsCheck(APP, 'omit', h('Content-Type: text/plain'))).toBe('allow-origin-missing');
    expect(corsCheck('null', 'omit', [])).toBe('allow-origin-missing');
  });

  test('the exact serialized origin passes', () => {
    expect(corsCheck(APP, 'omit', h(`${ACAO}: ${APP}`))).toBeNull();
    expect(corsCheck('http://localhost:8080', 'same-origin', h(`${ACAO}: http://localhost:8080`))).toBeNull();
  });

  test('the comparison is byte-exact: another case is not the origin (and not a serialized origin either)', () => {
    expect(corsCheck(APP, 'omit', h(`${ACAO}: https://APP.example`))).toBe('allow-origin-invalid');
    expect(corsCheck(APP, 'omit', h(`${ACAO}: HTTPS://app.example`))).toBe('allow-origin-invalid');
  });

  test('a trailing slash fails: a serialized origin has no path (the #cors-protocol-and-credentials table)', () => {
    expect(corsCheck(APP, 'omit', h(`${ACAO}: ${APP}/`))).toBe('allow-origin-invalid');
  });

  test('a different valid origin fails with allow-origin-mismatch: other host, scheme or an explicit default port', () => {
    for (const v of ['https://evil.example', 'http://app.example', 'https://app.example:443', 'https://app.example.evil.example', 'null']) {
      expect(corsCheck(APP, 'omit', h(`${ACAO}: ${v}`)), v).toBe('allow-origin-mismatch');
    }
  });

  test('* passes without credentials (omit and same-origin) – step 3', () => {
    expect(corsCheck(APP, 'omit', h(`${ACAO}: *`))).toBeNull();
    expect(corsCheck(APP, 'same-origin', h(`${ACAO}: *`))).toBeNull();
    expect(corsCheck('null', 'same-origin', h(`${ACAO}: *`))).toBeNull();
  });

  test('* fails with credentials "include", even with Allow-Credentials: true', () => {
    expect(corsCheck(APP, 'include', h(`${ACAO}: *`, `${ACAC}: true`))).toBe('allow-origin-wildcard-with-credentials');
  });

  test('`null` admits the opaque origin "null" – with credentials too', () => {
    expect(corsCheck('null', 'omit', h(`${ACAO}: null`))).toBeNull();
    expect(corsCheck('null', 'include', h(`${ACAO}: null`, `${ACAC}: true`))).toBeNull();
  });

  test('`null` is case-sensitive: NULL is not an origin and does not admit "null"', () => {
    expect(corsCheck('null', 'omit', h(`${ACAO}: NULL`))).toBe('allow-origin-invalid');
  });

  test('the right origin sent twice fails: get joins it to "a, a" (allow-origin-multiple-values)', () => {
    expect(corsCheck(APP, 'omit', h(`${ACAO}: ${APP}`, `${ACAO}: ${APP}`))).toBe('allow-origin-multiple-values');
  });

  test('* sent twice fails even without credentials, because "*, *" is not *', () => {
    expect(corsCheck(APP, 'omit', h(`${ACAO}: *`, `${ACAO}: *`))).toBe('allow-origin-multiple-values');
  });

  test('a list in one header fails: "*, origin" and "origin, other"', () => {
    expect(corsCheck(APP, 'omit', h(`${ACAO}: *, ${APP}`))).toBe('allow-origin-multiple-values');
    expect(corsCheck(APP, 'omit', h(`${ACAO}: ${APP}, https://other.example`))).toBe('allow-origin-multiple-values');
  });

  test('a space-separated list and other non-origins are allow-origin-invalid', () => {
    for (const v of [`${APP} https://other.example`, 'app.example', '', '**', `${APP}/path`]) {
      expect(corsCheck(APP, 'omit', [[ACAO, v]]), JSON.stringify(v)).toBe('allow-origin-invalid');
    }
  });
});

test.describe('CORS check: Access-Control-Allow-Credentials (Fetch #cors-check steps 5-8, #http-new-header-syntax %s"true")', () => {
  const include = (...extra: string[]) => corsCheck(APP, 'include', h(`${ACAO}: ${APP}`, ...extra));

  test('exactly `true` passes with credentials', () => {
    expect(include(`${ACAC}: true`)).toBeNull();
  });

  test('True, TRUE, false, 1 and an empty value fail with allow-credentials-invalid', () => {
    for (const v of ['True', 'TRUE', 'false', '1', '']) expect(include(`${ACAC}: ${v}`), v).toBe('allow-credentials-invalid');
  });

  test('`true, true` in one header or true sent twice fails', () => {
    expect(include(`${ACAC}: true, true`)).toBe('allow-credentials-invalid');
    expect(include(`${ACAC}: true`, `${ACAC}: true`)).toBe('allow-credentials-invalid');
  });

  test('an absent Allow-Credentials fails with credentials', () => {
    expect(include()).toBe('allow-credentials-invalid');
  });

  test('without credentials Allow-Credentials is ignored, whatever it says', () => {
    expect(corsCheck(APP, 'omit', h(`${ACAO}: ${APP}`, `${ACAC}: TRUE`))).toBeNull();
    expect(corsCheck(APP, 'same-origin', h(`${ACAO}: *`, `${ACAC}: nonsense`))).toBeNull();
  });

  test('the origin is checked before the credentials flag', () => {
    expect(corsCheck(APP, 'include', h(`${ACAO}: https://evil.example`))).toBe('allow-origin-mismatch');
  });
});

test.describe('CORS check through predict(): values as written on the wire', () => {
  const run = (headers: HeaderList, credentials: 'omit' | 'include' = 'omit') =>
    predict({ origin: APP, url: `${API}/data`, credentials }, staticResponder({ status: 200, headers }, response(500)));

  test('surrounding whitespace on Allow-Origin and Allow-Credentials is normalized away', () => {
    const v = run(
      [
        [ACAO, ` \t${APP}  `],
        [ACAC, '  true\t'],
      ],
      'include',
    );
    expect(v.outcome).toBe('allowed');
    expect(v.reason).toBe('allowed');
  });

  test('whitespace inside the value is not normalized', () => {
    expect(run([[ACAO, 'https:// app.example']]).reason).toBe('allow-origin-invalid');
  });

  test('a blocked response reports its failure reason and nothing readable', () => {
    const v = run(h(`${ACAO}: https://evil.example`, 'Content-Type: text/plain'));
    expect(v).toMatchObject({ outcome: 'blocked', reason: 'allow-origin-mismatch', readableHeaders: [], status: null });
  });

  test('any status passes the CORS check: a 404 with the right origin is readable', () => {
    const v = predict({ origin: APP, url: `${API}/data` }, staticResponder(response(404, `${ACAO}: ${APP}`), response(500)));
    expect(v).toMatchObject({ outcome: 'allowed', status: 404 });
  });
});

test.describe('origin-or-null (Fetch #http-cors-protocol ABNF) used for classification', () => {
  test('serialized origins and `null` match', () => {
    for (const v of [
      'null',
      'https://a.example',
      'http://a.example:8080',
      'http://127.0.0.1:3000',
      'http://[::1]:80',
      'chrome-extension://abc',
    ]) {
      expect(isOriginOrNull(v), v).toBe(true);
    }
  });

  test('uppercase, paths, trailing slashes, wildcards and bare hosts do not', () => {
    for (const v of [
      'NULL',
      'Null',
      'HTTPS://a.example',
      'https://A.example',
      'https://a.example/',
      'https://a.example/x',
      '*',
      'a.example',
      'https://a.example:',
    ]) {
      expect(isOriginOrNull(v), v).toBe(false);
    }
  });
});

test.describe('reason codes', () => {
  test('every CORS check failure is a documented reason citing the Fetch Standard by anchor', () => {
    for (const r of [
      'allow-origin-missing',
      'allow-origin-multiple-values',
      'allow-origin-wildcard-with-credentials',
      'allow-origin-invalid',
      'allow-origin-mismatch',
      'allow-credentials-invalid',
    ]) {
      expect(isReason(r), r).toBe(true);
      expect(REASONS[r as keyof typeof REASONS], r).toMatch(/Fetch #(cors-check|concept-header-list-get|http-new-header-syntax)\b/);
    }
    expect(isReason('allowed-ish')).toBe(false);
    expect(isReason('toString')).toBe(false);
  });

  test("Chromium's CDP corsError names map onto known reasons", () => {
    for (const [name, reason] of Object.entries(CHROMIUM_CORS_ERRORS)) expect(isReason(reason), name).toBe(true);
    expect(CHROMIUM_CORS_ERRORS.WildcardOriginNotAllowed).toBe('allow-origin-wildcard-with-credentials');
    expect(CHROMIUM_CORS_ERRORS.PreflightInvalidStatus).toBe('preflight-status-not-ok');
  });
});
