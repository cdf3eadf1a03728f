/**
 * Generated cases for the benchmark: the suite's own CaseSpec, in a fixed mix of the kinds the
 * protocol suite sends – simple and preflighted, credentialed, blocked at the response and at the
 * preflight, fetch and XHR. Deterministic, so runs compare.
 */
import type { CaseSpec } from '../harness/protocol/case';

const ACAO = 'Access-Control-Allow-Origin';

export const MIX = [
  'simple',
  'simple',
  'simple',
  'xhr-simple',
  'preflighted',
  'preflighted',
  'credentialed',
  'blocked',
  'blocked-preflight',
  'simple-post',
] as const;
export type Kind = (typeof MIX)[number];

export function kindOf(i: number): Kind {
  return MIX[i % MIX.length]!;
}

export function generateCases(n: number): CaseSpec[] {
  return Array.from({ length: n }, (_, i): CaseSpec => {
    const base = { id: `bench-${i}`, category: 'allow-origin' as const, title: `generated case ${i}`, spec: '#cors-check' };
    switch (kindOf(i)) {
      case 'simple':
        return { ...base, response: { headers: [[ACAO, '{origin}']] } };
      case 'xhr-simple':
        return { ...base, request: { client: 'xhr' }, response: { headers: [[ACAO, '*']] } };
      case 'simple-post':
        return { ...base, request: { method: 'POST', body: 'x' }, response: { headers: [[ACAO, '{origin}']] } };
      case 'preflighted':
        return {
          ...base,
          request: { method: 'PUT', headers: [['X-Bench', '1']] },
          preflight: {
            status: 204,
            headers: [
              [ACAO, '{origin}'],
              ['Access-Control-Allow-Methods', 'PUT'],
              ['Access-Control-Allow-Headers', 'X-Bench'],
            ],
          },
          response: { headers: [[ACAO, '{origin}']] },
        };
      case 'credentialed':
        return {
          ...base,
          request: { credentials: 'include' },
          response: {
            headers: [
              [ACAO, '{origin}'],
              ['Access-Control-Allow-Credentials', 'true'],
            ],
          },
        };
      case 'blocked':
        return { ...base, response: { headers: [] } };
      case 'blocked-preflight':
        return {
          ...base,
          request: { method: 'DELETE' },
          preflight: {
            status: 204,
            headers: [
              [ACAO, '{origin}'],
              ['Access-Control-Allow-Methods', 'PUT'],
            ],
          },
          response: { headers: [[ACAO, '{origin}']] },
        };
    }
  });
}

/** How many of n cases send a preflight (for the ceiling's matching mix). */
export function preflightedCount(n: number): number {
  let count = 0;
  for (let i = 0; i < n; i++) if (kindOf(i) === 'preflighted' || kindOf(i) === 'blocked-preflight') count++;
  return count;
}
