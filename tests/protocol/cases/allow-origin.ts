/**
 * Access-Control-Allow-Origin on the actual response: Fetch §4.10 "CORS check" compares the
 * header, as "get" returns it (repeats joined by ", "), byte for byte with the request origin.
 */
import type { CaseSpec } from '../../../harness/case';

const ACAO = 'Access-Control-Allow-Origin';
const check = '§4.10 CORS check';

export const allowOriginCases: CaseSpec[] = [
  {
    id: 'exact-origin-is-allowed',
    category: 'allow-origin',
    title: 'ACAO equal to the page origin lets the page read the response.',
    spec: check,
    response: { headers: [[ACAO, '{origin}']] },
  },
  {
    id: 'missing-allow-origin-is-blocked',
    category: 'allow-origin',
    title: 'No ACAO at all: the response is not shared.',
    spec: `${check} step 2`,
    response: { headers: [] },
  },
  {
    id: 'wildcard-without-credentials-is-allowed',
    category: 'allow-origin',
    title: 'ACAO * shares the response with any origin when no credentials are included.',
    spec: `${check} step 3`,
    response: { headers: [[ACAO, '*']] },
  },
  {
    id: 'wildcard-with-credentials-is-blocked',
    category: 'allow-origin',
    title: 'ACAO * does not admit a request made with credentials: include.',
    spec: `${check} step 3`,
    request: { credentials: 'include' },
    response: { headers: [[ACAO, '*'], ['Access-Control-Allow-Credentials', 'true']] },
  },
  {
    id: 'trailing-slash-origin-is-blocked',
    category: 'allow-origin',
    title: 'ACAO with a trailing slash is not the origin (no normalization).',
    spec: `${check} step 4`,
    response: { headers: [[ACAO, '{origin}/']] },
  },
  {
    id: 'surrounding-whitespace-is-ignored',
    category: 'allow-origin',
    title: 'Spaces around the ACAO value are optional whitespace, stripped by HTTP parsing.',
    spec: '§2.2.2 header value normalize; §4.10',
    response: { headers: [[ACAO, '  {origin}  ']] },
  },
  {
    id: 'repeated-allow-origin-is-blocked',
    category: 'allow-origin',
    title: 'The same ACAO sent twice joins into "a, a", which is no origin.',
    spec: '§2.2.2 get; §4.10',
    response: { headers: [[ACAO, '{origin}'], [ACAO, '{origin}']] },
  },
  {
    id: 'uppercase-origin-is-blocked',
    category: 'allow-origin',
    title: 'ACAO in upper case does not match: the comparison is byte-exact.',
    spec: `${check} step 4`,
    response: { headers: [[ACAO, '{origin|upper}']] },
  },
];
