import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY = 'AWSLogs/123456789012/OpenSearch/metrics/2026/11/22/06/aes-siem_20261122T060000Z.jsonl.gz';

describe('Log type: opensearch_metrics', () => {
  const p = pipeline();

  it('indexes the exporter lines (the reference index-metrics schema) into metrics-opensearch-index-<month>', async () => {
    const out = docs(await run(p, KEY, fixture('opensearch_metrics', 'fixture.jsonl')));
    expect(out).toEqual(expected('opensearch_metrics'));
    expect(out.map((d) => d._index)).toEqual(Array(6).fill('metrics-opensearch-index-2026-11'));
    expect(out.map((d) => (d._source.metricset as { name: string }).name)).toEqual(['index', 'index', 'index', 'shard', 'shard', 'node']);
    expect(out[0]!._source).toMatchObject({
      '@timestamp': '2026-11-22T06:00:00.000Z',
      '@log_type': 'index-metrics',
      event: { kind: 'metric', module: 'index-metrics', dataset: 'opensearch.index' },
      metricset: { name: 'index', period: 3600000 },
      opensearch: {
        cluster: { id: 'Qm9vVXJ1aWQtYWVzLXNpZW0', name: 'aes-siem' },
        index: { name: 'log-aws-cloudtrail-2026-11', storage_tier: 'hot', index_status: 'open', status: 'green', primaries: { docs: { count: 1523045 } }, total: { store: { size_in_bytes: 2147483648 } }, creation: { date: '2026-11-01T00:00:03.123Z' } },
      },
      cloud: { account: { id: '123456789012' } },
    });
    expect(out[3]!._source).toMatchObject({ event: { dataset: 'opensearch.shard' }, opensearch: { node: { id: 'nOdE1aBcDeF' }, shard: { primary: true, store: { size_in_bytes: 357913941 }, source_node: { uuid: 'nOdE1aBcDeF' } } } });
  });

  it('loads the reference exporter key layout too', () => {
    expect(p.resolveLogType('AWSLogs/123456789012/OpenSearch/metrics/ap-northeast-1/2026/11/22/aos_index_metrics_0123456789abcdef0123456789abcdef.json.gz')?.name).toBe('opensearch_metrics');
  });

  it('accepts timestamp instead of @timestamp', async () => {
    const [doc] = docs(await run(p, KEY, '{"timestamp":"2026-10-31T23:59:59Z","metricset":{"name":"index"}}\n'));
    expect(doc!._index).toBe('metrics-opensearch-index-2026-10');
  });
});
