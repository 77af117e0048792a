import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY = 'AWSLogs/123456789012/RDS/MySQL/general/ap-northeast-1/2026/11/21/10/aes-siem-rds-mysql-general-1-2026-11-21-10-05-00-3c4d5e6f-7081-4293-a4b5-c6d7e8f9a0b1';

describe('Log type: rds_mysql_general', () => {
  const p = pipeline();

  it('reads the general log events of RDS for MySQL and Aurora MySQL into the expected documents', async () => {
    const items = await run(p, KEY, fixture('rds_mysql_general', 'fixture.json'));
    expect(docs(items)).toEqual(expected('rds_mysql_general'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'rds_mysql_general', totalRecords: 8, emitted: 8, failed: 0, skipped: 0 });
  });

  it('keeps a command of several lines whole, with the thread and command under mysql.', async () => {
    const d = docs(await run(p, KEY, fixture('rds_mysql_general', 'fixture.json'))).map((x) => x._source);
    expect(d[2]).toMatchObject({
      '@timestamp': '2026-11-21T10:00:03.000Z',
      '@log_type': 'rds-mysql-general',
      event: { module: 'general', category: 'database' },
      rds: { query: "UPDATE orders\nSET status = 'shipped'\nWHERE id = 1", instance_identifier: 'mysql-prod' },
      mysql: { timestamp: '2026-11-21T10:00:03.323456Z', thread_id: '15', command: 'Query' },
    });
    // Quit has no argument: no query.
    expect(d[4].rds).not.toHaveProperty('query');
    expect(d[5]).toMatchObject({ rds: { query: 'reporter@2001:db8::25 on sales using TCP/IP', cluster_identifier: 'aurora-mysql', instance_identifier: 'aurora-mysql-instance-1' } });
  });

  it("takes cloud.region from the member exporter's key layout (AWSLogs/<acct>/CloudWatchLogs/RDS/MySQL-general/<region>/)", async () => {
    const key = 'AWSLogs/123456789012/CloudWatchLogs/RDS/MySQL-general/eu-west-1/2026/11/21/10/aes-siem-cwl-export-1-2026-11-21-10-05-00-x';
    const items = await run(p, key, fixture('rds_mysql_general', 'fixture.json'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'rds_mysql_general', emitted: 8, failed: 0 });
    expect(new Set(docs(items).map((d) => JSON.stringify((d._source as { cloud: unknown }).cloud)))).toEqual(new Set([JSON.stringify({ account: { id: '123456789012' }, region: 'eu-west-1', provider: 'aws' })]));
  });

  it.each([KEY, 'AWSLogs/123456789012/RDS/mariadb/general/us-east-1/x', 'AWSLogs/123456789012/aws/rds/instance/shop-db/general/2026/11/21/x'])('recognises %s', (key) => expect(p.resolveLogType(key)?.name).toBe('rds_mysql_general'));
});
