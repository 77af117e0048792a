import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY = 'AWSLogs/123456789012/RDS/MySQL/slowquery/ap-northeast-1/2026/11/21/10/aes-siem-rds-mysql-slowquery-1-2026-11-21-10-05-00-5e6f7081-92a3-44b5-c6d7-e8f9a0b1c2d3';

describe('Log type: rds_mysql_slowquery', () => {
  const p = pipeline();

  it('reads the slow query blocks of RDS for MySQL and Aurora MySQL into the expected documents', async () => {
    const items = await run(p, KEY, fixture('rds_mysql_slowquery', 'fixture.json'));
    expect(docs(items)).toEqual(expected('rds_mysql_slowquery'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'rds_mysql_slowquery', totalRecords: 4, emitted: 4, failed: 0, skipped: 0 });
  });

  it('takes the user, client, query time, database and statement of each block', async () => {
    const d = docs(await run(p, KEY, fixture('rds_mysql_slowquery', 'fixture.json'))).map((x) => x._source);
    expect(d[0]).toMatchObject({
      '@timestamp': '2026-11-21T10:00:05.000Z',
      '@log_type': 'rds-mysql-slowquery',
      event: { module: 'slowquery', category: 'database', duration: 3000223000 },
      user: { name: 'admin' },
      source: { ip: '10.0.1.25' },
      rds: { query: 'SELECT SLEEP(3)', query_time: '3.000223', database_name: 'appdb', instance_identifier: 'mysql-prod' },
      mysql: { timestamp: '2026-11-21T10:00:05.123456Z', lock_time: '0.000000', thread_id: '15', query: 'use appdb;\nSET timestamp=1795255202;\nSELECT SLEEP(3);' },
      related: { ip: ['10.0.1.25'], user: ['admin'] },
    });
    // A statement of several lines, after the SET line; a host name before the address.
    expect(d[1]).toMatchObject({ user: { name: 'app' }, source: { ip: '10.0.1.25' }, rds: { query: "UPDATE orders o\n  JOIN customers c ON c.id = o.customer_id\n  SET o.status = 'archived'\n  WHERE c.created < '2020-01-01'" }, mysql: { lock_time: '2.100010' } });
    // A block without its # Time line; an IPv6 client.
    expect(d[2]).toMatchObject({ source: { ip: '2001:db8::25' }, rds: { query_time: '5.250000' } });
    expect(d[2].mysql).not.toHaveProperty('timestamp');
    // Aurora MySQL 5.6: yymmdd time; localhost [] has no client address.
    expect(d[3]).toMatchObject({ user: { name: 'rdsadmin' }, rds: { database_name: 'mysql', query: 'select @@session.tx_read_only', cluster_identifier: 'aurora-mysql' }, mysql: { timestamp: '261121 10:00:20' } });
    expect(d[3]).not.toHaveProperty('source');
  });

  it('a log event that is not a slow query block is one record error naming key and record; the others load', async () => {
    const message = (id: string, text: string) => ({ id, timestamp: 1795255205000, message: text });
    const body = JSON.stringify({
      messageType: 'DATA_MESSAGE', owner: '123456789012', logGroup: '/aws/rds/instance/mysql-prod/slowquery', logStream: 'mysql-prod', subscriptionFilters: ['f'],
      logEvents: [message('1', '/rdsdbbin/mysql/bin/mysqld, Version: 8.0.39. started with:'), message('2', '# User@Host: a[a] @  [10.0.1.9]  Id: 7\n# Query_time: 1.5  Lock_time: 0.0 Rows_sent: 0\nSELECT 1;')],
    });
    const items = await run(p, KEY, body);
    expect(items.filter((i) => i.kind === 'record-error')).toMatchObject([{ record: 0, reason: `${KEY}: record 0 (line 1): does not match the log_pattern of [rds_mysql_slowquery]` }]);
    expect(docs(items).map((d) => d._source.rds)).toEqual([{ query: 'SELECT 1', query_time: '1.5', instance_identifier: 'mysql-prod' }]);
  });

  it.each([KEY, 'AWSLogs/123456789012/aws/rds/cluster/aurora-prod/slowquery/2026/11/21/x'])('recognises %s', (key) => expect(p.resolveLogType(key)?.name).toBe('rds_mysql_slowquery'));
});
