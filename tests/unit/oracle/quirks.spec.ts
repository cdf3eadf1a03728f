/**
 * The opt-in quirks that model measured browser deviations (harness/protocol/deviations.ts). Each test
 * shows the standard's answer first, then exactly what the quirk changes – so a quirk that stops
 * doing anything, or starts changing more, fails here.
 */
import { test, expect } from '@playwright/test';
import { predict, type PredictOptions, type ProbeInput, type BrowserQuirk, type Prediction } from '../../../harness/oracle';
import { API, APP, OTHER, h, okPreflight, response, router } from './helpers';

const URL0 = `${API}/r`;
const put: ProbeInput = { origin: APP, url: URL0, method: 'PUT' };
const wire = (p: Prediction) => p.requests.map((r) => `${r.preflight ? 'OPTIONS' : r.method} ${r.url} Origin=${r.headers.origin}`);

/** Runs probes in order through one cache, as the protocol suite's sequence cases do. */
function sequence(inputs: ProbeInput[], respond: ReturnType<typeof router>, quirks: BrowserQuirk[] = [], extra: PredictOptions = {}) {
  let cache: Prediction['cache'] = [];
  return inputs.map((input, i) => {
    const p = predict(input, respond, { ...extra, cache, now: i, quirks: new Set(quirks) });
    cache = p.cache;
    return p;
  });
}

test('cache-kept-after-failed-request: the entry survives a failed PUT (standard: cleared, #main-fetch)', () => {
  const server = router({
    [URL0]: { preflight: okPreflight(APP, 'Access-Control-Allow-Methods: PUT', 'Access-Control-Max-Age: 60'), actual: response(200) },
  });
  const standard = sequence([put, put], server);
  expect(standard.map((p) => p.preflight)).toEqual([true, true]);
  const quirked = sequence([put, put], server, ['cache-kept-after-failed-request']);
  expect(quirked.map((p) => p.preflight)).toEqual([true, false]);
  expect(quirked.map((p) => p.reason)).toEqual(['allow-origin-missing', 'allow-origin-missing']);
});

test('invalid-max-age-not-cached: an unparsable Max-Age caches nothing (standard: 5 s, #cors-preflight-fetch step 7.9)', () => {
  const server = router({
    [URL0]: {
      preflight: okPreflight(APP, 'Access-Control-Allow-Methods: PUT', 'Access-Control-Max-Age: soon'),
      actual: response(200, `Access-Control-Allow-Origin: ${APP}`),
    },
  });
  expect(sequence([put, put], server).map((p) => p.preflight)).toEqual([true, false]);
  expect(sequence([put, put], server, ['invalid-max-age-not-cached']).map((p) => p.preflight)).toEqual([true, true]);
  // A valid Max-Age is untouched by the quirk.
  const valid = router({
    [URL0]: {
      preflight: okPreflight(APP, 'Access-Control-Allow-Methods: PUT', 'Access-Control-Max-Age: 60'),
      actual: response(200, `Access-Control-Allow-Origin: ${APP}`),
    },
  });
  expect(sequence([put, put], valid, ['invalid-max-age-not-cached']).map((p) => p.preflight)).toEqual([true, false]);
});

test('cache-credentials-must-match: a credentialed entry no longer serves an uncredentialed request (#cors-preflight-cache)', () => {
  const server = router({
    [URL0]: {
      preflight: okPreflight(
        APP,
        'Access-Control-Allow-Methods: PUT',
        'Access-Control-Allow-Credentials: true',
        'Access-Control-Max-Age: 60',
      ),
      actual: response(200, `Access-Control-Allow-Origin: ${APP}`, 'Access-Control-Allow-Credentials: true'),
    },
  });
  const steps: ProbeInput[] = [{ ...put, credentials: 'include' }, put];
  expect(sequence(steps, server).map((p) => p.preflight)).toEqual([true, false]);
  expect(sequence(steps, server, ['cache-credentials-must-match']).map((p) => p.preflight)).toEqual([true, true]);
});

test('no-safelist-total-size-limit: values over 1024 bytes in all stay safelisted (#terminology-headers)', () => {
  const accept = Array.from({ length: 9 }, () => ['Accept', 'b'.repeat(120)] as [string, string]);
  const server = router({
    [URL0]: {
      preflight: okPreflight(APP, 'Access-Control-Allow-Headers: Accept'),
      actual: response(200, 'Access-Control-Allow-Origin: *'),
    },
  });
  const input: ProbeInput = { origin: APP, url: URL0, headers: accept };
  expect(predict(input, server).preflightRequest?.headers['access-control-request-headers']).toBe('accept');
  expect(predict(input, server, { quirks: new Set(['no-safelist-total-size-limit']) }).preflight).toBe(false);
});

/** A GET with Authorization, redirected (307) to another origin that answers preflights for `null`. */
function authorizationRedirect() {
  const hop1 = `${OTHER}/r1`;
  const server = router({
    [URL0]: {
      preflight: okPreflight(APP, 'Access-Control-Allow-Headers: Authorization'),
      actual: response(307, `Access-Control-Allow-Origin: ${APP}`, `Location: ${hop1}`),
    },
    [hop1]: {
      preflight: okPreflight('null', 'Access-Control-Allow-Headers: Authorization'),
      actual: response(200, 'Access-Control-Allow-Origin: *'),
    },
  });
  const input: ProbeInput = { origin: APP, url: URL0, headers: h('Authorization: Bearer t') };
  return { hop1, server, input };
}

