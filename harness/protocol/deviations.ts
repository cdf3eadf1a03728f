/**
 * Known deviations: cases where a real browser, measured here, does not do what the Fetch
 * Standard says. The oracle keeps the standard's answer; an entry here says which browser departs,
 * where in the standard, and models what it does instead (a BrowserQuirk), so the case is judged against
 * that and shown as a deviation. If the browser starts following the standard, or a case starts
 * deviating without an entry, the case fails.
 */
import type { BrowserQuirk } from '../oracle';
import type { BrowserKind } from '../oracle';

export interface KnownDeviation {
  caseId: string;
  browsers: readonly BrowserKind[];
  /** The Fetch Standard rule the browser departs from. */
  section: string;
  /** What the standard requires, in a sentence. */
  standard: string;
  /** What the browser was measured doing. */
  observed: string;
  quirks: readonly BrowserQuirk[];
}

const AUTHORIZATION = {
  section: '#cors-preflight-fetch step 7.6 (#cors-non-wildcard-request-header-name)',
  standard: 'Access-Control-Allow-Headers: * never covers Authorization; it must be listed by name, so the request is blocked.',
  observed: 'The preflight is sent, `*` is accepted for Authorization and the request goes through.',
  quirks: ['authorization-covered-by-wildcard'],
} as const;

