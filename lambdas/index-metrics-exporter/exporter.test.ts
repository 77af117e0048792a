import type { Client } from '@opensearch-project/opensearch';
import { describe, expect, it } from 'vitest';
import { collect, MetricsExportError, objectCreatedEvent, objectKey } from './exporter';

/** A client whose transport answers from a table (the shapes OpenSearch 2.x returns with format=json&bytes=b). */
function fakeClient(answers: Record<string, unknown>): Client {
  return {
    transport: {
      request: async ({ path }: { path: string }) => {
        if (answers[path] === undefined) throw Object.assign(new Error('Forbidden'), { meta: { statusCode: 403, body: { message: `no permissions for ${path}` } } });
        return { body: answers[path] };
      },
    },
  } as unknown as Client;
}

const at = new Date('2026-11-22T06:00:00.000Z');

describe('Function: index-metrics-exporter (records)', () => {
  const answers = {
    '/': { name: 'n1', cluster_name: '222222222222:aes-siem', cluster_uuid: 'CLU5T3R' },
    '/_cat/indices': [
      { health: 'green', status: 'open', index: 'log-aws-cloudtrail-2026-11', uuid: 'u1', pri: '1', rep: '1', 'creation.date.string': '2026-11-01T00:00:03.123Z' },
      { health: null, status: 'close', index: 'log-aws-vpcflowlogs-2025-01', uuid: 'u2', pri: '1', rep: '1', 'creation.date.string': '2025-01-01T00:00:00.000Z' },
    ],
    '/_stats/docs,indexing,merge,refresh,segments,store,fielddata,search': {
      indices: {
        'log-aws-cloudtrail-2026-11': {
          uuid: 'u1',
          primaries: { docs: { count: 1200, deleted: 3 }, store: { size_in_bytes: 26000 }, indexing: { index_total: 1203, index_time_in_millis: 950, throttle_time_in_millis: 0 }, merges: { total_size_in_bytes: 4096 }, refresh: { total_time_in_millis: 77 }, segments: { count: 4, memory_in_bytes: 0 } },
          total: { docs: { count: 2400, deleted: 6 }, store: { size_in_bytes: 52000 }, search: { query_total: 15, query_time_in_millis: 30 }, fielddata: { memory_size_in_bytes: 0 }, segments: { count: 8, memory_in_bytes: 0 } },
        },
      },
    },
    '/_cat/shards': [
      { index: 'log-aws-cloudtrail-2026-11', shard: '0', prirep: 'p', state: 'STARTED', docs: '1200', store: '26000', id: 'abc', node: 'n1', 'unassigned.reason': null },
      { index: 'log-aws-cloudtrail-2026-11', shard: '0', prirep: 'r', state: 'UNASSIGNED', docs: null, store: null, id: null, node: null, 'unassigned.reason': 'NODE_LEFT' },
    ],
    '/_nodes/stats/jvm,os,fs,indices': { nodes: { abc: { name: 'n1', roles: ['data', 'ingest'], jvm: { mem: { heap_used_percent: 61 } }, fs: { total: { total_in_bytes: 1000, available_in_bytes: 400 } } } } },
  };

  it('writes the reference index-metrics schema: _stats figures per index, _cat numbers parsed, closed indices and unassigned shards without invented values', async () => {
    const records = await collect(fakeClient(answers), 'aes-siem', at);
    const cluster = { id: 'CLU5T3R', name: 'aes-siem' };
    const base = (name: string) => ({ '@timestamp': '2026-11-22T06:00:00.000Z', event: { dataset: `opensearch.${name}` }, metricset: { name, period: 3600000 } });
    expect(records).toEqual([
      {
        ...base('index'),
        opensearch: {
          cluster,
          index: {
            name: 'log-aws-cloudtrail-2026-11',
            primaries: {
              docs: { count: 1200, deleted: 3 },
              indexing: { index_time_in_millis: 950, index_total: 1203, throttle_time_in_millis: 0 },
              merges: { total_size_in_bytes: 4096 },
              refresh: { total_time_in_millis: 77 },
              segments: { count: 4 },
              store: { size_in_bytes: 26000 },
            },
            total: { docs: { count: 2400, deleted: 6 }, segments: { count: 8, memory_in_bytes: 0 }, store: { size_in_bytes: 52000 }, fielddata: { memory_size_in_bytes: 0 }, search: { query_time_in_millis: 30, query_total: 15 } },
            shards: { total: 2, primaries: 1 },
            index_status: 'open',
            status: 'green',
            creation: { date: '2026-11-01T00:00:03.123Z' },
            storage_tier: 'hot',
            uuid: 'u1',
          },
        },
      },
      { ...base('index'), opensearch: { cluster, index: { name: 'log-aws-vpcflowlogs-2025-01', shards: { total: 2, primaries: 1 }, index_status: 'close', creation: { date: '2025-01-01T00:00:00.000Z' }, storage_tier: 'hot', uuid: 'u2' } } },
      {
        ...base('shard'),
        opensearch: {
          cluster,
          index: { index_status: 'open', name: 'log-aws-cloudtrail-2026-11', status: 'green', storage_tier: 'hot' },
          node: { id: 'abc' },
          shard: { docs: { count: 1200 }, number: 0, primary: true, source_node: { name: 'n1', uuid: 'abc' }, store: { size_in_bytes: 26000 }, state: 'STARTED' },
        },
      },
      {
        ...base('shard'),
        opensearch: { cluster, index: { index_status: 'open', name: 'log-aws-cloudtrail-2026-11', status: 'green', storage_tier: 'hot' }, shard: { number: 0, primary: false, state: 'UNASSIGNED', unassigned: { reason: 'NODE_LEFT' } } },
      },
      { ...base('node'), opensearch: { cluster, node: { id: 'abc', name: 'n1', roles: ['data', 'ingest'], jvm: { mem: { heap_used_percent: 61 } }, fs: { total: { total_in_bytes: 1000, available_in_bytes: 400 } } } } },
    ]);
  });

  it('names the cluster after the domain when OpenSearch gives no account prefix', async () => {
    const [first] = await collect(fakeClient({ ...answers, '/': { cluster_name: 'docker-cluster', cluster_uuid: 'x' } }), 'aes-siem', at);
    expect(first!.opensearch.cluster).toEqual({ id: 'x', name: 'docker-cluster' });
  });

  it('names the request and OpenSearch\'s reason when a statistic cannot be read', async () => {
    await expect(collect(fakeClient({ ...answers, '/_nodes/stats/jvm,os,fs,indices': undefined }), 'aes-siem', at)).rejects.toThrow(
      new MetricsExportError('GET /_nodes/stats/jvm,os,fs,indices failed: HTTP 403: no permissions for /_nodes/stats/jvm,os,fs,indices'),
    );
  });

  it('writes under AWSLogs/<account>/OpenSearch/metrics/YYYY/MM/DD/HH/ and describes the object as S3 would', () => {
    const key = objectKey('222222222222', 'aes-siem', new Date('2026-01-02T03:04:05.678Z'));
    expect(key).toBe('AWSLogs/222222222222/OpenSearch/metrics/2026/01/02/03/aes-siem_20260102T030405Z.jsonl.gz');
    expect(objectCreatedEvent('b', key, 10, 'ap-northeast-1', at)).toMatchObject({
      Records: [{ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', awsRegion: 'ap-northeast-1', s3: { bucket: { name: 'b', arn: 'arn:aws:s3:::b' }, object: { key, size: 10 } } }],
    });
  });
});
