import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY =
  'AWSLogs/123456789012/ElastiCache/ap-northeast-1/redis-slowlog/2026/11/21/10/aes-siem-redis-slowlog-1-2026-11-21-10-05-00-0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0.gz';

describe('Log type: elasticache_redis_slowlog', () => {
  const p = pipeline();

  it('parses slow log entries into the expected documents; an entry without Timestamp is a record error', async () => {
    const items = await run(p, KEY, fixture('elasticache_redis_slowlog', 'fixture.json'));
    expect(docs(items)).toEqual(expected('elasticache_redis_slowlog'));
    expect(items.find((i) => i.kind === 'record-error')).toMatchObject({ record: 4, line: 5, reason: `${KEY}: record 4 (line 5): has no timestamp: field Timestamp is missing` });
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'elasticache_redis_slowlog', totalRecords: 5, emitted: 4, failed: 1 });
  });

  it('puts the entry under elasticache. and the client address into source.* (IPv6 without its brackets)', async () => {
    const [v4, v6, , noClient] = docs(await run(p, KEY, fixture('elasticache_redis_slowlog', 'fixture.json')));
    expect(v4!._index).toBe('log-aws-elasticache-2026-11');
    expect(v4!._source).toMatchObject({
      '@timestamp': '2026-11-21T10:00:01.000Z',
      '@log_type': 'elasticache-redis-slowlog',
      event: { category: 'database', module: 'redis-slowlog' },
      source: { ip: '192.168.12.104', port: 55452, address: '192.168.12.104' },
      related: { ip: ['192.168.12.104'] },
      elasticache: { CacheClusterId: 'redis-prod-0001-001', Duration_us: 12534, Command: 'KEYS session:* (1 more arguments)', ClientName: 'web-1' },
    });
    for (const k of ['CacheClusterId', 'Duration (us)', 'ClientAddress', 'Timestamp']) expect(v4!._source).not.toHaveProperty([k]);
    expect(v6!._source).toMatchObject({ source: { ip: '2001:db8:85a3::8a2e:370:7334', port: 60321 }, related: { ip: ['2001:db8:85a3::8a2e:370:7334'] } });
    expect(v6!._source.elasticache).not.toHaveProperty('ClientName');
    expect(noClient!._source).not.toHaveProperty('source');
  });

  it.each([KEY, 'firehose/Redis-SLOWLOG/2026/11/21/10/x.gz', 'AWSLogs/123456789012/redis/cluster-a/slowlog/x'])('recognises %s', (key) =>
    expect(p.resolveLogType(key)?.name).toBe('elasticache_redis_slowlog'),
  );

  it('does not load what Firehose could not deliver', () => {
    expect(p.classify('AWSLogs/123456789012/ElastiCache/ap-northeast-1/redis-slowlog/error/x.gz')).toMatchObject({ ignored: 'key matches s3_key_ignored of [elasticache_redis_slowlog]' });
  });
});