/** Measured on Chromium 156, Firefox ESR 153 and WebKitGTK 2.50 (Debian), November 2026. */
export const KNOWN_DEVIATIONS: readonly KnownDeviation[] = [
  { caseId: 'authorization-not-covered-by-wildcard', browsers: ['chromium', 'firefox', 'webkit'], ...AUTHORIZATION },
  { caseId: 'xhr-authorization-not-covered-by-wildcard', browsers: ['chromium', 'firefox', 'webkit'], ...AUTHORIZATION },
  {
    caseId: 'wildcard-entry-does-not-cover-authorization',
    browsers: ['chromium', 'firefox'],
    ...AUTHORIZATION,
    observed: 'The cache rightly sends a new preflight for Authorization, but the browser then accepts `*` for it.',
  },
  {
    caseId: 'wildcard-entry-does-not-cover-authorization',
    browsers: ['webkit'],
    section: '#concept-cache-match-header and #cors-preflight-fetch step 7.6',
    standard: 'A cached `Access-Control-Allow-Headers: *` does not match Authorization: a new preflight is sent, and `*` cannot allow it.',
    observed: 'No new preflight: the cached `*` entry stands in for Authorization and the request goes through.',
    quirks: ['authorization-covered-by-wildcard', 'cached-wildcard-covers-authorization'],
  },
  {
    caseId: 'failed-request-clears-the-cache',
    browsers: ['chromium', 'webkit'],
    section: '#main-fetch (#concept-cache-clear)',
    standard:
      'A CORS-with-preflight fetch that ends in a network error clears the URL’s preflight cache entries, so the next PUT is preflighted again.',
    observed: 'The entry survives the failed PUT: the next PUT goes out without a preflight.',
    quirks: ['cache-kept-after-failed-request'],
  },
  {
    caseId: 'invalid-max-age-falls-back-to-default',
    browsers: ['firefox'],
    section: '#cors-preflight-fetch step 7.9',
    standard: 'An Access-Control-Max-Age that fails to parse means the default 5 seconds.',
    observed: 'The preflight is not cached at all: the second PUT is preflighted again.',
    quirks: ['invalid-max-age-not-cached'],
  },
  {
    caseId: 'uncredentialed-request-uses-credentialed-entry',
    browsers: ['firefox'],
    section: '#concept-cache-match',
    standard: 'An entry stored by a credentialed request also serves an uncredentialed one.',
    observed: 'The uncredentialed PUT is preflighted again: entries only serve the same credentials mode.',
    quirks: ['cache-credentials-must-match'],
  },
  {
    caseId: 'authorization-is-dropped-on-cross-origin-redirect',
    browsers: ['firefox'],
    section: '#http-redirect-fetch step 21 (main fetch again) and #concept-request-tainted-origin',
    standard: 'After the cross-origin hop the request has lost Authorization, needs no preflight, and carries Origin: null.',
    observed: 'Firefox sends another preflight to the new URL, with the page’s own origin, so the hop answering for `null` fails.',
    quirks: ['redirect-repeats-preflight-with-page-origin'],
  },
  {
    caseId: 'authorization-is-dropped-on-cross-origin-redirect',
    browsers: ['webkit'],
    section: '#http-redirect-fetch step 13',
    standard: 'After the cross-origin hop the request has lost Authorization, needs no preflight, and carries Origin: null.',
    observed:
      'WebKit keeps Authorization on the hop to another origin, so it preflights there (with Origin: null, the tainted origin, and Authorization in Access-Control-Request-Headers).',
    quirks: ['redirect-keeps-authorization'],
  },
  {
    caseId: 'safelisted-values-over-1024-bytes-need-preflight',
    browsers: ['firefox'],
    section: '#cors-unsafe-request-header-names (1024-byte total)',
    standard: 'Safelisted header values adding up to more than 1024 bytes all become CORS-unsafe: a preflight is needed.',
    observed: 'No preflight: each value is checked alone (each is under 128 bytes).',
    quirks: ['no-safelist-total-size-limit'],
  },
  {
    caseId: 'safelisted-values-of-exactly-1024-bytes-need-no-preflight',
    browsers: ['chromium', 'webkit'],
    section: '#cors-unsafe-request-header-names',
    standard:
      'Each appended Accept is its own header-list entry: eight values of 128 bytes are each safelisted and add up to exactly 1024 bytes, not over the limit, so no preflight.',
    observed: 'A preflight (ACRH accept): the repeated values are checked as one combined value ("v1, v2, …", 1,038 bytes).',
    quirks: ['safelist-checks-combined-value'],
  },
  ...(['accept-with-byte-e9-needs-no-preflight', 'content-type-with-byte-e9-parameter-needs-no-preflight'] as const).map((caseId) => ({
    caseId,
    browsers: ['firefox'] as const,
    section: '#cors-safelisted-request-header (#cors-unsafe-request-header-byte)',
    standard: 'Bytes 0x80-0xFF are not CORS-unsafe request-header bytes: the value stays safelisted, no preflight.',
    observed: 'A preflight: Firefox treats every byte above 0x7F as unsafe in Accept and Content-Type.',
    quirks: ['non-ascii-bytes-unsafe'] as const,
  })),
  ...(['dpr', 'device-memory', 'viewport-width', 'width', 'save-data'] as const).map((hint) => ({
    caseId: `client-hint-${hint}-needs-preflight`,
    browsers: ['chromium'] as const,
    section: '#cors-safelisted-request-header',
    standard: 'Client hints are not CORS-safelisted request-headers: a page that sets one needs a preflight.',
    observed: 'No preflight: Chromium safelists DPR, Device-Memory, Viewport-Width, Width (a number) and Save-Data (on).',
    quirks: ['client-hints-safelisted'] as const,
  })),
  // The requesters' cases (tests/protocol/cases/requesters.ts): one entry per answer.
  ...(
    ['without-allow-origin', 'wildcard', 'exact-origin', 'exact-origin-with-allow-credentials', 'wildcard-with-allow-credentials'] as const
  ).flatMap((answer) => [
    {
      caseId: `script-${answer}-loads-opaque`,
      browsers: ['firefox'] as const,
      section: 'HTML #muted-errors (whatwg/html#10514: muting is not interoperable)',
      standard: 'A classic script loaded without crossorigin from another origin runs with muted errors: the page sees "Script error.".',
      observed: 'The page sees the script’s own message ("Error: cc-probe").',
      quirks: ['script-errors-not-muted'] as const,
    },
    {
      caseId: `font-${answer}-${answer === 'without-allow-origin' ? 'is-blocked' : 'is-allowed'}`,
      browsers: ['webkit'] as const,
      section: 'CSS Fonts 4 #font-fetching-requirements; Fetch #cors-check',
      standard: 'A font from another origin is fetched in CORS mode without cookies and is used only if the CORS check passes.',
      observed: 'WebKitGTK sends the font request with `Origin: null` and the cookie, and uses the font whatever the CORS headers say.',
      quirks: ['font-loaded-without-cors'] as const,
    },
  ]),
];

export function deviationFor(caseId: string, browser: string): KnownDeviation | undefined {
  return KNOWN_DEVIATIONS.find((d) => d.caseId === caseId && (d.browsers as readonly string[]).includes(browser));
}
