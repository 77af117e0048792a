import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY = 'AWSLogs/123456789012/OpenSearch/metrics/2026/11/22/06/index-metrics-20261122T0600Z.jsonl.gz';

describe('Log type: opensearch_metrics', () => {
  it('indexes the exporter lines into metrics-opensearch-index-<month>', async () => {
    const out = docs(await run(pipeline(), KEY, fixture('opensearch_metrics', 'fixture.jsonl')));
    expect(out).toEqual(expected('opensearch_metrics'));
    expect(out.map((d) => d._index)).toEqual(Array(3).fill('metrics-opensearch-index-2026-11'));
    expect(out[0]._source).toMatchObject({ '@timestamp': '2026-11-22T06:00:00.000Z', metric_type: 'index', index: { docs_count: 1523045 }, event: { kind: 'metric' }, cloud: { account: { id: '123456789012' } } });
    expect(out.map((d) => d._source.metric_type)).toEqual(['index', 'shard', 'node']);
  });

  it('accepts timestamp instead of @timestamp', async () => {
    const [doc] = docs(await run(pipeline(), KEY, '{"timestamp":"2026-10-31T23:59:59Z","metric_type":"index"}\n'));
    expect(doc._index).toBe('metrics-opensearch-index-2026-10');
  });
});
