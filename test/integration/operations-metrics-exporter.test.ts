/**
 * Index metrics exporter against the real local OpenSearch and S3-API server; the exported object is
 * then loaded through the loader (pipeline + bulk sink with the loader's templates) and must end up as
 * documents in `metrics-opensearch-index-YYYY-MM`.
 */
import { gunzipSync } from 'node:zlib';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { Client } from '@opensearch-project/opensearch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexTemplates } from '../../lambdas/es-loader/ecs/templates';
import { Pipeline } from '../../lambdas/es-loader/pipeline';
import { indexDocuments, TemplateInstaller } from '../../lambdas/es-loader/sink';
import { parseInvocation } from '../../lambdas/es-loader/sources/events';
import { exportMetrics, objectKey, type MetricRecord } from '../../lambdas/index-metrics-exporter/exporter';
import { openSearchClient, s3Client } from '../servers/clients';

const bucket = `ops-snapshot-${process.pid}-${Date.now()}`;
const settings = { SNAPSHOT_BUCKET: bucket, ACCOUNT_ID: '222222222222', DOMAIN_NAME: 'aes-siem', LOADER_FUNCTION_NAME: 'aes-siem-es-loader', AWS_REGION: 'ap-northeast-1' };
// Lambda's Invoke API has no local server: the call is recorded, and its payload is handed to the loader's event parser.
const lambdaMock = mockClient(LambdaClient);
lambdaMock.on(InvokeCommand).resolves({ StatusCode: 202 });
// A time far from now so that the month's metrics index is this test's own.
const at = new Date('2031-04-05T06:07:08.000Z');
let client: Client;
let s3: S3Client;

beforeAll(async () => {
  client = openSearchClient();
  s3 = s3Client();
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  // An index with known content, so that its line can be checked exactly.
  await client.indices.delete({ index: 'ops-metrics-probe', ignore_unavailable: true });
  await client.indices.create({ index: 'ops-metrics-probe', body: { settings: { number_of_shards: 1, number_of_replicas: 0 } } });
  await client.bulk({ refresh: true, body: [{ index: { _index: 'ops-metrics-probe', _id: '1' } }, { a: 1 }, { index: { _index: 'ops-metrics-probe', _id: '2' } }, { a: 2 }, { index: { _index: 'ops-metrics-probe', _id: '3' } }, { a: 3 }] });
  await client.indices.delete({ index: 'metrics-opensearch-index-2031-04' }).catch(() => undefined);
});

afterAll(async () => {
  await client.indices.delete({ index: 'ops-metrics-probe,metrics-opensearch-index-2031-04', ignore_unavailable: true });
  lambdaMock.restore();
});

async function readLines(key: string): Promise<MetricRecord[]> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const text = gunzipSync(Buffer.from(await out.Body!.transformToByteArray())).toString('utf8');
  return text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as MetricRecord);
}

