/**
 * One misconfigured server per finding id, and a near-twin that differs only in the mistake: the
 * finding must appear for the first and not for the second. Origin-trust servers are the
 * reference node:http server under a Policy written the way people get it wrong; header-level
 * mistakes (which no framework makes on purpose) are small node:http handlers.
 */
import { APP, headersHandler, type ServerSpec } from './servers';
import { type FindingId } from '../../harness/verify';

export interface Scenario {
  finding: FindingId;
  /** The test title when one finding has more than one scenario. */
  name?: string;
  /** What the twin changes. */
  twinDiffers: string;
  trigger: ServerSpec;
  twin: ServerSpec;
  /** verify options beyond --origin https://app.example.com. */
  credentials: boolean;
  methods?: string[];
  /** The mistake shows only to a request that carries a cookie (the run's marker cookie). */
  needsCookie?: boolean;
}

const exact = (credentials: boolean): ServerSpec => ({ policy: { origin: APP, credentials } });

/** Echo `origin` as Access-Control-Allow-Origin when it is APP; `vary` adds Vary: Origin. */
const appOnly = (value: (o: string) => string, vary: boolean): ServerSpec => ({
  handler: headersHandler((o) =>
    o === APP
      ? [['Access-Control-Allow-Origin', value(o)], ...(vary ? ([['Vary', 'Origin']] as Array<[string, string]>) : [])]
      : vary
        ? [['Vary', 'Origin']]
        : [],
  ),
});

/**
 * Starlette's CORSMiddleware with allow_origins=['*'] and allow_credentials=True: `*` with
 * credentials to a request without a cookie, the request's own Origin to one with a cookie, and
 * the requested Origin on every preflight. `echoWithCookie: false` is its twin without the cookie
 * branch: `*` whatever the request carries.
 */
const starletteLike = (echoWithCookie: boolean): ServerSpec => ({
  handler: (req, res) => {
    const origin = req.headers.origin;
    const preflight = req.method === 'OPTIONS';
    const echo = origin !== undefined && (preflight || (echoWithCookie && req.headers.cookie !== undefined));
    const raw = ['Access-Control-Allow-Origin', echo ? origin : '*', 'Access-Control-Allow-Credentials', 'true', 'Vary', 'Origin'];
    if (preflight) {
      raw.push('Access-Control-Allow-Methods', 'DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT');
      const asked = req.headers['access-control-request-headers'];
      if (asked) raw.push('Access-Control-Allow-Headers', asked);
    }
    const body = preflight ? '' : 'data';
    raw.push('Content-Type', 'text/plain', 'Content-Length', String(Buffer.byteLength(body)));
    res.writeHead(200, raw);
    res.end(req.method === 'HEAD' || preflight ? undefined : body);
  },
});

export const SCENARIOS: readonly Scenario[] = [
  {
    finding: 'reflects-any-origin',
    twinDiffers: 'origin: the one app origin instead of true',
    trigger: { policy: { origin: true } },
    twin: exact(false),
    credentials: false,
  },
  {
    finding: 'reflects-any-origin-with-credentials',
    twinDiffers: 'no credentials: true',
    trigger: { policy: { origin: true, credentials: true } },
    twin: { policy: { origin: true } },
    credentials: true,
  },
  {
    finding: 'reflects-any-origin-with-credentials',
    name: 'reflects-any-origin-with-credentials only to a request with a cookie',
    twinDiffers: '`*` whether or not a cookie comes (no echo branch)',
    trigger: starletteLike(true),
    twin: starletteLike(false),
    credentials: true,
    needsCookie: true,
  },
  {
    finding: 'trusts-null-origin',
    twinDiffers: "no 'null' in the allow-list",
    trigger: { policy: { origin: [APP, 'null'], credentials: true } },
    twin: { policy: { origin: [APP], credentials: true } },
    credentials: true,
  },
  {
    finding: 'trusts-prefix-lookalike',
    twinDiffers: 'the RegExp ends with $',
    trigger: { policy: { origin: /^https:\/\/app\.example\.com/, credentials: true } },
    twin: { policy: { origin: /^https:\/\/app\.example\.com$/, credentials: true } },
    credentials: true,
  },
  {
    finding: 'trusts-suffix-lookalike',
    twinDiffers: 'the RegExp starts with ^https:// and escapes the dot before the host',
    trigger: { policy: { origin: /app\.example\.com$/, credentials: true } },
    twin: { policy: { origin: /^https:\/\/app\.example\.com$/, credentials: true } },
    credentials: true,
  },
  {
    finding: 'trusts-unescaped-dot',
    twinDiffers: 'the dots are escaped',
    trigger: { policy: { origin: /^https:\/\/app.example.com$/, credentials: true } },
    twin: { policy: { origin: /^https:\/\/app\.example\.com$/, credentials: true } },
    credentials: true,
  },
  {
    finding: 'trusts-any-subdomain',
    twinDiffers: 'no ([a-z0-9-]+\\.)* before the host',
    trigger: { policy: { origin: /^https:\/\/([a-z0-9-]+\.)*app\.example\.com$/, credentials: true } },
    twin: { policy: { origin: /^https:\/\/app\.example\.com$/, credentials: true } },
    credentials: true,
  },
  {
    finding: 'trusts-http-origin',
    twinDiffers: 'https only (no s? in the RegExp)',
    trigger: { policy: { origin: /^https?:\/\/app\.example\.com$/, credentials: true } },
    twin: { policy: { origin: /^https:\/\/app\.example\.com$/, credentials: true } },
    credentials: true,
  },
  {
    finding: 'wildcard-with-credentials',
    twinDiffers: 'no Access-Control-Allow-Credentials',
    trigger: {
      handler: headersHandler(() => [
        ['Access-Control-Allow-Origin', '*'],
        ['Access-Control-Allow-Credentials', 'true'],
      ]),
    },
    twin: { handler: headersHandler(() => [['Access-Control-Allow-Origin', '*']]) },
    credentials: false,
  },
  {
    finding: 'missing-vary-origin',
    twinDiffers: 'Vary: Origin on every response',
    trigger: appOnly((o) => o, false),
    twin: appOnly((o) => o, true),
    credentials: false,
  },
  {
    finding: 'invalid-allow-origin',
    twinDiffers: 'no trailing slash',
    trigger: appOnly((o) => `${o}/`, true),
    twin: appOnly((o) => o, true),
    credentials: false,
  },
  {
    finding: 'preflight-failed',
    twinDiffers: 'PUT is in methods',
    trigger: { policy: { origin: APP, credentials: true, methods: ['GET', 'HEAD', 'POST'] } },
    twin: { policy: { origin: APP, credentials: true, methods: ['GET', 'HEAD', 'POST', 'PUT'] } },
    credentials: true,
    methods: ['PUT'],
  },
  {
    finding: 'allowed-origin-blocked',
    twinDiffers: 'the allow-list names https://app.example.com, not https://other.example.com',
    trigger: { policy: { origin: 'https://other.example.com', credentials: true } },
    twin: exact(true),
    credentials: true,
  },
];
