import { describe, expect, it } from 'vitest';
import { cidrFamily, edgeRangesFromIpRanges, edgeRangesJson, parseEdgeRanges } from './aws-ip-ranges';

const file = (prefixes: unknown[], ipv6: unknown[] = []) => JSON.stringify({ syncToken: '1', createDate: '2026-11-30-21-13-07', prefixes, ipv6_prefixes: ipv6 });

describe('AWS edge ranges (ip-ranges.json -> the trusted-proxy object)', () => {
  it('keeps CLOUDFRONT, CLOUDFRONT_ORIGIN_FACING and GLOBALACCELERATOR prefixes, sorted, once each', () => {
    const r = edgeRangesFromIpRanges(
      file(
        [
          { ip_prefix: '130.176.0.0/17', region: 'GLOBAL', service: 'AMAZON' },
          { ip_prefix: '130.176.0.0/17', region: 'GLOBAL', service: 'CLOUDFRONT' },
          { ip_prefix: '3.172.0.0/18', region: 'GLOBAL', service: 'CLOUDFRONT_ORIGIN_FACING' },
          { ip_prefix: '15.197.0.0/16', region: 'GLOBAL', service: 'GLOBALACCELERATOR' },
          { ip_prefix: '52.95.110.0/24', region: 'us-east-1', service: 'EC2' },
        ],
        [{ ipv6_prefix: '2600:9000::/28', service: 'CLOUDFRONT' }, { ipv6_prefix: '2600:1f14::/35', service: 'EC2' }],
      ),
    );
    expect(r).toEqual({ version: 1, services: ['CLOUDFRONT', 'CLOUDFRONT_ORIGIN_FACING', 'GLOBALACCELERATOR'], ipv4: ['130.176.0.0/17', '15.197.0.0/16', '3.172.0.0/18'], ipv6: ['2600:9000::/28'] });
    expect(parseEdgeRanges(edgeRangesJson(r))).toEqual(r);
  });

  it('refuses what is not a trustworthy ip-ranges.json, naming the problem', () => {
    expect(() => edgeRangesFromIpRanges('{"prefixes": [')).toThrow(/^not JSON \(/);
    expect(() => edgeRangesFromIpRanges('{"x":1}')).toThrow('not AWS ip-ranges.json: no "prefixes" list');
    expect(() => edgeRangesFromIpRanges(file([{ ip_prefix: '10.0.0.0/8', service: 'EC2' }]))).toThrow('no prefix of CLOUDFRONT, CLOUDFRONT_ORIGIN_FACING, GLOBALACCELERATOR');
    expect(() => edgeRangesFromIpRanges(file([{ ip_prefix: '2600:9000::/28', service: 'CLOUDFRONT' }]))).toThrow('prefixes[0] (CLOUDFRONT): "2600:9000::/28" is not an IPv4 CIDR range');
    expect(() => edgeRangesFromIpRanges(file([], [{ ipv6_prefix: 'x', service: 'GLOBALACCELERATOR' }]))).toThrow('ipv6_prefixes[0] (GLOBALACCELERATOR): "x" is not an IPv6 CIDR range');
  });

  it('reads the stored object back and names a damaged one', () => {
    expect(() => parseEdgeRanges('{"version":1,"ipv4":["1.2.3.0/24"],')).toThrow(/^not JSON/);
    expect(() => parseEdgeRanges('{"version":2,"ipv4":[],"ipv6":[]}')).toThrow('not a version 1 AWS edge ranges object (the geoip-downloader writes it)');
    expect(() => parseEdgeRanges('{"version":1,"ipv4":["1.2.3.0/24","1.2.3.4/40"],"ipv6":[]}')).toThrow('ipv4[1]: "1.2.3.4/40" is not an IPv4 CIDR range');
    expect(cidrFamily('::/0')).toBe(6);
    expect(cidrFamily('1.2.3.4')).toBe(0);
  });
});
