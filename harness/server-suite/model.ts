/**
 * The server suite's model of *intent*: what a Policy means to allow, read the way its writer
 * means it (not the way any framework implements it), the probes that test it, and the declared
 * table of framework quirks – named, with the reason – where a server does something else under
 * the same policy. A test's expected browser outcome is the intent with that server's quirks
 * applied; nothing here is taken from an observed run. Pure; no I/O.
 */
import type { CredentialsMode, Client } from '../oracle';
import { DEFAULT_METHODS, policyAdmits, type Policy } from '../../servers/policy';
import { DATA_HEADERS, type ServerName } from '../../servers/reference/common';

/** Where probes come from. `lookalike` is evilapp.localhost: app.localhost with a prefix. */
export const SERVER_PAGES = ['app', 'evil', 'lookalike', 'null'] as const;
export type ServerPage = (typeof SERVER_PAGES)[number];

export const LOOKALIKE_HOST = 'evilapp.localhost';

/** The origins a policy table is written against (filled in with real ports at run time). */
export interface PolicyOrigins {
  app: string;
  sub: string;
  evil: string;
  lookalike: string;
}

export interface PolicyCase {
  /** Kebab-case, unique in the table: the middle part of each test's name. */
  id: string;
  /** What people mean when they write this policy. */
  title: string;
  policy(o: PolicyOrigins): Policy;
  /**
   * Pages the policy admits although its writer did not mean to, each with the reason (e.g. an
   * unescaped dot in a RegExp). Checked: each must really be admitted by the policy as written.
   */
  holes?: Partial<Record<ServerPage, string>>;
}

/** What a policy means to allow; quirks transform it into what a framework really does. */
export interface Meaning {
  /** Pages whose origin is admitted. */
  admits: Record<ServerPage, boolean>;
  /** Whether credentialed requests (cookies) are admitted. */
  credentials: boolean;
  /** Methods a preflight admits (case-sensitive, as the Fetch Standard compares them). */
  methods: readonly string[];
  /** Lowercased request-header names a preflight admits, or any. */
  allowedHeaders: 'any' | readonly string[];
  /** Lowercased response-header names the page may read beyond the safelisted ones, or '*'. */
  exposed: '*' | readonly string[];
  /** Seconds a preflight may be cached; null for the browser's default (5 s per the standard). */
  maxAge: number | null;
  /** Status an actual OPTIONS request gets: 'ok' = 2xx from the application. */
  actualOptionsStatus: 'ok' | number;
  /**
   * What an error answer (a 404) carries: the same CORS headers as the others ('same'), none
   * ('none': the server's own error page), or `*` alone ('wildcard').
   */
  errors: 'same' | 'none' | 'wildcard';
}

export function serializedOrigins(port: number): PolicyOrigins & { null: string } {
  return {
    app: `http://app.localhost:${port}`,
    sub: `http://sub.app.localhost:${port}`,
    evil: `http://evil.localhost:${port}`,
    lookalike: `http://${LOOKALIKE_HOST}:${port}`,
    null: 'null',
  };
}

/** The intent: the policy read as its writer means it (holes removed). */
export function meaningOf(policyCase: PolicyCase, port: number): Meaning {
  const policy = policyCase.policy(serializedOrigins(port));
  const origins = serializedOrigins(port);
  const admits = {} as Record<ServerPage, boolean>;
  for (const page of SERVER_PAGES) {
    const literal = policyAdmits(policy, origins[page]);
    const hole = policyCase.holes?.[page];
    if (hole !== undefined && !literal)
      throw new Error(`policy ${policyCase.id}: declared hole for ${page} but the policy does not admit ${origins[page]}`);
    admits[page] = literal && hole === undefined;
  }
  return {
    admits,
    credentials: policy.credentials === true,
    methods: policy.methods ?? DEFAULT_METHODS,
    allowedHeaders: policy.allowedHeaders ? policy.allowedHeaders.map((h) => h.toLowerCase()) : 'any',
    exposed: policy.exposedHeaders ? (policy.exposedHeaders.includes('*') ? '*' : policy.exposedHeaders.map((h) => h.toLowerCase())) : [],
    maxAge: policy.maxAge ?? null,
    actualOptionsStatus: 'ok',
    errors: 'same',
  };
}

