/**
 * Index metrics exporter: once an hour, index, shard and node statistics of the SIEM domain go to the
 * snapshot bucket as gzip JSON lines under `AWSLogs/<account>/OpenSearch/metrics/YYYY/MM/DD/HH/`, a key
 * the loader's `opensearch_metrics` log type recognises (aws.ini), so they become searchable in
 * `metrics-opensearch-index-YYYY-MM` (disk usage per index over time, shard balance, heap pressure).
 *
 * The loader learns of the file from the exporter itself: it invokes the loader asynchronously with the
 * S3 ObjectCreated event of the object (the shape S3 sends), so the snapshot bucket needs no event
 * notification of its own (the log bucket's notification is the loader's only S3 trigger).
 *
 * One line per index, per shard and per node, each a flat set of numbers with fixed types so that the
 * metrics index never sees a mapping conflict: `_cat` APIs answer numbers as strings, they are parsed here.
 */
import { gzipSync } from 'node:zlib';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Client } from '@opensearch-project/opensearch';
import { z } from 'zod';
import { parseEnvironment, type LambdaEnvironment } from '../shared/env';
import { openSearchEnvironment, openSearchEnvSchema, openSearchReason } from '../shared/opensearch';

export class MetricsExportError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MetricsExportError';
  }
}

export const exporterEnvSchema = z.object({
  SNAPSHOT_BUCKET: z.string().min(3, { error: 'SNAPSHOT_BUCKET is required' }),
  ACCOUNT_ID: z.string().regex(/^\d{12}$/, { error: 'ACCOUNT_ID must be the 12-digit security account id' }),
  DOMAIN_NAME: z.string().min(1, { error: 'DOMAIN_NAME is required' }),
  /** The es-loader to notify of each export; unset: nobody is notified (the file stays in S3). */
  LOADER_FUNCTION_NAME: z.string().min(1).optional(),
  AWS_REGION: z.string().default('us-east-1'),
});
export type ExporterSettings = z.infer<typeof exporterEnvSchema>;

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): ExporterSettings {
  return parseEnvironment(exporterEnvSchema, env, { title: 'Invalid Lambda environment', error: (m) => new MetricsExportError(m) });
}

/** The function's whole environment: the OpenSearch connection (lambdas/shared/opensearch.ts) and the exporter's own variables. */
export const metricsExporterEnvSchema = openSearchEnvSchema.extend(exporterEnvSchema.shape);

/** The environment of `<prefix>-index-metrics-exporter`, as its construct sets it. */
export function exporterEnvironment(p: {
  readonly opensearchEndpoint: string;
  readonly snapshotBucket: string;
  readonly accountId: string;
  readonly domainName: string;
  readonly loaderFunctionName: string;
}): LambdaEnvironment<typeof metricsExporterEnvSchema> {
  return {
    ...openSearchEnvironment({ endpoint: p.opensearchEndpoint }),
    SNAPSHOT_BUCKET: p.snapshotBucket,
    ACCOUNT_ID: p.accountId,
    DOMAIN_NAME: p.domainName,
    LOADER_FUNCTION_NAME: p.loaderFunctionName,
  };
}

export type MetricRecord = Record<string, unknown> & { '@timestamp': string; metric_type: 'index' | 'shard' | 'node' };

/** `_cat` number (string, maybe null or "") -> number, or undefined. */
function num(v: unknown): number | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : undefined;
}

function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

async function get(client: Client, path: string, querystring: Record<string, string>): Promise<unknown> {
  try {
    return (await client.transport.request({ method: 'GET', path, querystring })).body;
  } catch (err) {
    throw new MetricsExportError(`GET ${path} failed: ${openSearchReason(err)}`, { cause: err });
  }
}

