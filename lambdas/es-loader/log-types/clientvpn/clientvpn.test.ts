import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY = 'AWSLogs/123456789012/ClientVPN/ap-northeast-1/2026/11/21/10/aes-siem-clientvpn-1-2026-11-21-10-05-00-1a2b3c4d-5e6f-7081-92a3-b4c5d6e7f809';

const envelope = (message: string) =>
  JSON.stringify({ messageType: 'DATA_MESSAGE', owner: '123456789012', logGroup: '/aws/clientvpn/x', logStream: 's', subscriptionFilters: [], logEvents: [{ id: '1', timestamp: 1795255201000, message }] });

describe('Log type: clientvpn', () => {
  const p = pipeline();

  it('reads the connection log entries of the CloudWatch Logs messages (control message skipped) into the expected documents', async () => {
    const items = await run(p, KEY, fixture('clientvpn', 'fixture.json'));
    expect(docs(items)).toEqual(expected('clientvpn'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'clientvpn', totalRecords: 4, emitted: 4, failed: 0, skipped: 0 });
  });

  it('sets outcome, error, bytes, packets and duration as the reference, and keeps the entry under clientvpn.', async () => {
    const [ok, failed, tcp, reset] = docs(await run(p, KEY, fixture('clientvpn', 'fixture.json')));
    expect(ok!._index).toBe('log-aws-clientvpn-2026-11');
    expect(ok!._source).toMatchObject({
      '@timestamp': '2026-11-21T10:00:01.000Z',
      '@log_type': 'clientvpn',
      event: { kind: 'event', category: 'network', module: 'clientvpn', outcome: 'success', duration: 0 },
      source: { ip: '198.51.100.10', port: 50096 },
      related: { ip: ['10.100.0.2', '198.51.100.10'], user: ['NA'] },
    });
    expect(ok!._source).not.toHaveProperty('network');
    expect(ok!._source).not.toHaveProperty('error');
    expect(ok!._source.clientvpn).toMatchObject({ 'connection-start-time': '2026-11-21T10:00:01+00:00', 'connection-last-update-time': '2026-11-21T10:00:01+00:00', 'client-ip': '10.100.0.2' });
    expect(ok!._source.clientvpn).not.toHaveProperty('connection-end-time');
    for (const k of ['device-ip', 'connection-id', 'username']) expect(ok!._source).not.toHaveProperty([k]);

    expect(failed!._source).toMatchObject({
      event: { outcome: 'failure' },
      error: { message: 'Authentication failed' },
      source: { ip: '2001:db8:4f::17', port: 61234 },
      user: { id: 'mallory', name: 'mallory' },
      related: { ip: ['2001:db8:4f::17'], user: ['mallory'] },
    });
    expect((failed!._source.event as Record<string, unknown>).duration).toBeUndefined();
    for (const k of ['client-ip', 'connection-start-time']) expect(failed!._source.clientvpn).not.toHaveProperty([k]);

    expect(tcp!._source).toMatchObject({ user: { name: 'alice' }, clientvpn: { 'transport-protocol': 'tcp', 'posture-compliance-statuses': ['compliant'] } });

    expect(reset!._source).toMatchObject({
      '@timestamp': '2026-11-21T11:00:05.000Z',
      event: { duration: 3_604_000_000_000 },
      network: { bytes: 6_291_456, packets: 7300 },
      clientvpn: { 'connection-log-type': 'connection-reset', 'connection-end-time': '2026-11-21T11:00:05+00:00' },
    });
    expect((reset!._source.event as Record<string, unknown>).outcome).toBeUndefined();
  });

  it('names an entry without connection-last-update-time in a record error, and loads the others', async () => {
    const items = await run(p, KEY, envelope(JSON.stringify({ 'connection-log-type': 'connection-attempt', 'device-ip': '198.51.100.1' })));
    expect(items[0]).toMatchObject({ kind: 'record-error', record: 0, reason: expect.stringContaining('connection-last-update-time') });
  });

  it('a user.ini field_prefix nests the entry\'s own fields only, not what the CloudWatch Logs envelope adds (@log_group, @log_stream, cloud)', async () => {
    const [d] = docs(await run(pipeline({ userIni: '[clientvpn]\nfield_prefix = vpn\n' }), KEY, fixture('clientvpn', 'fixture.json')));
    expect(d!._source).toMatchObject({ '@log_group': '/aws/clientvpn/cvpn-endpoint-0123456789abcdef0', cloud: { account: { id: '123456789012' } } });
    // The transform has nested the entry under clientvpn. already; nothing else is the record's own.
    expect(d!._source.vpn).toEqual({});
    expect(d!._source.clientvpn).toMatchObject({ 'connection-id': 'cvpn-connection-0a1b2c3d4e5f6a7b8' });
  });

  it.each([KEY, 'AWSLogs/123456789012/ClientVPN/us-east-1/x.gz'])('recognises %s', (key) => expect(p.resolveLogType(key)?.name).toBe('clientvpn'));
});
