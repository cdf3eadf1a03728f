/**
 * The fix for each finding, in the terms of the four stacks people ask about: Express with the
 * `cors` package, Fastify with `@fastify/cors`, plain PHP `header()` calls and ASP.NET Core's CORS
 * middleware. Filled in with the run's own origins, methods and headers so it can be pasted.
 */
import { CLIENT_TITLES, sendsPageRequest, type Client } from '../oracle';
import type { FindingId, FixAdvice } from './types';

export interface FixContext {
  /** The origins the user says are allowed (serialized). */
  origins: string[];
  credentials: boolean;
  /** Non-safelisted methods the pages use. */
  methods: string[];
  /** Request headers the pages set. */
  headers: string[];
  /** Response headers the pages read. */
  exposed: string[];
  /** The requester of `verify --as` (null: fetch and XHR): the advice speaks of it. */
  as?: Client | null;
}

const js = (list: string[]) => `[${list.map((s) => `'${s}'`).join(', ')}]`;
const php = (list: string[]) => `[${list.map((s) => `'${s}'`).join(', ')}]`;
const cs = (list: string[]) => list.map((s) => `"${s}"`).join(', ');

function allowList(ctx: FixContext, note: string): FixAdvice {
  const origins = ctx.origins.length ? ctx.origins : ['https://app.example.com'];
  const creds = ctx.credentials;
  return {
    summary: `Compare the whole Origin header with an exact allow-list and echo it only on a match; ${note}`,
    express: `app.use(cors({ origin: ${js(origins)}${creds ? ', credentials: true' : ''} })) – a list of exact strings, never origin: true, a callback that always says yes, or a RegExp without ^…$ and escaped dots`,
    fastify: `await app.register(cors, { origin: ${js(origins)}${creds ? ', credentials: true' : ''} }) – exact strings, never origin: true or an unanchored RegExp`,
    php: `$allowed = ${php(origins)}; $origin = $_SERVER['HTTP_ORIGIN'] ?? ''; header('Vary: Origin', false); if (in_array($origin, $allowed, true)) { header("Access-Control-Allow-Origin: $origin");${creds ? " header('Access-Control-Allow-Credentials: true');" : ''} } – in_array(..., true), never strpos/preg_match on the raw header`,
    aspnet: `builder.Services.AddCors(o => o.AddPolicy("api", p => p.WithOrigins(${cs(origins)})${creds ? '.AllowCredentials()' : ''})); – never SetIsOriginAllowed(_ => true), and SetIsOriginAllowedToAllowWildcardSubdomains() only if every sub-domain is yours`,
  };
}

