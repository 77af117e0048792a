import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY = 'AWSLogs/123456789012/network-firewall/alert/us-east-1/2026/11/21/10/123456789012_network-firewall_alert_us-east-1_aes-siem-fw_202611211020_a1b2c3d4.log.gz';

describe('Log type: networkfirewall', () => {
  const p = pipeline();

  it('parses alert and flow records into the expected documents', async () => {
    const items = await run(p, KEY, fixture('networkfirewall', 'fixture.jsonl'));
    expect(docs(items)).toEqual(expected('networkfirewall'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'networkfirewall', totalRecords: 5, emitted: 5, failed: 0 });
  });

  it('maps alerts as intrusion detection and flows as network events', async () => {
    const [ssh, http, tls, flow, icmp] = docs(await run(p, KEY, fixture('networkfirewall', 'fixture.jsonl')));
    expect(ssh._index).toBe('log-aws-networkfirewall-2026-11');
    expect(ssh._source).toMatchObject({
      '@timestamp': '2026-11-21T10:20:01.006Z',
      event: { kind: 'alert', category: 'intrusion_detection', module: 'alert', action: 'blocked', severity: 1, src_ip: '81.2.69.160', flow_id: 1582438383425873 },
      rule: { id: '1000001', name: 'Block inbound SSH', version: '2' },
      source: { ip: '81.2.69.160', port: 55555 },
      destination: { ip: '10.0.1.16', port: 22 },
      network: { transport: 'tcp' },
      service: { node: { name: 'aes-siem-fw' } },
      cloud: { account: { id: '123456789012' }, region: 'us-east-1', availability_zone: 'us-east-1a' },
    });
    expect(http._source).toMatchObject({ url: { domain: 'update.example.net' }, http: { request: { method: 'GET' } }, user_agent: { original: 'curl/8.4.0' }, network: { protocol: 'http' }, event: { action: 'allowed', severity: 2 } });
    expect(tls._source).toMatchObject({ url: { domain: 'blocked.example.org' }, source: { ip: '2001:db8:1234:a102::77' }, destination: { ip: '2001:db8:ffff::443' } });
    expect(flow._source).toMatchObject({
      event: { kind: 'event', category: 'network', module: 'netflow' },
      network: { bytes: 180, packets: 3, transport: 'tcp' },
      source: { bytes: 180, packets: 3 },
    });
    expect(flow._source.event).not.toHaveProperty('action');
    expect(icmp._source).toMatchObject({ network: { transport: 'icmp', protocol: 'failed' } });
  });

  it.each([
    KEY,
    'AWSLogs/123456789012/network-firewall/flow/eu-west-1/2026/11/21/10/123456789012_network-firewall_flow_eu-west-1_fw_202611211020_a1b2c3d4.log.gz',
    'AWSLogs/123456789012/network-firewall/tls/eu-west-1/2026/11/21/10/123456789012_network-firewall_tls_eu-west-1_fw_202611211020_a1b2c3d4.log.gz',
  ])('recognises %s', (key) => expect(p.resolveLogType(key)?.name).toBe('networkfirewall'));
});
