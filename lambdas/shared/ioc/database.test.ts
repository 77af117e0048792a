import { describe, expect, it } from 'vitest';
import { IocDatabaseBuilder } from './builder';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IocDatabase, IocDatabaseError, openIocDatabase } from './database';
import { normalizeDomain } from './domain';
import { formatIpv6, parseIpv4, parseIpv6, parseNetwork, wordsToBigInt, type Network } from './ip';
import { threatFields } from './threat';

const net = (s: string) => parseNetwork(s) as Network;

function sample(order: 'forward' | 'reverse' = 'forward'): Buffer {
  const b = new IocDatabaseBuilder();
  const tor = b.meta({ provider: 'torproject.org', type: 'ipv4-addr', name: 'TOR' });
  const feodo = b.meta({ provider: 'abuse.ch', type: 'ipv4-addr', name: 'QakBot' });
  const mine = b.meta({ provider: 'custom', type: 'ipv4-addr', name: 'blocklist.txt' });
  const mine6 = b.meta({ provider: 'custom', type: 'ipv6-addr', name: 'blocklist.txt' });
  const otx6 = b.meta({ provider: 'AlienVault_OTX', type: 'ipv6-addr', name: 'Pulse A' });
  const dom = b.meta({ provider: 'custom', type: 'domain-name', name: 'domains.txt' });
  const otxDom = b.meta({ provider: 'AlienVault_OTX', type: 'domain-name', name: 'Pulse B' });
  const adds: (() => void)[] = [
    () => b.addNetwork(net('203.0.113.7'), tor),
    () => b.addNetwork(net('203.0.113.7'), feodo),
    () => b.addNetwork(net('198.51.100.0/24'), mine),
    () => b.addNetwork(net('198.51.100.128/25'), feodo),
    () => b.addNetwork(net('192.0.2.1'), tor),
    () => b.addNetwork(net('192.0.2.2'), tor),
    () => b.addNetwork(net('255.255.255.255'), mine),
    () => b.addNetwork(net('2001:db8:1::/48'), mine6),
    () => b.addNetwork(net('2001:db8:1:2::5'), otx6),
    () => b.addDomain(normalizeDomain('evil.com'), dom),
    () => b.addDomain(normalizeDomain('evil.com'), otxDom),
    () => b.addDomain(normalizeDomain('c2.bad.example.org'), dom),
    () => b.addDomain(normalizeDomain('bad.example.org'), otxDom),
  ];
  for (const add of order === 'forward' ? adds : [...adds].reverse()) add();
  b.setSourceCounts('custom:blocklist.txt', { ipv4: 2, ipv6: 1, domains: 0, skipped: 1 });
  return b.build(new Date('2026-12-01T00:00:00Z'));
}

const names = (ms: readonly { provider: string; name?: string }[]) => ms.map((m) => `${m.provider}/${m.name}`).sort();

