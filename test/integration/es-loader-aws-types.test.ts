/**
 * The AWS-service log types of issue 13 (ELB, CloudFront, Route 53 Resolver, Network Firewall) end to end
 * against the local servers: each fixture object in s3rver under a key of the layout the service writes,
 * the handler invoked with its S3 notification, the documents read back from OpenSearch compared exactly
 * with the log type's expected documents, and the field types checked in the index mappings.
 */
import { describe, expect, it } from 'vitest';
import { allDocs, byId, expected, expectIndexedExactly, failureMessages, fixture, type LogTypeCase, putObject, s3Event, useLoaderSuite } from './es-loader-helpers';


const FIXTURES: LogTypeCase[] = [
  {
    name: 'ALB',
    type: 'alb',
    file: 'fixture.log',
    key: 'AWSLogs/123456789012/elasticloadbalancing/us-east-1/2026/11/21/123456789012_elasticloadbalancing_us-east-1_app.my-loadbalancer.50dc6c495c0c9188_20261121T1005Z_10.0.0.10_2ry2qdws.log.gz',
    types: { '@timestamp': 'date', 'source.ip': 'ip', 'destination.ip': 'ip', 'source.port': 'long', 'url.port': 'long', 'http.response.status_code': 'long', 'http.request.bytes': 'long', 'url.full': 'keyword', 'user_agent.original': 'keyword' },
  },
  {
    name: 'CLB',
    type: 'clb',
    file: 'fixture.log',
    key: 'AWSLogs/123456789012/elasticloadbalancing/us-west-2/2026/11/21/123456789012_elasticloadbalancing_us-west-2_my-loadbalancer_20261121T1140Z_172.160.1.192_20sg8hgm.log',
    types: { '@timestamp': 'date', 'source.ip': 'ip', 'destination.port': 'long', 'http.response.bytes': 'long' },
  },
  {
    name: 'NLB',
    type: 'nlb',
    file: 'fixture.log',
    key: 'AWSLogs/123456789012/elasticloadbalancing/us-east-2/2026/11/21/123456789012_elasticloadbalancing_us-east-2_net.my-network-loadbalancer.c6e77e28c25b2234_20261121T1005Z_fe7c9ab3.log.gz',
    types: { '@timestamp': 'date', 'source.ip': 'ip', 'destination.ip': 'ip', 'url.domain': 'keyword', 'http.request.bytes': 'long' },
  },
  {
    name: 'CloudFront standard',
    type: 'cloudfront_standard',
    file: 'fixture.log',
    key: 'cloudfront-logs/E2EXAMPLE12345.2026-11-21-10.a1b2c3d4.gz',
    types: { '@timestamp': 'date', 'source.ip': 'ip', 'source.port': 'long', 'http.response.status_code': 'long', 'url.full': 'keyword', 'cloud.region': 'keyword' },
  },
  {
    name: 'CloudFront real-time',
    type: 'cloudfront_realtime',
    file: 'fixture.log',
    key: 'AWSLogs/123456789012/CloudFront/global/E2EXAMPLE12345/realtime/2026/11/21/10/aes-siem-firehose-cloudfront-realtime-1-2026-11-21-10-00-00-a1b2c3d4-0000-4000-8000-000000000001',
    types: { '@timestamp': 'date', 'source.ip': 'ip', 'source.geo.country_iso_code': 'keyword', 'http.request.bytes': 'long' },
  },
  {
    name: 'Route 53 Resolver',
    type: 'route53resolver',
    file: 'fixture.jsonl',
    key: 'AWSLogs/123456789012/vpcdnsquerylogs/vpc-0a1b2c3d4e5f6a7b8/2026/11/21/vpc-0a1b2c3d4e5f6a7b8_vpcdnsquerylogs_123456789012_20261121T1015Z_a1b2c3d4.log.gz',
    types: { '@timestamp': 'date', 'source.ip': 'ip', 'dns.question.name': 'keyword', 'dns.response_code': 'keyword', 'cloud.instance.id': 'keyword' },
  },
  {
    name: 'Network Firewall',
    type: 'networkfirewall',
    file: 'fixture.jsonl',
    key: 'AWSLogs/123456789012/network-firewall/alert/us-east-1/2026/11/21/10/123456789012_network-firewall_alert_us-east-1_aes-siem-fw_202611211020_a1b2c3d4.log.gz',
    types: { '@timestamp': 'date', 'source.ip': 'ip', 'destination.ip': 'ip', 'destination.port': 'long', 'event.severity': 'float', 'rule.id': 'keyword', 'network.bytes': 'long', 'event.action': 'keyword' },
  },
];

const suite = useLoaderSuite();
const client = suite.client;

describe('es-loader: ELB, CloudFront, Route 53 Resolver and Network Firewall logs in OpenSearch', () => {
  it.each(FIXTURES)('$name: exact documents and field types', async (f) => {
    await expectIndexedExactly(suite.loader, client, f);
  });

  it('ALB, CLB and NLB documents share log-aws-elb, and both CloudFront kinds share log-aws-cloudfront, without mapping conflicts', async () => {
    const groups = [
      ['alb', 'clb', 'nlb'],
      ['cloudfront_standard', 'cloudfront_realtime'],
    ];
    for (const group of groups) {
      const fs = FIXTURES.filter((f) => group.includes(f.type));
      for (const f of fs) await putObject(f.key, fixture(f.type, f.file));
      for (const f of fs) await suite.loader.invoke(s3Event(f.key));
      const want = fs.flatMap((f) => expected(f.type));
      expect(byId(await allDocs(client, [...new Set(want.map((d) => d._index))].join(',')))).toEqual(byId(want));
    }
    expect(await failureMessages(suite.loader.dlqUrl)).toEqual([]);
  });
});
