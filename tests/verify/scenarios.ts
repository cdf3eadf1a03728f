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
  /** What the twin changes. */
  twinDiffers: string;
  trigger: ServerSpec;
  twin: ServerSpec;
  /** verify options beyond --origin https://app.example.com. */
  credentials: boolean;
  methods?: string[];
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
