/**
 * Opaque origins: a sandboxed document (CSP `sandbox allow-scripts`) sends `Origin: null`, and
 * `Access-Control-Allow-Origin: null` admits it – with credentials too. That is why trusting `null`
 * is a security finding: any sandboxed iframe or data: URL on any site is "null".
 */
import type { CaseSpec } from '../../../harness/protocol/case';
import { ACAC, ACAM, ACAO, bothClients } from './helpers';

const n = (id: string, title: string, spec: string, headers: Array<[string, string]>, extra: Partial<CaseSpec> = {}): CaseSpec => ({
  id,
  category: 'null-origin',
  title,
  spec,
  from: 'null',
  response: { headers },
  ...extra,
});

export const nullOriginCases: CaseSpec[] = [
  ...bothClients([
    n(
      'null-origin-is-admitted-by-allow-origin-null',
      'A sandboxed page (Origin: null) reads a response carrying ACAO null.',
      '#cors-check step 4 (byte-serialized origin "null")',
      [[ACAO, 'null']],
    ),
    n('null-origin-is-admitted-by-wildcard', 'ACAO * admits the sandboxed page.', '#cors-check step 3', [[ACAO, '*']]),
    n(
      'null-origin-is-not-admitted-by-page-origin',
      "ACAO naming the page's host does not admit its sandboxed document.",
      '#cors-check step 4',
      [[ACAO, '{app}']],
    ),
    n(
      'null-origin-with-credentials-is-admitted-by-null',
      'ACAO null with ACAC true shares credentialed responses with any sandboxed document.',
      '#cors-check steps 4-7',
      [
        [ACAO, 'null'],
        [ACAC, 'true'],
      ],
      { request: { credentials: 'include' } },
    ),
  ]),
  n(
    'null-origin-with-credentials-and-wildcard-is-blocked',
    'ACAO * still fails with credentials from a sandboxed page.',
    '#cors-check step 3',
    [
      [ACAO, '*'],
      [ACAC, 'true'],
    ],
    { request: { credentials: 'include' } },
  ),
  n(
    'null-origin-preflight-carries-origin-null',
    'The preflight from a sandboxed page says Origin: null; ACAO null admits it.',
    '#cors-preflight-fetch; #cors-check',
    [[ACAO, 'null']],
    {
      request: { method: 'PUT' },
      preflight: {
        status: 204,
        headers: [
          [ACAO, 'null'],
          [ACAM, 'PUT'],
        ],
      },
    },
  ),
  n('null-origin-uppercase-null-is-blocked', 'ACAO NULL is not `null`: byte-exact.', '#cors-check step 4', [[ACAO, 'NULL']]),
];
