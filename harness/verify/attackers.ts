/**
 * Attacker origins derived from an origin the user names: the mistakes real allow-list code makes
 * (unanchored or unescaped regular expressions, `endsWith`, `startsWith`, scheme-blind matching,
 * string-echo of `null`) each get an origin that only such code lets in. Pure.
 *
 * All made-up names live under `.test` (RFC 2606: never a real domain) or imitate the user's own
 * host, and every page on them is hosted locally (harness/browser/hosting.ts).
 */
import { DEFAULT_PORT, pageOrigin, type PageOrigin } from '../browser/page-host';
import type { AttackerKind } from './types';

/** The unrelated attacker's registrable domain (RFC 2606 reserves `.test`). */
export const EVIL_HOST = 'evil-example.test';

/**
 * Characters some host-matching code stops at (`[a-z0-9.-]+`, `[\w.-]+`) but which the URL
 * Standard allows in a domain. Measured: Chromium 156 loads pages on both; Firefox 153 loads `_`
 * and refuses the backtick (its probes are then reported as not run, with the reason).
 */
export const SPECIAL_CHARACTERS = ['_', '`'] as const;

/** At most this many unescaped-dot variants per host (one per dot, from the left, the last excluded). */
const MAX_DOT_VARIANTS = 3;

export interface AttackerOrigin {
  kind: AttackerKind;
  page: PageOrigin;
  derivedFrom: string;
  /** One line: what kind of server code lets this origin in. */
  trap: string;
}

export interface SkippedAttacker {
  kind: AttackerKind;
  derivedFrom: string;
  reason: string;
}

function isIpLiteral(host: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.startsWith('[');
}

function build(scheme: string, host: string, port: number): string | null {
  const portPart = port === DEFAULT_PORT[scheme as 'http' | 'https'] ? '' : `:${port}`;
  const text = `${scheme}://${host}${portPart}`;
  try {
    const url = new URL(text);
    // The parser must keep the host as written (no IPv4 reinterpretation, no rejection).
    return url.origin === text ? text : null;
  } catch {
    return null;
  }
}

/** Derives every attacker origin for one allowed origin; skipped ones say why. */
export function deriveAttackers(allowedOrigin: string): { attackers: AttackerOrigin[]; skipped: SkippedAttacker[] } {
  const base = pageOrigin(allowedOrigin);
  if (base === null) throw new Error(`not an http(s) origin: ${allowedOrigin}`);
  const { scheme, host, port } = base;
  const attackers: AttackerOrigin[] = [];
  const skipped: SkippedAttacker[] = [];
  const add = (kind: AttackerKind, origin: string | null, trap: string, sandbox = false) => {
    const page = origin === null ? null : pageOrigin(origin, sandbox);
    if (page === null) {
      skipped.push({ kind, derivedFrom: allowedOrigin, reason: `no ${kind} origin can be made from ${allowedOrigin}` });
      return;
    }
    attackers.push({ kind, page, derivedFrom: allowedOrigin, trap });
  };
  const skip = (kind: AttackerKind, reason: string) => skipped.push({ kind, derivedFrom: allowedOrigin, reason });
  const ip = isIpLiteral(host);

  add('unrelated', build(scheme, EVIL_HOST, DEFAULT_PORT[scheme]), 'reflects the Origin header back without checking it');
  add(
    'null',
    build(scheme, EVIL_HOST, DEFAULT_PORT[scheme]),
    "allow-lists the string 'null' or echoes any Origin (sandboxed pages and data: URLs send Origin: null)",
    true,
  );
  add(
    'prefix-lookalike',
    build(scheme, `${host}.${EVIL_HOST}`, port),
    `checks startsWith('${allowedOrigin}') or a regular expression without $`,
  );
  if (ip) skip('suffix-lookalike', `${host} is an IP address: no name ends with it`);
  else
    add(
      'suffix-lookalike',
      build(scheme, `evil${host}`, port),
      `checks endsWith('${host}') or a regular expression without ^ or a dot before the host`,
    );
  // Every dot but the last: a letter there gives a name an attacker can register
  // (app.example.com → appxexample.com); one in the top-level domain (app.examplexcom) does not.
  const dots = [...host.matchAll(/\./g)].map((m) => m.index).slice(0, -1);
  if (ip || dots.length === 0) skip('unescaped-dot', ip ? `${host} is an IP address` : `${host} has no dot before its top-level domain`);
  for (const at of dots.slice(0, MAX_DOT_VARIANTS)) {
    if (ip) break;
    add(
      'unescaped-dot',
      build(scheme, `${host.slice(0, at)}x${host.slice(at + 1)}`, port),
      "uses a regular expression with an unescaped '.' (it matches any character)",
    );
  }
  if (ip) skip('subdomain', `${host} is an IP address: it has no sub-domains`);
  else
    add(
      'subdomain',
      build(scheme, `evil.${host}`, port),
      `trusts every sub-domain of ${host} (one taken-over or XSS-able sub-domain reads the API)`,
    );
  if (scheme === 'https') {
    add(
      'http-twin',
      build('http', host, port === 443 ? 80 : port),
      'matches the host but not the scheme, so a network attacker on plain http can read the API',
    );
  } else {
    skip('http-twin', `${allowedOrigin} is already http`);
  }
  for (const ch of SPECIAL_CHARACTERS) {
    add(
      'special-character',
      build(scheme, `${host}${ch}.${EVIL_HOST}`, port),
      `extracts the host with a pattern that stops at '${ch}' and then compares it`,
    );
  }
  return { attackers, skipped };
}
