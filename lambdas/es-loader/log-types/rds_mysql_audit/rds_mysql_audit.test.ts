import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';
import { unescapeAuditObject } from './transform';

const KEY = 'AWSLogs/123456789012/RDS/MySQL/audit/ap-northeast-1/2026/11/21/10/aes-siem-rds-mysql-audit-1-2026-11-21-10-05-00-2b3c4d5e-6f70-4182-93a4-b5c6d7e8f9a0';

describe('Log type: rds_mysql_audit', () => {
  const p = pipeline();

  it('reads the audit events of Aurora MySQL and RDS for MySQL (control message skipped) into the expected documents', async () => {
    const items = await run(p, KEY, fixture('rds_mysql_audit', 'fixture.json'));
    expect(docs(items)).toEqual(expected('rds_mysql_audit'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'rds_mysql_audit', totalRecords: 11, emitted: 11, failed: 0, skipped: 0 });
  });

  it('derives connects, failed connects, disconnects, outcomes and queries', async () => {
    const d = docs(await run(p, KEY, fixture('rds_mysql_audit', 'fixture.json'))).map((x) => x._source);
    expect(d.map((s) => [(s.event as Record<string, unknown>).action, (s.event as Record<string, unknown>).outcome])).toEqual([
      ['authorized', 'success'],
      [undefined, 'success'],
      [undefined, 'success'],
      [undefined, 'success'],
      [undefined, 'failure'],
      ['failed', 'failure'],
      ['disconnected', 'success'],
      ['authorized', 'success'],
      [undefined, 'success'],
      ['failed', 'failure'],
      ['authorized', 'success'],
    ]);
    expect(d[0]).toMatchObject({
      '@timestamp': '2026-11-21T10:00:01.000Z',
      '@log_type': 'rds-mysql-audit',
      event: { module: 'audit', category: 'authentication', type: 'start' },
      user: { name: 'admin' },
      source: { ip: '10.0.1.25', address: '10.0.1.25' },
      rds: { database_name: 'appdb', cluster_identifier: 'aurora-mysql', instance_identifier: 'aurora-mysql-instance-1' },
      mysql: { timestamp: 1795255201.000123, operation: 'CONNECT', retcode: '0' },
      related: { ip: ['10.0.1.25'], user: ['admin'] },
    });
    expect(d[1]).toMatchObject({ event: { category: 'database' }, rds: { query: 'CREATE TABLE orders (id INT PRIMARY KEY, customer VARCHAR(64))' } });
    expect(d[2]).toMatchObject({ rds: { query: "SELECT * FROM orders WHERE customer='alice'" } });
    expect(d[3]).toMatchObject({ rds: { query: "INSERT INTO orders\nVALUES (1, 'bob');" } });
    expect(d[5]).toMatchObject({ user: { name: 'hacker' }, source: { ip: '203.0.113.50' }, mysql: { retcode: '1045' } });
    expect(d[5].rds).not.toHaveProperty('database_name');
    expect(d[6]).toMatchObject({ event: { type: 'end' } });
    // RDS for MySQL: the instance from the log group, the time as written, an IPv6 client.
    expect(d[7]).toMatchObject({ rds: { instance_identifier: 'mysql-prod' }, mysql: { timestamp: '20261121 10:00:08' }, source: { ip: '2001:db8::25' }, related: { ip: ['2001:db8::25'] } });
    expect(d[7].rds).not.toHaveProperty('cluster_identifier');
    expect(d[8]).toMatchObject({ rds: { query: 'DROP TABLE tmp_orders' } });
    // `localhost` is an address, not an IP.
    expect(d[10]).toMatchObject({ source: { address: 'localhost' } });
    expect(d[10].source).not.toHaveProperty('ip');
    expect(d[10]).not.toHaveProperty('related.ip');
  });

  it('decodes the escapes of a quoted object as Python unicode-escape does', () => {
    expect(unescapeAuditObject(String.raw`'a\'b\\c\nd\te\x41\u00e9'`)).toBe("'a'b\\c\nd\teAé'");
    expect(unescapeAuditObject(String.raw`'\q'`)).toBe(String.raw`'\q'`);
    // Non-ASCII text stays as written (Python's unicode-escape would read its UTF-8 bytes as Latin-1; docs/log-types.md).
    expect(unescapeAuditObject("'SELECT * FROM 顧客 WHERE name=\\'José\\''")).toBe("'SELECT * FROM 顧客 WHERE name='José''");
  });

  it.each([KEY, 'AWSLogs/123456789012/RDS/MariaDB/audit/eu-west-1/2026/11/21/x', 'AWSLogs/123456789012/aurora-mysql-audit/x', 'AWSLogs/123456789012/aws/rds/cluster/aurora-prod/audit/2026/11/21/x'])('recognises %s', (key) =>
    expect(p.resolveLogType(key)?.name).toBe('rds_mysql_audit'),
  );
});
