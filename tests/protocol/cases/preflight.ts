/**
 * The CORS-preflight fetch itself (Fetch #cors-preflight-fetch): its shape on the wire, and that only an ok status
 * (200-299) with a passing CORS check lets the actual request go – never a redirect.
 */
import type { CaseSpec } from '../../../harness/protocol/case';
import { ACAC, ACAM, ACAO, preflightAllowing, sharedWithOrigin } from './helpers';

const p = (id: string, title: string, spec: string, preflight: CaseSpec['preflight'], extra: Partial<CaseSpec> = {}): CaseSpec => ({
  id,
  category: 'preflight',
  title,
  spec,
  request: { method: 'PUT' },
  preflight,
  response: sharedWithOrigin(),
  ...extra,
});

const withStatus = (status: number, extra: Array<[string, string]> = []) => ({
  status,
  headers: [[ACAO, '{origin}'], [ACAM, 'PUT'], ...extra] as Array<[string, string]>,
});
const okStatus = [200, 204, 206, 299];
const badStatus = [400, 401, 403, 404, 405, 500, 503];
const redirectStatus = [301, 302, 303, 307, 308];

export const preflightCases: CaseSpec[] = [
  ...okStatus.map((s) =>
    p(
      `preflight-status-${s}-is-accepted`,
      `A ${s} preflight response is an ok status.`,
      '#cors-preflight-fetch step 7 (ok status)',
      withStatus(s),
    ),
  ),
  ...badStatus.map((s) =>
    p(
      `preflight-status-${s}-is-blocked`,
      `A ${s} preflight fails even with every CORS header present; the PUT is never sent.`,
      '#cors-preflight-fetch step 7 (ok status)',
      withStatus(s),
    ),
  ),
  ...redirectStatus.map((s) =>
    p(
      `preflight-redirect-${s}-is-blocked`,
      `A ${s} preflight is not followed: preflights never redirect.`,
      '#cors-preflight-fetch step 7 (ok status)',
      withStatus(s, [['Location', '{hop1}']]),
      {
        hops: [
          { preflight: withStatus(s, [['Location', '{hop1}']]), response: sharedWithOrigin() },
          { preflight: preflightAllowing({ methods: 'PUT' }), response: sharedWithOrigin() },
        ],
      },
    ),
  ),
  p('preflight-without-allow-origin-is-blocked', 'A preflight response without ACAO fails.', '#cors-preflight-fetch step 7 (CORS check)', {
    status: 204,
    headers: [[ACAM, 'PUT']],
  }),
  p(
    'preflight-with-other-origin-is-blocked',
    'A preflight response naming another origin fails.',
    '#cors-preflight-fetch step 7 (CORS check)',
    {
      status: 204,
      headers: [
        [ACAO, '{evil}'],
        [ACAM, 'PUT'],
      ],
    },
  ),
  p(
    'preflight-wildcard-origin-without-credentials-is-allowed',
    'A preflight answering ACAO * is fine without credentials.',
    '#cors-preflight-fetch step 7; #cors-check step 3',
    {
      status: 204,
      headers: [
        [ACAO, '*'],
        [ACAM, 'PUT'],
      ],
    },
  ),
  p(
    'preflight-repeated-allow-origin-is-blocked',
    'A preflight with ACAO twice fails like an actual response would.',
    '#cors-preflight-fetch step 7; #concept-header-list-get',
    {
      status: 204,
      headers: [
        [ACAO, '{origin}'],
        [ACAO, '{origin}'],
        [ACAM, 'PUT'],
      ],
    },
  ),
  p(
    'preflight-passes-but-response-lacks-allow-origin',
    'The preflight passes, the PUT is sent, and its response without ACAO is not shared.',
    '#http-fetch step 4.3; #cors-check',
    preflightAllowing({ methods: 'PUT' }),
    {
      response: { headers: [] },
    },
  ),
  p(
    'preflight-passes-but-response-names-other-origin',
    "Each response is checked on its own: the PUT's response must also name the origin.",
    '#cors-check',
    preflightAllowing({ methods: 'PUT' }),
    {
      response: { headers: [[ACAO, '{evil}']] },
    },
  ),
  p(
    'preflight-allow-credentials-needed-only-for-credentialed-requests',
    'Without credentials the preflight needs no ACAC.',
    '#cors-check step 5',
    preflightAllowing({ methods: 'PUT' }),
  ),
  p(
    'preflight-carries-no-cookie',
    'A preflight never carries cookies, even for a credentialed request; the PUT does.',
    '#http-responses (credentials mode of a preflight); #cors-preflight-fetch',
    preflightAllowing({ methods: 'PUT', credentials: true }),
    {
      cookie: true,
      request: { method: 'PUT', credentials: 'include' },
      response: {
        headers: [
          [ACAO, '{origin}'],
          [ACAC, 'true'],
        ],
      },
    },
  ),
  p('preflight-with-body-is-still-accepted', 'A body on the preflight response does not matter.', '#cors-preflight-fetch', {
    ...preflightAllowing({ methods: 'PUT' }),
    status: 200,
    body: 'ignored',
  }),
  p(
    'preflight-expose-headers-are-irrelevant',
    'Expose-Headers on the preflight response exposes nothing on the actual response.',
    '#http-responses; #main-fetch step 14',
    {
      status: 204,
      headers: [
        [ACAO, '{origin}'],
        [ACAM, 'PUT'],
        ['Access-Control-Expose-Headers', 'X-Secret'],
      ],
    },
    {
      response: {
        headers: [
          [ACAO, '{origin}'],
          ['X-Secret', 's'],
        ],
      },
    },
  ),
];
