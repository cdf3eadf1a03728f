/**
 * https origins: the scheme is part of the origin, so an http and an https page on the same host
 * are different origins (URL Standard origin; Fetch #cors-check byte comparison).
 */
import type { CaseSpec } from '../../../harness/protocol/case';
import { ACAC, ACAO } from './helpers';

const s = (id: string, title: string, headers: Array<[string, string]>, extra: Partial<CaseSpec> = {}): CaseSpec => ({
  id,
  category: 'https',
  title,
  spec: '#cors-check step 4',
  from: 'app-https',
  to: 'api-https',
  response: { headers },
  ...extra,
});

export const httpsCases: CaseSpec[] = [
  s('https-page-exact-origin-is-allowed', 'An https page is admitted by ACAO naming its https origin.', [[ACAO, '{origin}']]),
  s('https-page-not-admitted-by-http-twin', 'ACAO naming http://app does not admit https://app.', [[ACAO, '{app}']]),
  s('http-page-not-admitted-by-https-twin', 'ACAO naming https://app does not admit http://app.', [[ACAO, '{app-https}']], { from: 'app' }),
  s(
    'https-credentialed-request-carries-secure-cookie',
    'A credentialed request to an https API carries its Secure; SameSite=None cookie and is shared.',
    [
      [ACAO, '{origin}'],
      [ACAC, 'true'],
    ],
    { cookie: true, request: { credentials: 'include' } },
  ),
  s('https-page-wildcard-is-allowed', 'ACAO * admits the https page without credentials.', [[ACAO, '*']]),
];
