/**
 * The IPv4 memo behind the GeoIP lookups (ipv4-memo.ts): an answer per address, whatever the address
 * (0.0.0.0, 255.255.255.255, addresses whose slots collide), the same answer object given back, and a
 * fixed size: when full it starts over rather than growing.
 */
import { describe, expect, it } from 'vitest';
import { IPV4_MEMO_ENTRIES, Ipv4Memo } from './ipv4-memo';

describe('Enrichment: the IPv4 memo', () => {
  it('gives back what was set for each address, undefined for others; null is an answer', () => {
    const memo = new Ipv4Memo<{ city: string } | null>();
    const london = { city: 'London' };
    const edges = [0, 1, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];
    edges.forEach((n, i) => memo.set(n, i % 2 === 0 ? london : null));
    expect(edges.map((n) => memo.get(n))).toEqual([london, null, london, null, london, null]);
    expect(memo.get(0)).toBe(london);
    expect([2, 0x7ffffffe, 0x80000001, 0xfffffffd].map((n) => memo.get(n))).toEqual([undefined, undefined, undefined, undefined]);
    expect(memo.size).toBe(6);
  });

  it('tells apart 30,000 addresses, neighbours and colliding slots included, and replaces an answer set twice', () => {
    const memo = new Ipv4Memo<string>();
    const answers = ['a', 'b', 'c', 'd', 'e'];
    // Consecutive addresses, whole /24s far apart, and a stride of 2^16 (same low bits).
    const addresses = [...Array(10_000).keys()].map((i) => 0x0a000000 + i);
    for (let i = 0; i < 10_000; i++) addresses.push(((i * 2654435761) >>> 0) | 1, (0x01000000 + i * 0x10000) >>> 0);
    const unique = [...new Set(addresses)];
    unique.forEach((n, i) => memo.set(n, answers[i % 5]!));
    expect(memo.size).toBe(unique.length);
    expect(unique.every((n, i) => memo.get(n) === answers[i % 5])).toBe(true);
    memo.set(unique[7]!, 'z');
    expect(memo.get(unique[7]!)).toBe('z');
    expect(memo.size).toBe(unique.length);
  });

  it('starts over when full: never more than IPV4_MEMO_ENTRIES addresses, the newest kept', () => {
    const memo = new Ipv4Memo<number>();
    for (let n = 1; n <= IPV4_MEMO_ENTRIES; n++) memo.set(n * 7, n);
    expect(memo.size).toBe(IPV4_MEMO_ENTRIES);
    expect(memo.get(7)).toBe(1);
    memo.set(3, -1);
    expect(memo.size).toBe(1);
    expect(memo.get(7)).toBeUndefined();
    expect(memo.get(3)).toBe(-1);
  });
});
