import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { docs, pipeline, run } from '../log-types/testing';
import { awsEdgeRanges, enrichClientIp, TrustedProxies, xffAddresses } from './client-ip';

// 198.51.100.0/24 and 2001:db8:1::/48 stand for the organization's proxies, 130.176.0.0/16 for CloudFront.
const trusted = new TrustedProxies(['198.51.100.0/24', '2001:db8:1::/48', '130.176.0.0/16', '192.0.2.7']);
const CONF = { clientIp: ['source', 'ip'], xff: ['http', 'request', 'header', 'x_forwarded_for'] };
const withXff = (sourceIp: string, xff: unknown) => ({ source: { ip: sourceIp }, http: { request: { header: { x_forwarded_for: xff } } }, related: { ip: [sourceIp] } });

describe('Enrichment: client IP from X-Forwarded-For (clientip_xff)', () => {
  it('takes the first untrusted address walking X-Forwarded-For from the right when the peer is a trusted proxy', () => {
    const doc = withXff('198.51.100.10', '203.0.113.50, 81.2.69.160, 130.176.10.20, 198.51.100.3');
    expect(enrichClientIp(doc, CONF, trusted)).toBe('81.2.69.160');
    expect(doc).toEqual({ source: { ip: '81.2.69.160' }, http: { request: { header: { x_forwarded_for: '203.0.113.50, 81.2.69.160, 130.176.10.20, 198.51.100.3' } } }, related: { ip: ['198.51.100.10', '81.2.69.160'] } });
  });

  it('ignores X-Forwarded-For when the peer is not a trusted proxy (the header can be forged)', () => {
    const doc = withXff('81.2.69.160', '10.9.8.7');
    expect(enrichClientIp(doc, CONF, trusted)).toBeUndefined();
    expect(doc.source).toEqual({ ip: '81.2.69.160' });
  });

  it('changes nothing when every address is trusted, the header holds no address, or the peer is missing', () => {
    for (const [ip, xff] of [['198.51.100.10', '198.51.100.3, 192.0.2.7'], ['198.51.100.10', 'unknown, -'], ['198.51.100.10', ''], ['198.51.100.10', undefined]] as const) {
      const doc = withXff(ip, xff);
      expect(enrichClientIp(doc, CONF, trusted)).toBeUndefined();
      expect(doc.source).toEqual({ ip });
    }
    const noPeer = { http: { request: { header: { x_forwarded_for: '81.2.69.160' } } } };
    expect(enrichClientIp(noPeer, CONF, trusted)).toBeUndefined();
    expect(noPeer).toEqual({ http: { request: { header: { x_forwarded_for: '81.2.69.160' } } } });
  });

  it('handles IPv6, lists, CloudFront\'s URL-encoded separators and WAF header lists', () => {
    expect(xffAddresses('2a00:1450:4001::1,%202001:db8:1::5')).toEqual(['2a00:1450:4001::1', '2001:db8:1::5']);
    expect(xffAddresses('81.2.69.160%2C%20198.51.100.3')).toEqual(['81.2.69.160', '198.51.100.3']);
    expect(xffAddresses(['81.2.69.160', '198.51.100.3, nonsense'])).toEqual(['81.2.69.160', '198.51.100.3']);
    expect(xffAddresses([{ name: 'Host', value: 'a.example' }, { name: 'X-Forwarded-For', value: '81.2.69.160, 198.51.100.3' }])).toEqual(['81.2.69.160', '198.51.100.3']);
    const doc = withXff('2001:db8:1::9', ['2a00:1450:4001::1', '2001:db8:1::5']);
    expect(enrichClientIp(doc, CONF, trusted)).toBe('2a00:1450:4001::1');
    expect(doc.source).toEqual({ ip: '2a00:1450:4001::1' });
  });

  it('rejects a trusted proxy that is not an address or range, naming it', () => {
    expect(() => new TrustedProxies(['10.0.0.0/33'])).toThrow('"10.0.0.0/33" is not an IPv4/IPv6 address or CIDR range (e.g. 192.0.2.0/24, 2001:db8::/32)');
    expect(() => new TrustedProxies(['proxy.example.com'])).toThrow('"proxy.example.com" is not an IPv4/IPv6 address or CIDR range');
  });

  it('reads the CloudFront (also origin-facing) and Global Accelerator prefixes of AWS ip-ranges.json, as the geoip-downloader', () => {
    const json = JSON.stringify({
      syncToken: '1',
      prefixes: [
        { ip_prefix: '130.176.0.0/16', service: 'CLOUDFRONT' },
        { ip_prefix: '130.176.0.0/16', service: 'AMAZON' },
        { ip_prefix: '15.197.0.0/16', service: 'GLOBALACCELERATOR' },
        { ip_prefix: '3.172.0.0/18', service: 'CLOUDFRONT_ORIGIN_FACING' },
        { ip_prefix: '3.5.140.0/22', service: 'S3' },
      ],
      ipv6_prefixes: [{ ipv6_prefix: '2600:9000::/28', service: 'CLOUDFRONT' }],
    });
    expect(awsEdgeRanges(json)).toEqual(['130.176.0.0/16', '15.197.0.0/16', '3.172.0.0/18', '2600:9000::/28']);
    expect(() => awsEdgeRanges('{"x":1}')).toThrow('not AWS ip-ranges.json: no "prefixes" list');
    expect(() => awsEdgeRanges('{"prefixes":[{"ip_prefix":"130.176.0.0","service":"CLOUDFRONT"}]}')).toThrow('prefixes[0] (CLOUDFRONT): "130.176.0.0" is not an IPv4 CIDR range');
  });

  it('adds ranges to the organization\'s own (the AWS edge ranges)', () => {
    const org = new TrustedProxies(['198.51.100.0/24']);
    const both = org.with(['130.176.0.0/16']);
    expect([both.isTrusted('198.51.100.3'), both.isTrusted('130.176.1.1'), org.isTrusted('130.176.1.1'), both.size]).toEqual([true, true, false, 2]);
    expect(org.with([])).toBe(org);
  });

  it('replaces source.ip of CloudFront and WAF documents before GeoIP, and only with trusted proxies configured', async () => {
    const WAF_KEY = 'AWSLogs/123456789012/WAF/ap-northeast-1/2026/11/21/10/aws-waf-logs-x-1-2026-11-21-10-00-00-abc.gz';
    const waf = JSON.parse(readFileSync(join(__dirname, '../log-types/waf/fixture.json'), 'utf8').trim().split('\n')[0]!);
    waf.httpRequest.clientIp = '130.176.10.20';
    waf.httpRequest.headers = [{ name: 'Host', value: 'app.example.com' }, { name: 'X-Forwarded-For', value: '81.2.69.160, 130.176.9.9' }];
    const line = JSON.stringify(waf);
    const [doc] = docs(await run(pipeline({ trustedProxies: trusted }), WAF_KEY, line));
    // source.geo from WAF's own httpRequest.country (no GeoIP database here).
    expect(doc!._source.source).toEqual({ ip: '81.2.69.160', address: '130.176.10.20', geo: { country_iso_code: 'GB' } });
    expect((doc!._source.related as { ip: string[] }).ip).toEqual(['130.176.10.20', '81.2.69.160']);
    const [plain] = docs(await run(pipeline(), WAF_KEY, line));
    expect(plain!._source.source).toEqual({ ip: '130.176.10.20', address: '130.176.10.20', geo: { country_iso_code: 'GB' } });

    const CF_KEY = 'AWSLogs/123456789012/CloudFront/global/E2EXAMPLE12345/realtime/2026/11/21/10/aes-siem-firehose-cloudfront-realtime-1-2026-11-21-10-00-00-a1b2c3d4-0000-4000-8000-000000000001';
    const cf = readFileSync(join(__dirname, '../log-types/cloudfront_realtime/fixture.log'), 'utf8').split('\n')[0]!.split('\t');
    cf[1] = '130.176.10.20'; // c_ip: a CloudFront address in front of this distribution
    cf[21] = '81.2.69.160,%20130.176.9.9'; // x_forwarded_for
    const [front] = docs(await run(pipeline({ trustedProxies: trusted }), CF_KEY, `${cf.join('\t')}\n`));
    expect(front!._source.source).toMatchObject({ ip: '81.2.69.160', address: '130.176.10.20' });
  });
});