const FIXES: Record<FindingId, (ctx: FixContext) => FixAdvice> = {
  'reflects-any-origin': (ctx) =>
    allowList(
      ctx,
      'the server echoes any Origin, so every site can read responses that need no cookie (intranet or IP-restricted data). If the API is truly public, send `Access-Control-Allow-Origin: *` instead and say so with an expect file {"public": true}.',
    ),
  'reflects-any-origin-with-credentials': (ctx) =>
    allowList(
      ctx,
      "echoing any Origin together with Access-Control-Allow-Credentials: true lets every site read your users' data with their cookies.",
    ),
  'trusts-null-origin': (ctx) =>
    allowList(ctx, "remove 'null' from the list: any site can make a request with Origin: null from a sandboxed iframe or a data: URL."),
  'trusts-prefix-lookalike': (ctx) =>
    allowList(
      ctx,
      'the check only looks at how the origin starts (startsWith, a RegExp without $, or a host parser that stops at _ or `).',
    ),
  'trusts-suffix-lookalike': (ctx) =>
    allowList(ctx, 'the check only looks at how the origin ends (endsWith, a RegExp without ^ or without the dot before the host).'),
  'trusts-unescaped-dot': (ctx) =>
    allowList(
      ctx,
      'a RegExp with an unescaped "." matches any character; write /^https:\\/\\/app\\.example\\.com$/ or, better, a list of strings.',
    ),
  'trusts-any-subdomain': (ctx) =>
    allowList(
      ctx,
      'list the sub-domains you actually serve; trusting *.domain hands your API to any sub-domain with an XSS hole or a dangling DNS record.',
    ),
  'trusts-http-origin': (ctx) =>
    allowList(ctx, 'list https:// origins only; an http:// page can be injected by anyone on the network path.'),
  'wildcard-with-credentials': (ctx) => {
    const origins = ctx.origins.length ? ctx.origins : ['https://app.example.com'];
    return {
      summary:
        'Header-level: `Access-Control-Allow-Origin: *` with `Access-Control-Allow-Credentials: true` never works (browsers refuse it) and invites the "fix" of echoing any origin. Either drop credentials and keep *, or echo an allow-listed origin with credentials.',
      express: `cors({ origin: ${js(origins)}, credentials: true }) – not cors({ origin: '*', credentials: true }), which sends exactly this pair`,
      fastify: `await app.register(cors, { origin: ${js(origins)}, credentials: true }) – not origin: '*' with credentials: true`,
      php: `header('Access-Control-Allow-Origin: *') only without Access-Control-Allow-Credentials; for credentials echo an allow-listed $_SERVER['HTTP_ORIGIN'] (see in_array(..., true))`,
      aspnet: `p.WithOrigins(${cs(origins)}).AllowCredentials() – AllowAnyOrigin().AllowCredentials() is refused by the middleware, so look for headers written by hand`,
    };
  },
  'missing-vary-origin': () => ({
    summary:
      "Header-level: Access-Control-Allow-Origin changes with the request's Origin but the response has no `Vary: Origin`, so a shared cache (CDN, proxy) can hand one origin's answer to another: allowed pages get blocked at random, and a cached answer can outlive a policy change.",
    express: "cors() adds Vary: Origin itself whenever origin is not '*'; if you set the headers by hand, call res.vary('Origin')",
    fastify:
      "@fastify/cors adds Vary: Origin itself; in a hand-written hook use reply.header('Vary', 'Origin') (append, do not overwrite an existing Vary)",
    php: "header('Vary: Origin', false); on every response whose Access-Control-Allow-Origin depends on the request, including the ones that send none",
    aspnet: 'The CORS middleware adds Vary: Origin; when writing the header yourself, Response.Headers.Append("Vary", "Origin")',
  }),
  'invalid-allow-origin': (ctx) => {
    const origins = ctx.origins.length ? ctx.origins : ['https://app.example.com'];
    return {
      summary:
        "Header-level: Access-Control-Allow-Origin must be exactly one value: `*`, `null` or the request's origin byte for byte (scheme://host[:port], lower case, no path, no trailing slash, no list, no patterns). Anything else never matches, so browsers block every read.",
      express: `cors({ origin: ${js(origins)} }) echoes the one that matches – never origin: '${origins.join(', ')}' or a value with a trailing slash`,
      fastify: `await app.register(cors, { origin: ${js(origins)} }) – the plugin echoes the matching one`,
      php: `send one header('Access-Control-Allow-Origin: ' . $origin) with the matching origin from the allow-list; never a comma-separated list or a second header() call`,
      aspnet: `p.WithOrigins(${cs(origins)}) – the middleware echoes the one that matches; do not also add the header by hand`,
    };
  },
  'preflight-failed': (ctx) => {
    const methods = ctx.methods.length ? ctx.methods : ['PUT'];
    const headers = ctx.headers;
    return {
      summary:
        'Answer the CORS preflight (OPTIONS with Origin and Access-Control-Request-Method) with a 2xx, before any authentication or routing that rejects OPTIONS, listing the methods and request headers your pages use.',
      express: `app.use(cors({ origin: ${js(ctx.origins)}, methods: ${js(['GET', 'HEAD', 'POST', ...methods])}${headers.length ? `, allowedHeaders: ${js(headers)}` : ''}${ctx.credentials ? ', credentials: true' : ''} })) before auth middleware and routes`,
      fastify: `await app.register(cors, { origin: ${js(ctx.origins)}, methods: ${js(['GET', 'HEAD', 'POST', ...methods])}${headers.length ? `, allowedHeaders: ${js(headers)}` : ''}${ctx.credentials ? ', credentials: true' : ''} }) – and no onRequest auth hook that rejects OPTIONS`,
      php: `if ($_SERVER['REQUEST_METHOD'] === 'OPTIONS' && isset($_SERVER['HTTP_ACCESS_CONTROL_REQUEST_METHOD'])) { /* allow-listed origin as above */ header('Access-Control-Allow-Methods: ${['GET', 'HEAD', 'POST', ...methods].join(', ')}');${headers.length ? ` header('Access-Control-Allow-Headers: ${headers.join(', ')}');` : ''} http_response_code(204); exit; } – before any login check`,
      aspnet: `p.WithOrigins(${cs(ctx.origins)}).WithMethods(${cs(['GET', 'HEAD', 'POST', ...methods])})${headers.length ? `.WithHeaders(${cs(headers)})` : ''}${ctx.credentials ? '.AllowCredentials()' : ''}; and app.UseCors() before UseAuthentication()/UseAuthorization()`,
    };
  },
  'allowed-origin-blocked': (ctx) => {
    const origins = ctx.origins.length ? ctx.origins : ['https://app.example.com'];
    const exposed = ctx.exposed;
    const files = loadsFiles(ctx.as ?? null);
    return {
      summary:
        requesterNote(ctx.as ?? null) +
        'An origin that should work is blocked. Allow it exactly as the browser sends it (scheme, host and port; no trailing slash); for credentials also send `Access-Control-Allow-Credentials: true` and never `*`; list the response headers pages read in Access-Control-Expose-Headers (`*` there does not apply to credentialed requests).',
      express: `${files ? 'app.use(' : ''}cors({ origin: ${js(origins)}${ctx.credentials ? ', credentials: true' : ''}${exposed.length ? `, exposedHeaders: ${js(exposed)}` : ''} })${files ? ') // before express.static(…), so the files carry it' : ''}`,
      fastify: `await app.register(cors, { origin: ${js(origins)}${ctx.credentials ? ', credentials: true' : ''}${exposed.length ? `, exposedHeaders: ${js(exposed)}` : ''} })${files ? ' // registered before @fastify/static' : ''}`,
      php: `echo the matching origin from ${php(origins)} in Access-Control-Allow-Origin${ctx.credentials ? " plus header('Access-Control-Allow-Credentials: true')" : ''}${exposed.length ? ` and header('Access-Control-Expose-Headers: ${exposed.join(', ')}')` : ''}`,
      aspnet: `p.WithOrigins(${cs(origins)})${ctx.credentials ? '.AllowCredentials()' : ''}${exposed.length ? `.WithExposedHeaders(${cs(exposed)})` : ''}`,
    };
  },
};

