import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY =
  'AWSLogs/123456789012/elasticloadbalancing/us-east-2/2026/11/21/123456789012_elasticloadbalancing_us-east-2_net.my-network-loadbalancer.c6e77e28c25b2234_20261121T1005Z_fe7c9ab3.log.gz';

describe('Log type: nlb', () => {
  const p = pipeline();

  it('parses TLS listener log lines (completed and failed handshakes, IPv6) into the expected documents', async () => {
    const items = await run(p, KEY, fixture('nlb', 'fixture.log'));
    expect(docs(items)).toEqual(expected('nlb'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'nlb', totalRecords: 4, emitted: 4, failed: 0 });
  });

  it('maps client, target, bytes and SNI; the zone-less time is UTC', async () => {
    const [first, alpn, alert, v6] = docs(await run(p, KEY, fixture('nlb', 'fixture.log')));
    expect(first._index).toBe('log-aws-elb-2026-11');
    expect(first._source).toMatchObject({
      '@timestamp': '2026-11-21T10:02:40.000Z',
      source: { ip: '81.2.69.160', port: 51341 },
      destination: { ip: '172.31.100.185', port: 443 },
      http: { request: { bytes: 98 }, response: { bytes: 246 } },
      url: { domain: 'my-network-loadbalancer-c6e77e28c25b2234.elb.us-east-2.amazonaws.com', port: 443 },
      event: { kind: 'event', category: 'network', module: 'nlb' },
      cloud: { account: { id: '123456789012' }, region: 'us-east-2' },
    });
    expect(alpn._source).toMatchObject({ alpn_fe_protocol: 'h2', alpn_client_preference_list: '"h2","http/1.1"', tls_named_group: 'x25519' });
    expect(alert._source).toMatchObject({ incoming_tls_alert: '0x28' });
    expect(alert._source).not.toHaveProperty('tls_handshake_time');
    expect(alert._source).not.toHaveProperty('tls_connection_creation_time');
    expect(v6._source).toMatchObject({ source: { ip: '2001:db8:1234:a102::77' }, destination: { ip: '2001:db8:1234:a1ff::10', port: 8443 } });
  });

  it.each([KEY, 'logs/elasticloadbalancing_us-east-2_net-renamed_20261121T1005Z_fe7c9ab3.log.gz'])('recognises %s', (key) => expect(p.resolveLogType(key)?.name).toBe('nlb'));
});
