import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY = 'AWSLogs/123456789012/RDS/MySQL/error/ap-northeast-1/2026/11/21/10/aes-siem-rds-mysql-error-1-2026-11-21-10-05-00-4d5e6f70-8192-43a4-b5c6-d7e8f9a0b1c2';

describe('Log type: rds_mysql_error', () => {
  const p = pipeline();

  it('reads the error log events of RDS for MySQL 5.7 and Aurora MySQL 8.0 into the expected documents', async () => {
    const items = await run(p, KEY, fixture('rds_mysql_error', 'fixture.json'));
    expect(docs(items)).toEqual(expected('rds_mysql_error'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'rds_mysql_error', totalRecords: 10, emitted: 10, failed: 0, skipped: 0 });
  });

  it('makes "Access denied" and "Unknown database" failed logins, in the 5.7 and the 8.0 form', async () => {
    const d = docs(await run(p, KEY, fixture('rds_mysql_error', 'fixture.json'))).map((x) => x._source);
    const failed = { category: 'authentication', type: 'start', action: 'failed', outcome: 'failure' };
    expect(d[0]).toMatchObject({ '@log_type': 'rds-mysql-error', event: { module: 'error', category: 'database' }, log: { level: 'Note' }, rds: { message: 'Shutting down slave threads' } });
    expect(d[0].event).not.toHaveProperty('outcome');
    expect(d[1]).toMatchObject({ event: failed, user: { name: 'root' }, source: { ip: '203.0.113.50', address: '203.0.113.50' }, mysql: { username: 'root', host: '203.0.113.50' } });
    expect(d[2]).toMatchObject({ event: failed, user: { name: 'app' }, source: { ip: '2001:db8::25' } });
    // A host name is an address, not an IP.
    expect(d[3]).toMatchObject({ event: failed, user: { name: 'svc' }, source: { address: 'ip-10-0-1-25.ec2.internal' } });
    expect(d[3].source).not.toHaveProperty('ip');
    expect(d[4]).toMatchObject({ event: failed, rds: { database_name: 'nosuchdb' } });
    expect(d[5]).toMatchObject({ rds: { message: expect.stringContaining('\n*** (1) TRANSACTION:\n') } });
    // The audit plugin's own lines: another time form, no thread or level.
    expect(d[6]).toMatchObject({ rds: { message: 'server_audit: STOPPED' }, mysql: { timestamp: '261121 10:00:07' } });
    expect(d[6]).not.toHaveProperty('log');
    // MySQL 8.0 (the reference recognises only the 5.7 form; docs/log-types.md).
    expect(d[8]).toMatchObject({ event: failed, user: { name: 'admin' }, source: { ip: '198.51.100.23' }, rds: { cluster_identifier: 'aurora-mysql', instance_identifier: 'aurora-mysql-instance-1' } });
    expect(d[9]).toMatchObject({ log: { level: 'Warning' }, event: { category: 'database' } });
  });

  it('recognises the error log key, and ignores only the exporter\'s ErrorLogs/ folder', () => {
    expect(p.resolveLogType(KEY)?.name).toBe('rds_mysql_error');
    // A prefix holding the log group, whose name need not say MySQL (the reference's pattern needs it).
    expect(p.resolveLogType('AWSLogs/123456789012/aws/rds/instance/shop-db/error/2026/11/21/x')?.name).toBe('rds_mysql_error');
    expect(p.classify('ErrorLogs/RDS/MySQL/error/2026/11/21/x')).toMatchObject({ logType: { name: 'rds_mysql_error' }, ignored: expect.any(String) });
  });
});
