/**
 * The policy table: CORS policies people really write, each run against every reference server.
 * Origins are filled in at run time (`o.app` is http://app.localhost:<port>); RegExps use `\d+`
 * for the port. A `holes` entry names a page the policy admits although its writer did not mean
 * it to, with the reason; the suite checks that the hole really is there.
 */
import type { PolicyCase } from '../../harness/server-suite/model';

export const POLICY_TABLE: readonly PolicyCase[] = [
  {
    id: 'public-api',
    title: "A public, read-only API: origin '*'.",
    policy: () => ({ origin: '*' }),
  },
  {
    id: 'single-origin',
    title: "One front end, as in cors's README (optionsSuccessStatus: 200 for legacy browsers).",
    policy: (o) => ({ origin: o.app, optionsSuccessStatus: 200 }),
  },
  {
    id: 'allow-list',
    title: 'An allow-list of exact origins.',
    policy: (o) => ({ origin: [o.app, o.sub] }),
  },
  {
    id: 'regexp-subdomains',
    title: 'A RegExp for app.localhost and its subdomains, dots escaped and anchored.',
    policy: () => ({ origin: /^http:\/\/(.+\.)?app\.localhost:\d+$/ }),
  },
  {
    id: 'regexp-unescaped-dot',
    title: 'The same RegExp with its dots unescaped: `.` matches any character.',
    policy: () => ({ origin: /^http:\/\/(.+.)?app.localhost:\d+$/ }),
    holes: { lookalike: 'the unescaped `.` in `(.+.)?app` matches the "l" of evilapp.localhost, so that lookalike origin is admitted' },
  },
  {
    id: 'reflect-any-with-credentials',
    title: "origin: true with credentials: every origin may read with the user's cookies (insecure, but meant).",
    policy: () => ({ origin: true, credentials: true }),
  },
  {
    id: 'credentials-with-explicit-origin',
    title: 'Cookies for one named front end: the secure way to allow credentials.',
    policy: (o) => ({ origin: o.app, credentials: true }),
  },
  {
    id: 'wildcard-with-credentials',
    title: "origin '*' with credentials: true, the common mistake: meant as any origin with cookies.",
    policy: () => ({ origin: '*', credentials: true }),
  },
  {
    id: 'custom-allowed-headers',
    title: 'A token-header API: allowedHeaders lists X-Auth-Token.',
    policy: (o) => ({ origin: o.app, allowedHeaders: ['Content-Type', 'X-Auth-Token'] }),
  },
  {
    id: 'allowed-headers-without-custom',
    title: 'allowedHeaders lists only Content-Type: a custom header is refused.',
    policy: (o) => ({ origin: o.app, allowedHeaders: ['Content-Type'] }),
  },
  {
    id: 'allowed-headers-unset',
    title: 'A public API naming its methods but not its headers: any request header is meant to pass (cors reflects ACRH).',
    policy: () => ({ origin: '*', methods: ['GET', 'POST', 'PUT', 'DELETE'] }),
  },
  {
    id: 'restricted-methods',
    title: 'GET and POST only, with OPTIONS listed as people often do: PUT and DELETE are refused.',
    policy: (o) => ({ origin: o.app, methods: ['GET', 'POST', 'OPTIONS'] }),
  },
  {
    id: 'exposed-headers',
    title: 'exposedHeaders: X-Request-Id is readable, X-Total-Count is not.',
    policy: (o) => ({ origin: o.app, exposedHeaders: ['X-Request-Id'] }),
  },
  {
    id: 'max-age',
    title: 'maxAge: 600, so browsers may reuse a preflight for ten minutes.',
    policy: (o) => ({ origin: o.app, maxAge: 600 }),
  },
  {
    id: 'null-trusted',
    title: "origin: [app, 'null'] to let sandboxed pages and file:// in: every opaque origin is admitted.",
    policy: (o) => ({ origin: [o.app, 'null'] }),
  },
];
