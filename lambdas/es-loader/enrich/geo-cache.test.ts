/**
 * GeoIP answers remembered per address (enrich/geoip.ts, issue 16's speed goal): every document still
 * gets its own, equal geo/as objects, each address is looked up in the database once, and a database
 * that throws still costs no record.
 */
import { describe, expect, it } from 'vitest';
import { enrichGeo, type GeoReaders } from './geoip';

function counting(record: unknown) {
  const calls: string[] = [];
  return { calls, reader: { get: (ip: string) => (calls.push(ip), record) } as never };
}

describe('Enrichment: GeoIP lookups remembered per address', () => {
  const cityRecord = { city: { names: { en: 'Bracknell' } }, country: { iso_code: 'GB' }, location: { latitude: 51.4, longitude: -0.76 } };
  const asnRecord = { autonomous_system_number: 64500, autonomous_system_organization: 'Example Org' };

  it('looks each address up once; documents get equal objects of their own', () => {
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
    expect(docs[0]!.source!.geo).not.toBe(docs[1]!.source!.geo);
    expect(docs[0]!.source!.as).not.toBe(docs[1]!.source!.as);
    (docs[0]!.source!.geo as Record<string, unknown>).city_name = 'changed';
    expect(docs[1]!.source).toEqual(want);
    expect({ city: city.calls, asn: asn.calls }).toEqual({ city: ['81.2.69.160'], asn: ['81.2.69.160'] });
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
