/**
 * Credentials: cookies go with a cross-origin request only in credentials mode "include" (fetch)
 * or with withCredentials (XHR), and the response is shared only when ACAO names the origin and
 * ACAC is exactly `true` (Fetch #cors-check steps 3 and 6-8). Each case puts a real cross-site cookie
 * in the browser first and checks on the wire whether it was sent.
 */
import type { CaseSpec } from '../../../harness/protocol/case';
import { ACAC, ACAM, ACAO, bothClients, preflightAllowing } from './helpers';

const check = '#cors-check';
const cred = (id: string, title: string, spec: string, headers: Array<[string, string]>, extra: Partial<CaseSpec> = {}): CaseSpec => ({
  id,
  category: 'credentials',
  title,
  spec,
  cookie: true,
  request: { credentials: 'include' },
  response: { headers },
  ...extra,
});

export const credentialsCases: CaseSpec[] = [
  ...bothClients([
    cred(
      'credentialed-exact-origin-with-allow-credentials-is-allowed',
      'ACAO naming the origin plus ACAC true shares a credentialed response; the cookie is sent.',
      `${check} steps 4-7`,
      [
        [ACAO, '{origin}'],
        [ACAC, 'true'],
      ],
    ),
    cred(
      'credentialed-without-allow-credentials-is-blocked',
      'Without ACAC the cookie is still sent, but the response is not shared.',
      `${check} step 8`,
      [[ACAO, '{origin}']],
    ),
    cred('credentialed-wildcard-is-blocked', 'ACAO * with ACAC true still fails for a credentialed request.', `${check} step 3`, [
      [ACAO, '*'],
      [ACAC, 'true'],
    ]),
    cred(
      'uncredentialed-request-sends-no-cookie',
      'Without credentials: include (withCredentials) no cookie goes cross-origin.',
      '#http-network-or-cache-fetch includeCredentials',
      [[ACAO, '*']],
      {
        request: {},
      },
    ),
  ]),
  cred('allow-credentials-capitalized-is-blocked', 'ACAC must be exactly `true`: `True` fails.', `${check} step 7`, [
    [ACAO, '{origin}'],
    [ACAC, 'True'],
  ]),
  cred('allow-credentials-uppercase-is-blocked', 'ACAC `TRUE` fails.', `${check} step 7`, [
    [ACAO, '{origin}'],
    [ACAC, 'TRUE'],
  ]),
  cred('allow-credentials-one-is-blocked', 'ACAC `1` is not `true`.', `${check} step 7`, [
    [ACAO, '{origin}'],
    [ACAC, '1'],
  ]),
  cred('allow-credentials-false-is-blocked', 'ACAC `false` fails.', `${check} step 7`, [
    [ACAO, '{origin}'],
    [ACAC, 'false'],
  ]),
  cred(
    'allow-credentials-repeated-is-blocked',
    'ACAC sent twice joins into "true, true", which is not `true`.',
    '#concept-header-list-get; #cors-check step 7',
    [
      [ACAO, '{origin}'],
      [ACAC, 'true'],
      [ACAC, 'true'],
    ],
  ),
  cred(
    'allow-credentials-with-spaces-is-allowed',
    'Optional whitespace around `true` is stripped by HTTP parsing.',
    '#concept-header-value-normalize; #cors-check step 7',
    [
      [ACAO, '{origin}'],
      [ACAC, '  true  '],
    ],
  ),
  cred(
    'allow-credentials-ignored-without-credentials',
    'ACAC does not matter when the request carries no credentials: ACAO * shares it.',
    `${check} step 3`,
    [
      [ACAO, '*'],
      [ACAC, 'true'],
    ],
    { request: { credentials: 'same-origin' } },
  ),
  cred(
    'omit-credentials-sends-no-cookie',
    'credentials: omit sends no cookie; ACAO * shares the response.',
    '#http-network-or-cache-fetch includeCredentials',
    [[ACAO, '*']],
    {
      request: { credentials: 'omit' },
    },
  ),
  cred(
    'credentialed-preflight-with-allow-credentials-is-allowed',
    'A credentialed PUT: the preflight carries no cookie and must say ACAC true; the PUT carries the cookie.',
    "#cors-preflight-fetch step 7 (CORS check with the request's credentials mode)",
    [
      [ACAO, '{origin}'],
      [ACAC, 'true'],
    ],
    { request: { method: 'PUT', credentials: 'include' }, preflight: preflightAllowing({ methods: 'PUT', credentials: true }) },
  ),
  cred(
    'credentialed-preflight-without-allow-credentials-is-blocked',
    'The preflight of a credentialed request needs ACAC true as well; without it the PUT is never sent.',
    '#cors-preflight-fetch step 7; #cors-check step 8',
    [
      [ACAO, '{origin}'],
      [ACAC, 'true'],
    ],
    { request: { method: 'PUT', credentials: 'include' }, preflight: preflightAllowing({ methods: 'PUT' }) },
  ),
  cred(
    'credentialed-preflight-with-wildcard-origin-is-blocked',
    'A preflight answering ACAO * fails a credentialed request.',
    '#cors-preflight-fetch step 7; #cors-check step 3',
    [
      [ACAO, '{origin}'],
      [ACAC, 'true'],
    ],
    {
      request: { method: 'PUT', credentials: 'include' },
      preflight: {
        status: 204,
        headers: [
          [ACAO, '*'],
          [ACAM, 'PUT'],
          [ACAC, 'true'],
        ],
      },
    },
  ),
  cred(
    'xhr-credentialed-preflight-with-allow-credentials-is-allowed',
    'XHR withCredentials PUT: same preflight rules as fetch with credentials: include.',
    '#cors-preflight-fetch step 7',
    [
      [ACAO, '{origin}'],
      [ACAC, 'true'],
    ],
    {
      request: { method: 'PUT', credentials: 'include', client: 'xhr' },
      preflight: preflightAllowing({ methods: 'PUT', credentials: true }),
    },
  ),
];
