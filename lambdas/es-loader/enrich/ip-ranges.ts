/**
 * Private and reserved address ranges that are never looked up in GeoIP databases (they have no
 * location). Sources: RFC 6890 (special-purpose registries), RFC 1918, RFC 6598, RFC 4193, RFC 4291.
 *
 * Node's `net.BlockList` does the matching: it parses every IPv6 notation, and checks an IPv4-mapped
 * IPv6 address (`::ffff:10.0.0.1`, also written `::ffff:a00:1`) against the IPv4 ranges.
 */
import { BlockList, isIP } from 'node:net';

const V4_RESERVED: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15],
  ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
];

const V6_RESERVED: ReadonlyArray<readonly [string, number]> = [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link local
  ['ff00::', 8], // multicast
  ['2001:db8::', 32], // documentation
];

const RESERVED = new BlockList();
for (const [net, bits] of V4_RESERVED) RESERVED.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of V6_RESERVED) RESERVED.addSubnet(net, bits, 'ipv6');

/**
 * Answers already given, per address. `BlockList.check` parses its argument into a native
 * SocketAddress each time (a few microseconds); logs repeat the same addresses over and over, so a
 * bounded memo makes the check nearly free for them. Cleared when full, so memory stays bounded.
 */
const MEMO_SIZE = 16_384;
const memo = new Map<string, boolean>();

/**
 * A copy of `s` that does not keep alive the string it was cut from. V8 makes a substring of 13 or more
 * characters a view into its parent (a line, or a whole decoded chunk of a file), so a memo that keeps
 * such a key keeps megabytes with it. Shorter strings are copies already.
 */
export function detached(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

/**
 * A dotted-quad IPv4 address in its canonical form (1-3 digits per part, no leading zero, each <= 255) as
 * an unsigned 32-bit number; -1 for anything else (IPv6, other notations, non-addresses), which callers
 * then treat as text. One pass over the characters, no allocation (issue 16, bench:enrich).
 */
export function ipv4Number(s: string): number {
  const len = s.length;
  if (len < 7 || len > 15) return -1;
  let value = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let i = 0; i <= len; i++) {
    const c = i < len ? s.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || part > 255 || parts === 4) return -1;
      value = value * 256 + part;
      parts++;
      part = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits === 1 && part === 0) return -1; // leading zero
      part = part * 10 + (c - 48);
      digits++;
    } else return -1;
  }
  return parts === 4 ? value : -1;
}

/** [first address, last address] of the reserved IPv4 ranges, as numbers. */
const V4_NUMERIC: ReadonlyArray<readonly [number, number]> = V4_RESERVED.map(([net, bits]) => {
  const start = ipv4Number(net);
  return [start, start + 2 ** (32 - bits) - 1] as const;
});

/**
 * First octets that some reserved range touches (0, 10, 100, 127, 169, 172, 192, 198, 203, 224-255): any
 * other address is public after one array read, without walking the ranges (about 100 ns saved per public
 * address, bench:enrich).
 */
const V4_FIRST_OCTETS = new Uint8Array(256);
for (const [start, end] of V4_NUMERIC) for (let o = Math.floor(start / 2 ** 24); o <= Math.floor(end / 2 ** 24); o++) V4_FIRST_OCTETS[o] = 1;
const V4_STARTS = V4_NUMERIC.map(([start]) => start);
const V4_ENDS = V4_NUMERIC.map(([, end]) => end);

/** isPrivateOrReserved for an address given as ipv4Number's number (no parsing, no memo). */
export function isPrivateOrReservedV4(n: number): boolean {
  if (V4_FIRST_OCTETS[n >>> 24] !== 1) return false;
  for (let i = 0; i < V4_STARTS.length; i++) if (n >= V4_STARTS[i]! && n <= V4_ENDS[i]!) return true;
  return false;
}

/** True for addresses that must not be looked up: private, loopback, link-local, documentation, multicast... and non-addresses. */
export function isPrivateOrReserved(ip: string): boolean {
  const known = memo.get(ip);
  if (known !== undefined) return known;
  const family = isIP(ip);
  const reserved = family === 0 || RESERVED.check(ip, family === 4 ? 'ipv4' : 'ipv6');
  if (memo.size >= MEMO_SIZE) memo.clear();
  memo.set(ip, reserved);
  return reserved;
}
