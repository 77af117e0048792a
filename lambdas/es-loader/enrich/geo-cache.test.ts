/**
 * GeoIP answers remembered per address (enrich/geoip.ts, issue 16's speed goal): every document still
 * gets the memo's geo/as objects (shared: documents are serialized, never changed), each address is looked up in the database once, and a database
 * that throws still costs no record.
 */
import { describe, expect, it } from 'vitest';
import { enrichGeo, type GeoReaders } from './geoip';
import { ipv4Number, isPrivateOrReserved, isPrivateOrReservedV4 } from './ip-ranges';

function counting(record: unknown) {
  const calls: string[] = [];
  return { calls, reader: { get: (ip: string) => (calls.push(ip), record) } as never };
}

describe('Enrichment: GeoIP lookups remembered per address', () => {
  const cityRecord = { city: { names: { en: 'Bracknell' } }, country: { iso_code: 'GB' }, location: { latitude: 51.4, longitude: -0.76 } };
  const asnRecord = { autonomous_system_number: 64500, autonomous_system_organization: 'Example Org' };

  it('looks each address up once; documents share the same geo/as objects (serialized, never changed)', () => {
    const city = counting(cityRecord);
    const asn = counting(asnRecord);
    const readers: GeoReaders = { city: city.reader, asn: asn.reader };
    const docs = [0, 1, 2].map(() => ({ source: { ip: '81.2.69.160' }, destination: { ip: '10.0.0.5' } }) as Record<string, Record<string, unknown>>);
    for (const d of docs) enrichGeo(d, ['source', 'destination'], readers);
    const want = { ip: '81.2.69.160', geo: { city_name: 'Bracknell', country_iso_code: 'GB', location: { lat: 51.4, lon: -0.76 } }, as: { number: 64500, organization: { name: 'Example Org' } } };
    for (const d of docs) {
      expect(d.source).toEqual(want);
      expect(d.destination).toEqual({ ip: '10.0.0.5' });
    }
    expect(docs[0]!.source!.geo).toBe(docs[1]!.source!.geo);
    expect(docs[0]!.source!.as).toBe(docs[1]!.source!.as);
    expect(docs[1]!.source).toEqual(want);
    expect({ city: city.calls, asn: asn.calls }).toEqual({ city: ['81.2.69.160'], asn: ['81.2.69.160'] });
  });

  it('addresses with the same answer share one geo object; another answer gets its own', () => {
    const answers: Record<string, unknown> = {
      '81.2.69.160': cityRecord,
      '81.2.69.161': cityRecord,
      '8.8.8.8': { country: { iso_code: 'US' }, location: { latitude: 37.751, longitude: -97.822 } },
    };
    const readers: GeoReaders = { city: { get: (ip: string) => structuredClone(answers[ip]) } as never };
    const docs = Object.keys(answers).map((ip) => ({ source: { ip } }) as Record<string, Record<string, unknown>>);
    for (const d of docs) enrichGeo(d, ['source'], readers);
    expect(docs.map((d) => d.source!.geo)).toEqual([
      { city_name: 'Bracknell', country_iso_code: 'GB', location: { lat: 51.4, lon: -0.76 } },
      { city_name: 'Bracknell', country_iso_code: 'GB', location: { lat: 51.4, lon: -0.76 } },
      { country_iso_code: 'US', location: { lat: 37.751, lon: -97.822 } },
    ]);
    expect(docs[0]!.source!.geo).toBe(docs[1]!.source!.geo);
    expect(docs[2]!.source!.geo).not.toBe(docs[0]!.source!.geo);
  });

  it('private and reserved IPv4 addresses are never looked up; other notations go through the text path', () => {
    const city = counting(cityRecord);
    const readers: GeoReaders = { city: city.reader };
    const ips = ['10.1.2.3', '172.31.255.255', '192.168.0.1', '100.64.0.1', '127.0.0.1', '169.254.169.254', '0.0.0.0', '224.0.0.251', '255.255.255.255', '172.32.0.1', '8.8.8.8', '::ffff:10.0.0.1', '2a00:1450::1', '010.0.0.1', 'not-an-ip'];
    const got = ips.map((ip) => {
      const d = { source: { ip } } as Record<string, Record<string, unknown>>;
      enrichGeo(d, ['source'], readers);
      return d.source!.geo === undefined ? '-' : 'geo';
    });
    expect(got).toEqual(['-', '-', '-', '-', '-', '-', '-', '-', '-', 'geo', 'geo', '-', 'geo', '-', '-']);
    expect(city.calls).toEqual(['172.32.0.1', '8.8.8.8', '2a00:1450::1']);
  });

  it('an existing geo object keeps its fields; a reader that throws gives nothing and fails no document, also when asked again', () => {
    const readers: GeoReaders = { city: counting(cityRecord).reader };
    const doc = { source: { ip: '81.2.69.161', geo: { name: 'office' } } } as Record<string, Record<string, unknown>>;
    enrichGeo(doc, ['source'], readers);
    expect(doc.source!.geo).toEqual({ name: 'office', city_name: 'Bracknell', country_iso_code: 'GB', location: { lat: 51.4, lon: -0.76 } });
    const broken: GeoReaders = { city: { get: () => { throw new Error('corrupt'); } } as never };
    for (let k = 0; k < 2; k++) {
      const d = { source: { ip: '81.2.69.160' } } as Record<string, Record<string, unknown>>;
      expect(() => enrichGeo(d, ['source'], broken)).not.toThrow();
      expect(d.source).toEqual({ ip: '81.2.69.160' });
    }
  });
});

