import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY =
  'AWSLogs/123456789012/CloudFront/global/E2EXAMPLE12345/realtime/2026/11/21/10/aes-siem-firehose-cloudfront-realtime-1-2026-11-21-10-00-00-a1b2c3d4-0000-4000-8000-000000000001';

describe('Log type: cloudfront_realtime', () => {
  const p = pipeline();

  it('parses real-time log records (all 40 fields) into the expected documents', async () => {
    const items = await run(p, KEY, fixture('cloudfront_realtime', 'fixture.log'));
    expect(docs(items)).toEqual(expected('cloudfront_realtime'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'cloudfront_realtime', totalRecords: 3, emitted: 3, failed: 0 });
  });

  it('maps viewer, request, URL, country and the distribution from the key', async () => {
    const [hit, v6, timeout] = docs(await run(p, KEY, fixture('cloudfront_realtime', 'fixture.log')));
    expect(hit._index).toBe('log-aws-cloudfront-2026-11');
    expect(hit._source).toMatchObject({
      '@timestamp': '2026-11-22T10:20:01.138Z',
      distribution_id: 'E2EXAMPLE12345',
      source: { ip: '81.2.69.160', port: 51234, geo: { country_iso_code: 'GB' } },
      http: { request: { method: 'GET', bytes: 95 }, response: { status_code: 200, bytes: 1087 }, version: '2.0' },
      url: { full: 'https://d111111abcdef8.cloudfront.net/index.html', domain: 'd111111abcdef8.cloudfront.net', path: '/index.html' },
      user_agent: { original: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15' },
      event: { kind: 'event', category: 'web', module: 'cloudfront-realtime', outcome: 'success' },
      cloud: { account: { id: '123456789012' }, region: 'global' },
    });
    expect(v6._source).toMatchObject({
      source: { ip: '2001:db8:85a3::8a2e:370:7334' },
      c_ip_version: 'IPv6',
      url: { query: 'size=large&v=2', full: 'https://d111111abcdef8.cloudfront.net/images/missing.png?size=large&v=2' },
      event: { outcome: 'failure' },
    });
    expect(timeout._source).toMatchObject({ x_edge_detailed_result_type: 'OriginCommError', http: { response: { status_code: 504 } } });
    expect(timeout._source).not.toHaveProperty('ssl_protocol');
  });

  it('names the distribution "unknown" when the key has none, as the reference does', async () => {
    const key = 'AWSLogs/123456789012/CloudFront/global/realtime/2026/11/21/10/stream-1-2026-11-21-10-00-00-x';
    expect(docs(await run(p, key, fixture('cloudfront_realtime', 'fixture.log')))[0]._source.distribution_id).toBe('unknown');
  });
});