describe('Function: index-metrics-exporter (real OpenSearch + S3)', () => {
  let key: string;

  it('writes index, shard and node statistics (the reference index-metrics schema) as gzip JSON lines under the key the loader recognises', async () => {
    const result = await exportMetrics(client, s3, settings, at, new LambdaClient({ region: 'ap-northeast-1' }));
    key = result.key;
    expect(result.loaderNotified).toBe(true);
    expect(key).toBe('AWSLogs/222222222222/OpenSearch/metrics/2031/04/05/06/aes-siem_20310405T060708Z.jsonl.gz');
    expect(objectKey('222222222222', 'aes-siem', at)).toBe(key);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'AWSLogs/222222222222/OpenSearch/metrics/' }));
    expect(listed.Contents?.map((c) => c.Key)).toEqual([key]);

    const lines = await readLines(key);
    expect(lines.length).toBe(result.records.index + result.records.shard + result.records.node);
    expect(result.records.node).toBe(1);
    const probe = lines.find((l) => l.metricset.name === 'index' && (l.opensearch.index as { name: string }).name === 'ops-metrics-probe');
    // The reference index-metrics schema (lambdas/index-metrics-exporter/exporter.ts MetricRecord).
    expect(probe).toEqual({
      '@timestamp': '2031-04-05T06:07:08.000Z',
      opensearch: {
        cluster: { id: expect.any(String), name: expect.any(String) },
        index: {
          name: 'ops-metrics-probe',
          primaries: expect.objectContaining({ docs: { count: 3, deleted: 0 }, store: { size_in_bytes: expect.any(Number) } }),
          total: expect.objectContaining({ docs: { count: 3, deleted: 0 }, store: { size_in_bytes: expect.any(Number) }, search: expect.any(Object) }),
          shards: { total: 1, primaries: 1 },
          index_status: 'open',
          status: 'green',
          creation: { date: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
          storage_tier: 'hot',
          uuid: expect.any(String),
        },
      },
      event: { dataset: 'opensearch.index' },
      metricset: { name: 'index', period: 3600000 },
    });
    const shard = lines.find((l) => l.metricset.name === 'shard' && (l.opensearch.index as { name: string }).name === 'ops-metrics-probe');
    expect(shard?.opensearch).toMatchObject({
      index: { name: 'ops-metrics-probe', index_status: 'open', status: 'green', storage_tier: 'hot' },
      node: { id: expect.any(String) },
      shard: { number: 0, primary: true, state: 'STARTED', docs: { count: 3 }, source_node: { name: expect.any(String), uuid: expect.any(String) } },
    });
    const node = lines.find((l) => l.metricset.name === 'node')!.opensearch.node as Record<string, any>;
    expect(node.jvm.mem.heap_used_percent).toEqual(expect.any(Number));
    expect(node.fs.total.total_in_bytes).toEqual(expect.any(Number));
    expect(node.roles).toEqual(expect.arrayContaining(['data']));
  });

  it('the exported file loads through the loader into metrics-opensearch-index-YYYY-MM', async () => {
    // The exporter invoked the loader asynchronously with the object's S3 event, which the loader accepts.
    const calls = lambdaMock.commandCalls(InvokeCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toMatchObject({ FunctionName: 'aes-siem-es-loader', InvocationType: 'Event' });
    const invocation = parseInvocation(JSON.parse(Buffer.from(calls[0]!.args[0].input.Payload as Uint8Array).toString('utf8')));
    expect(invocation.kind).toBe('direct');
    const tasks = invocation.kind === 'direct' ? invocation.notification.tasks : [];
    expect(tasks.map((t) => [t.ref.bucket, t.ref.key])).toEqual([[bucket, key]]);
    const pipeline = Pipeline.create();
    expect(pipeline.resolveLogType(key)?.name).toBe('opensearch_metrics');
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const counts = await indexDocuments(pipeline.processBatches({ bucket, key }, out.Body as NodeJS.ReadableStream), {
      client,
      bucket,
      key,
      templates: new TemplateInstaller(client, indexTemplates(pipeline.logTypes)),
    });
    const lines = await readLines(key);
    expect(counts.failed).toBe(0);
    expect(counts.indexed).toBe(lines.length);
    await client.indices.refresh({ index: 'metrics-opensearch-index-2031-04' });
    const found = await client.search({
      index: 'metrics-opensearch-index-2031-04',
      body: { query: { bool: { filter: [{ term: { 'metricset.name': 'index' } }, { term: { 'opensearch.index.name': 'ops-metrics-probe' } }] } } },
    });
    const hits = found.body.hits.hits as { _source: Record<string, any> }[];
    expect(hits).toHaveLength(1);
    expect(hits[0]!._source['@timestamp']).toBe('2031-04-05T06:07:08.000Z');
    expect(hits[0]!._source.opensearch.index.primaries.docs.count).toBe(3);
    expect(hits[0]!._source.event).toMatchObject({ kind: 'metric', module: 'index-metrics', dataset: 'opensearch.index' });
    expect(hits[0]!._source['@log_type']).toBe('index-metrics');
    const total = await client.count({ index: 'metrics-opensearch-index-2031-04' });
    expect(total.body.count).toBe(lines.length);
  });
});
