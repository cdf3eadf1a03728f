/**
 * The Policy: what a server means to allow, with the option names users know from `cors` and
 * `@fastify/cors`. Every reference server (servers/reference/) is started from one of these, so the
 * same intent can be compared across frameworks. Validated with zod; a bad policy is a one-line
 * error naming the field (`policy.origin[1]: ...`).
 *
 * Defaults are the `cors` package's (the most common reading of each option); a framework whose
 * own defaults differ shows that as a quirk in the server suite, not here.
 */
import { z } from 'zod';

/** One entry of an origin allow-list: an exact serialized origin, `null`, or a pattern. */
export type OriginRule = string | RegExp;

export interface Policy {
  /**
   * `'*'` any origin (no credentials), `true` reflect any origin, `'null'` opaque origins, a
   * serialized origin, a RegExp tested against the Origin header, or a list of those.
   */
  origin: '*' | true | string | RegExp | OriginRule[];
  /** Methods a preflight may admit. Default: GET,HEAD,PUT,PATCH,POST,DELETE (`cors`). */
  methods?: string[];
  /** Request headers a preflight may admit. Unset: whatever the request asks for (`cors` reflects ACRH). */
  allowedHeaders?: string[];
  /** Response headers the page may read beyond the CORS-safelisted ones. */
  exposedHeaders?: string[];
  /** Whether requests with credentials (cookies, fetch credentials:'include') are meant to work. */
  credentials?: boolean;
  /** Seconds a browser may cache a successful preflight. */
  maxAge?: number;
  /** Status of a successful preflight answer. Default 204. */
  optionsSuccessStatus?: number;
  /** Pass preflights on to the application instead of answering them. */
  preflightContinue?: boolean;
}

export const DEFAULT_METHODS: readonly string[] = ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE'];
export const DEFAULT_OPTIONS_SUCCESS_STATUS = 204;

/** RFC 9110 token: methods and header names. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

const token = (what: string) => z.string().regex(TOKEN, { message: `not a valid ${what} (an RFC 9110 token)` });

/** A comma-separated string (`'GET,POST'`, as `cors` accepts) or a list. */
const tokenList = (what: string) =>
  z.preprocess(
    (v) =>
      typeof v === 'string'
        ? v
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s !== '')
        : v,
    z.array(token(what)),
  );

function isSerializedOrigin(s: string): boolean {
  if (s === '*' || s === 'null') return true;
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === s;
  } catch {
    return false;
  }
}

const originString = z.string().refine(isSerializedOrigin, {
  message: "not '*', 'null' or a serialized origin (scheme://host[:port], lower case, no path or trailing slash)",
});
const originRule = z.union([originString, z.instanceof(RegExp)]);

export const policySchema = z.strictObject({
  origin: z.union([
    z.literal(true),
    originString,
    z.instanceof(RegExp),
    z.array(originRule).min(1, { message: 'an empty list admits no origin' }),
  ]),
  methods: tokenList('method').optional(),
  allowedHeaders: tokenList('header name').optional(),
  exposedHeaders: tokenList('header name').optional(),
  credentials: z.boolean().optional(),
  maxAge: z.number().int().min(0).optional(),
  optionsSuccessStatus: z.number().int().min(200).max(299, { message: 'a preflight answer must have an ok status (200-299)' }).optional(),
  preflightContinue: z.boolean().optional(),
});

export class PolicyError extends Error {
  override name = 'PolicyError';
}

/** Validates a policy; throws a PolicyError whose message is one line naming the field. */
export function parsePolicy(input: unknown): Policy {
  const result = policySchema.safeParse(input);
  if (result.success) {
    if (Array.isArray(result.data.origin) && result.data.origin.includes('*')) {
      throw new PolicyError("policy.origin: '*' inside a list is not an origin; use origin: '*' alone");
    }
    return result.data as Policy;
  }
  const issue = result.error.issues[0]!;
  const where = ['policy', ...issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))].join('');
  const keys =
    issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')}; known: ${Object.keys(policySchema.shape).join(', ')})` : '';
  throw new PolicyError(`${where}: ${issue.message}${keys}`.replace(/\s+/g, ' '));
}

/** The policy as JSON (RegExps as `{ regexp, flags }`), e.g. for the PHP server's environment. */
export function policyToJson(policy: Policy): string {
  return JSON.stringify(policy, (_key, value: unknown) => (value instanceof RegExp ? { regexp: value.source, flags: value.flags } : value));
}

/** Whether an origin rule admits a request's Origin header value, as `cors`, `@fastify/cors` and the PHP router read it. */
export function ruleAdmits(rule: OriginRule, origin: string): boolean {
  if (typeof rule === 'string') return rule === origin;
  rule.lastIndex = 0;
  return rule.test(origin);
}

/** Whether the policy, read literally, admits this Origin (true and '*' admit every origin, `null` included). */
export function policyAdmits(policy: Policy, origin: string): boolean {
  const o = policy.origin;
  if (o === '*' || o === true) return true;
  if (Array.isArray(o)) return o.some((r) => ruleAdmits(r, origin));
  return ruleAdmits(o, origin);
}

/** Human-readable form of a policy for reports: RegExps as /source/. */
export function describePolicy(policy: Policy): string {
  return JSON.stringify(policy, (_key, value: unknown) => (value instanceof RegExp ? String(value) : value));
}
