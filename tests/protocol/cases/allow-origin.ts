/**
 * Access-Control-Allow-Origin on the actual response: Fetch #cors-check "CORS check" compares the header,
 * as "get" returns it (repeats joined by ", "), byte for byte with the serialized request origin.
 */
import type { CaseSpec } from '../../../harness/protocol/case';
import { ACAO, bothClients } from './helpers';

const check = '#cors-check';
const c = (id: string, title: string, spec: string, value: string | string[] | null, extra: Partial<CaseSpec> = {}): CaseSpec => ({
  id,
  category: 'allow-origin',
  title,
  spec,
  response: { headers: value === null ? [] : (Array.isArray(value) ? value : [value]).map((v) => [ACAO, v] as [string, string]) },
  ...extra,
});

export const allowOriginCases: CaseSpec[] = [
  ...bothClients([
    c('exact-origin-is-allowed', 'ACAO equal to the page origin lets the page read the response.', `${check} step 4`, '{origin}'),
    c('missing-allow-origin-is-blocked', 'No ACAO at all: the response is not shared.', `${check} step 2`, null),
    c(
      'wildcard-without-credentials-is-allowed',
      'ACAO * shares the response with any origin when no credentials are included.',
      `${check} step 3`,
      '*',
    ),
    c(
      'uppercase-origin-is-blocked',
      'ACAO in upper case does not match: the comparison is byte-exact.',
      `${check} step 4`,
      '{origin|upper}',
    ),
    c('other-origin-is-blocked', 'ACAO naming another origin does not admit this page.', `${check} step 4`, '{evil}'),
    c(
      'repeated-allow-origin-is-blocked',
      'The same ACAO sent twice joins into "a, a", which is no origin.',
      '#concept-header-list-get; #cors-check',
      ['{origin}', '{origin}'],
    ),
  ]),
  c(
    'trailing-slash-origin-is-blocked',
    'ACAO with a trailing slash is not the origin (no URL normalization).',
    `${check} step 4`,
    '{origin}/',
  ),
  c('origin-with-path-is-blocked', 'ACAO with a path is not an origin.', `${check} step 4`, '{origin}/data'),
  c('origin-without-port-is-blocked', "ACAO without the page's port names a different origin.", `${check} step 4`, '{origin|noport}'),
  c('origin-with-wrong-port-is-blocked', 'ACAO with another port names a different origin.', `${check} step 4`, '{origin|port+1}'),
  c(
    'surrounding-spaces-are-ignored',
    'Spaces around the ACAO value are optional whitespace, stripped when the header is parsed.',
    '#concept-header-value-normalize; #cors-check',
    '  {origin}  ',
  ),
  c(
    'surrounding-tabs-are-ignored',
    'Tabs around the ACAO value are optional whitespace too.',
    '#concept-header-value-normalize; #cors-check',
    '\t{origin}\t',
  ),
  c(
    'lowercase-header-name-is-allowed',
    'Header names are case-insensitive: access-control-allow-origin works.',
    '#header-list-contains',
    null,
    {
      response: { headers: [['access-control-allow-origin', '{origin}']] },
    },
  ),
  c('uppercase-header-name-is-allowed', 'ACCESS-CONTROL-ALLOW-ORIGIN works too.', '#header-list-contains', null, {
    response: { headers: [['ACCESS-CONTROL-ALLOW-ORIGIN', '{origin}']] },
  }),
  c(
    'comma-separated-list-is-blocked',
    'A list of origins in one ACAO never matches: the value must be one origin.',
    '#http-new-header-syntax; #cors-check',
    '{evil}, {origin}',
  ),
  c(
    'space-separated-list-is-blocked',
    'A space-separated list of origins is not an origin either.',
    '#http-new-header-syntax; #cors-check',
    '{evil} {origin}',
  ),
  c(
    'wildcard-and-origin-list-is-blocked',
    'ACAO "*, origin" is neither * nor the origin.',
    '#http-new-header-syntax; #cors-check',
    '*, {origin}',
  ),
  c('repeated-wildcard-is-blocked', 'ACAO * sent twice joins into "*, *".', '#concept-header-list-get; #cors-check', ['*', '*']),
  c(
    'origin-then-other-origin-is-blocked',
    'Two different ACAO headers join into a list and fail.',
    '#concept-header-list-get; #cors-check',
    ['{origin}', '{evil}'],
  ),
  c('null-for-regular-page-is-blocked', 'ACAO null does not admit a page with a real origin.', `${check} step 4`, 'null'),
  c('empty-allow-origin-is-blocked', 'An empty ACAO is present but matches nothing.', `${check} step 4`, ''),
  c('quoted-origin-is-blocked', 'Quotes are part of the value: "origin" is not the origin.', `${check} step 4`, '"{origin}"'),
  c('https-twin-of-http-page-is-blocked', 'ACAO naming the https twin does not admit the http page.', `${check} step 4`, '{app-https}'),
  c('parent-origin-does-not-admit-subdomain-page', 'A page on sub.app is not admitted by ACAO naming app.', `${check} step 4`, '{app}', {
    from: 'sub',
  }),
  c('subdomain-value-does-not-admit-parent-page', 'A page on app is not admitted by ACAO naming sub.app.', `${check} step 4`, '{sub}'),
  c(
    'error-status-with-allow-origin-is-readable',
    'CORS shares any status: a 500 with ACAO is readable (status and body).',
    '#http-responses; #cors-check',
    null,
    {
      response: { status: 500, headers: [[ACAO, '{origin}']] },
    },
  ),
  c('not-found-with-allow-origin-is-readable', 'A 404 with ACAO is readable too.', '#http-responses; #cors-check', null, {
    response: { status: 404, headers: [[ACAO, '{origin}']] },
  }),
  c(
    'head-request-with-allow-origin-is-allowed',
    'HEAD is a CORS-safelisted method: no preflight, shared by ACAO.',
    '#cors-safelisted-method; #cors-check',
    '{origin}',
    {
      request: { method: 'HEAD' },
    },
  ),
  c(
    'simple-post-with-allow-origin-is-allowed',
    'POST with a text/plain body needs no preflight and is shared by ACAO.',
    '#methods; #terminology-headers; #cors-check',
    '{origin}',
    {
      request: { method: 'POST', body: 'hello', headers: [['Content-Type', 'text/plain']] },
    },
  ),
  c(
    'simple-post-without-allow-origin-is-sent-but-not-shared',
    'A simple POST reaches the server even though the page cannot read the answer.',
    '#main-fetch; #cors-check',
    null,
    {
      request: { method: 'POST', body: 'a=1', headers: [['Content-Type', 'application/x-www-form-urlencoded']] },
    },
  ),
];