export interface FrameworkQuirk {
  id: string;
  servers: readonly ServerName[];
  /** Why the server departs from the intent, in a sentence a reader of the report understands. */
  reason: string;
  /** Whether this policy triggers the quirk (the probes it changes follow from `apply`). */
  applies(policy: Policy, policyCase: PolicyCase): boolean;
  apply(meaning: Meaning, policyCase: PolicyCase): Meaning;
  /** The reason for this policy, when it depends on the policy (default: `reason`). */
  explain?(policyCase: PolicyCase): string;
}

const wildcardWithCredentials = (p: Policy) => p.origin === '*' && p.credentials === true;

/** Every declared framework quirk. The suite fails if a quirk's effect does not show. */
export const FRAMEWORK_QUIRKS: readonly FrameworkQuirk[] = [
  {
    id: 'policy-hole',
    servers: ['express-cors', 'express-tutorial', 'fastify-cors', 'php', 'node-http', 'apache-php', 'nginx', 'aspnet-mono'],
    reason: 'the policy as written admits an origin its writer did not mean to admit, and every server does what it says',
    applies: (_p, pc) => Object.keys(pc.holes ?? {}).length > 0,
    apply: (m, pc) => {
      const admits = { ...m.admits };
      for (const page of Object.keys(pc.holes ?? {}) as ServerPage[]) admits[page] = true;
      return { ...m, admits };
    },
    explain: (pc) =>
      `policy hole: ${Object.entries(pc.holes ?? {})
        .map(([page, why]) => `${page}: ${why}`)
        .join('; ')}`,
  },
  {
    id: 'wildcard-with-credentials',
    servers: ['express-cors', 'fastify-cors', 'express-tutorial', 'php', 'apache-php', 'nginx', 'aspnet-mono'],
    reason:
      "origin '*' with credentials: true goes out as `Access-Control-Allow-Origin: *` plus `Access-Control-Allow-Credentials: true`; the Fetch Standard (#cors-check step 3) never lets `*` admit a credentialed request, so every credentialed request fails",
    applies: wildcardWithCredentials,
    apply: (m) => ({ ...m, credentials: false }),
  },
  {
    id: 'wildcard-never-credentialed',
    servers: ['node-http'],
    reason:
      "by design node-http answers origin '*' with `*` and no Access-Control-Allow-Credentials: a policy that wants every origin with cookies must say origin: true, so credentialed requests fail",
    applies: wildcardWithCredentials,
    apply: (m) => ({ ...m, credentials: false }),
  },
  {
    id: 'fastify-default-methods',
    servers: ['fastify-cors'],
    reason:
      '@fastify/cors defaults methods to GET,HEAD,POST (cors: GET,HEAD,PUT,PATCH,POST,DELETE), so without a methods list a preflighted PUT or DELETE fails',
    applies: (p) => p.methods === undefined,
    apply: (m) => ({ ...m, methods: ['GET', 'HEAD', 'POST'] }),
  },
  {
    id: 'fastify-strict-preflight',
    servers: ['fastify-cors'],
    reason:
      "strictPreflight (on by default) answers 400 'Invalid Preflight Request' to every OPTIONS without Access-Control-Request-Method, so an actual OPTIONS request never reaches the application",
    applies: () => true,
    apply: (m) => ({ ...m, actualOptionsStatus: 400 }),
  },
  {
    id: 'tutorial-fixed-allow-headers',
    servers: ['express-tutorial'],
    reason:
      "the snippet hardcodes `Access-Control-Allow-Headers: Content-Type, Authorization` where cors reflects the request's Access-Control-Request-Headers, so a custom header (X-Auth-Token) fails its preflight",
    applies: (p) => p.allowedHeaders === undefined,
    apply: (m) => ({ ...m, allowedHeaders: ['content-type', 'authorization'] }),
  },
  {
    id: 'tutorial-fixed-methods',
    servers: ['express-tutorial'],
    reason: 'the snippet hardcodes `Access-Control-Allow-Methods: GET, POST, PUT, DELETE, OPTIONS` (no PATCH) where the policy lists none',
    applies: (p) => p.methods === undefined,
    apply: (m) => ({ ...m, methods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'] }),
  },
  {
    id: 'tutorial-no-expose-headers',
    servers: ['express-tutorial'],
    reason: 'the snippet has no Access-Control-Expose-Headers line, so the exposedHeaders stay unreadable to the page',
    applies: (p) => (p.exposedHeaders?.length ?? 0) > 0,
    apply: (m) => ({ ...m, exposed: [] }),
  },
  {
    id: 'tutorial-no-max-age',
    servers: ['express-tutorial'],
    reason: 'the snippet has no Access-Control-Max-Age line, so browsers keep a preflight only for the default 5 s',
    applies: (p) => p.maxAge !== undefined,
    apply: (m) => ({ ...m, maxAge: null }),
  },
  // The article's snippets (servers/reference/snippets.ts), under SNIPPET_POLICY.
  {
    id: 'no-preflight-answer',
    servers: ['snippet-express', 'snippet-apache-php', 'snippet-apache-php-mod-headers', 'snippet-aspnet', 'snippet-nginx'],
    reason:
      "the snippet sets only Access-Control-Allow-Origin: the preflight reaches the application (Express's automatic OPTIONS answer, the PHP script, the ASP.NET handler, nginx's return) and gets 200 without Access-Control-Allow-Methods or -Headers, so a PUT, a JSON POST or a custom header fails its preflight (Fetch #cors-preflight-fetch step 7)",
    applies: () => true,
    apply: (m) => ({ ...m, methods: [], allowedHeaders: [] }),
  },
  {
    id: 'error-page-without-cors',
    servers: ['snippet-apache-php', 'snippet-aspnet', 'snippet-nginx', 'snippet-nginx-location'],
    reason:
      "the error answer is the server's own, made without the snippet: Apache's 404 never runs the PHP script, ASP.NET clears the response's headers for its error page, and nginx's add_header without `always` is for 2xx and 3xx answers only – so a page cannot read why its request failed",
    applies: () => true,
    apply: (m) => ({ ...m, errors: 'none' }),
  },
  {
    id: 'double-allow-origin',
    servers: ['snippet-apache-php-mod-headers'],
    reason:
      "mod_headers' `Header always set` adds a second Access-Control-Allow-Origin line to the one PHP's header() sent: `*, *` is not one origin and every response of the script fails the CORS check (Fetch #cors-check: the value must be exactly `*` or the origin); Apache's own 404 carries mod_headers' line alone, so an error is readable when a success is not",
    applies: () => true,
    apply: (m) => ({ ...m, admits: { app: false, evil: false, lookalike: false, null: false }, errors: 'wildcard' }),
  },
  {
    id: 'location-add-header-drops-cors',
    servers: ['snippet-nginx-location'],
    reason:
      'the location has an add_header of its own (X-Request-Id), and nginx inherits add_header from the server block only into a level that has none: /data answers without Access-Control-Allow-Origin',
    applies: () => true,
    apply: (m) => ({ ...m, admits: { app: false, evil: false, lookalike: false, null: false } }),
  },
];

/** The policy the article's snippets are run under: `*` as the article reads it, "any site may read". */
export const SNIPPET_POLICY: PolicyCase = {
  id: 'as-written',
  title: "The article's snippet as written: Access-Control-Allow-Origin: * on every answer, read by the article as 'any site may read it'.",
  policy: () => ({ origin: '*' }),
};

// ---------------------------------------------------------------------------------------------
// Probes

export type ProbeKind =
  | 'simple-get'
  | 'simple-post'
  | 'preflighted-put'
  | 'preflighted-delete'
  | 'custom-header-get'
  | 'credentialed-get'
  | 'credentialed-get-xhr'
  | 'credentialed-put'
  | 'put-again-after-6s'
  | 'redirected-get'
  | 'credentialed-cookie-get'
  | 'options-request'
  | 'json-post'
  | 'error-get';

export interface ProbeStepSpec {
  /** /missing: a path no server serves (its 404). */
  path: '/data' | '/cookie' | '/redirect' | '/missing';
  method: string;
  headers: Array<[string, string]>;
  body: string | null;
  client: Client;
  credentials: CredentialsMode;
  delayMs: number;
}

export interface ServerProbe {
  /** `<page>-origin-<kind>`; the test name adds what is expected (`-is-allowed`, …). */
  base: string;
  page: ServerPage;
  kind: ProbeKind;
  category: string;
  spec: string;
  title: string;
  steps: ProbeStepSpec[];
}

/** How long the cache probe waits: past the 5 s default lifetime of a preflight cache entry. */
export const CACHE_PROBE_DELAY_MS = 6000;

const step = (s: Partial<ProbeStepSpec> & Pick<ProbeStepSpec, 'method'>): ProbeStepSpec => ({
  path: '/data',
  headers: [],
  body: null,
  client: 'fetch',
  credentials: 'same-origin',
  delayMs: 0,
  ...s,
});

const KINDS: Record<ProbeKind, { category: string; spec: string; title: string; steps: ProbeStepSpec[] }> = {
  'simple-get': { category: 'allow-origin', spec: '#cors-check', title: 'a simple GET', steps: [step({ method: 'GET' })] },
  'simple-post': {
    category: 'methods',
    spec: '#cors-check (POST with text/plain is CORS-safelisted, no preflight)',
    title: 'a simple POST with a text/plain body',
    steps: [step({ method: 'POST', body: 'hello' })],
  },
  'preflighted-put': {
    category: 'methods',
    spec: '#cors-preflight-fetch',
    title: 'a PUT (preflighted)',
    steps: [step({ method: 'PUT', body: 'hello' })],
  },
  'preflighted-delete': {
    category: 'methods',
    spec: '#cors-preflight-fetch',
    title: 'a DELETE (preflighted)',
    steps: [step({ method: 'DELETE' })],
  },
  'custom-header-get': {
    category: 'request-headers',
    spec: '#cors-preflight-fetch step 7.7 (Access-Control-Allow-Headers)',
    title: 'a GET with an X-Auth-Token header (preflighted)',
    steps: [step({ method: 'GET', headers: [['X-Auth-Token', 'secret-token']] })],
  },
  'credentialed-get': {
    category: 'credentials',
    spec: '#cors-check steps 3, 6-8',
    title: "a GET with fetch credentials: 'include'",
    steps: [step({ method: 'GET', credentials: 'include' })],
  },
  'credentialed-get-xhr': {
    category: 'credentials',
    spec: '#cors-check steps 3, 6-8',
    title: 'a GET with XMLHttpRequest withCredentials',
    steps: [step({ method: 'GET', client: 'xhr', credentials: 'include' })],
  },
  'credentialed-put': {
    category: 'credentials',
    spec: '#cors-preflight-fetch (preflight checked with credentials) and #cors-check',
    title: "a PUT with fetch credentials: 'include' (preflighted)",
    steps: [step({ method: 'PUT', body: 'hello', credentials: 'include' })],
  },
  'put-again-after-6s': {
    category: 'preflight-cache',
    spec: '#cors-preflight-cache, #cors-preflight-fetch step 7.9 (max-age)',
    title: 'a PUT, then the same PUT 6 s later (past the 5 s default cache lifetime)',
    steps: [step({ method: 'PUT', body: 'hello' }), step({ method: 'PUT', body: 'again', delayMs: CACHE_PROBE_DELAY_MS })],
  },
  'redirected-get': {
    category: 'redirects',
    spec: '#http-redirect-fetch (CORS check on every hop)',
    title: 'a GET of /redirect, which 302s to /data on the same server',
    steps: [step({ method: 'GET', path: '/redirect' })],
  },
  'credentialed-cookie-get': {
    category: 'credentials',
    spec: '#cors-check steps 3, 6-8',
    title: "a GET of /cookie (Set-Cookie: SameSite=None; Secure) with fetch credentials: 'include'",
    steps: [step({ method: 'GET', path: '/cookie', credentials: 'include' })],
  },
  'options-request': {
    category: 'preflight',
    spec: '#cors-preflight-fetch (OPTIONS is not safelisted: preflight, then the actual OPTIONS without Access-Control-Request-Method)',
    title: 'an actual OPTIONS request (fetch method: OPTIONS)',
    steps: [step({ method: 'OPTIONS' })],
  },
  'json-post': {
    category: 'request-headers',
    spec: '#cors-safelisted-request-header (Content-Type: application/json is not safelisted: preflight)',
    title: 'a POST with a JSON body (Content-Type: application/json, preflighted)',
    steps: [step({ method: 'POST', headers: [['Content-Type', 'application/json']], body: '{"a":1}' })],
  },
  'error-get': {
    category: 'allow-origin',
    spec: '#cors-check (on every response, an error too)',
    title: 'a GET of a path the server does not have (its 404)',
    steps: [step({ method: 'GET', path: '/missing' })],
  },
};

const EVERY_PAGE: ProbeKind[] = [
  'simple-get',
  'simple-post',
  'preflighted-put',
  'preflighted-delete',
  'custom-header-get',
  'credentialed-get',
  'credentialed-get-xhr',
  'credentialed-put',
];

function probe(page: ServerPage, kind: ProbeKind): ServerProbe {
  const k = KINDS[kind];
  return {
    base: `${page}-origin-${kind}`,
    page,
    kind,
    category: k.category,
    spec: k.spec,
    title: `${k.title} from the ${page} page`,
    steps: k.steps,
  };
}

/** The probes of one policy: every page × every method/header/credentials class, plus app-only extras. */
export function probesFor(policy: Policy): ServerProbe[] {
  const out: ServerProbe[] = [];
  for (const page of SERVER_PAGES) for (const kind of EVERY_PAGE) out.push(probe(page, kind));
  out.push(probe('app', 'put-again-after-6s'), probe('app', 'redirected-get'), probe('app', 'credentialed-cookie-get'));
  if (policy.methods?.includes('OPTIONS')) out.push(probe('app', 'options-request'));
  return out;
}

/**
 * What the article's snippets are asked (docs/servers.md): from the app page, a simple GET, a POST
 * with JSON, a PUT, a custom header, credentials, and an error response.
 */
export function snippetProbes(): ServerProbe[] {
  return (['simple-get', 'json-post', 'preflighted-put', 'custom-header-get', 'credentialed-get', 'error-get'] as const).map((kind) =>
    probe('app', kind),
  );
}

// ---------------------------------------------------------------------------------------------
// Expectations from a meaning

/**
 * CORS-safelisted methods need no preflight, so no `methods` list can refuse them: a policy's
 * methods only ever bear on preflighted requests (Fetch #methods, #cors-preflight-fetch).
 */
const SAFELISTED_METHODS = ['GET', 'HEAD', 'POST'];

export interface StepExpectation {
  outcome: 'allowed' | 'blocked';
  /** Why, in the policy's terms. */
  why: string;
  /** 'ok' = any 2xx. */
  status: 'ok' | number;
  /** Which of /data's own headers (DATA_HEADERS, lowercased) the page reads; null when not judged. */
  readable: string[] | null;
}

export interface ProbeExpectation {
  steps: StepExpectation[];
  /** How many preflights the cache probe sends (null when not judged). */
  preflights: number | null;
}

function expectStep(m: Meaning, page: ServerPage, s: ProbeStepSpec): StepExpectation {
  const credentialed = s.credentials === 'include';
  const blocked = (why: string): StepExpectation => ({ outcome: 'blocked', why, status: 'ok', readable: null });
  if (s.path === '/missing') {
    if (m.errors === 'none') return blocked('the error answer carries no CORS headers');
    if (m.errors === 'wildcard' && credentialed) return blocked('the error answer says * and credentials are never admitted by *');
    if (m.errors === 'same' && !m.admits[page]) return blocked(`the ${page} origin is not admitted`);
    return { outcome: 'allowed', why: 'admitted (an error answer, read like any other)', status: 404, readable: null };
  }
  if (!m.admits[page]) return blocked(`the ${page} origin is not admitted`);
  if (credentialed && !m.credentials) return blocked('credentialed requests are not admitted');
  if (!SAFELISTED_METHODS.includes(s.method) && !m.methods.includes(s.method)) return blocked(`${s.method} is not an allowed method`);
  for (const [name] of s.headers) {
    if (m.allowedHeaders !== 'any' && !m.allowedHeaders.includes(name.toLowerCase())) return blocked(`the ${name} header is not allowed`);
  }
  const readsData = s.path !== '/cookie' && s.method !== 'OPTIONS';
  const dataNames = DATA_HEADERS.map((h) => h.toLowerCase());
  const readable = readsData
    ? dataNames.filter((n) => (m.exposed === '*' && !credentialed) || (Array.isArray(m.exposed) && m.exposed.includes(n)))
    : null;
  return {
    outcome: 'allowed',
    why: `admitted${credentialed ? ' with credentials' : ''}`,
    status: s.method === 'OPTIONS' ? m.actualOptionsStatus : 'ok',
    readable,
  };
}

export function expectProbe(m: Meaning, probe: ServerProbe): ProbeExpectation {
  const steps = probe.steps.map((s) => expectStep(m, probe.page, s));
  let preflights: number | null = null;
  if (probe.kind === 'put-again-after-6s' && steps[0]!.outcome === 'allowed') {
    preflights = m.maxAge !== null && m.maxAge * 1000 > CACHE_PROBE_DELAY_MS * 1.5 ? 1 : 2;
  }
  return { steps, preflights };
}

const key = (e: ProbeExpectation) => JSON.stringify(e);

export interface Expected {
  intent: ProbeExpectation;
  expected: ProbeExpectation;
  /** Quirks in effect for this probe: those without which the expectation would differ. */
  quirks: FrameworkQuirk[];
}

/** The intent, and what this server is expected to do (the intent with its declared quirks). */
export function expectFor(server: ServerName, policyCase: PolicyCase, probe: ServerProbe, port: number): Expected {
  const policy = policyCase.policy(serializedOrigins(port));
  const meaning = meaningOf(policyCase, port);
  const active = FRAMEWORK_QUIRKS.filter((q) => q.servers.includes(server) && q.applies(policy, policyCase));
  const withAll = (quirks: readonly FrameworkQuirk[]) =>
    expectProbe(
      quirks.reduce((m, q) => q.apply(m, policyCase), meaning),
      probe,
    );
  const intent = expectProbe(meaning, probe);
  const expected = withAll(active);
  const quirks = active.filter((q) => key(withAll(active.filter((o) => o !== q))) !== key(expected));
  return { intent, expected, quirks };
}

export function quirkText(quirks: readonly FrameworkQuirk[], policyCase: PolicyCase): string | null {
  if (quirks.length === 0) return null;
  return quirks.map((q) => `${q.id}: ${q.explain ? q.explain(policyCase) : q.reason}`).join(' | ');
}

/** The test name's last part: the probe and what is expected of it. */
export function probeTestName(probe: ServerProbe, e: ProbeExpectation): string {
  const last = e.steps[e.steps.length - 1]!;
  if (probe.kind === 'put-again-after-6s' && e.preflights !== null)
    return `${probe.base}-${e.preflights === 1 ? 'uses-the-cached-preflight' : 'is-preflighted-again'}`;
  if (last.outcome === 'allowed' && last.status !== 'ok') return `${probe.base}-is-allowed-with-status-${last.status}`;
  return `${probe.base}-is-${last.outcome}`;
}
