/**
 * The declarative case: what the server answers and what the page asks. One table of these drives
 * the scripted server (hops), the browser (in-page steps), the oracle (inputs and a responder
 * built from the same hops) and the report. Nothing about a case is written twice.
 *
 * Header values, bodies and Location may use placeholders, filled in when ports are known:
 *   {origin}            the requesting page's serialized origin (`null` for the sandboxed page)
 *   {app} {api} {evil} {sub} {other} {app-https} {api-https}   named origins (harness/browser/origins.ts)
 *   {hop1} {hop2} …     the URL of that hop of this case's redirect chain
 *   {x|upper} {x|noport} {x|port+1} {x|userinfo}   the same, transformed
 */
import type { Client, CredentialsMode, CrossOriginAttribute, ProbeInput, RedirectMode, Responder } from '../oracle';
import { pageSteps } from '../browser/steps';
import type { InPageStep } from '../browser/in-page';
import { scriptedUrl, tokenOf } from '../core/probe-url';
import type { OriginPlan, PageName, TargetName } from '../browser/origins';
import type { ScriptedHop, ScriptedResponse } from './scripted-server';
import { NO_PREFLIGHT_ANSWER } from './scripted-server';

export type Category =
  | 'allow-origin'
  | 'credentials'
  | 'methods'
  | 'request-headers'
  | 'preflight'
  | 'preflight-cache'
  | 'expose-headers'
  | 'redirects'
  | 'null-origin'
  | 'https'
  | 'requesters';

export interface ResponseSpec {
  status?: number;
  headers?: Array<[string, string]>;
  body?: string;
  /** `base64`: the body is binary (an image, a font), written base64-encoded here. */
  encoding?: 'base64';
}

export interface HopSpec {
  /** Which origin serves this hop (default: the case's `to`). */
  at?: TargetName;
  /** Answer to a CORS preflight at this hop (default: 204 without CORS headers). */
  preflight?: ResponseSpec;
  response: ResponseSpec;
}

export interface RequestSpec {
  client?: Client;
  /** For img, script, module and stylesheet: the `crossorigin` attribute (default: none). */
  crossorigin?: CrossOriginAttribute;
  method?: string;
  headers?: Array<[string, string]>;
  body?: string | null;
  credentials?: CredentialsMode;
  redirect?: RedirectMode;
  /** Wait before this step, for cases about the preflight cache. */
  delayMs?: number;
}

export interface CaseSpec {
  /** The behaviour, in words: `wildcard-with-credentials-is-blocked`. Unique across the suite. */
  id: string;
  category: Category;
  /** One sentence a reader of the report understands. */
  title: string;
  /** The Fetch Standard section the expectation comes from, e.g. "#cors-check". */
  spec: string;
  /** The page the request comes from (default app). */
  from?: PageName;
  /** The first hop's origin (default api). */
  to?: TargetName;
  /** Single-hop shorthand. */
  preflight?: ResponseSpec;
  response?: ResponseSpec;
  /** Redirect chains: hop 0 is the URL requested; a Location of `{hop1}` leads on. */
  hops?: HopSpec[];
  /** One request, or several in order (steps share the URL: the preflight cache is keyed by it). */
  request?: RequestSpec;
  steps?: RequestSpec[];
  /** Put a cookie for the target in the browser first, to see whether the request carries it. */
  cookie?: boolean;
}

export interface Materialized {
  spec: CaseSpec;
  token: string;
  from: PageName;
  pageUrl: string;
  pageOrigin: string;
  /** What the server answers, hop by hop. */
  hops: ScriptedHop[];
  hopUrls: string[];
  /** What the page sends. */
  steps: InPageStep[];
  /** What the oracle is asked (one per step) and how it sees the server (the same hops). */
  inputs: ProbeInput[];
  respond: Responder;
  /** Milliseconds since the first step at which each step starts (the oracle's cache clock). */
  at: number[];
  /** Lowercased names of the headers the case scripts on its responses: what readability is judged on. */
  scriptedHeaderNames: string[];
}

const PLACEHOLDER = /\{([a-z0-9-]+)(?:\|([a-z0-9+]+))?\}/g;

