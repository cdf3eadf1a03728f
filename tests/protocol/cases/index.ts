/** Every protocol case table, in the order the report shows them. */
import type { CaseSpec, Category } from '../../../harness/protocol/case';
import { allowOriginCases } from './allow-origin';
import { credentialsCases } from './credentials';
import { methodCases } from './methods';
import { requestHeaderCases } from './request-headers';
import { preflightCases } from './preflight';
import { preflightCacheCases } from './preflight-cache';
import { exposeHeaderCases } from './expose-headers';
import { redirectCases } from './redirects';
import { nullOriginCases } from './null-origin';
import { httpsCases } from './https';
import { requesterCases } from './requesters';

export const PROTOCOL_TABLES: ReadonlyArray<{ category: Category; cases: CaseSpec[] }> = [
  { category: 'allow-origin', cases: allowOriginCases },
  { category: 'credentials', cases: credentialsCases },
  { category: 'methods', cases: methodCases },
  { category: 'request-headers', cases: requestHeaderCases },
  { category: 'preflight', cases: preflightCases },
  { category: 'preflight-cache', cases: preflightCacheCases },
  { category: 'expose-headers', cases: exposeHeaderCases },
  { category: 'redirects', cases: redirectCases },
  { category: 'null-origin', cases: nullOriginCases },
  { category: 'https', cases: httpsCases },
  { category: 'requesters', cases: requesterCases },
];
