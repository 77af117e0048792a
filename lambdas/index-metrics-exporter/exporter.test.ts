import type { Client } from '@opensearch-project/opensearch';
import { describe, expect, it } from 'vitest';
import { collect, MetricsExportError, objectCreatedEvent, objectKey } from './exporter';

/** A client whose transport answers from a table (the shapes OpenSearch 2.x returns with format=json&bytes=b). */
function fakeClient(answers: Record<string, unknown>): Client {
  return {
    transport: {
      request: async ({ path }: { path: string }) => {
        if (!(path in answers)) throw Object.assign(new Error('Forbidden'), { meta: { statusCode: 403, body: { message: `no permissions for ${path}` } } });
        return { body: answers[path] };
      },
    },
  } as unknown as Client;
}

const at = new Date('2026-11-22T06:00:00.000Z');

describe('Function: index-metrics-exporter (records)', () => {
  it('parses _cat numbers, keeps closed indices and unassigned shards without inventing values', async () => {
    const records = await collect(
      fakeClient({
        '/_cat/indices': [
          { health: 'green', status: 'open', index: 'log-aws-cloudtrail-2026-11', uuid: 'u1', pri: '1', rep: '1', 'docs.count': '1200', 'docs.deleted': '3', 'store.size': '52000', 'pri.store.size': '26000' },
          { health: null, status: 'close', index: 'log-aws-vpcflowlogs-2025-01', uuid: 'u2', pri: '1', rep: '1', 'docs.count': null, 'docs.deleted': null, 'store.size': null, 'pri.store.size': null },
        ],
        '/_cat/shards': [
          { index: 'log-aws-cloudtrail-2026-11', shard: '0', prirep: 'p', state: 'STARTED', docs: '1200', store: '26000', node: 'n1', 'unassigned.reason': null },
          { index: 'log-aws-cloudtrail-2026-11', shard: '0', prirep: 'r', state: 'UNASSIGNED', docs: null, store: null, node: null, 'unassigned.reason': 'NODE_LEFT' },
        ],
        '/_nodes/stats/jvm,os,fs,indices': { nodes: { abc: { name: 'n1', roles: ['data', 'ingest'], jvm: { mem: { heap_used_percent: 61 } }, fs: { total: { total_in_bytes: 1000, available_in_bytes: 400 } } } } },
      }),
      'aes-siem',
      at,
    );
    expect(records).toEqual([
      {
        '@timestamp': '2026-11-22T06:00:00.000Z',
        domain: 'aes-siem',
        metric_type: 'index',
        index: { name: 'log-aws-cloudtrail-2026-11', health: 'green', status: 'open', uuid: 'u1', primary_shards: 1, replicas: 1, docs_count: 1200, docs_deleted: 3, store_size_bytes: 52000, primary_store_size_bytes: 26000 },
      },
      { '@timestamp': '2026-11-22T06:00:00.000Z', domain: 'aes-siem', metric_type: 'index', index: { name: 'log-aws-vpcflowlogs-2025-01', status: 'close', uuid: 'u2', primary_shards: 1, replicas: 1 } },
      { '@timestamp': '2026-11-22T06:00:00.000Z', domain: 'aes-siem', metric_type: 'shard', shard: { index: 'log-aws-cloudtrail-2026-11', number: 0, primary: true, state: 'STARTED', docs_count: 1200, store_size_bytes: 26000, node: 'n1' } },
      { '@timestamp': '2026-11-22T06:00:00.000Z', domain: 'aes-siem', metric_type: 'shard', shard: { index: 'log-aws-cloudtrail-2026-11', number: 0, primary: false, state: 'UNASSIGNED', unassigned_reason: 'NODE_LEFT' } },
      { '@timestamp': '2026-11-22T06:00:00.000Z', domain: 'aes-siem', metric_type: 'node', node: { id: 'abc', name: 'n1', roles: ['data', 'ingest'], heap_used_percent: 61, disk_total_bytes: 1000, disk_available_bytes: 400 } },
    ]);
  });

  it('names the request and OpenSearch\'s reason when a statistic cannot be read', async () => {
    await expect(collect(fakeClient({ '/_cat/indices': [], '/_cat/shards': [] }), 'aes-siem', at)).rejects.toThrow(
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
