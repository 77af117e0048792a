import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY =
  'AWSLogs/123456789012/elasticloadbalancing/us-west-2/2026/11/21/123456789012_elasticloadbalancing_us-west-2_my-loadbalancer_20261121T1140Z_172.160.1.192_20sg8hgm.log';

describe('Log type: clb', () => {
  const p = pipeline();

  it('parses HTTP, HTTPS, TCP and SSL listener lines into the expected documents', async () => {
    const items = await run(p, KEY, fixture('clb', 'fixture.log'), { gzip: false });
    expect(docs(items)).toEqual(expected('clb'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'clb', totalRecords: 6, emitted: 6, failed: 0 });
  });

  it('maps client, backend, request line and status; TCP lines have no HTTP fields', async () => {
    const [http, v6, tcp, ssl, noBackend] = docs(await run(p, KEY, fixture('clb', 'fixture.log'), { gzip: false }));
    expect(http._index).toBe('log-aws-elb-2026-11');
    expect(http._source).toMatchObject({
      '@timestamp': '2026-11-21T11:39:43.945Z',
      source: { ip: '81.2.69.160', port: 2817 },
      destination: { ip: '10.0.0.1', port: 80 },
      http: { request: { method: 'GET', bytes: 0 }, response: { status_code: 200, bytes: 29 }, version: '1.1' },
      url: { full: 'http://www.example.com:80/', domain: 'www.example.com' },
      user_agent: { original: 'curl/8.4.0' },
      event: { module: 'clb', category: 'web', outcome: 'success' },
      cloud: { account: { id: '123456789012' }, region: 'us-west-2' },
    });
    expect(v6._source).toMatchObject({ source: { ip: '2001:db8:85a3::8a2e:370:7334', port: 52143 }, url: { path: '/images/logo.png', query: 'size=large' }, ssl_protocol: 'TLSv1.2' });
    for (const d of [tcp, ssl]) {
      expect(d._source).not.toHaveProperty('url');
      expect(d._source).not.toHaveProperty('user_agent');
      expect(d._source.event).not.toHaveProperty('outcome');
      expect(d._source).toMatchObject({ request: '- - - ', http: { request: { bytes: expect.any(Number) } } });
    }
    expect(ssl._source).toMatchObject({ ssl_cipher: 'ECDHE-ECDSA-AES128-GCM-SHA256' });
    expect(noBackend._source).not.toHaveProperty('destination');
    expect(noBackend._source).toMatchObject({ event: { outcome: 'failure' }, http: { response: { status_code: 503 } } });
  });

  it('is not taken for an Application or Network Load Balancer file', () => {
    expect(p.resolveLogType(KEY)?.name).toBe('clb');
    expect(p.resolveLogType(KEY.replace('my-loadbalancer', 'app.my-alb.0123456789abcdef') + '.gz')?.name).toBe('alb');
  });
});
