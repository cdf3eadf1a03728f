/**
 * The probe plan: every request verify makes from a browser page, with what is expected of it.
 * Pure – the same inputs give the same probes in the same order with the same ids, so the
 * Playwright `target` project can list one test per probe before anything runs.
 *
 * Per allowed origin: GET, HEAD and an empty form POST; one preflighted request per method named
 * with --method and per header named with --header; a GET that reads the exposed response
 * headers. Each with fetch and XHR, with and without credentials. Per attacker origin (attackers.ts):
 * a GET with and without credentials. Per denied origin (expect file): a GET likewise.
 *
 * With another requester (`as`: a font, a module script, an image…): from each origin, that
 * requester's load in each of its forms instead (requesterForms) – what the page's element or API
 * really sends, never a method or header it cannot.
 */
import {
  CLIENT_TITLES,
  isSafelistedMethod,
  normalizeMethod,
  requesterForms,
  requestModes,
  type Client,
  type CrossOriginAttribute,
  type Outcome,
} from '../oracle';
import { deriveAttackers, type AttackerOrigin, type SkippedAttacker } from './attackers';
import { matchAllow, probedOrigins, type Expectations, type OriginExpectation } from './expect-file';
import { pageOrigin, type PageOrigin } from '../browser/page-host';
import type { Shape, VerifyProbe } from './types';

export interface PlanInput {
  targetUrl: string;
  expectations: Expectations;
  /** Methods the user named with --method: the only non-safelisted methods ever sent. */
  methods: string[];
  /** Headers named with --header, with the values to send. */
  headers: Array<[string, string]>;
  /**
   * Methods the server is known to serve here (an OpenAPI operation) but the user did not name:
   * like the expect file's, only their preflight is sent, from Node.
   */
  listedMethods?: string[];
  /** The requester of the URL on the user's pages (null or absent: fetch and XHR). */
  as?: Client | null;
}

export interface Plan {
  probes: VerifyProbe[];
  skippedAttackers: SkippedAttacker[];
  /** Every page origin the plan needs, in first-use order (what hosting.ts must serve). */
  pages: PageOrigin[];
}

const CLIENTS = [
  { client: 'fetch', credentials: false },
  { client: 'fetch', credentials: true },
  { client: 'xhr', credentials: false },
  { client: 'xhr', credentials: true },
] as const;

const FETCH_ONLY = CLIENTS.slice(0, 2);

/** A requester form (oracle/requesters.ts) as verify probes it. */
interface PlannedForm {
  label: string;
  crossorigin?: CrossOriginAttribute;
  /** Whether the request carries credentials (so: what the expectation's credentials decide). */
  credentials: boolean;
  /** A no-cors load: it succeeds opaque whatever the server says, so it is expected opaque. */
  noCors: boolean;
}

function plannedForms(as: Client): PlannedForm[] {
  return requesterForms(as).map((f) => {
    const modes = requestModes(f);
    return {
      label: f.crossorigin ? `crossorigin=${f.crossorigin}` : f.credentials ? '+credentials' : '',
      ...(f.crossorigin ? { crossorigin: f.crossorigin } : {}),
      credentials: modes.credentials === 'include',
      noCors: modes.mode === 'no-cors',
    };
  });
}

const HEADER_VALUE = 'cors-conform';

function variant(client: 'fetch' | 'xhr', credentials: boolean): string {
  return `${client}${credentials ? '+credentials' : ''}`;
}

function pageLabel(page: PageOrigin): string {
  return page.origin === 'null' ? `null (sandboxed page on ${new URL(page.pageUrl).origin})` : page.origin;
}

/** Expected outcome for a credentials variant, given whether the request itself is meant to work. */
function credentialed(
  entry: OriginExpectation,
  credentials: boolean,
  works: boolean,
  what: string,
): { expected: Outcome; because: string } {
  if (!works) return { expected: 'blocked', because: `${what} is not in the allowed list for ${entry.origin} (${entry.source})` };
  if (credentials && !entry.credentials) {
    return {
      expected: 'blocked',
      because: `credentials are not expected to work from ${entry.origin} (${entry.source === 'command line' ? 'no --credentials' : 'expect file: credentials is not true'})`,
    };
  }
  return { expected: 'allowed', because: `${entry.origin} is an allowed origin (${entry.source})` };
}

function listed(list: string[] | null, name: string): boolean {
  return list === null || list.some((x) => x.toLowerCase() === name.toLowerCase());
}

/**
 * The attacker origins derived from each allowed origin, leaving out any the user named (or the
 * target's own), each with its expect-file entry when a pattern there admits it.
 */