describe('IoC database (lambdas/shared/ioc)', () => {
  const db = IocDatabase.fromBuffer(sample());

  it('parses IPv4 and IPv6 text strictly', () => {
    expect(parseIpv4('203.0.113.7')).toBe(0xcb007107);
    for (const bad of ['1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1..2.3', '', '1.2.3.4 ']) expect(parseIpv4(bad)).toBe(-1);
    const w = new Uint32Array(4);
    expect(parseIpv6('2001:db8::1', w)).toBe(true);
    expect(formatIpv6(wordsToBigInt(w))).toBe('2001:db8::1');
    expect(parseIpv6('::ffff:1.2.3.4', w)).toBe(true);
    expect([...w]).toEqual([0, 0, 0xffff, 0x01020304]);
    for (const bad of ['1:2:3:4:5:6:7:8:9', '1::2::3', '12345::', ':1::', 'g::1', '1:2:3:4:5:6:7']) expect(parseIpv6(bad, w)).toBe(false);
    expect(parseNetwork('10.1.2.3/8')).toEqual({ version: 4, start: 0x0a000000, end: 0x0affffff });
    expect(parseNetwork('10.0.0.0/7')).toBe('prefix /7 is wider than /8');
    expect(parseNetwork('10.0.0.0/33')).toBe('prefix /33 is longer than /32');
    expect(parseNetwork('evil.com')).toBe('not an IPv4/IPv6 address or CIDR');
  });

  it('reports every provider of an address listed twice', () => {
    expect(names(db.matchIp('203.0.113.7'))).toEqual(['abuse.ch/QakBot', 'torproject.org/TOR']);
  });

  it('matches CIDR ranges, with overlapping ranges of several providers all reported, and not the address just outside', () => {
    expect(names(db.matchIp('198.51.100.0'))).toEqual(['custom/blocklist.txt']);
    expect(names(db.matchIp('198.51.100.127'))).toEqual(['custom/blocklist.txt']);
    expect(names(db.matchIp('198.51.100.128'))).toEqual(['abuse.ch/QakBot', 'custom/blocklist.txt']);
    expect(names(db.matchIp('198.51.100.255'))).toEqual(['abuse.ch/QakBot', 'custom/blocklist.txt']);
    expect(db.matchIp('198.51.101.0')).toEqual([]);
    expect(db.matchIp('198.51.99.255')).toEqual([]);
    expect(db.matchIp('203.0.113.6')).toEqual([]);
    expect(db.matchIp('203.0.113.8')).toEqual([]);
    expect(names(db.matchIp('255.255.255.255'))).toEqual(['custom/blocklist.txt']);
    expect(db.matchIp('0.0.0.0')).toEqual([]);
  });

  it('finds a wide range from any of the /16 blocks it covers, and nothing past its end', () => {
    const b = new IocDatabaseBuilder();
    const m = b.meta({ provider: 'custom', type: 'ipv4-addr', name: 'wide' });
    b.addNetwork(net('10.0.0.0/8'), m);
    b.addNetwork(net('10.200.7.9'), b.meta({ provider: 'abuse.ch', type: 'ipv4-addr', name: 'QakBot' }));
    b.addNetwork(net('12.0.0.1'), m);
    const wide = IocDatabase.fromBuffer(b.build());
    expect(names(wide.matchIp('10.0.0.0'))).toEqual(['custom/wide']);
    expect(names(wide.matchIp('10.123.45.67'))).toEqual(['custom/wide']);
    expect(names(wide.matchIp('10.200.7.9'))).toEqual(['abuse.ch/QakBot', 'custom/wide']);
    expect(names(wide.matchIp('10.200.7.10'))).toEqual(['custom/wide']);
    expect(names(wide.matchIp('10.255.255.255'))).toEqual(['custom/wide']);
    expect(wide.matchIp('11.0.0.0')).toEqual([]);
    expect(wide.matchIp('12.0.0.0')).toEqual([]);
    expect(names(wide.matchIp('12.0.0.1'))).toEqual(['custom/wide']);
    expect(wide.matchIp('9.255.255.255')).toEqual([]);
  });

  it('answers every address as a scan of the ranges would, across /24 and /16 edges (the /24 bitmap only rules out)', () => {
    const b = new IocDatabaseBuilder();
    const m = b.meta({ provider: 'custom', type: 'ipv4-addr', name: 'edges' });
    const ranges: Array<[number, number]> = [
      [0, 0], // 0.0.0.0
      [0xc6336400 + 250, 0xc6336500 + 3], // 198.51.100.250 - 198.51.101.3: across a /24 edge
      [0xcb00ffff, 0xcb010000], // 203.0.255.255 - 203.1.0.0: across a /16 edge
      [0x0a000000, 0x0affffff], // 10.0.0.0/8
      [0xffffffff, 0xffffffff], // 255.255.255.255
    ];
    for (const [start, end] of ranges) b.addNetwork({ version: 4, start, end }, m);
    const db = IocDatabase.fromBuffer(b.build());
    const probes = new Set<number>();
    for (const [start, end] of ranges) for (const v of [start - 257, start - 256, start - 1, start, start + 1, end - 1, end, end + 1, end + 255, end + 256]) probes.add(v >>> 0);
    for (let i = 0; i < 2000; i++) probes.add(Math.floor(Math.random() * 2 ** 32));
    for (const v of probes) {
      const ip = `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
      const listed = ranges.some(([start, end]) => v >= start && v <= end);
      expect(db.matchIp(ip).length > 0, ip).toBe(listed);
    }
  });

  it('merges adjacent single addresses of the same indicator source into one range', () => {
    expect(names(db.matchIp('192.0.2.1'))).toEqual(['torproject.org/TOR']);
    expect(names(db.matchIp('192.0.2.2'))).toEqual(['torproject.org/TOR']);
    expect(db.matchIp('192.0.2.3')).toEqual([]);
    expect(db.header.totals.ipv4Ranges).toBe(5); // 192.0.2.1-2, 198.51.100.0-127, .128-255, 203.0.113.7, 255.255.255.255
  });

  it('matches IPv6 addresses and ranges, and IPv4-mapped IPv6 as IPv4', () => {
    expect(db.matchIp('2001:db8:1::1')).toEqual([{ provider: 'custom', type: 'ipv6-addr', name: 'blocklist.txt' }]);
    expect(names(db.matchIp('2001:DB8:1:2::5'))).toEqual(['AlienVault_OTX/Pulse A', 'custom/blocklist.txt']);
    expect(names(db.matchIp('2001:db8:1:ffff:ffff:ffff:ffff:ffff'))).toEqual(['custom/blocklist.txt']);
    expect(db.matchIp('2001:db8:2::')).toEqual([]);
    expect(db.matchIp('2001:db8:0:ffff:ffff:ffff:ffff:ffff')).toEqual([]);
    expect(names(db.matchIp('::ffff:203.0.113.7'))).toEqual(['abuse.ch/QakBot', 'torproject.org/TOR']);
    expect(db.matchIp('not an ip')).toEqual([]);
    expect(db.matchIp('')).toEqual([]);
  });

  it('matches domains exactly and as parent domains, and not a name that only ends the same', () => {
    expect(db.matchDomain('evil.com').map((h) => [h.domain, names(h.matches)])).toEqual([['evil.com', ['AlienVault_OTX/Pulse B', 'custom/domains.txt']]]);
    expect(db.matchDomain('www.EVIL.com.').map((h) => h.domain)).toEqual(['evil.com']);
    expect(db.matchDomain('notevil.com')).toEqual([]);
    expect(db.matchDomain('evil.com.au')).toEqual([]);
    expect(db.matchDomain('com')).toEqual([]);
    expect(db.matchDomain('x.c2.bad.example.org').map((h) => h.domain)).toEqual(['c2.bad.example.org', 'bad.example.org']);
    expect(db.matchDomain('example.org')).toEqual([]);
  });

  it('is the same content whatever order indicators were added in', () => {
    const a = IocDatabase.fromBuffer(sample('forward')).header;
    const b = IocDatabase.fromBuffer(sample('reverse')).header;
    expect(a.contentSha256).toBe(b.contentSha256);
    expect(a.contentSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(a).toMatchObject({ formatVersion: 1, builtAt: '2026-12-01T00:00:00.000Z', sources: { 'custom:blocklist.txt': { ipv4: 2, ipv6: 1, domains: 0, skipped: 1 } } });
  });

  it('rejects a truncated, damaged or foreign file with a typed one-line error', () => {
    const buf = sample();
    const err = (b: Buffer) => {
      try {
        IocDatabase.fromBuffer(b, 'ioc.siemdb');
      } catch (e) {
        expect(e).toBeInstanceOf(IocDatabaseError);
        return [(e as IocDatabaseError).problem, (e as Error).message];
      }
      return undefined;
    };
    expect(err(buf.subarray(0, buf.length - 10))).toEqual(['truncated', `ioc.siemdb: truncated (${buf.length - 10} of ${buf.length} bytes); IoC enrichment is off until a valid database is available (rebuild it with the ioc-downloader or \`npm run ioc -- build\`)`]);
    expect(err(buf.subarray(0, 12))?.[0]).toBe('not-ioc-database');
    const damaged = Buffer.from(buf);
    damaged[damaged.length - 40] ^= 0xff;
    expect(err(damaged)?.[0]).toBe('checksum-mismatch');
    expect(err(Buffer.from('SQLite format 3\0 and more bytes here'))?.[0]).toBe('not-ioc-database');
    const future = Buffer.from(buf);
    future.writeUInt32LE(2, 8);
    expect(err(future)?.[1]).toMatch(/^ioc.siemdb: format version 2 is not supported \(this loader reads version 1\)/);
  });

  it('loads from a file, naming a missing file', async () => {
    await expect(IocDatabase.load('/nonexistent/ioc.siemdb')).rejects.toThrow(/^\/nonexistent\/ioc.siemdb: cannot read the file \(ENOENT\)/);
  });

  it('opens for the loader: no file is no enrichment without a warning, a damaged file one warning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ioc-db-'));
    try {
      const warnings: string[] = [];
      expect(await openIocDatabase(join(dir, 'absent.siemdb'), (m) => warnings.push(m))).toBeUndefined();
      expect(warnings).toEqual([]);
      const good = join(dir, 'good.siemdb');
      writeFileSync(good, sample());
      expect((await openIocDatabase(good, (m) => warnings.push(m)))?.matchIp('203.0.113.7')).toHaveLength(2);
      const bad = join(dir, 'bad.siemdb');
      writeFileSync(bad, sample().subarray(0, 100));
      expect(await openIocDatabase(bad, (m) => warnings.push(m))).toBeUndefined();
      expect(warnings).toEqual([`${bad}: truncated (100 bytes); IoC enrichment is off until a valid database is available (rebuild it with the ioc-downloader or \`npm run ioc -- build\`)`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds threat.matched and threat.enrichments as the reference does', () => {
    const ipHits = db.matchIp('203.0.113.7');
    const dom = db.matchDomain('www.evil.com');
    const fields = threatFields([
      { value: '203.0.113.7', kind: 'ip', fields: ['source.ip', 'related.ip'], matches: ipHits },
      { value: 'www.evil.com', kind: 'domain', fields: ['dns.question.name'], matches: dom[0]!.matches },
    ]);
    expect(fields).toEqual({
      matched: { providers: ['abuse.ch', 'torproject.org', 'AlienVault_OTX', 'custom'], types: ['ipv4-addr', 'domain-name'], indicators: ['203.0.113.7', 'www.evil.com'], names: ['QakBot', 'TOR', 'Pulse B', 'domains.txt'] },
      enrichments: [
        { indicator: { provider: 'abuse.ch', type: 'ipv4-addr', name: 'QakBot', ip: '203.0.113.7' }, matched: { field: ['source.ip', 'related.ip'] } },
        { indicator: { provider: 'torproject.org', type: 'ipv4-addr', name: 'TOR', ip: '203.0.113.7' }, matched: { field: ['source.ip', 'related.ip'] } },
        { indicator: { provider: 'AlienVault_OTX', type: 'domain-name', name: 'Pulse B' }, matched: { atomic: 'www.evil.com', field: ['dns.question.name'] } },
        { indicator: { provider: 'custom', type: 'domain-name', name: 'domains.txt' }, matched: { atomic: 'www.evil.com', field: ['dns.question.name'] } },
      ],
    });
    expect(threatFields([{ value: '1.1.1.1', kind: 'ip', fields: ['source.ip'], matches: db.matchIp('1.1.1.1') }])).toBeUndefined();
  });

  it('validates domain indicators', () => {
    expect(normalizeDomain('*.Evil.COM.')).toBe('evil.com');
    expect(normalizeDomain('bücher.example')).toBe('xn--bcher-kva.example');
    expect(normalizeDomain('localhost')).toBe('!a domain needs at least two labels (e.g. example.com)');
    expect(normalizeDomain('1.2.3.4')).toBe('!not a domain (numeric top-level label)');
    expect(normalizeDomain('bad_-.com')).toBe('!invalid domain label "bad_-"');
    expect(normalizeDomain('a b.com')).toBe('!invalid domain label "a b"');
  });
});