test('redirect-repeats-preflight-with-page-origin: a second preflight after the hop, with the page origin (#http-redirect-fetch, #requests)', () => {
  const { hop1, server, input } = authorizationRedirect();
  const standard = predict(input, server);
  expect(standard.outcome).toBe('allowed');
  expect(wire(standard)).toEqual([`OPTIONS ${URL0} Origin=${APP}`, `GET ${URL0} Origin=${APP}`, `GET ${hop1} Origin=null`]);
  const quirked = predict(input, server, { quirks: new Set(['redirect-repeats-preflight-with-page-origin']) });
  expect(wire(quirked)).toEqual([`OPTIONS ${URL0} Origin=${APP}`, `GET ${URL0} Origin=${APP}`, `OPTIONS ${hop1} Origin=${APP}`]);
  expect(quirked.reason).toBe('preflight-allow-origin-mismatch');
  // Without a first preflight there is nothing to repeat.
  const simple = predict({ origin: APP, url: URL0 }, server, { quirks: new Set(['redirect-repeats-preflight-with-page-origin']) });
  expect(simple.requests.filter((r) => r.preflight)).toHaveLength(0);
});

test('redirect-keeps-authorization: Authorization follows the cross-origin hop, so it is preflighted there with Origin null (#http-redirect-fetch step 13)', () => {
  const { hop1, server, input } = authorizationRedirect();
  expect(wire(predict(input, server))).toEqual([`OPTIONS ${URL0} Origin=${APP}`, `GET ${URL0} Origin=${APP}`, `GET ${hop1} Origin=null`]);
  const quirked = predict(input, server, { quirks: new Set(['redirect-keeps-authorization']) });
  expect(wire(quirked)).toEqual([
    `OPTIONS ${URL0} Origin=${APP}`,
    `GET ${URL0} Origin=${APP}`,
    `OPTIONS ${hop1} Origin=null`,
    `GET ${hop1} Origin=null`,
  ]);
  expect(quirked.outcome).toBe('allowed');
});

test('cached-wildcard-covers-authorization: a cached `*` header entry stands in for Authorization, so no new preflight (#concept-cache-match-header)', () => {
  const server = router({
    [URL0]: {
      preflight: okPreflight(APP, 'Access-Control-Allow-Headers: *', 'Access-Control-Max-Age: 60'),
      actual: response(200, `Access-Control-Allow-Origin: ${APP}`),
    },
  });
  const first: ProbeInput = { origin: APP, url: URL0, headers: h('X-A: 1') };
  const second: ProbeInput = { origin: APP, url: URL0, headers: h('Authorization: Bearer t') };
  expect(sequence([first, second], server).map((p) => p.preflight)).toEqual([true, true]);
  const quirks: BrowserQuirk[] = ['authorization-covered-by-wildcard', 'cached-wildcard-covers-authorization'];
  const quirked = sequence([first, second], server, quirks);
  expect(quirked.map((p) => p.preflight)).toEqual([true, false]);
  expect(quirked[1]!.outcome).toBe('allowed');
});

test('safelist-checks-combined-value: a repeated safelisted name is judged by its combined value (#cors-unsafe-request-header-names)', () => {
  const server = router({
    [URL0]: {
      preflight: okPreflight(APP, 'Access-Control-Allow-Headers: Accept'),
      actual: response(200, 'Access-Control-Allow-Origin: *'),
    },
  });
  const input: ProbeInput = {
    origin: APP,
    url: URL0,
    headers: Array.from({ length: 8 }, () => ['Accept', 'b'.repeat(128)] as [string, string]),
  };
  expect(predict(input, server).preflight).toBe(false);
  expect(predict(input, server, { quirks: new Set(['safelist-checks-combined-value']) }).preflight).toBe(true);
  // Two short values combine into one still under 128 bytes: safelisted either way.
  const short: ProbeInput = { origin: APP, url: URL0, headers: h('Accept: a', 'Accept: b') };
  expect(predict(short, server, { quirks: new Set(['safelist-checks-combined-value']) }).preflight).toBe(false);
});

test('non-ascii-bytes-unsafe: bytes 0x80-0xFF make Accept and Content-Type unsafe (#cors-unsafe-request-header-byte)', () => {
  const server = router({
    [URL0]: {
      preflight: okPreflight(APP, 'Access-Control-Allow-Headers: Accept'),
      actual: response(200, 'Access-Control-Allow-Origin: *'),
    },
  });
  const input: ProbeInput = { origin: APP, url: URL0, headers: [['Accept', 'text/caf\u00e9']] };
  expect(predict(input, server).preflight).toBe(false);
  expect(predict(input, server, { quirks: new Set(['non-ascii-bytes-unsafe']) }).preflight).toBe(true);
  // ASCII values are untouched.
  expect(predict({ ...input, headers: h('Accept: text/plain') }, server, { quirks: new Set(['non-ascii-bytes-unsafe']) }).preflight).toBe(
    false,
  );
});

test('client-hints-safelisted: DPR and its kin need no preflight when their values parse (#cors-safelisted-request-header)', () => {
  const server = router({
    [URL0]: { preflight: okPreflight(APP, 'Access-Control-Allow-Headers: DPR'), actual: response(200, 'Access-Control-Allow-Origin: *') },
  });
  const quirks = { quirks: new Set<BrowserQuirk>(['client-hints-safelisted']) };
  expect(predict({ origin: APP, url: URL0, headers: h('DPR: 2') }, server).preflight).toBe(true);
  expect(predict({ origin: APP, url: URL0, headers: h('DPR: 2') }, server, quirks).preflight).toBe(false);
  expect(predict({ origin: APP, url: URL0, headers: h('Save-Data: on') }, server, quirks).preflight).toBe(false);
  // A value that does not parse is not safelisted.
  expect(predict({ origin: APP, url: URL0, headers: h('DPR: two') }, server, quirks).preflight).toBe(true);
});