/** Reads the statistics and turns them into metric records, all stamped with `at`. */
export async function collect(client: Client, domain: string, at: Date): Promise<MetricRecord[]> {
  const ts = at.toISOString();
  const base = { '@timestamp': ts, domain };
  const [indices, shards, nodes] = await Promise.all([
    get(client, '/_cat/indices', { format: 'json', bytes: 'b', h: 'health,status,index,uuid,pri,rep,docs.count,docs.deleted,store.size,pri.store.size', expand_wildcards: 'all' }),
    get(client, '/_cat/shards', { format: 'json', bytes: 'b', h: 'index,shard,prirep,state,docs,store,node,unassigned.reason' }),
    get(client, '/_nodes/stats/jvm,os,fs,indices', { filter_path: 'nodes.*.name,nodes.*.roles,nodes.*.jvm.mem,nodes.*.os.cpu,nodes.*.fs.total,nodes.*.indices.docs,nodes.*.indices.store,nodes.*.indices.indexing,nodes.*.indices.search' }),
  ]);
  const records: MetricRecord[] = [];
  for (const i of indices as Record<string, string | null>[]) {
    records.push({
      ...base,
      metric_type: 'index',
      index: compact({
        name: i.index ?? undefined,
        health: i.health ?? undefined,
        status: i.status ?? undefined,
        uuid: i.uuid ?? undefined,
        primary_shards: num(i.pri),
        replicas: num(i.rep),
        docs_count: num(i['docs.count']),
        docs_deleted: num(i['docs.deleted']),
        store_size_bytes: num(i['store.size']),
        primary_store_size_bytes: num(i['pri.store.size']),
      }),
    });
  }
  for (const s of shards as Record<string, string | null>[]) {
    records.push({
      ...base,
      metric_type: 'shard',
      shard: compact({
        index: s.index ?? undefined,
        number: num(s.shard),
        primary: s.prirep === 'p',
        state: s.state ?? undefined,
        docs_count: num(s.docs),
        store_size_bytes: num(s.store),
        node: s.node ?? undefined,
        unassigned_reason: s['unassigned.reason'] ?? undefined,
      }),
    });
  }
  const nodeMap = ((nodes as { nodes?: Record<string, Record<string, any>> }).nodes ?? {}) as Record<string, Record<string, any>>;
  for (const [id, n] of Object.entries(nodeMap).sort(([a], [b]) => a.localeCompare(b))) {
    records.push({
      ...base,
      metric_type: 'node',
      node: compact({
        id,
        name: n.name as string | undefined,
        roles: Array.isArray(n.roles) ? (n.roles as string[]) : undefined,
        heap_used_percent: num(n.jvm?.mem?.heap_used_percent),
        heap_used_bytes: num(n.jvm?.mem?.heap_used_in_bytes),
        heap_max_bytes: num(n.jvm?.mem?.heap_max_in_bytes),
        cpu_percent: num(n.os?.cpu?.percent),
        disk_total_bytes: num(n.fs?.total?.total_in_bytes),
        disk_available_bytes: num(n.fs?.total?.available_in_bytes),
        docs_count: num(n.indices?.docs?.count),
        store_size_bytes: num(n.indices?.store?.size_in_bytes),
        indexing_total: num(n.indices?.indexing?.index_total),
        indexing_time_ms: num(n.indices?.indexing?.index_time_in_millis),
        indexing_failed: num(n.indices?.indexing?.index_failed),
        search_query_total: num(n.indices?.search?.query_total),
        search_query_time_ms: num(n.indices?.search?.query_time_in_millis),
      }),
    });
  }
  return records;
}

/** `AWSLogs/<account>/OpenSearch/metrics/YYYY/MM/DD/HH/<domain>_<YYYYMMDDTHHMMSSZ>.jsonl.gz` (UTC). */
export function objectKey(accountId: string, domain: string, at: Date): string {
  const iso = at.toISOString();
  const [y, m, d, h] = [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10), iso.slice(11, 13)];
  const stamp = iso.replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return `AWSLogs/${accountId}/OpenSearch/metrics/${y}/${m}/${d}/${h}/${domain}_${stamp}.jsonl.gz`;
}

/** The S3 event notification for the new object (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html). */
export function objectCreatedEvent(bucket: string, key: string, size: number, region: string, at: Date): Record<string, unknown> {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: region,
        eventTime: at.toISOString(),
        eventName: 'ObjectCreated:Put',
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'index-metrics-exporter',
          bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
          // Keys in S3 events are URL-encoded with + for spaces; ours have neither spaces nor reserved characters.
          object: { key, size },
        },
      },
    ],
  };
}

export interface ExportResult {
  readonly bucket: string;
  readonly key: string;
  /** Whether the loader was invoked for the object. */
  readonly loaderNotified: boolean;
  readonly records: { index: number; shard: number; node: number };
  readonly bytes: number;
}

export async function exportMetrics(client: Client, s3: S3Client, settings: ExporterSettings, at: Date = new Date(), lambda?: LambdaClient): Promise<ExportResult> {
  const records = await collect(client, settings.DOMAIN_NAME, at);
  const body = gzipSync(Buffer.from(records.map((r) => JSON.stringify(r)).join('\n') + '\n'));
  const key = objectKey(settings.ACCOUNT_ID, settings.DOMAIN_NAME, at);
  try {
    await s3.send(new PutObjectCommand({ Bucket: settings.SNAPSHOT_BUCKET, Key: key, Body: body, ContentType: 'application/x-ndjson' }));
  } catch (err) {
    throw new MetricsExportError(`Cannot write s3://${settings.SNAPSHOT_BUCKET}/${key}: ${(err as Error).message}`, { cause: err });
  }
  let loaderNotified = false;
  if (lambda && settings.LOADER_FUNCTION_NAME) {
    const payload = JSON.stringify(objectCreatedEvent(settings.SNAPSHOT_BUCKET, key, body.length, settings.AWS_REGION, new Date()));
    try {
      await lambda.send(new InvokeCommand({ FunctionName: settings.LOADER_FUNCTION_NAME, InvocationType: 'Event', Payload: Buffer.from(payload) }));
    } catch (err) {
      throw new MetricsExportError(`Exported s3://${settings.SNAPSHOT_BUCKET}/${key} but could not invoke ${settings.LOADER_FUNCTION_NAME} to load it: ${(err as Error).message}`, { cause: err });
    }
    loaderNotified = true;
  }
  const count = (t: MetricRecord['metric_type']) => records.filter((r) => r.metric_type === t).length;
  return { bucket: settings.SNAPSHOT_BUCKET, key, loaderNotified, records: { index: count('index'), shard: count('shard'), node: count('node') }, bytes: body.length };
}