function attackersOf(
  input: PlanInput,
  allowed: readonly string[],
  taken: ReadonlySet<string>,
): { attackers: Array<{ a: AttackerOrigin; entry: OriginExpectation | null }>; skipped: SkippedAttacker[] } {
  const attackers: Array<{ a: AttackerOrigin; entry: OriginExpectation | null }> = [];
  const skipped: SkippedAttacker[] = [];
  for (const origin of allowed) {
    const derived = deriveAttackers(origin);
    skipped.push(...derived.skipped);
    for (const a of derived.attackers) {
      if (a.page.origin !== 'null' && taken.has(a.page.origin)) continue;
      attackers.push({ a, entry: a.page.origin === 'null' ? null : matchAllow(input.expectations, a.page.origin) });
    }
  }
  return { attackers, skipped };
}

/** What an attacker page's request should get: blocked, unless the expect file admits the origin or says the API is public. */
function attackerExpectation(
  input: PlanInput,
  { a, entry }: { a: AttackerOrigin; entry: OriginExpectation | null },
  credentials: boolean,
  what: string,
): { expected: Outcome; because: string } {
  if (entry) return credentialed(entry, credentials, true, what);
  if (input.expectations.public && !credentials)
    return { expected: 'allowed', because: 'the expect file says the API is public (any origin may read without credentials)' };
  return { expected: 'blocked', because: `${a.kind} origins are attacker origins (let in by a server that ${a.trap})` };
}

type ProbeDraft = Omit<VerifyProbe, 'readHeaders' | 'skip' | 'body' | 'headers' | 'via'> &
  Partial<Pick<VerifyProbe, 'readHeaders' | 'skip' | 'body' | 'headers' | 'via'>>;

/** Collects a plan's probes: defaults filled in, the first probe of an id kept, pages in first-use order. */
function planCollector(): { add: (p: ProbeDraft) => void; plan: (skippedAttackers: SkippedAttacker[]) => Plan } {
  const probes: VerifyProbe[] = [];
  const pages = new Map<string, PageOrigin>();
  const ids = new Set<string>();
  return {
    add: (p) => {
      const given = Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as ProbeDraft;
      const probe: VerifyProbe = { headers: [], body: null, readHeaders: null, skip: null, via: 'browser', ...given };
      if (ids.has(probe.id)) return;
      ids.add(probe.id);
      if (!pages.has(probe.page.pageUrl)) pages.set(probe.page.pageUrl, probe.page);
      probes.push(probe);
    },
    plan: (skippedAttackers) => ({ probes, skippedAttackers, pages: [...pages.values()] }),
  };
}

/** The plan for a requester other than fetch() and XHR (see the top of this file). */
function requesterPlan(input: PlanInput, as: Client): Plan {
  const collector = planCollector();
  const forms = plannedForms(as);
  const cors = forms.filter((f) => !f.noCors);
  const name = (origin: string, f: PlannedForm) => `${origin} ${as}${f.label ? ` ${f.label}` : ''}`;
  // The requester's one request: a plain GET, in the form's crossorigin state.
  const add = (p: Omit<ProbeDraft, 'shape' | 'method' | 'client'>, f: PlannedForm) =>
    collector.add({ ...p, shape: 'get', method: 'GET', client: as, ...(f.crossorigin ? { crossorigin: f.crossorigin } : {}) });
  const what = CLIENT_TITLES[as];
  const { allowed, denied } = probedOrigins(input.expectations);
  for (const origin of allowed) {
    const entry = matchAllow(input.expectations, origin)!;
    const page = pageOrigin(origin)!;
    for (const f of forms) {
      const expectation = f.noCors
        ? { expected: 'opaque' as const, because: `${what} without crossorigin is a no-cors load: it loads, opaque to the page` }
        : credentialed(entry, f.credentials, true, what);
      add({ id: name(origin, f), role: 'allowed', kind: 'named', page, derivedFrom: null, credentials: f.credentials, ...expectation }, f);
    }
  }
  for (const origin of denied) {
    const page = pageOrigin(origin)!;
    for (const f of cors)
      add(
        {
          id: `denied ${name(origin, f)}`,
          role: 'denied',
          kind: 'named',
          page,
          derivedFrom: null,
          credentials: f.credentials,
          expected: 'blocked',
          because: `the expect file denies ${origin}`,
        },
        f,
      );
  }
  const { attackers, skipped } = attackersOf(input, allowed, new Set([...allowed, ...denied, new URL(input.targetUrl).origin]));
  for (const attacker of attackers) {
    const { a } = attacker;
    // Only CORS-mode forms: a no-cors load succeeds for every origin and reads nothing.
    for (const f of cors) {
      const id = `attacker ${a.kind} ${as}${f.label ? ` ${f.label}` : ''} ${pageLabel(a.page)}`;
      const expectation = attackerExpectation(input, attacker, f.credentials, what);
      add({ id, role: 'attacker', kind: a.kind, page: a.page, derivedFrom: a.derivedFrom, credentials: f.credentials, ...expectation }, f);
    }
  }
  return collector.plan(skipped);
}

