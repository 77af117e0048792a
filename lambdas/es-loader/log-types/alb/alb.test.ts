import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY =
  'AWSLogs/123456789012/elasticloadbalancing/us-east-1/2026/11/21/123456789012_elasticloadbalancing_us-east-1_app.my-loadbalancer.50dc6c495c0c9188_20261121T1005Z_10.0.0.10_2ry2qdws.log.gz';

describe('Log type: alb', () => {
  const p = pipeline();

  it('parses access log lines (current columns, older files without them, malformed requests) into the expected documents', async () => {
    const items = await run(p, KEY, fixture('alb', 'fixture.log'));
    expect(docs(items)).toEqual(expected('alb'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'alb', totalRecords: 7, emitted: 7, failed: 0 });
  });

  it('maps client, target, request line, status and the newest columns', async () => {
    const [ok, v6, lambda, redirect, malformed, wss, hostV6] = docs(await run(p, KEY, fixture('alb', 'fixture.log')));
    expect(ok._index).toBe('log-aws-elb-2026-11');
    expect(ok._source).toMatchObject({
      '@timestamp': '2026-11-21T10:00:01.186Z',
      source: { ip: '81.2.69.160', port: 2817 },
      destination: { ip: '10.0.0.1', port: 80, address: '10.0.0.1' },
      http: { request: { method: 'GET', bytes: 34 }, response: { status_code: 200, bytes: 366 }, version: '1.1' },
      url: { full: 'http://www.example.com:80/', scheme: 'http', domain: 'www.example.com', port: 80, path: '/' },
      event: { kind: 'event', category: 'web', module: 'alb', outcome: 'success' },
      cloud: { account: { id: '123456789012' }, region: 'us-east-1' },
      conn_trace_id: 'TID_1234abcd5678ef90',
    });
    expect(ok._source).not.toHaveProperty('ssl_cipher');
    expect(v6._source).toMatchObject({
      source: { ip: '2001:db8:85a3::8a2e:370:7334', port: 54321 },
      url: { path: '/search/item', query: 'q=shoes&page=2', full: 'https://www.example.com:443/search/item?q=shoes&page=2' },
      ssl_protocol: 'TLSv1.2',
      domain_name: 'www.example.com',
      transformed_uri: '/search/item?q=shoes&page=2',
      event: { outcome: 'failure' },
    });
    expect(lambda._source).not.toHaveProperty('destination');
    expect(lambda._source).toMatchObject({ lambda_error_reason: 'LambdaInvalidResponse', classification: 'Ambiguous', classification_reason: 'UndefinedContentLengthSemantics', http: { version: '2.0' } });
    expect(redirect._source).toMatchObject({ redirect_url: 'https://www.example.com:443/new-page', actions_executed: 'redirect' });
    expect(malformed._source).toMatchObject({ request: '- http://www.example.com:80- -', url: { full: 'http://www.example.com:80', port: 80 }, http: { response: { status_code: 400 } } });
    expect(malformed._source).not.toHaveProperty('http_method');
    expect(wss._source).not.toHaveProperty('conn_trace_id');
    expect(wss._source).toMatchObject({ request_type: 'wss', destination: { ip: '10.0.0.150', port: 8010 } });
    expect(hostV6._source).toMatchObject({ url: { domain: '2001:db8::1', full: 'http://[2001:db8::1]:80/health' } });
  });

  it('tells a line that is not an ALB access log line by its record number', async () => {
    const items = await run(p, KEY, 'http 2026-11-21T10:00:01.186641Z app/x/1 not an access log line\n');
    expect(items[0]).toMatchObject({ kind: 'record-error', record: 0, line: 1, reason: `${KEY}: record 0 (line 1): does not match the log_pattern of [alb]` });
  });

  it.each([
    KEY,
    'elb-logs/AWSLogs/123456789012/elasticloadbalancing/ap-northeast-1/2026/11/21/123456789012_elasticloadbalancing_ap-northeast-1_app.k8s-ingress-a1b2c3.0123456789abcdef_20261121T0000Z_2600:1f18::1_abcdefgh.log.gz',
    'renamed/elasticloadbalancing_ap-northeast-1_my-alb_20261121T0000Z_10.0.1.2_abcdefgh.log.gz',
  ])('recognises %s', (key) => expect(p.resolveLogType(key)?.name).toBe('alb'));

  it('does not load connection logs, which share the folder', () => {
    const key = 'AWSLogs/123456789012/elasticloadbalancing/us-east-1/2026/11/21/conn_log.123456789012_elasticloadbalancing_us-east-1_app.my-loadbalancer.50dc6c495c0c9188_20261121T1005Z_10.0.0.10_2ry2qdws.log.gz';
    expect(p.classify(key)).toMatchObject({ logType: { name: 'alb' }, ignored: 'key matches s3_key_ignored of [alb]' });
  });
});