function transform(value: string, how: string | undefined): string {
  if (!how) return value;
  const url = value === 'null' ? null : new URL(value);
  switch (how) {
    case 'upper':
      return value.toUpperCase();
    case 'noport':
      return url ? `${url.protocol}//${url.hostname}` : value;
    case 'port+1':
      return url ? `${url.protocol}//${url.hostname}:${Number(url.port) + 1}` : value;
    case 'userinfo':
      return url ? `${url.protocol}//user:secret@${url.host}${url.pathname}${url.search}` : value;
    default:
      throw new Error(`unknown placeholder transform |${how}`);
  }
}

export function fill(template: string, vars: Readonly<Record<string, string>>): string {
  return template.replace(PLACEHOLDER, (whole, name: string, how: string | undefined) => {
    const value = vars[name];
    if (value === undefined) throw new Error(`unknown placeholder ${whole}`);
    return transform(value, how);
  });
}

function fillResponse(spec: ResponseSpec | undefined, fallback: ScriptedResponse, vars: Record<string, string>): ScriptedResponse {
  if (!spec) return fallback;
  const out: ScriptedResponse = {
    status: spec.status ?? 200,
    headers: (spec.headers ?? []).map(([n, v]) => [n, fill(v, vars)] as [string, string]),
  };
  if (spec.body !== undefined) out.body = spec.encoding === 'base64' ? spec.body : fill(spec.body, vars);
  if (spec.encoding) out.encoding = spec.encoding;
  return out;
}

export const DEFAULT_STEP_TIMEOUT_MS = 10_000;

/** The page a case runs from (its origin is the request origin): the app page unless it says. */
export function pageOf(spec: CaseSpec): PageName {
  return spec.from ?? 'app';
}

/** Turns a case into concrete hops, page steps and oracle inputs for one run (ports, token). */
export function materialize(spec: CaseSpec, plan: OriginPlan, token: string): Materialized {
  const from = pageOf(spec);
  const to = spec.to ?? 'api';
  const hopSpecs: HopSpec[] = spec.hops ?? [{ preflight: spec.preflight, response: spec.response ?? {} }];
  const hopUrls = hopSpecs.map((h, i) => scriptedUrl(plan.origin(h.at ?? to), token, i));
  const vars: Record<string, string> = { ...plan.all(), origin: plan.origin(from) };
  hopUrls.forEach((u, i) => (vars[`hop${i}`] = u));
  const hops: ScriptedHop[] = hopSpecs.map((h) => ({
    preflight: fillResponse(h.preflight, NO_PREFLIGHT_ANSWER, vars),
    response: fillResponse(h.response, { status: 200, headers: [] }, vars),
  }));
  const requests = (spec.steps ?? [spec.request ?? {}]).map((r) => ({
    url: hopUrls[0]!,
    method: r.method ?? 'GET',
    headers: (r.headers ?? []).map(([n, v]) => [n, fill(v, vars)] as [string, string]),
    body: r.body === undefined || r.body === null ? null : fill(r.body, vars),
    client: r.client ?? 'fetch',
    ...(r.crossorigin ? { crossorigin: r.crossorigin } : {}),
    credentials: r.credentials ?? 'same-origin',
    redirect: r.redirect ?? 'follow',
    delayMs: r.delayMs ?? 0,
  }));
  const { steps, inputs, at } = pageSteps(plan.origin(from), requests, DEFAULT_STEP_TIMEOUT_MS);
  // The oracle's view of the server: the same hops, looked up the way the server does (by path).
  const notFound = { status: 404, headers: [['content-type', 'text/plain']] as Array<[string, string]> };
  const respond: Responder = (request) => {
    const at = tokenOf(request.url);
    const hop = at?.token === token ? hops[at.hop] : undefined;
    if (!hop) return notFound;
    return request.preflight ? hop.preflight : hop.response;
  };
  const scriptedHeaderNames = [...new Set(hops.flatMap((h) => h.response.headers.map(([n]) => n.toLowerCase())))];
  return {
    spec,
    token,
    from,
    pageUrl: plan.pageUrl(from),
    pageOrigin: plan.origin(from),
    hops,
    hopUrls,
    steps,
    inputs,
    respond,
    at,
    scriptedHeaderNames,
  };
}
