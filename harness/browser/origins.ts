/**
 * The origin plan: named origins on loopback, ports from the OS.
 *
 * `*.localhost` names resolve to loopback in Chromium and Firefox with no flags, each name is its
 * own site, and they are secure contexts – so `Secure; SameSite=None` cookies work between
 * `app.localhost` and `api.localhost` over plain http (measured with Chromium 156 and Firefox 153). The https
 * variants use the same names on the https listener with a run-time certificate.
 */

export const HOSTS = {
  app: 'app.localhost',
  api: 'api.localhost',
  evil: 'evil.localhost',
  sub: 'sub.app.localhost',
  other: 'other.localhost',
} as const;

/** Where a probing page can live. `null` is a sandboxed document on app's host. */
export type PageName = 'app' | 'evil' | 'sub' | 'null' | 'app-https';
/** Where a request (or one hop of a redirect chain) can go. */
export type TargetName = 'api' | 'api-https' | 'other' | 'app' | 'evil';
export type OriginName = PageName | TargetName;

export interface Ports {
  http: number;
  https: number;
}

export class OriginPlan {
  constructor(readonly ports: Ports) {}

  /** The serialized origin (`null` for the sandboxed page). */
  origin(name: OriginName): string {
    if (name === 'null') return 'null';
    const secure = name.endsWith('-https');
    const host = HOSTS[name.replace(/-https$/, '') as keyof typeof HOSTS];
    return secure ? `https://${host}:${this.ports.https}` : `http://${host}:${this.ports.http}`;
  }

  /** The document a probing page for `name` loads. */
  pageUrl(name: PageName): string {
    if (name === 'null') return `${this.origin('app')}/__page?sandbox`;
    return `${this.origin(name)}/__page`;
  }

  /** Every origin by name, for `{name}` placeholders in case tables. */
  all(): Record<OriginName, string> {
    const names: OriginName[] = ['app', 'api', 'evil', 'sub', 'other', 'null', 'app-https', 'api-https'];
    return Object.fromEntries(names.map((n) => [n, this.origin(n)])) as Record<OriginName, string>;
  }
}
