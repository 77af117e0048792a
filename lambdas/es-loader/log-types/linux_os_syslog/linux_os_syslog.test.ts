import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY = 'AWSLogs/123456789012/Linux/ap-northeast-1/messages/2026/11/21/10/aes-siem-linux-messages-1-2026-11-21-10-05-00-1a2b3c4d-5e6f-7081-92a3-b4c5d6e7f809';

describe('Log type: linux_os_syslog', () => {
  const p = pipeline();

  it('reads the CloudWatch Logs events of /var/log/messages into the expected documents', async () => {
    const items = await run(p, KEY, fixture('linux_os_syslog', 'fixture.json'));
    expect(docs(items)).toEqual(expected('linux_os_syslog'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'linux_os_syslog', totalRecords: 7, emitted: 7, failed: 0, skipped: 0 });
  });

  it('sends sshd, sudo and su lines to log-linux-secure, the others to log-linux-os', async () => {
    const d = docs(await run(p, KEY, fixture('linux_os_syslog', 'fixture.json')));
    expect(d.map((x) => [x._source.proc, x._index, (x._source.event as { module: string }).module])).toEqual([
      ['systemd', 'log-linux-os-2026-11', 'system'],
      ['dhclient', 'log-linux-os-2026-11', 'system'],
      ['kernel', 'log-linux-os-2026-11', 'system'],
      ['sshd', 'log-linux-secure-2026-11', 'secure'],
      // As the reference: a sudo command keeps the section's event.module.
      ['sudo', 'log-linux-secure-2026-11', 'system'],
      ['su', 'log-linux-secure-2026-11', 'system'],
      ['chronyd', 'log-linux-os-2026-11', 'system'],
    ]);
    expect(d[3]!._source).toMatchObject({ '@log_type': 'linux-os-syslog', user: { name: 'oracle' }, source: { ip: '198.51.100.77', port: 33110 }, event: { category: 'authentication', action: 'Failed', outcome: 'failure' } });
    expect(d[4]!._source).toMatchObject({ user: { name: 'ec2-user' }, event: { action: '/usr/bin/yum update -y', outcome: 'success' } });
    for (const x of d) expect(x._source).not.toHaveProperty('__index_name');
  });

  it('recognises a Linux key that is not the secure log', () => {
    expect(p.resolveLogType(KEY)?.name).toBe('linux_os_syslog');
    expect(p.classify('AWSLogs/123456789012/Linux/ap-northeast-1/messages/error/x.gz')).toMatchObject({ ignored: 'key matches s3_key_ignored of [linux_os_syslog]' });
  });
});