export function buildPlan(input: PlanInput): Plan {
  const as = input.as ?? null;
  if (as !== null && as !== 'fetch' && as !== 'xhr') return requesterPlan(input, as);
  // --as fetch or --as xhr: that client's probes only.
  const clients = as === null ? CLIENTS : CLIENTS.filter((c) => c.client === as);
  const fetchOnly = as === 'xhr' ? clients : FETCH_ONLY.filter((c) => clients.includes(c));
  const targetOrigin = new URL(input.targetUrl).origin;
  const { add, plan } = planCollector();
  const { allowed, denied } = probedOrigins(input.expectations);
  const named = new Map(input.methods.map((m) => [normalizeMethod(m), m]));

  for (const origin of allowed) {
    const entry = matchAllow(input.expectations, origin)!;
    const page = pageOrigin(origin)!;
    const base = { role: 'allowed', kind: 'named', page, derivedFrom: null } as const;
    const simple: Array<{ shape: Shape; method: string; headers?: Array<[string, string]>; body?: string }> = [
      { shape: 'get', method: 'GET' },
      { shape: 'head', method: 'HEAD' },
      { shape: 'post-form', method: 'POST', headers: [['Content-Type', 'application/x-www-form-urlencoded']], body: '' },
    ];
    for (const s of simple) {
      for (const { client, credentials } of clients) {
        add({
          ...base,
          id: `${origin} ${s.method} ${variant(client, credentials)}`,
          shape: s.shape,
          method: s.method,
          headers: s.headers,
          body: s.body ?? null,
          client,
          credentials,
          ...credentialed(entry, credentials, true, s.method),
        });
      }
    }
    // Methods: the ones named on the command line, plus any the expect file (or an OpenAPI
    // operation) lists. Those only go out as the preflight a browser would send, from Node:
    // cors-conform never sends a state-changing request the user did not name.
    const methods = new Map(named);
    for (const m of [...(entry.methods ?? []), ...(input.listedMethods ?? [])])
      if (!methods.has(normalizeMethod(m))) methods.set(normalizeMethod(m), m);
    for (const [normalized, method] of methods) {
      if (isSafelistedMethod(normalized)) continue;
      const fromNode = !named.has(normalized);
      for (const { client, credentials } of fromNode ? fetchOnly : clients) {
        add({
          ...base,
          id: fromNode
            ? `${origin} ${method} (preflight only, from Node)${credentials ? ' +credentials' : ''}`
            : `${origin} ${method} (preflighted) ${variant(client, credentials)}`,
          shape: 'preflight-method',
          method,
          client,
          credentials,
          ...(fromNode ? { via: 'node-preflight' as const } : {}),
          ...credentialed(entry, credentials, listed(entry.methods, normalized), `method ${method}`),
        });
      }
    }
    const headers = new Map(input.headers.map(([n, v]) => [n.toLowerCase(), [n, v] as [string, string]]));
    for (const h of entry.requestHeaders ?? [])
      if (!headers.has(h.toLowerCase()))
        headers.set(h.toLowerCase(), [h, h.toLowerCase() === 'content-type' ? 'application/json' : HEADER_VALUE]);
    for (const [name, value] of headers.values()) {
      for (const { client, credentials } of clients) {
        add({
          ...base,
          id: `${origin} GET with ${name} (preflighted) ${variant(client, credentials)}`,
          shape: 'preflight-header',
          method: 'GET',
          headers: [[name, value]],
          client,
          credentials,
          ...credentialed(entry, credentials, listed(entry.requestHeaders, name), `request header ${name}`),
        });
      }
    }
    for (const { client, credentials } of fetchOnly) {
      add({
        ...base,
        id: `${origin} GET read exposed headers ${variant(client, credentials)}`,
        shape: 'read-headers',
        method: 'GET',
        client,
        credentials,
        readHeaders: entry.readableHeaders,
        ...credentialed(entry, credentials, true, 'reading the response headers'),
      });
    }
  }

  for (const origin of denied) {
    const page = pageOrigin(origin)!;
    for (const { client, credentials } of fetchOnly) {
      add({
        role: 'denied',
        kind: 'named',
        page,
        derivedFrom: null,
        id: `denied ${origin} GET ${variant(client, credentials)}`,
        shape: 'get',
        method: 'GET',
        client,
        credentials,
        expected: 'blocked',
        because: `the expect file denies ${origin}`,
      });
    }
  }

  const { attackers, skipped: skippedAttackers } = attackersOf(input, allowed, new Set([...allowed, ...denied, targetOrigin]));
  for (const attacker of attackers) {
    const { a } = attacker;
    for (const { client, credentials } of fetchOnly) {
      add({
        role: 'attacker',
        kind: a.kind,
        page: a.page,
        derivedFrom: a.derivedFrom,
        id: `attacker ${a.kind} ${pageLabel(a.page)} GET ${variant(client, credentials)}`,
        shape: 'get',
        method: 'GET',
        client,
        credentials,
        ...attackerExpectation(input, attacker, credentials, 'GET'),
      });
    }
  }
  return plan(skippedAttackers);
}
