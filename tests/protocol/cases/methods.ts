/**
 * Methods: GET, HEAD and POST are CORS-safelisted (Fetch #methods) and need no preflight; any other
 * method is preflighted and must be listed in Access-Control-Allow-Methods, compared
 * case-sensitively after fetch() normalizes only DELETE/GET/HEAD/OPTIONS/POST/PUT (#cors-preflight-fetch step 7.5).
 */
import type { CaseSpec } from '../../../harness/protocol/case';
import { ACAC, ACAH, ACAM, ACAO, bothClients, preflightAllowing, sharedWithOrigin } from './helpers';

const m = (
  id: string,
  title: string,
  spec: string,
  method: string,
  preflight: CaseSpec['preflight'],
  extra: Partial<CaseSpec> = {},
): CaseSpec => ({
  id,
  category: 'methods',
  title,
  spec,
  request: { method },
  preflight,
  response: sharedWithOrigin(),
  ...extra,
});

export const methodCases: CaseSpec[] = [
  ...bothClients([
    m('get-needs-no-preflight', 'GET is CORS-safelisted: no preflight.', '#cors-safelisted-method', 'GET', undefined),
    m('post-needs-no-preflight', 'POST (text/plain body) is CORS-safelisted: no preflight.', '#cors-safelisted-method', 'POST', undefined, {
      request: { method: 'POST', body: 'x' },
    }),
    m(
      'put-listed-in-allow-methods-is-allowed',
      'PUT is preflighted and allowed when the preflight lists it.',
      '#cors-preflight-fetch step 7.5',
      'PUT',
      preflightAllowing({ methods: 'PUT' }),
    ),
    m(
      'delete-listed-in-allow-methods-is-allowed',
      'DELETE is preflighted and allowed when listed.',
      '#cors-preflight-fetch step 7.5',
      'DELETE',
      preflightAllowing({ methods: 'GET, DELETE' }),
    ),
    m(
      'put-not-in-allow-methods-is-blocked',
      'PUT is blocked when the preflight lists only other methods; the PUT is never sent.',
      '#cors-preflight-fetch step 7.5',
      'PUT',
      preflightAllowing({ methods: 'GET, POST' }),
    ),
  ]),
  m('head-needs-no-preflight', 'HEAD is CORS-safelisted: no preflight.', '#cors-safelisted-method', 'HEAD', undefined),
  m(
    'patch-listed-in-allow-methods-is-allowed',
    'PATCH is preflighted and allowed when listed.',
    '#cors-preflight-fetch step 7.5',
    'PATCH',
    preflightAllowing({ methods: 'PATCH' }),
  ),
  m(
    'options-method-is-preflighted',
    'OPTIONS as the actual method is not safelisted: a preflight asks for OPTIONS first.',
    '#methods; #cors-preflight-fetch',
    'OPTIONS',
    preflightAllowing({ methods: 'OPTIONS' }),
  ),
  m(
    'custom-method-listed-is-allowed',
    'Any method token works when listed: QUERY.',
    '#cors-preflight-fetch step 7.5',
    'QUERY',
    preflightAllowing({ methods: 'QUERY' }),
  ),
  m(
    'allow-methods-missing-blocks-put',
    'A preflight without Access-Control-Allow-Methods allows only safelisted methods.',
    '#cors-preflight-fetch step 7.5',
    'PUT',
    preflightAllowing(),
  ),
  m(
    'lowercase-put-is-normalized',
    'fetch() uppercases `put` (a normalized method), so ACAM PUT matches.',
    '#concept-method-normalize',
    'put',
    preflightAllowing({ methods: 'PUT' }),
  ),
  m(
    'lowercase-patch-is-not-normalized',
    '`patch` is not normalized: the preflight asks for `patch`, and ACAM PATCH does not match.',
    '#concept-method-normalize; #cors-preflight-fetch step 7.5',
    'patch',
    preflightAllowing({ methods: 'PATCH' }),
  ),
  // Not here: `patch` allowed by ACAM `patch`. The browsers do send `patch`, but Node's HTTP parser
  // (llhttp) rejects a lowercase method with 400 before any handler runs, so the scripted server
  // cannot answer it as scripted. The preflight side of the rule is covered just above.
  m(
    'allow-methods-lowercase-put-does-not-match',
    'ACAM `put` does not match PUT: the method check is case-sensitive.',
    '#cors-preflight-fetch step 7.5',
    'PUT',
    preflightAllowing({ methods: 'put' }),
  ),
  m(
    'safelisted-method-passes-unlisted',
    'GET preflighted for a custom header passes even though ACAM lists only `get`.',
    '#cors-preflight-fetch step 7.5 (safelisted methods always pass)',
    'GET',
    preflightAllowing({ methods: 'get', headers: 'X-Test' }),
    {
      request: { method: 'GET', headers: [['X-Test', '1']] },
    },
  ),
  m(
    'allow-methods-wildcard-without-credentials-is-allowed',
    'ACAM * allows any method when there are no credentials.',
    '#cors-preflight-fetch step 7.5',
    'PUT',
    preflightAllowing({ methods: '*' }),
  ),
  m(
    'allow-methods-wildcard-with-credentials-is-blocked',
    'ACAM * is only a literal method name for a credentialed request.',
    '#cors-preflight-fetch step 7.5',
    'PUT',
    preflightAllowing({ methods: '*', credentials: true }),
    {
      request: { method: 'PUT', credentials: 'include' },
      response: {
        headers: [
          [ACAO, '{origin}'],
          [ACAC, 'true'],
        ],
      },
    },
  ),
  m(
    'allow-methods-space-separated-is-invalid',
    '`GET PUT` is not a `#method` list: the preflight fails to parse and blocks.',
    '#http-new-header-syntax; #cors-preflight-fetch step 7.3',
    'PUT',
    preflightAllowing({ methods: 'GET PUT' }),
  ),
  m(
    'allow-methods-empty-elements-are-ignored',
    'Empty list elements (`PUT,,`) are allowed by the `#` list rule and ignored.',
    'RFC 9110 §5.6.1; #cors-preflight-fetch step 7.1',
    'PUT',
    preflightAllowing({ methods: ',PUT,,' }),
  ),
  m('allow-methods-repeated-headers-combine', 'Two ACAM headers are read as one list.', '#extract-header-list-values', 'DELETE', {
    status: 204,
    headers: [
      [ACAO, '{origin}'],
      [ACAM, 'PUT'],
      [ACAM, 'DELETE'],
    ],
  }),
  m(
    'allow-methods-with-spaces-around-items-is-allowed',
    'Whitespace around list items is optional whitespace.',
    '#http-new-header-syntax (the `#` list rule: OWS)',
    'PUT',
    preflightAllowing({ methods: ' GET ,  PUT ' }),
  ),
  m(
    'method-check-uses-actual-method-not-headers',
    'A PUT with a listed custom header still needs PUT in ACAM.',
    '#cors-preflight-fetch steps 7.5-7.7',
    'PUT',
    {
      status: 204,
      headers: [
        [ACAO, '{origin}'],
        [ACAH, 'X-Test'],
      ],
    },
    { request: { method: 'PUT', headers: [['X-Test', '1']] } },
  ),
  m(
    'allow-methods-on-actual-response-is-irrelevant',
    'ACAM on the actual response does nothing; only the preflight counts.',
    '#cors-preflight-fetch',
    'PUT',
    preflightAllowing(),
    {
      response: {
        headers: [
          [ACAO, '{origin}'],
          [ACAM, 'PUT'],
        ],
      },
    },
  ),
  m(
    'preflight-accepted-method-with-post-override-header',
    'X-HTTP-Method-Override: PUT is just a custom header: it needs ACAH, not ACAM.',
    '#forbidden-request-header (only for CONNECT/TRACE/TRACK)',
    'POST',
    preflightAllowing({ headers: 'X-HTTP-Method-Override' }),
    {
      request: { method: 'POST', headers: [['X-HTTP-Method-Override', 'PUT']] },
    },
  ),
];
