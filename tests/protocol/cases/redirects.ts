/**
 * Redirects of CORS requests (Fetch #http-redirect-fetch): every hop's response must pass the
 * CORS check; after a hop from one origin to another (neither being the page's), the request
 * origin serializes as `null` (#concept-request-tainted-origin); Location with userinfo fails; at most 20.
 */
import type { CaseSpec, HopSpec } from '../../../harness/protocol/case';
import { ACAH, ACAO, preflightAllowing, sharedWithOrigin } from './helpers';

const redirect = (status: number, acao: string | null, extra: Array<[string, string]> = []): HopSpec['response'] => ({
  status,
  headers: [...(acao === null ? [] : [[ACAO, acao] as [string, string]]), ['Location', '{hop1}'], ...extra],
});
const r = (id: string, title: string, spec: string, hops: HopSpec[], extra: Partial<CaseSpec> = {}): CaseSpec => ({
  id,
  category: 'redirects',
  title,
  spec,
  hops,
  ...extra,
});
const chain = (n: number): HopSpec[] =>
  Array.from({ length: n + 1 }, (_, i) =>
    i < n
      ? {
          response: {
            status: 302,
            headers: [
              [ACAO, '{origin}'],
              ['Location', `{hop${i + 1}}`],
            ],
          },
        }
      : { response: sharedWithOrigin() },
  );

export const redirectCases: CaseSpec[] = [
  r(
    'same-origin-redirect-with-allow-origin-on-both-hops-is-allowed',
    'A redirect within api, ACAO on both hops: allowed.',
    '#http-redirect-fetch; #http-fetch step 4.3',
    [{ response: redirect(302, '{origin}') }, { response: sharedWithOrigin() }],
  ),
  r(
    'redirect-without-allow-origin-is-blocked',
    'The redirect response itself must pass the CORS check; the next hop is never fetched.',
    '#http-fetch step 4.3',
    [{ response: redirect(302, null) }, { response: sharedWithOrigin() }],
  ),
  r('redirect-target-without-allow-origin-is-blocked', 'The final hop must pass the CORS check too.', '#cors-check', [
    { response: redirect(302, '{origin}') },
    { response: { headers: [] } },
  ]),
  r(
    'cross-origin-redirect-taints-origin-to-null',
    'After api redirects to other, the request origin is `null`: ACAO naming the page no longer matches.',
    '#concept-request-tainted-origin; #cors-check',
    [{ response: redirect(302, '{origin}') }, { at: 'other', response: sharedWithOrigin() }],
  ),
  r(
    'cross-origin-redirect-target-allowing-null-is-allowed',
    'The tainted request is admitted by ACAO null.',
    '#concept-request-tainted-origin; #cors-check',
    [{ response: redirect(302, '{origin}') }, { at: 'other', response: { headers: [[ACAO, 'null']] } }],
  ),
  r('cross-origin-redirect-target-wildcard-is-allowed', 'The tainted request is admitted by ACAO *.', '#cors-check step 3', [
    { response: redirect(302, '{origin}') },
    { at: 'other', response: { headers: [[ACAO, '*']] } },
  ]),
  r(
    'redirect-back-to-page-origin-is-still-cors',
    "A redirect back to the page's own origin stays a CORS request with origin `null`.",
    '#main-fetch (response tainting stays cors); #requests',
    [{ response: redirect(302, '{origin}') }, { at: 'app', response: { headers: [[ACAO, 'null']] } }],
  ),
  r('redirect-to-userinfo-url-is-blocked', 'A Location with user:password fails a CORS request.', '#http-redirect-fetch steps 9-10', [
    {
      response: {
        status: 302,
        headers: [
          [ACAO, '{origin}'],
          ['Location', '{hop1|userinfo}'],
        ],
      },
    },
    { response: sharedWithOrigin() },
  ]),
  r(
    'redirect-mode-error-is-blocked',
    'redirect: "error" turns any redirect into a network error.',
    '#http-fetch (redirect mode error)',
    [{ response: redirect(302, '{origin}') }, { response: sharedWithOrigin() }],
    { request: { redirect: 'error' } },
  ),
  r(
    'redirect-mode-manual-gives-opaque-redirect',
    'redirect: "manual" resolves with an opaque-redirect response (status 0) after the CORS check of the redirect.',
    '#http-fetch (redirect mode manual)',
    [{ response: redirect(302, '{origin}') }, { response: sharedWithOrigin() }],
    { request: { redirect: 'manual' } },
  ),
  r('redirect-to-data-url-is-blocked', 'A redirect to a data: URL is a network error.', '#http-redirect-fetch step 6', [
    {
      response: {
        status: 302,
        headers: [
          [ACAO, '{origin}'],
          ['Location', 'data:,hi'],
        ],
      },
    },
  ]),
  r(
    'redirect-without-location-is-the-response',
    'A 302 without Location is simply the response: readable with its status.',
    '#http-redirect-fetch step 4',
    [{ response: { status: 302, headers: [[ACAO, '{origin}']] } }],
  ),
  r(
    'see-other-turns-post-into-get',
    'A 303 after a POST is followed with GET.',
    '#http-redirect-fetch step 12',
    [{ response: redirect(303, '{origin}') }, { response: sharedWithOrigin() }],
    { request: { method: 'POST', body: 'x' } },
  ),
  r(
    'found-turns-post-into-get',
    'A 302 after a POST is followed with GET (historical behaviour the standard keeps).',
    '#http-redirect-fetch step 12',
    [{ response: redirect(302, '{origin}') }, { response: sharedWithOrigin() }],
    { request: { method: 'POST', body: 'x' } },
  ),
  r(
    'temporary-redirect-keeps-post',
    'A 307 keeps the method and body.',
    '#http-redirect-fetch step 12',
    [{ response: redirect(307, '{origin}') }, { response: sharedWithOrigin() }],
    { request: { method: 'POST', body: 'x' } },
  ),
  r(
    'redirected-put-is-preflighted-again',
    'A preflighted PUT redirected with 307 to a new URL is preflighted again there.',
    '#http-redirect-fetch step 21 (main fetch again); #http-fetch step 4.1',
    [
      { preflight: preflightAllowing({ methods: 'PUT' }), response: redirect(307, '{origin}') },
      { preflight: preflightAllowing({ methods: 'PUT' }), response: sharedWithOrigin() },
    ],
    { request: { method: 'PUT' } },
  ),
  r(
    'authorization-is-dropped-on-cross-origin-redirect',
    'Authorization does not follow a redirect to another origin, so no preflight is needed there.',
    '#http-redirect-fetch step 13',
    [
      { preflight: preflightAllowing({ headers: 'Authorization' }), response: redirect(307, '{origin}') },
      {
        at: 'other',
        preflight: {
          status: 204,
          headers: [
            [ACAO, 'null'],
            [ACAH, 'Authorization'],
          ],
        },
        response: { headers: [[ACAO, '*']] },
      },
    ],
    { request: { headers: [['Authorization', 'Bearer t']] } },
  ),
  r('twenty-redirects-are-followed', 'Twenty redirects in a row are allowed.', '#http-redirect-fetch step 7', chain(20)),
  r('twenty-one-redirects-are-blocked', 'The twenty-first redirect is a network error.', '#http-redirect-fetch step 7', chain(21)),
];
