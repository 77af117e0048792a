import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY = 'AWSLogs/123456789012/vpcdnsquerylogs/vpc-0a1b2c3d4e5f6a7b8/2026/11/21/vpc-0a1b2c3d4e5f6a7b8_vpcdnsquerylogs_123456789012_20261121T1015Z_a1b2c3d4.log.gz';

describe('Log type: route53resolver', () => {
  const p = pipeline();

  it('parses query log JSON lines (answers, NXDOMAIN, DNS Firewall block, SERVFAIL) into the expected documents', async () => {
    const items = await run(p, KEY, fixture('route53resolver', 'fixture.jsonl'));
    expect(docs(items)).toEqual(expected('route53resolver'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'route53resolver', totalRecords: 5, emitted: 5, failed: 0 });
  });

  it('maps the question, every answer, the source instance and the firewall action', async () => {
    const [cname, v6, nx, blocked, servfail] = docs(await run(p, KEY, fixture('route53resolver', 'fixture.jsonl')));
    expect(cname._index).toBe('log-aws-r53resolver-2026-11');
    expect(cname._source).toMatchObject({
      '@timestamp': '2026-11-21T10:15:01.000Z',
      dns: {
        question: { name: 'www.example.com', type: 'A', class: 'IN' },
        response_code: 'NOERROR',
        answers: [
          { data: 'www.example.com.edgekey.net', type: 'CNAME', class: 'IN' },
          { data: '93.184.216.34', type: 'A', class: 'IN' },
        ],
      },
      source: { ip: '10.0.1.25', port: 49153, address: '10.0.1.25' },
      network: { transport: 'udp', protocol: 'dns' },
      cloud: { account: { id: '123456789012' }, region: 'us-east-1', instance: { id: 'i-0123456789abcdef0' } },
      event: { kind: 'event', category: 'network', module: 'route53resolver' },
      vpc_id: 'vpc-0a1b2c3d4e5f6a7b8',
    });
    expect(v6._source).toMatchObject({ source: { ip: '2001:db8:1234:a102::77' }, dns: { answers: [{ data: '2001:db8::1', type: 'AAAA' }] }, network: { transport: 'tcp' } });
    expect(nx._source).toMatchObject({ dns: { response_code: 'NXDOMAIN', question: { name: 'nonexistent.example.internal' } } });
    expect(nx._source).not.toHaveProperty('answers');
    expect(nx._source).not.toHaveProperty('dns.answers');
    expect(blocked._source).toMatchObject({ event: { action: 'BLOCK' }, firewall_rule_group_id: 'rslvr-frg-0123456789abcdef' });
    expect(servfail._source).not.toHaveProperty('cloud.instance');
    expect(servfail._source).toMatchObject({ srcids: { resolver_endpoint: 'rslvr-in-0123456789abcdef0' } });
  });

  it.each([KEY, 'central/AWSLogs/123456789012/vpcdnsquerylogs/vpc-0a1b2c3d4e5f6a7b8/2026/11/21/x.log.gz'])('recognises %s', (key) =>
    expect(p.resolveLogType(key)?.name).toBe('route53resolver'),
  );
});
