/**
 * The last AWS-service log types of issue 13 end to end against the local servers: Amazon MSK broker logs,
 * OpenSearch audit logs (CloudWatch Logs subscription messages written by Firehose, `via_cwl`, here
 * compressed twice as Firehose writes them with S3 compression on), ElastiCache for Redis slow logs and
 * the index metrics in the reference's schema. Each fixture object is stored under a key of the layout
 * the delivery writes, the handler is invoked with its S3 notification, and the documents read back
 * from OpenSearch are compared exactly with the log type's expected documents; field types are checked
 * in the index mappings.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { allDocs, byId, expected, expectIndexedExactly, failureMessages, fieldType, fixture, type LogTypeCase, putObject, s3Event, useLoaderSuite } from './es-loader-helpers';

const FIXTURES: LogTypeCase[] = [
  {
    name: 'MSK broker logs',
    type: 'msk',
    file: 'fixture.log',
    key: 'AWSLogs/123456789012/KafkaBrokerLogs/ap-northeast-1/msk-prod-1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d-2/2026-11-21-10/Broker-2_10-00_3f9a6b2c.log.gz',
    types: { '@timestamp': 'date', '@message': 'text', 'log.level': 'keyword', 'msk.cluster_name': 'keyword', 'msk.sum_lag': 'long', 'cloud.account.id': 'keyword' },
  },
  {
    name: 'Index metrics (reference schema)',
    type: 'opensearch_metrics',
    file: 'fixture.jsonl',
    key: 'AWSLogs/123456789012/OpenSearch/metrics/2026/11/22/06/aes-siem_20261122T060000Z.jsonl.gz',
    types: {
      '@timestamp': 'date',
      'metricset.name': 'keyword',
      'opensearch.index.name': 'keyword',
      'opensearch.index.storage_tier': 'keyword',
      'opensearch.index.total.store.size_in_bytes': 'long',
      'opensearch.index.primaries.docs.count': 'long',
      'opensearch.shard.store.size_in_bytes': 'long',
      'opensearch.shard.primary': 'boolean',
      'opensearch.node.id': 'keyword',
    },
  },
];

const AUDIT_KEY = 'AWSLogs/123456789012/OpenSearch/ap-northeast-1/audit/2026/11/21/10/aes-siem-opensearch-audit-1-2026-11-21-10-05-00-1a2b3c4d-5e6f-7081-92a3-b4c5d6e7f809';
const REDIS_KEY = 'AWSLogs/123456789012/ElastiCache/ap-northeast-1/redis-slowlog/2026/11/21/10/aes-siem-redis-slowlog-1-2026-11-21-10-05-00-0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0.gz';

const suite = useLoaderSuite();
const client = suite.client;

describe('es-loader: MSK, OpenSearch audit, ElastiCache slow logs and index metrics in OpenSearch', () => {
  it.each(FIXTURES)('$name: exact documents and field types', async (f) => {
    await expectIndexedExactly(suite.loader, client, f);
  });

  it('OpenSearch audit logs: CloudWatch Logs messages gzip inside gzip, exact documents and field types', async () => {
    // Firehose with S3 compression: the gzip'd CloudWatch Logs records, concatenated, gzip'd once more.
    const members = fixture('opensearch_audit', 'fixture.json').toString().split(/(?<=\})\n?(?=\{"messageType")/);
    const size = await putObject(AUDIT_KEY, gzipSync(Buffer.concat(members.map((m) => gzipSync(m)))), { gzip: false });
    expect(await suite.loader.invoke(s3Event(AUDIT_KEY, { size }))).toBeUndefined();
    const want = expected('opensearch_audit');
    expect(byId(await allDocs(client, 'log-aws-opensearch-2026-11'))).toEqual(byId(want));
    const types = { '@timestamp': 'date', '@log_group': 'keyword', 'source.ip': 'ip', 'related.ip': 'ip', 'user.name': 'keyword', 'event.outcome': 'keyword', 'rule.name': 'keyword', 'opensearch.audit_category': 'keyword' };
    for (const [field, type] of Object.entries(types)) expect(await fieldType(client, 'log-aws-opensearch-2026-11', field), field).toBe(type);
    expect(suite.loader.log.lastTotals()).toMatchObject({ objects: 1, read: 5, indexed: 5, failed: 0 });
    expect(await failureMessages(suite.loader.dlqUrl)).toEqual([]);
  });

  it('ElastiCache for Redis slow logs: exact documents, the entry without Timestamp in the DLQ with its reason', async () => {
    const size = await putObject(REDIS_KEY, fixture('elasticache_redis_slowlog', 'fixture.json'));
    expect(await suite.loader.invoke(s3Event(REDIS_KEY, { size }))).toBeUndefined();
    expect(byId(await allDocs(client, 'log-aws-elasticache-2026-11'))).toEqual(byId(expected('elasticache_redis_slowlog')));
    const types = { '@timestamp': 'date', 'source.ip': 'ip', 'source.port': 'long', 'related.ip': 'ip', 'elasticache.Duration_us': 'long', 'elasticache.Command': 'keyword' };
    for (const [field, type] of Object.entries(types)) expect(await fieldType(client, 'log-aws-elasticache-2026-11', field), field).toBe(type);
    expect(suite.loader.log.lastTotals()).toMatchObject({ objects: 1, read: 5, indexed: 4, failed: 1 });
    const dlq = await failureMessages(suite.loader.dlqUrl);
    expect(dlq).toHaveLength(1);
    expect(JSON.stringify(dlq[0])).toContain(`${REDIS_KEY}: record 4 (line 5): has no timestamp: field Timestamp is missing`);
  });
});
