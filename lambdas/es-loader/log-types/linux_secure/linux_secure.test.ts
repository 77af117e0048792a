import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY = 'AWSLogs/123456789012/Linux/ap-northeast-1/secure/2026/11/21/10/aes-siem-linux-secure-1-2026-11-21-10-05-00-0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9';

describe('Log type: linux_secure', () => {
  const p = pipeline();

  it('reads the CloudWatch Logs events of /var/log/secure (control message skipped) into the expected documents', async () => {
    const items = await run(p, KEY, fixture('linux_secure', 'fixture.json'));
    expect(docs(items)).toEqual(expected('linux_secure'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'linux_secure', totalRecords: 11, emitted: 11, failed: 0, skipped: 0 });
  });

  it('derives user, source, action and outcome of sshd and sudo lines as the reference does', async () => {
    const d = docs(await run(p, KEY, fixture('linux_secure', 'fixture.json'))).map((x) => x._source);
    expect(d.map((s) => s.event)).toMatchObject([
      { module: 'secure', category: 'authentication', action: 'Accepted', outcome: 'success' },
      { module: 'secure', category: 'authentication', action: 'session opened', outcome: 'success' },
      { module: 'secure', category: 'authentication', action: 'Invalid user', outcome: 'failure' },
      { module: 'secure', category: 'authentication', action: 'Failed', outcome: 'failure' },
      { module: 'secure', category: 'authentication', action: 'Failed', outcome: 'failure' },
      { module: 'secure', category: 'authentication', action: 'Received disconnect' },
      { module: 'secure', category: 'authentication', action: 'Connection closed' },
      { module: 'secure', action: '/bin/cat /etc/shadow', outcome: 'success' },
      { module: 'secure', action: 'session opened', outcome: 'success' },
      { module: 'secure', kind: 'event' },
      { module: 'secure', category: 'authentication', action: 'session closed' },
    ]);
    expect(d[5]!.event).not.toHaveProperty('outcome');
    expect(d[0]).toMatchObject({
      '@timestamp': '2026-11-21T10:00:01.000Z',
      '@log_type': 'linux-secure',
      user: { name: 'ec2-user' },
      source: { ip: '203.0.113.10', port: 52144 },
      host: { hostname: 'ip-10-0-1-5' },
      process: { name: 'sshd', pid: 2345 },
      cloud: { instance: { id: 'i-0123456789abcdef0' }, account: { id: '123456789012' } },
      related: { hosts: ['i-0123456789abcdef0', 'ip-10-0-1-5'], ip: ['203.0.113.10'], user: ['ec2-user'] },
    });
    // `by (uid=0)` names no user: none is written.
    expect(d[1]).not.toHaveProperty('user');
    // An IPv6 client is a source too (the reference's patterns take IPv4 only; docs/log-types.md).
    expect(d[4]).toMatchObject({ user: { name: 'root' }, source: { ip: '2001:db8:85a3::8a2e:370:7334' }, related: { ip: ['2001:db8:85a3::8a2e:370:7334'] } });
    expect(d[7]).toMatchObject({ user: { name: 'ec2-user' }, related: { user: ['ec2-user'] } });
    expect(d.every((s) => s['@log_group'] === '/var/log/secure')).toBe(true);
  });

  it.each([KEY, 'AWSLogs/123456789012/linux/ap-northeast-1/var-log-secure/x.gz'])('recognises %s before linux_os_syslog', (key) =>
    expect(p.resolveLogType(key)?.name).toBe('linux_secure'),
  );
});
