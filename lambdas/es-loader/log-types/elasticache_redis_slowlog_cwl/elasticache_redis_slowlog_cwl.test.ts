import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY = 'AWSLogs/123456789012/CloudWatchLogs/ElastiCache/redis-slowlog/ap-northeast-1/2026/11/21/10/aes-siem-cwl-1-2026-11-21-10-05-00-0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0.gz';

describe('Log type: elasticache_redis_slowlog_cwl', () => {
  const p = pipeline();

  it('reads slow log entries from CloudWatch Logs messages into the expected documents', async () => {
    const items = await run(p, KEY, fixture('elasticache_redis_slowlog_cwl', 'fixture.json'));
    expect(docs(items)).toEqual(expected('elasticache_redis_slowlog_cwl'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'elasticache_redis_slowlog_cwl', totalRecords: 5, emitted: 5, failed: 0 });
  });

  it('gives the same fields as the direct Firehose delivery; an entry without Timestamp takes the log event time', async () => {
    const cwl = docs(await run(p, KEY, fixture('elasticache_redis_slowlog_cwl', 'fixture.json')));
    const direct = expected('elasticache_redis_slowlog') as Array<{ _index: string; _source: Record<string, unknown> }>;
    const pick = (s: Record<string, unknown>) => ({ elasticache: s.elasticache, source: s.source, related: s.related, event: { ...(s.event as object), dataset: undefined }, '@timestamp': s['@timestamp'], '@log_type': s['@log_type'] });
    expect(cwl.slice(0, 4).map((d) => pick(d._source))).toEqual(direct.map((d) => pick(d._source)));
    expect(cwl.map((d) => d._index)).toEqual(Array(5).fill('log-aws-elasticache-2026-11'));
    expect(cwl[4]!._source).toMatchObject({ '@timestamp': '2026-11-21T10:05:00.250Z', '@log_group': '/elasticache/redis-prod/slow-log' });
  });

  it('takes cloud.region from the exporter key (AWSLogs/<acct>/CloudWatchLogs/ElastiCache/redis-slowlog/<region>/), as the direct delivery and the reference', async () => {
    const cwl = docs(await run(p, KEY, fixture('elasticache_redis_slowlog_cwl', 'fixture.json')));
    expect(cwl.map((d) => d._source.cloud)).toEqual(Array(5).fill({ account: { id: '123456789012' }, region: 'ap-northeast-1', provider: 'aws' }));
  });

  it('is told from the direct delivery by the exporter prefix', () => {
    expect(p.resolveLogType(KEY)?.name).toBe('elasticache_redis_slowlog_cwl');
    expect(p.resolveLogType('AWSLogs/123456789012/ElastiCache/ap-northeast-1/redis-slowlog/2026/11/21/10/x.gz')?.name).toBe('elasticache_redis_slowlog');
  });
});
