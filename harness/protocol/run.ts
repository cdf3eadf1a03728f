/**
 * Runs a group of cases against the scripted server in one browser: registers every case's hops,
 * puts the cookies cookie-cases need, sends all probes batched (one page per page origin) and
 * collects what each page saw and what reached the server.
 */
import { newToken, scriptedPathOf, tokenCookieName } from '../core/probe-url';
import { DEFAULT_STEP_TIMEOUT_MS, materialize, pageOf, type CaseSpec, type Materialized } from './case';
import { batchesByPage, type ProbingEnv, type StepResult } from '../browser/runner';
import type { ScriptedHop, ScriptedServer } from './scripted-server';
import type { WireEntry } from '../core/wire';

/** The protocol suite's environment: a probing browser and the scripted server that hosts its pages. */
export interface ProtocolEnv extends ProbingEnv {
  server: ScriptedServer;
}

export interface Observation {
  case: Materialized;
  steps: StepResult[];
  wire: WireEntry[];
}

export async function runCases(env: ProtocolEnv, specs: readonly CaseSpec[]): Promise<Map<string, Observation>> {
  // Opening a page costs more than materializing and scripting a whole table (Chromium ~250 ms,
  // Firefox ~450 ms, against ~40–130 ms for 1,000 cases): start now, so the two overlap. run()
  // below finds the pages open (or opening); one that failed is opened again there, and fails.
  void env.session.preload([...new Set(specs.map((s) => env.plan.pageUrl(pageOf(s))))]);
  const cases = specs.map((spec) => materialize(spec, env.plan, newToken()));
  for (const c of cases) env.server.script(c.token, c.hops);

  // Cookies live on each hop's host under the case's path, so no case sees another's cookie.
  const cookies = cases
    .filter((c) => c.spec.cookie)
    .flatMap((c) =>
      [...new Set(c.hopUrls.map((u) => new URL(u).hostname))].map((domain) => ({
        name: tokenCookieName(c.token),
        value: '1',
        domain,
        path: scriptedPathOf(c.token),
        secure: true,
        sameSite: 'None' as const,
      })),
    );
  if (cookies.length > 0) await env.browser.addCookies(cookies);

  // Cases that wait between steps (preflight-cache expiry) go first, so their waits overlap the
  // rest of the batch instead of trailing it.
  const waits = (c: Materialized) => c.steps.some((s) => s.delayMs > 0);
  const results = await env.session.run(batchesByPage([...cases.filter(waits), ...cases.filter((c) => !waits(c))]));

  const out = new Map<string, Observation>();
  for (const c of cases) {
    const result = results.get(c.token);
    if (!result) throw new Error(`probe ${c.spec.id} returned no result`);
    out.set(c.spec.id, { case: c, steps: result.steps, wire: env.server.wire.entries(c.token) });
    // The observation keeps the wire; the server need not remember the case any longer (a long
    // run would otherwise hold every script and log it ever served).
    env.server.unscript(c.token);
  }
  return out;
}

/**
 * One probe outside the case tables (the browser-policy cases: third-party cookies, Local Network
 * Access): `hops` scripted under `token` for the run, plain fetch() steps from one page, one after
 * another; what the page saw and what reached the server.
 */
export async function runScriptedFetches(
  env: ProtocolEnv,
  token: string,
  hops: ScriptedHop[],
  pageUrl: string,
  requests: ReadonlyArray<{ url: string; method: string; credentials: 'omit' | 'include' }>,
): Promise<{ steps: StepResult[]; wire: WireEntry[] }> {
  env.server.script(token, hops);
  try {
    const steps = requests.map((r) => ({
      ...r,
      headers: [],
      body: null,
      client: 'fetch' as const,
      redirect: 'follow' as const,
      delayMs: 0,
      timeoutMs: DEFAULT_STEP_TIMEOUT_MS,
    }));
    const results = await env.session.run([{ pageUrl, probes: [{ id: token, steps }] }]);
    return { steps: results.get(token)?.steps ?? [], wire: env.server.wire.entries(token) };
  } finally {
    env.server.unscript(token);
  }
}
