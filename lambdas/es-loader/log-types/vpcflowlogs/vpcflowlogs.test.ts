import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY = 'AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/26/123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20261126T1900Z_a1b2c3d4.log.gz';

describe('Log type: vpcflowlogs', () => {
  const p = pipeline();

  it('parses the member stacks custom v5 format, field order from the header line', async () => {
    const items = await run(p, KEY, fixture('vpcflowlogs', 'fixture.log'));
    expect(docs(items)).toEqual(expected('vpcflowlogs'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'vpcflowlogs', totalRecords: 4, emitted: 4, failed: 0 });
  });

  it('maps addresses, ports, counters, action and direction', async () => {
    const [inbound, rejected, v6, nodata] = docs(await run(p, KEY, fixture('vpcflowlogs', 'fixture.log')));
    expect(inbound._index).toBe('log-aws-vpcflowlogs-2026-11');
    expect(inbound._source).toMatchObject({
      '@timestamp': '2026-11-26T19:01:00.000Z',
      source: { ip: '81.2.69.160', port: 49761, bytes: 4249, packets: 20 },
      destination: { ip: '10.0.1.5', port: 443 },
      network: { transport: 'tcp', iana_number: '6', type: 'ipv4', direction: 'ingress', bytes: 4249, packets: 20 },
      event: { action: 'ACCEPT', outcome: 'success', category: 'network' },
      cloud: { account: { id: '123456789012' }, region: 'us-east-1', instance: { id: 'i-01234567890123456' } },
      vpc_id: 'vpc-0a1b2c3d4e5f6a7b8',
      az_id: 'use1-az4',
    });
    expect(rejected._source).toMatchObject({ event: { outcome: 'failure' }, network: { direction: 'egress' } });
    expect(v6._source).toMatchObject({ network: { type: 'ipv6', transport: 'udp' }, source: { ip: '2001:db8:1234:a102::77', port: 53 } });
    expect(nodata._source).not.toHaveProperty('source');
    expect(nodata._source).toMatchObject({ log_status: 'NODATA', '@timestamp': '2026-11-26T19:02:40.000Z' });
  });

  it('event.outcome is unknown for NODATA and SKIPDATA records, which have no action', async () => {
    const [header, , , , nodata] = fixture('vpcflowlogs', 'fixture.log').toString().trim().split('\n');
    const body = [header, nodata, nodata.replace(' NODATA ', ' SKIPDATA ')].join('\n') + '\n';
    const out = docs(await run(p, KEY, body)).map((d) => [d._source.log_status, d._source.event]);
    expect(out.map(([status, event]) => [status, (event as { outcome?: string }).outcome])).toEqual([['NODATA', 'unknown'], ['SKIPDATA', 'unknown']]);
  });

  it('names the transports the reference names (egp, dccp, ipv6, sdrp) beside the common ones', async () => {
    const [header, line] = fixture('vpcflowlogs', 'fixture.log').toString().split('\n');
    const body = [header, ...['1', '8', '33', '41', '42', '132'].map((n) => line.replace(' 49761 443 6 ', ` 49761 443 ${n} `))].join('\n');
    const out = docs(await run(p, KEY, body)).map((d) => (d._source.network as { transport?: string }).transport);
    expect(out).toEqual(['icmp', 'egp', 'dccp', 'ipv6', 'sdrp', 'sctp']);
  });

  it('keeps the last line of every file, with or without a final newline (the reference drops it)', async () => {
    const text = fixture('vpcflowlogs', 'fixture.log').toString().trim();
    const lastLine = text.split('\n').at(-1);
    for (const body of [text, text + '\n']) {
      const items = await run(p, KEY, body);
      const out = docs(items);
      expect(out).toHaveLength(4);
      expect(out.at(-1)!._source['@message']).toBe(lastLine);
      expect(items.at(-1)).toMatchObject({ kind: 'summary', totalRecords: 4, emitted: 4 });
    }
    const v2 = docs(await run(p, KEY, fixture('vpcflowlogs', 'fixture-v2.log')));
    expect(v2.map((d) => d._source.log_status)).toEqual(['OK', 'OK', 'NODATA']);
  });

  it('reads the default version 2 format with its own header', async () => {
    const key = 'AWSLogs/123456789010/vpcflowlogs/us-east-1/2014/12/14/x.log.gz';
    const out = docs(await run(p, key, fixture('vpcflowlogs', 'fixture-v2.log')));
    expect(out).toEqual(expected('vpcflowlogs', 'expected-v2.json'));
    expect(out[1]._source).toMatchObject({ source: { ip: '172.31.9.69', port: 49761 }, destination: { port: 3389 }, version: '2', event: { action: 'REJECT' } });
  });

  it('gives the same _id to the same line read twice, and different ids to different lines', async () => {
    const a = docs(await run(p, KEY, fixture('vpcflowlogs', 'fixture.log'))).map((d) => d._id);
    const b = docs(await run(p, KEY, fixture('vpcflowlogs', 'fixture.log'))).map((d) => d._id);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(4);
  });
});
