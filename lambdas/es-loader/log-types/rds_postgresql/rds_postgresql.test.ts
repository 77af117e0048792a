import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY = 'AWSLogs/123456789012/RDS/PostgreSQL/postgresql/ap-northeast-1/2026/11/21/10/aes-siem-rds-postgresql-1-2026-11-21-10-05-00-1a2b3c4d-5e6f-4071-8293-a4b5c6d7e8f9';

describe('Log type: rds_postgresql', () => {
  const p = pipeline();

  it('reads the CloudWatch Logs events of an RDS instance and an Aurora cluster (control message skipped) into the expected documents', async () => {
    const items = await run(p, KEY, fixture('rds_postgresql', 'fixture.json'));
    expect(docs(items)).toEqual(expected('rds_postgresql'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'rds_postgresql', totalRecords: 18, emitted: 18, failed: 0, skipped: 0 });
  });

  it('derives logins, statements, durations and session times as the reference does', async () => {
    const d = docs(await run(p, KEY, fixture('rds_postgresql', 'fixture.json'))).map((x) => x._source);
    expect(d.every((s) => s['@log_type'] === 'rds-postgresql' && (s.event as { module: string }).module === 'rds-postgresql')).toBe(true);
    expect(d[0]).toMatchObject({
      '@timestamp': '2026-11-21T10:00:01.000Z',
      event: { category: 'authentication', type: 'start', action: 'authorized', outcome: 'success' },
      user: { name: 'appuser' },
      source: { ip: '10.0.1.25', address: '10.0.1.25', port: 52144 },
      process: { pid: 12345 },
      log: { level: 'LOG' },
      rds: { database_name: 'appdb', instance_identifier: 'pg-prod' },
      cloud: { account: { id: '123456789012' }, region: 'ap-northeast-1' },
      related: { ip: ['10.0.1.25'] },
    });
    expect(d[0].rds).not.toHaveProperty('cluster_identifier');
    // A failed password: the reference's failed login.
    expect(d[1]).toMatchObject({ event: { category: 'authentication', type: 'start', action: 'failed', outcome: 'failure' }, user: { name: 'postgres' }, source: { ip: '203.0.113.50' } });
    // A statement of several lines is kept whole (the reference keeps its first line; docs/log-types.md).
    expect(d[3]).toMatchObject({ rds: { query: 'CREATE TABLE orders (id serial PRIMARY KEY,\n\tcustomer text NOT NULL,\n\tstatus text)' }, postgresql: { query_step: 'execute' } });
    expect(d[4]).toMatchObject({ rds: { query: 'SELECT * FROM orders WHERE customer = $1', query_time: 1.523442 }, postgresql: { duration_ms: 1523.442, query_step: 'execute' }, event: { duration: 1523442000 } });
    expect(d[7]).toMatchObject({ log: { level: 'STATEMENT' }, rds: { query: 'SELECT * FROM "order";' } });
    expect(d[8]).toMatchObject({ rds: { query_time: 0.000026 }, postgresql: { duration_ms: 0.026, query_step: 'execute' } });
    expect(d[8].rds).not.toHaveProperty('query');
    // 0:05:07.123, and 1:02:03.500 counted with 3600 s an hour (the reference counts 1440).
    expect(d[9]).toMatchObject({ postgresql: { session_time_seconds: 307.123 } });
    expect(d[17]).toMatchObject({ postgresql: { session_time_seconds: 3723.5 } });
    // [local] and background processes: no client.
    expect(d[10]).toMatchObject({ user: { name: 'rdsadmin' }, event: { action: 'authorized' } });
    expect(d[10]).not.toHaveProperty('source');
    expect(d[11]).not.toHaveProperty('user');
    expect(d[11]).toMatchObject({ process: { pid: 560 }, rds: { message: 'checkpoint starting: time' } });
    // Aurora: the cluster from the log group, the instance from the log stream; an IPv6 client; milliseconds.
    expect(d[12]).toMatchObject({
      '@timestamp': '2026-11-21T10:00:10.412Z',
      rds: { cluster_identifier: 'aurora-pg', instance_identifier: 'aurora-pg-instance-1', database_name: 'sales' },
      source: { ip: '2001:db8::25', port: 50432 },
      related: { ip: ['2001:db8::25'] },
    });
    expect(d[13]).toMatchObject({ rds: { query: 'UPDATE invoices\n\tSET paid = true\n\tWHERE id = $1', query_time: 2.210118 }, postgresql: { query_step: 'bind' } });
    expect(d[15]).toMatchObject({ event: { action: 'failed', outcome: 'failure' }, user: { name: 'admin' }, source: { ip: '198.51.100.23' } });
    expect(d[16]).toMatchObject({ rds: { query: 'DROP TABLE tmp_report' } });
  });

  it.each([KEY, 'AWSLogs/123456789012/RDS/postgresql/ap-northeast-1/2026/11/21/x'])('recognises %s', (key) => expect(p.resolveLogType(key)?.name).toBe('rds_postgresql'));

  it("ignores Firehose's error output", () =>
    expect(p.classify('ErrorLogs/RDS/PostgreSQL/postgresql/2026/11/21/x')).toMatchObject({ logType: { name: 'rds_postgresql' }, ignored: expect.any(String) }));
});
