/**
 * Private and reserved address ranges that are never looked up in GeoIP databases (they have no
 * location). Sources: RFC 6890 (special-purpose registries), RFC 1918, RFC 6598, RFC 4193, RFC 4291.
 */

const V4_RESERVED: Array<[number, number]> = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15],
  ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
].map(([a, bits]) => [v4ToInt(a as string)!, bits as number]);

function v4ToInt(ip: string): number | undefined {
  const p = ip.split('.');
  if (p.length !== 4) return undefined;
  let n = 0;
  for (const x of p) {
    const v = Number(x);
    if (!Number.isInteger(v) || v < 0 || v > 255 || x === '') return undefined;
    n = n * 256 + v;
  }
  return n;
}

function v4Reserved(ip: string): boolean {
  const n = v4ToInt(ip);
  if (n === undefined) return true;
  for (const [base, bits] of V4_RESERVED) {
    const size = 2 ** (32 - bits);
    if (n >= base && n < base + size) return true;
  }
  return false;
}

/** True for addresses that must not be looked up: private, loopback, link-local, documentation, multicast... */
export function isPrivateOrReserved(ip: string): boolean {
  if (!ip.includes(':')) return v4Reserved(ip);
  const lower = ip.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped) return v4Reserved(mapped[1]);
  if (lower === '::' || lower === '::1') return true;
  const first = parseInt(lower.split(':')[0] || '0', 16);
  if ((first & 0xfe00) === 0xfc00) return true; // fc00::/7 unique local
  if ((first & 0xffc0) === 0xfe80) return true; // fe80::/10 link local
  if ((first & 0xff00) === 0xff00) return true; // ff00::/8 multicast
  if (lower.startsWith('2001:db8:') || lower.startsWith('2001:0db8:')) return true; // documentation
  return false;
}