/** Requesters whose URL is usually a file (a font, a script, a stylesheet, an image), not an API route. */
function loadsFiles(as: Client | null): boolean {
  return as !== null && !sendsPageRequest(as) && as !== 'eventsource';
}

/** What the advice says first when the URL is loaded by another requester than fetch() or XHR. */
function requesterNote(as: Client | null): string {
  if (as === null || sendsPageRequest(as)) return '';
  const what = CLIENT_TITLES[as];
  switch (as) {
    case 'font':
      return 'Fonts are always fetched in CORS mode (CSS Fonts 4), so a font from another origin is used only if its own response – often a static file or a CDN object, not an API route – carries Access-Control-Allow-Origin. ';
    case 'module':
    case 'import':
    case 'module-worker':
      return `${what} is always fetched in CORS mode (HTML), so the script's own response must carry Access-Control-Allow-Origin. `;
    case 'eventsource':
      return 'EventSource is fetched in CORS mode; with withCredentials the stream needs the exact origin and Access-Control-Allow-Credentials: true. ';
    default:
      return `${what} with a crossorigin attribute is fetched in CORS mode, so the file's own response must carry Access-Control-Allow-Origin (without crossorigin it loads opaque: no canvas reads, muted script errors, unreadable cssRules). `;
  }
}

export function fixFor(id: FindingId, ctx: FixContext): FixAdvice {
  return FIXES[id](ctx);
}
