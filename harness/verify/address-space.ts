/**
 * Local Network Access (WICG draft, https://wicg.github.io/local-network-access/; Chromium 142+):
 * a page may reach a more private address space than its own – a public page calling `localhost`
 * or a 10.x API – only from a secure context, and only once the user grants the
 * `local-network-access` permission. verify's pages are served from loopback, so its probes never
 * meet this gate; this module says, from the target's addresses and the claimed origins, when real
 * pages on those origins would. Pure.
 */
import { addressSpaceOf, type AddressSpace } from '../core/address-space';

const RANK: Record<AddressSpace, number> = { loopback: 0, local: 1, public: 2 };

/**
 * The address space a page on `origin` would be in where it really lives: loopback for
 * `localhost` names and loopback addresses, local for private addresses and `.local` names, public
 * for any other name (a claimed origin on a DNS name is taken to be served from the internet).
 */
export function claimedSpace(origin: string): AddressSpace {
  let host: string;
  try {
    host = new URL(origin).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return 'public';
  }
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
  if (/^[\d.]+$/.test(host) || host.includes(':')) return addressSpaceOf(host);
  if (host.endsWith('.local')) return 'local';
  return 'public';
}

/** What verify reports when a claimed origin would call a more private target. */
export interface LocalNetworkNote {
  /** The target's address (the most private of those it resolves to) and its space. */
  address: string;
  space: Exclude<AddressSpace, 'public'>;
  /** Each claimed origin less private than the target, with what its page needs. */
  origins: Array<{ origin: string; space: Exclude<AddressSpace, 'loopback'>; needs: string }>;
}

/** The note for a target resolving to `addresses`, called from pages on `origins`; null when none applies. */
export function localNetworkNote(addresses: readonly string[], origins: readonly string[]): LocalNetworkNote | null {
  if (addresses.length === 0) return null;
  const address = [...addresses].sort((x, y) => RANK[addressSpaceOf(x)] - RANK[addressSpaceOf(y)])[0]!;
  const space = addressSpaceOf(address);
  if (space === 'public') return null;
  const out: LocalNetworkNote['origins'] = [];
  for (const origin of origins) {
    const from = claimedSpace(origin);
    if (from === 'loopback' || RANK[from] <= RANK[space]) continue;
    const secure = origin.startsWith('https:');
    out.push({
      origin,
      space: from,
      needs: secure
        ? `the user must grant the page the local-network-access permission (Chromium 142+ asks on the first request); without it every request to this ${space} target is blocked before it is sent`
        : `nothing reaches this ${space} target from it in Chromium 142+: the page is not a secure context, so requests are blocked before they are sent and the permission cannot be granted – serve the page over https, then the user must grant the local-network-access permission`,
    });
  }
  return out.length > 0 ? { address, space, origins: out } : null;
}

/** The note as lines of text (the table and Markdown outputs). */
export function localNetworkLines(note: LocalNetworkNote): string[] {
  return [
    `the target is on the ${note.space} address space (${note.address}); verify's pages are served from loopback, so the probes above do not meet Local Network Access (Chromium 142+; not in Firefox or WebKit):`,
    ...note.origins.map((o) => `from ${o.origin} (${o.space}): ${o.needs}`),
  ];
}
