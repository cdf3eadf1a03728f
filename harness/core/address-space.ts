/**
 * The IP address spaces of Local Network Access (WICG draft,
 * https://wicg.github.io/local-network-access/): which space an address is in. The protocol suite's
 * Local Network Access cases and verify's note both speak in these.
 */

/** The draft's IP address spaces, most private first. */
export type AddressSpace = 'loopback' | 'local' | 'public';

function ipv4Parts(ip: string): number[] | null {
  const m = /^(?:::ffff:)?(\d+)\.(\d+)\.(\d+)\.(\d+)$/i.exec(ip);
  return m ? m.slice(1).map(Number) : null;
}

/** The address space of an IP address (the draft's table: loopback, then the private ranges). */
export function addressSpaceOf(ip: string): AddressSpace {
  const v4 = ipv4Parts(ip);
  if (v4) {
    const [a, b] = v4 as [number, number];
    if (a === 127) return 'loopback';
    if (
      a === 10 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    )
      return 'local';
    return 'public';
  }
  const v6 = ip.toLowerCase().replace(/^\[|\]$/g, '');
  if (v6 === '::1') return 'loopback';
  if (/^f[cd][0-9a-f]{2}:/.test(v6) || /^fe[89ab][0-9a-f]:/.test(v6)) return 'local';
  return 'public';
}
