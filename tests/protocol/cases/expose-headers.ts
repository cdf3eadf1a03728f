/**
 * What the page can read of a shared response: the CORS-safelisted response-header names plus
 * those in Access-Control-Expose-Headers (`*` = all, only without credentials), never Set-Cookie
 * (Fetch #main-fetch step 14, #concept-filtered-response-cors, #terminology-headers forbidden response-header name).
 */
import type { CaseSpec } from '../../../harness/protocol/case';
import { ACAC, ACAO, ACEH, bothClients } from './helpers';

const spec = '#main-fetch step 14; #concept-filtered-response-cors';
const x = (id: string, title: string, headers: Array<[string, string]>, extra: Partial<CaseSpec> = {}): CaseSpec => ({
  id,
  category: 'expose-headers',
  title,
  spec,
  response: { headers: [[ACAO, '{origin}'], ...headers] },
  ...extra,
});
const custom: Array<[string, string]> = [
  ['X-Custom', 'c'],
  ['X-Other', 'o'],
];

export const exposeHeaderCases: CaseSpec[] = [
  ...bothClients([
    x('custom-header-is-hidden-by-default', 'Without Expose-Headers the page reads only safelisted headers.', [
      ['Content-Type', 'text/plain'],
      ...custom,
    ]),
    x('listed-header-is-exposed', 'Expose-Headers X-Custom makes that one header readable.', [...custom, [ACEH, 'X-Custom']]),
    x(
      'wildcard-exposes-all-without-credentials',
      'Expose-Headers * exposes every header when there are no credentials.',
      [...custom, [ACEH, '*']],
      {
        response: { headers: [[ACAO, '*'], ...custom, [ACEH, '*']] },
      },
    ),
    x('set-cookie-is-never-exposed', 'Set-Cookie stays hidden even when Expose-Headers names it.', [
      ['Set-Cookie', 'a=1; Path=/nowhere'],
      ['X-Custom', 'c'],
      [ACEH, 'Set-Cookie, X-Custom'],
    ]),
  ]),
  x(
    'safelisted-response-headers-are-readable',
    'Cache-Control, Content-Language, Content-Type, Expires, Last-Modified and Pragma are always readable.',
    [
      ['Cache-Control', 'no-store'],
      ['Content-Language', 'en'],
      ['Content-Type', 'text/plain'],
      ['Expires', 'Thu, 01 Jan 1970 00:00:00 GMT'],
      ['Last-Modified', 'Thu, 01 Jan 1970 00:00:00 GMT'],
      ['Pragma', 'no-cache'],
      ...custom,
    ],
  ),
  x('expose-headers-is-case-insensitive', 'Expose-Headers X-CUSTOM exposes x-custom.', [...custom, [ACEH, 'X-CUSTOM']]),
  x('expose-headers-list-exposes-each', 'Expose-Headers X-Custom, X-Other exposes both.', [...custom, [ACEH, 'X-Custom, X-Other']]),
  x('repeated-expose-headers-combine', 'Two Expose-Headers headers are read as one list.', [
    ...custom,
    [ACEH, 'X-Custom'],
    [ACEH, 'X-Other'],
  ]),
  x(
    'wildcard-with-credentials-exposes-only-literal-star',
    'With credentials, Expose-Headers * only names a header called `*`.',
    [...custom, [ACAC, 'true'], [ACEH, '*']],
    {
      request: { credentials: 'include' },
    },
  ),
  x(
    'wildcard-does-not-expose-set-cookie',
    'Expose-Headers * still hides Set-Cookie.',
    [['Set-Cookie', 'a=1; Path=/nowhere'], ...custom, [ACEH, '*']],
    {
      response: { headers: [[ACAO, '*'], ['Set-Cookie', 'a=1; Path=/nowhere'], ...custom, [ACEH, '*']] },
    },
  ),
  x('invalid-expose-headers-exposes-nothing', 'Expose-Headers `X-Custom, bad header` fails to parse: nothing extra is readable.', [
    ...custom,
    [ACEH, 'X-Custom, bad header'],
  ]),
  x(
    'credentialed-listed-header-is-exposed',
    'With credentials, a header listed by name is exposed.',
    [...custom, [ACAC, 'true'], [ACEH, 'X-Custom']],
    {
      request: { credentials: 'include' },
    },
  ),
];
