/**
 * IP address and network parsing for the IoC database, written for the lookup path: no regular
 * expressions, no allocation for IPv4, IPv6 into a caller's 4-word buffer (most significant word first).
 */

/** IPv4 dotted quad between `from` and `to` as an unsigned 32-bit number; -1 when it is not one. */
export function parseIpv4(s: string, from = 0, to = s.length): number {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      // A leading zero ("01") is ambiguous (octal in some parsers): refuse it.
      if (digits === 1 && part === 0) return -1;
      part = part * 10 + (c - 48);
      if (part > 255) return -1;
      digits++;
    } else if (c === 46) {
      if (digits === 0 || dots === 3) return -1;
      value = value * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else return -1;
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + part;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * IPv6 text (RFC 4291 section 2.2: `::` compression, an embedded IPv4 tail, a `%zone` suffix ignored)
 * into `out` as four 32-bit words; false when it is not an IPv6 address.
 */
const groups = new Int32Array(8);
const words = new Int32Array(8);

export function parseIpv6(s: string, out: Uint32Array, from = 0, to = s.length): boolean {
  const zone = s.indexOf('%', from);
  if (zone >= 0 && zone < to) to = zone;
  let n = 0;
  let gap = -1;
  let i = from;
  if (to - from < 2) return false;
  if (s.charCodeAt(i) === 58) {
    if (s.charCodeAt(i + 1) !== 58) return false;
    gap = 0;
    i += 2;
    if (i === to) {
      out.fill(0);
      return true;
    }
  }
  while (i < to) {
    if (n === 8) return false;
    let j = i;
    let v = 0;
    while (j < to && j - i < 5) {
      const h = hexValue(s.charCodeAt(j));
      if (h < 0) break;
      v = v * 16 + h;
      j++;
    }
    if (j < to && s.charCodeAt(j) === 46) {
      // Embedded IPv4 in the last 32 bits (::ffff:1.2.3.4).
      const v4 = parseIpv4(s, i, to);
      if (v4 < 0 || n > 6) return false;
      groups[n++] = Math.floor(v4 / 65536);
      groups[n++] = v4 % 65536;
      i = to;
      break;
    }
    if (j === i || j - i > 4) return false;
    groups[n++] = v;
    i = j;
    if (i === to) break;
    if (s.charCodeAt(i) !== 58) return false;
    i++;
    if (i < to && s.charCodeAt(i) === 58) {
      if (gap >= 0) return false;
      gap = n;
      i++;
      if (i === to) break;
    } else if (i === to) return false;
  }
  if (gap < 0 ? n !== 8 : n > 7) return false;
  words.fill(0);
  if (gap < 0) for (let k = 0; k < 8; k++) words[k] = groups[k]!;
  else {
    for (let k = 0; k < gap; k++) words[k] = groups[k]!;
    const tail = n - gap;
    for (let k = 0; k < tail; k++) words[8 - tail + k] = groups[gap + k]!;
  }
  for (let k = 0; k < 4; k++) out[k] = words[2 * k]! * 65536 + words[2 * k + 1]!;
  return true;
}

/** IPv4-mapped IPv6 (`::ffff:a.b.c.d`, RFC 4291 2.5.5.2): the IPv4 address, or -1. */
export function mappedIpv4(words: Uint32Array): number {
  return words[0] === 0 && words[1] === 0 && words[2] === 0xffff ? words[3]! : -1;
}

export function wordsToBigInt(w: ArrayLike<number>): bigint {
  return (BigInt(w[0]!) << 96n) | (BigInt(w[1]!) << 64n) | (BigInt(w[2]!) << 32n) | BigInt(w[3]!);
}

export function bigIntToWords(v: bigint, out: Uint32Array, at = 0): void {
  for (let k = 3; k >= 0; k--) {
    out[at + k] = Number(v & 0xffffffffn);
    v >>= 32n;
  }
}

export function formatIpv4(v: number): string {
  return `${Math.floor(v / 16777216)}.${Math.floor(v / 65536) % 256}.${Math.floor(v / 256) % 256}.${v % 256}`;
}

export function formatIpv6(v: bigint): string {
  const g: string[] = [];
  for (let k = 7; k >= 0; k--) g.push(((v >> BigInt(16 * k)) & 0xffffn).toString(16));
  // Longest run of zero groups (two or more) becomes "::" (RFC 5952).
  let best = -1;
  let bestLen = 1;
  for (let k = 0; k < 8; ) {
    if (g[k] !== '0') {
      k++;
      continue;
    }
    let e = k;
    while (e < 8 && g[e] === '0') e++;
    if (e - k > bestLen) {
      best = k;
      bestLen = e - k;
    }
    k = e;
  }
  if (best < 0) return g.join(':');
  return `${g.slice(0, best).join(':')}::${g.slice(best + bestLen).join(':')}`;
}

/** An indicator's network: one address or a CIDR block, as an inclusive range. */
export type Network = { readonly version: 4; readonly start: number; readonly end: number } | { readonly version: 6; readonly start: bigint; readonly end: bigint };

/** Widest blocks accepted: a shorter prefix would flag a large part of the Internet and is almost surely a typo. */
export const MIN_PREFIX = { 4: 8, 6: 16 } as const;

/**
 * `1.2.3.4`, `1.2.3.0/24`, `2001:db8::1`, `2001:db8::/32` into a range; host bits under the prefix are
 * cleared (`10.1.2.3/8` is `10.0.0.0/8`). A string saying what is wrong when it is not a network.
 */
export function parseNetwork(text: string): Network | string {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  let prefix: number | undefined;
  if (slash >= 0) {
    const p = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p)) return `invalid prefix length "/${p}"`;
    prefix = Number(p);
  }
  if (addr.includes(':')) {
    if (addr.includes('%')) return 'an IPv6 zone (%) is not allowed in an indicator';
    const w = new Uint32Array(4);
    if (!parseIpv6(addr, w)) return 'not an IPv4/IPv6 address or CIDR';
    const v = wordsToBigInt(w);
    if (prefix === undefined) return { version: 6, start: v, end: v };
    if (prefix > 128) return `prefix /${prefix} is longer than /128`;
    if (prefix < MIN_PREFIX[6]) return `prefix /${prefix} is wider than /${MIN_PREFIX[6]}`;
    const hostBits = BigInt(128 - prefix);
    const mask = (1n << hostBits) - 1n;
    const start = v & ~mask & ((1n << 128n) - 1n);
    return { version: 6, start, end: start | mask };
  }
  const v = parseIpv4(addr);
  if (v < 0) return 'not an IPv4/IPv6 address or CIDR';
  if (prefix === undefined) return { version: 4, start: v, end: v };
  if (prefix > 32) return `prefix /${prefix} is longer than /32`;
  if (prefix < MIN_PREFIX[4]) return `prefix /${prefix} is wider than /${MIN_PREFIX[4]}`;
  const size = 2 ** (32 - prefix);
  const start = Math.floor(v / size) * size;
  return { version: 4, start, end: start + size - 1 };
}