describe('Enrichment: IPv4 addresses as numbers (ip-ranges.ts)', () => {
  it('ipv4Number reads canonical dotted quads only', () => {
    expect(['0.0.0.0', '1.2.3.4', '255.255.255.255', '10.0.0.1'].map(ipv4Number)).toEqual([0, 0x01020304, 0xffffffff, 0x0a000001]);
    expect(['256.0.0.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1..2.3', '1.2.3.4 ', '::1', '', 'a.b.c.d', '1.2.3.-4'].map(ipv4Number)).toEqual(Array(10).fill(-1));
  });

  it('isPrivateOrReservedV4 agrees with isPrivateOrReserved at every range boundary', () => {
    const edges = ['0.0.0.0', '0.255.255.255', '1.0.0.0', '9.255.255.255', '10.0.0.0', '10.255.255.255', '11.0.0.0', '100.63.255.255', '100.64.0.0', '100.127.255.255', '100.128.0.0',
      '126.255.255.255', '127.0.0.0', '127.255.255.255', '128.0.0.0', '169.253.255.255', '169.254.0.0', '169.254.255.255', '169.255.0.0', '172.15.255.255', '172.16.0.0', '172.31.255.255', '172.32.0.0',
      '191.255.255.255', '192.0.0.0', '192.0.0.255', '192.0.1.0', '192.0.2.0', '192.0.2.255', '192.0.3.0', '192.88.98.255', '192.88.99.0', '192.88.99.255', '192.88.100.0', '192.167.255.255',
      '192.168.0.0', '192.168.255.255', '192.169.0.0', '198.17.255.255', '198.18.0.0', '198.19.255.255', '198.20.0.0', '198.51.99.255', '198.51.100.0', '198.51.100.255', '198.51.101.0',
      '203.0.112.255', '203.0.113.0', '203.0.113.255', '203.0.114.0', '223.255.255.255', '224.0.0.0', '239.255.255.255', '240.0.0.0', '255.255.255.255'];
    expect(edges.map((ip) => isPrivateOrReservedV4(ipv4Number(ip)))).toEqual(edges.map((ip) => isPrivateOrReserved(ip)));
    expect(edges.filter((ip) => !isPrivateOrReservedV4(ipv4Number(ip))).length).toBe(25);
  });
});
