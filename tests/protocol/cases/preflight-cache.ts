/**
 * The CORS-preflight cache (Fetch #cors-preflight-cache): a successful preflight is remembered per origin + URL +
 * credentials for Access-Control-Max-Age seconds (5 when absent), per method and header name.
 * Each case sends several requests in order from one page to one URL and counts preflights on the
 * wire. Implementation caps on max-age (Chromium 2 h, Firefox 24 h) are beyond what a test here can
 * wait for; the oracle applies each browser's cap and the unit tests pin them.
 */
import type { CaseSpec, RequestSpec } from '../../../harness/protocol/case';
import { ACAC, ACAO, preflightAllowing, sharedWithOrigin } from './helpers';

const cache = (
  id: string,
  title: string,
  spec: string,
  steps: RequestSpec[],
  preflight: CaseSpec['preflight'],
  extra: Partial<CaseSpec> = {},
): CaseSpec => ({
  id,
  category: 'preflight-cache',
  title,
  spec,
  steps,
  preflight,
  response: sharedWithOrigin(),
  ...extra,
});
const put: RequestSpec = { method: 'PUT' };

export const preflightCacheCases: CaseSpec[] = [
  cache(
    'max-age-caches-the-preflight',
    'With Max-Age 60 a second PUT needs no new preflight.',
    '#cors-preflight-cache; #http-fetch step 4.1',
    [put, put],
    preflightAllowing({ methods: 'PUT', maxAge: '60' }),
  ),
  cache(
    'max-age-zero-preflights-every-time',
    'Max-Age 0: every PUT is preflighted.',
    '#cors-preflight-cache',
    [put, put],
    preflightAllowing({ methods: 'PUT', maxAge: '0' }),
  ),
  cache(
    'default-max-age-caches-briefly',
    'Without Max-Age the preflight is cached for 5 seconds.',
    '#cors-preflight-fetch step 7.9 (default 5)',
    [put, put],
    preflightAllowing({ methods: 'PUT' }),
  ),
  cache(
    'invalid-max-age-falls-back-to-default',
    'Max-Age `soon` fails to parse: 5 seconds apply.',
    '#cors-preflight-fetch step 7.9',
    [put, put],
    preflightAllowing({ methods: 'PUT', maxAge: 'soon' }),
  ),
  cache(
    'cache-entry-expires-after-max-age',
    'Max-Age 1: a PUT 1.5 s later is preflighted again.',
    '#cors-preflight-cache (entries removed after max-age)',
    [put, { ...put, delayMs: 1500 }],
    preflightAllowing({ methods: 'PUT', maxAge: '1' }),
  ),
  cache(
    'credentialed-request-does-not-use-uncredentialed-entry',
    'An entry stored without credentials does not serve a credentialed PUT.',
    '#concept-cache-match',
    [put, { ...put, credentials: 'include' }],
    preflightAllowing({ methods: 'PUT', maxAge: '60', credentials: true }),
    {
      response: {
        headers: [
          [ACAO, '{origin}'],
          [ACAC, 'true'],
        ],
      },
    },
  ),
  cache(
    'uncredentialed-request-uses-credentialed-entry',
    'An entry stored by a credentialed PUT also serves an uncredentialed one.',
    '#concept-cache-match',
    [{ ...put, credentials: 'include' }, put],
    preflightAllowing({ methods: 'PUT', maxAge: '60', credentials: true }),
    {
      response: {
        headers: [
          [ACAO, '{origin}'],
          [ACAC, 'true'],
        ],
      },
    },
  ),
  cache(
    'methods-listed-together-are-cached-together',
    'ACAM PUT, DELETE caches both: a later DELETE needs no preflight.',
    '#cors-preflight-fetch step 7.13',
    [put, { method: 'DELETE' }],
    preflightAllowing({ methods: 'PUT, DELETE', maxAge: '60' }),
  ),
  cache(
    'unlisted-method-needs-its-own-preflight',
    'A cached PUT does not cover DELETE: a new preflight asks for it (and fails).',
    '#http-fetch step 4.1',
    [put, { method: 'DELETE' }],
    preflightAllowing({ methods: 'PUT', maxAge: '60' }),
  ),
  cache(
    'headers-listed-together-are-cached-together',
    'ACAH X-A, X-B caches both names: a later request with X-B needs no preflight.',
    '#cors-preflight-fetch step 7.15',
    [{ headers: [['X-A', '1']] }, { headers: [['X-B', '1']] }],
    preflightAllowing({ headers: 'X-A, X-B', maxAge: '60' }),
  ),
  cache(
    'unlisted-header-needs-its-own-preflight',
    'A cached X-A does not cover X-C.',
    '#http-fetch step 4.1',
    [{ headers: [['X-A', '1']] }, { headers: [['X-C', '1']] }],
    preflightAllowing({ headers: 'X-A', maxAge: '60' }),
  ),
  cache(
    'wildcard-entry-does-not-cover-authorization',
    'A cached ACAH * does not stand in for Authorization: a new preflight is sent.',
    '#concept-cache-match-header',
    [{ headers: [['X-A', '1']] }, { headers: [['Authorization', 'Bearer t']] }],
    preflightAllowing({ headers: '*', maxAge: '60' }),
  ),
  cache(
    'failed-request-clears-the-cache',
    "A PUT whose response fails the CORS check clears the URL's entries: the next PUT is preflighted again.",
    '#main-fetch (clear cache entries on a network error)',
    [put, put],
    preflightAllowing({ methods: 'PUT', maxAge: '60' }),
    {
      response: { headers: [] },
    },
  ),
];
