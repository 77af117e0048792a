import { describe, expect, it } from 'vitest';
import { IocDatabase } from '../shared/ioc/database';
import { formatIpv4 } from '../shared/ioc/ip';
import { FEODO_CSV, FEODO_JSON, OTX_PULSE, STIX_BUNDLE, TOR_EXIT_ADDRESSES } from './test-fixtures';
import { buildDatabase, DEFAULT_LIMITS, parseCustomTxt, parseFeodo, parseOtx, parseStix, parseTor, SourceError } from './sources';

describe('Function: ioc-downloader (source parsers)', () => {
  it('reads the Tor exit list, deduplicated, skipping a bad address with its line number', () => {
    const r = parseTor(TOR_EXIT_ADDRESSES);
    expect(r.indicators.map((i) => ('net' in i && i.net.version === 4 ? [formatIpv4(i.net.start), formatIpv4(i.net.end)] : i))).toEqual([
      ['185.112.146.73', '185.112.146.73'],
      ['162.247.74.201', '162.247.74.201'],
    ]);
    expect(r.indicators[0]!.meta).toEqual({ provider: 'torproject.org', type: 'ipv4-addr', name: 'TOR' });
    expect(r.counts).toEqual({ ipv4: 2, ipv6: 0, domains: 0, skipped: 1, ignored: 0 });
    expect(r.skips).toEqual([{ at: 'line 10', reason: 'not an IPv4/IPv6 address or CIDR: "999.1.1.1"' }]);
    // The bulk list form: one address per line.
    expect(parseTor('185.112.146.73\n2001:db8::5\n').counts).toMatchObject({ ipv4: 1, ipv6: 1 });
  });

  it('refuses a source with no valid indicator (an HTML error page served with 200)', () => {
    expect(() => parseTor('<html><body>Service unavailable</body></html>\n')).toThrow(
      new SourceError('tor: no valid indicator (1 skipped; first at line 1: not an exit-list line: "<html><body>Service unavailable</body></html>")'),
    );
    expect(() => parseTor('\n')).toThrow(new SourceError('tor: no indicator at all (empty)'));
    expect(() => parseFeodo('# no entries\n')).toThrow(new SourceError('feodo: no indicator at all (empty)'));
    expect(parseCustomTxt('# nothing yet\n', 'TXT/empty.txt', { provider: 'custom', name: 'empty.txt' }).indicators).toEqual([]);
  });

  it('reads the Feodo Tracker blocklist as JSON (named by malware family), CSV and TXT', () => {
    const json = parseFeodo(FEODO_JSON);
    expect(json.indicators.map((i) => i.meta.name)).toEqual(['Dridex', 'QakBot']);
    expect(json.skips).toEqual([
      { at: 'entry 3', reason: 'not an IPv4/IPv6 address or CIDR: "not-an-ip"' },
      { at: 'entry 4', reason: 'no "ip_address" string' },
    ]);
    const csv = parseFeodo(FEODO_CSV);
    expect(csv.indicators.map((i) => [i.meta.provider, i.meta.name])).toEqual([
      ['abuse.ch', 'Dridex'],
      ['abuse.ch', 'QakBot'],
    ]);
    expect(csv.skips).toEqual([{ at: 'line 8', reason: 'not an IPv4/IPv6 address or CIDR: "45.33.32"' }]);
    // The published file comments its header line, and the columns may move.
    const commented = parseFeodo('#\n# "first_seen_utc","malware","dst_ip"\n"2026-10-01 10:00:00","Pikabot","198.18.0.1"\n');
    expect(commented.indicators.map((i) => [i.meta.name, 'net' in i && i.net.version === 4 ? formatIpv4(i.net.start) : '-'])).toEqual([['Pikabot', '198.18.0.1']]);
    const txt = parseFeodo('# Feodo Tracker IP blocklist\n51.178.161.32\n45.33.32.156\n');
    expect(txt.counts).toEqual({ ipv4: 2, ipv6: 0, domains: 0, skipped: 0, ignored: 0 });
    expect(txt.indicators[0]!.meta.name).toBe('Feodo Tracker');
    expect(() => parseFeodo('[{"ip_address": "1.2.3.4"')).toThrow(/^feodo: not valid JSON/);
  });

  it('reads OTX pulses: IPv4, IPv6, CIDR, domain and hostname indicators named by the pulse; other types ignored', () => {
    for (const input of [JSON.stringify(OTX_PULSE), JSON.stringify([OTX_PULSE]), JSON.stringify({ count: 1, next: null, results: [OTX_PULSE] })]) {
      const r = parseOtx(input);
      expect(r.counts).toEqual({ ipv4: 2, ipv6: 1, domains: 2, skipped: 1, ignored: 2 });
      expect(r.skips).toEqual([{ at: 'pulse "Emotet C2 November" indicator 8', reason: 'not an IPv4/IPv6 address or CIDR: "203.0.113.500"' }]);
      expect(new Set(r.indicators.map((i) => `${i.meta.provider}|${i.meta.type}|${i.meta.name}`))).toEqual(
        new Set(['AlienVault_OTX|ipv4-addr|Emotet C2 November', 'AlienVault_OTX|ipv6-addr|Emotet C2 November', 'AlienVault_OTX|domain-name|Emotet C2 November']),
      );
    }
    expect(() => parseOtx('{"detail": "Authentication required"}')).toThrow('otx: expected an OTX pulse, an array of pulses or {"results": [pulses]}');
  });

  it('reads the user\'s TXT list: IPs, CIDRs, domains, comments; bad lines skipped with their numbers', () => {
    const text = '\uFEFF# my blocklist\n203.0.113.9\n198.51.100.0/24  # office scanner\n2001:db8:cafe::/48\nEvil.Example.COM\n\n1.2.3.999\nnot a domain\nlocalhost\n203.0.113.9\n';
    const r = parseCustomTxt(text, 'TXT/acme/block.txt', { provider: 'acme', name: 'block.txt' });
    expect(r.counts).toEqual({ ipv4: 2, ipv6: 1, domains: 1, skipped: 3, ignored: 0 });
    expect(r.skips).toEqual([
      { at: 'line 7', reason: 'not an IPv4/IPv6 address or CIDR: "1.2.3.999"' },
      { at: 'line 8', reason: 'more than one value on the line: "not a domain"' },
      { at: 'line 9', reason: 'a domain needs at least two labels (e.g. example.com): "localhost"' },
    ]);
    expect(r.indicators.find((i) => 'domain' in i)).toEqual({ domain: 'evil.example.com', meta: { provider: 'acme', type: 'domain-name', name: 'block.txt' } });
  });

  it('reads STIX 2.x bundles: ipv4/ipv6/domain patterns with names and indicator types', () => {
    const r = parseStix(JSON.stringify(STIX_BUNDLE), 'STIX2/acme/cert.json', { provider: 'acme', name: 'cert.json' });
    expect(r.counts).toEqual({ ipv4: 2, ipv6: 1, domains: 1, skipped: 1, ignored: 1 });
    expect(r.skips).toEqual([{ at: 'object 6 (indicator--e)', reason: 'not an IPv4/IPv6 address or CIDR: "192.0.2.300"' }]);
    expect(r.indicators.map((i) => i.meta)).toContainEqual({ provider: 'acme', type: 'domain-name', name: 'cert.json: Phishing site', labels: ['malicious-activity'] });
    expect(r.indicators.filter((i) => 'net' in i && i.net.version === 4).map((i) => ('net' in i ? i.net : undefined))).toEqual([
      { version: 4, start: 0xc000020a, end: 0xc000020a },
      { version: 4, start: 0xc0000280, end: 0xc00002ff },
    ]);
    expect(parseStix(`\uFEFF${JSON.stringify(STIX_BUNDLE)}`, 'STIX2/bom.json', { provider: 'custom', name: 'bom.json' }).counts.ipv4).toBe(2);
    expect(() => parseStix('{"type": "bundle"}', 'STIX2/x.json', { provider: 'custom', name: 'x.json' })).toThrow('STIX2/x.json: not a STIX 2.x bundle (no "objects" array)');
  });

  it('enforces size, line length and indicator count limits', () => {
    const limits = { ...DEFAULT_LIMITS, maxBytes: 100 };
    expect(() => parseTor('1.2.3.4\n'.repeat(20), 'tor', limits)).toThrow('tor: larger than 100 bytes; raise the limit or split the source');
    const r = parseCustomTxt(`${'a'.repeat(5000)}.com\nevil.com\n`, 'TXT/x', { provider: 'custom', name: 'x' });
    expect(r.skips).toEqual([{ at: 'line 1', reason: 'line longer than 4096 characters' }]);
    expect(() => parseCustomTxt('1.1.1.1\n1.1.1.2\n1.1.1.3\n', 'TXT/x', { provider: 'custom', name: 'x' }, { ...DEFAULT_LIMITS, maxIndicators: 2 })).toThrow('TXT/x: more than 2 indicators; raise the limit or split the source');
  });

  it('builds one database from every source that the reader answers from', () => {
    const db = IocDatabase.fromBuffer(
      buildDatabase([
        parseTor(TOR_EXIT_ADDRESSES),
        parseFeodo(FEODO_JSON),
        parseOtx(JSON.stringify(OTX_PULSE)),
        parseStix(JSON.stringify(STIX_BUNDLE), 'STIX2/acme/cert.json', { provider: 'acme', name: 'cert.json' }),
      ]),
    );
    expect(db.matchIp('185.112.146.73')).toEqual([{ provider: 'torproject.org', type: 'ipv4-addr', name: 'TOR' }]);
    expect(db.matchIp('198.51.100.77')).toEqual([{ provider: 'AlienVault_OTX', type: 'ipv4-addr', name: 'Emotet C2 November' }]);
    expect(db.matchIp('192.0.2.200')).toEqual([{ provider: 'acme', type: 'ipv4-addr', name: 'cert.json: Scanner', labels: ['anomalous-activity'] }]);
    expect(db.matchIp('192.0.2.127')).toEqual([]);
    expect(db.matchDomain('www.login-acme.example').map((h) => h.domain)).toEqual(['login-acme.example']);
    expect(db.header.sources).toEqual({
      'STIX2/acme/cert.json': { ipv4: 2, ipv6: 1, domains: 1, skipped: 1 },
      feodo: { ipv4: 2, ipv6: 0, domains: 0, skipped: 2 },
      otx: { ipv4: 2, ipv6: 1, domains: 2, skipped: 1 },
      tor: { ipv4: 2, ipv6: 0, domains: 0, skipped: 1 },
    });
  });
});
