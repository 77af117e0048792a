/**
 * The RDS log types of issue 14 end to end against the local servers: PostgreSQL logs and the four MySQL /
 * MariaDB logs (audit, general, error, slow query) of RDS and Aurora, CloudWatch Logs subscription
 * messages written by Firehose (via_cwl). Each fixture object is stored under the key the reference's log
 * exporter writes, the handler is invoked with its S3 notification, and the documents read back from
 * OpenSearch are compared exactly with the log type's expected documents; the field types the RDS
 * dashboard aggregates are checked in the index mappings. The four MySQL logs share one index, whose
 * mysql.timestamp holds Aurora's epoch seconds and RDS's text: both load into the same index.
 */
import { describe, expect, it } from 'vitest';
import { count, expected, expectIndexedExactly, failureMessages, fieldType, fixture, type LogTypeCase, putObject, s3Event, useLoaderSuite } from './es-loader-helpers';

const PREFIX = 'AWSLogs/123456789012/RDS';
const RDS = { '@timestamp': 'date', 'rds.instance_identifier': 'keyword', 'rds.database_name': 'keyword', 'rds.query': 'keyword', 'event.outcome': 'keyword', 'user.name': 'keyword' };
const MYSQL = { ...RDS, 'mysql.timestamp': 'keyword', 'rds.query_time': 'double', 'mysql.lock_time': 'double', 'log.level': 'keyword' };

const FIXTURES: LogTypeCase[] = [
  {
    name: 'PostgreSQL',
    type: 'rds_postgresql',
    file: 'fixture.json',
    key: `${PREFIX}/PostgreSQL/postgresql/ap-northeast-1/2026/11/21/10/aes-siem-rds-postgresql-1-2026-11-21-10-05-00-1a2b3c4d-5e6f-4071-8293-a4b5c6d7e8f9`,
    types: { ...RDS, 'source.ip': 'ip', 'source.port': 'long', 'process.pid': 'long', 'rds.query_time': 'double', 'postgresql.duration_ms': 'double', 'event.duration': 'long', 'log.level': 'keyword' },
  },
  { name: 'MySQL audit', type: 'rds_mysql_audit', file: 'fixture.json', key: `${PREFIX}/MySQL/audit/ap-northeast-1/2026/11/21/10/aes-siem-rds-mysql-audit-1-2026-11-21-10-05-00-2b3c4d5e-6f70-4182-93a4-b5c6d7e8f9a0`, types: { ...MYSQL, 'source.ip': 'ip' } },
  { name: 'MySQL general', type: 'rds_mysql_general', file: 'fixture.json', key: `${PREFIX}/MySQL/general/ap-northeast-1/2026/11/21/10/aes-siem-rds-mysql-general-1-2026-11-21-10-05-00-3c4d5e6f-7081-4293-a4b5-c6d7e8f9a0b1`, types: MYSQL },
  { name: 'MySQL error', type: 'rds_mysql_error', file: 'fixture.json', key: `${PREFIX}/MySQL/error/ap-northeast-1/2026/11/21/10/aes-siem-rds-mysql-error-1-2026-11-21-10-05-00-4d5e6f70-8192-43a4-b5c6-d7e8f9a0b1c2`, types: { ...MYSQL, 'source.ip': 'ip' } },
  { name: 'MySQL slow query', type: 'rds_mysql_slowquery', file: 'fixture.json', key: `${PREFIX}/MySQL/slowquery/ap-northeast-1/2026/11/21/10/aes-siem-rds-mysql-slowquery-1-2026-11-21-10-05-00-5e6f7081-92a3-44b5-c6d7-e8f9a0b1c2d3`, types: { ...MYSQL, 'source.ip': 'ip', 'mysql.query_time': 'double', 'event.duration': 'long' } },
];

const suite = useLoaderSuite('log-aws-rds-*');
const client = suite.client;

describe('es-loader: RDS and Aurora logs through CloudWatch Logs in OpenSearch', () => {
  it.each(FIXTURES)('$name: exact documents and field types', async (f) => {
    await expectIndexedExactly(suite.loader, client, f);
  });

  it('the four MySQL logs load into one log-aws-rds-mysql index (Aurora and RDS time forms side by side)', async () => {
    const mysql = FIXTURES.filter((f) => f.type.startsWith('rds_mysql_'));
    for (const f of mysql) {
      const size = await putObject(f.key, fixture(f.type, f.file));
      expect(await suite.loader.invoke(s3Event(f.key, { size }))).toBeUndefined();
    }
    const want = mysql.reduce((n, f) => n + expected(f.type).length, 0);
    expect(want).toBe(33);
    expect(await count(client, 'log-aws-rds-mysql-2026-11')).toBe(want);
    expect(await fieldType(client, 'log-aws-rds-mysql-2026-11', 'mysql.timestamp')).toBe('keyword');
    expect(await failureMessages(suite.loader.dlqUrl)).toEqual([]);
  });
});
