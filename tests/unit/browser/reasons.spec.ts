/**
 * Reading Chromium's CORS console messages (harness/browser/reasons.ts): the request the
 * message is about and Chromium's CorsError name. The sentences follow blink's
 * cors_error_string.cc; tests/browser/instrumentation.spec.ts checks them against the real browser.
 */
import { test, expect } from '@playwright/test';
import { probeKey } from '../../../harness/core/probe-url';
import { parseCorsConsoleMessage } from '../../../harness/browser/reasons';

const at = (url: string, why: string, kind = 'fetch') =>
  `Access to ${kind} at '${url}' from origin 'http://app.localhost:1' has been blocked by CORS policy: ${why}`;
const PREFLIGHT = "Response to preflight request doesn't pass access control check: ";

test('a response error and its preflight twin share a sentence; the prefix tells them apart', () => {
  const why = "The 'Access-Control-Allow-Origin' header has a value 'http://evil.localhost:1' that is not equal to the supplied origin.";
  expect(parseCorsConsoleMessage(at('http://api.localhost:1/p/t1/0', why))).toEqual({
    url: 'http://api.localhost:1/p/t1/0',
    name: 'AllowOriginMismatch',
  });
  expect(parseCorsConsoleMessage(at('http://api.localhost:1/p/t1/0', PREFLIGHT + why))?.name).toBe('PreflightAllowOriginMismatch');
});

test('preflight-only sentences keep their own names', () => {
  expect(parseCorsConsoleMessage(at('http://x/', PREFLIGHT + 'It does not have HTTP ok status.'))?.name).toBe('PreflightInvalidStatus');
  expect(
    parseCorsConsoleMessage(at('http://x/', 'Method DELETE is not allowed by Access-Control-Allow-Methods in preflight response.'))?.name,
  ).toBe('MethodDisallowedByPreflightResponse');
  expect(
    parseCorsConsoleMessage(
      at('http://x/', 'Request header field x-a is not allowed by Access-Control-Allow-Headers in preflight response.'),
    )?.name,
  ).toBe('HeaderDisallowedByPreflightResponse');
});

test('XHR messages and values with quotes inside are read the same way', () => {
  const why =
    "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'. The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute.";
  expect(parseCorsConsoleMessage(at('http://api.localhost:1/?cc=abc', why, 'XMLHttpRequest'))).toEqual({
    url: 'http://api.localhost:1/?cc=abc',
    name: 'WildcardOriginNotAllowed',
  });
  expect(
    parseCorsConsoleMessage(
      at('http://x/', "The 'Access-Control-Allow-Origin' header contains multiple values 'a, b', but only one is allowed."),
    )?.name,
  ).toBe('MultipleAllowOriginValues');
});

test('a redirected request is attributed by its last URL, which carries the same probe token', () => {
  const text =
    "Access to fetch at 'http://other.localhost:1/p/tok9/1' (redirected from 'http://api.localhost:1/p/tok9/0') from origin 'http://app.localhost:1' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.";
  const parsed = parseCorsConsoleMessage(text);
  expect(parsed).toEqual({ url: 'http://other.localhost:1/p/tok9/1', name: 'MissingAllowOriginHeader' });
  expect(probeKey(parsed!.url)).toBe(probeKey('http://api.localhost:1/p/tok9/0'));
});

test('a sentence the table does not know is kept as unrecognized, not dropped or guessed', () => {
  expect(parseCorsConsoleMessage(at('http://x/', 'Something new in a later Chromium.'))).toEqual({
    url: 'http://x/',
    name: 'unrecognized: Something new in a later Chromium.',
  });
});

test('messages that are not CORS blocks are not reasons', () => {
  expect(parseCorsConsoleMessage('Failed to load resource: net::ERR_FAILED')).toBeNull();
  expect(parseCorsConsoleMessage("Access to fetch at 'http://x/' from origin 'http://y' was fine")).toBeNull();
});
