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
 * One line per index, per shard and per node in the reference's index-metrics schema (MetricRecord), with
 * fixed types so that the metrics index never sees a mapping conflict: `_cat` APIs answer numbers as
 * strings, they are parsed here.
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

/**
 * One line of the export, in the reference's index-metrics schema (its index_metrics_exporter Lambda), so
 * that the reference's "OpenSearch metrics" dashboard finds its fields: `opensearch.cluster.*`,
 * `opensearch.index.*` (per index: `_stats` primaries/total figures, shards, health as `status`, open/close as
 * `index_status`, `storage_tier`, `creation.date`, `uuid`), `opensearch.shard.*` + `opensearch.node.id`
 * (per shard), `event.dataset` = `opensearch.<metricset>`, `metricset.name` and `metricset.period` (ms).
 * Our `node` metricset (heap, CPU, disk per node, `opensearch.node.*`) is not in the reference.
 */
export type MetricRecord = Record<string, unknown> & {
  '@timestamp': string;
  opensearch: Record<string, unknown>;
  event: { dataset: string };
  metricset: { name: 'index' | 'shard' | 'node'; period: number };
};

/** The export runs hourly (modules/operations/index-metrics-exporter.ts): the metricset period in ms. */
export const PERIOD_MS = 60 * 60 * 1000;

/** `_cat` number (string, maybe null or "") -> number, or undefined. */
function num(v: unknown): number | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** A copy without undefined values and without objects left empty (the reference's del_none). */
function compact<T>(o: T): T {
  if (Array.isArray(o) || typeof o !== 'object' || o === null) return o;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    const c = compact(v);
    if (c === undefined || c === null || (typeof c === 'object' && !Array.isArray(c) && Object.keys(c).length === 0)) continue;
    out[k] = c;
  }
  return out as T;
}

async function get(client: Client, path: string, querystring: Record<string, string>): Promise<unknown> {
  try {
    return (await client.transport.request({ method: 'GET', path, querystring })).body;
  } catch (err) {
    throw new MetricsExportError(`GET ${path} failed: ${openSearchReason(err)}`, { cause: err });
  }
}

type Stats = Record<string, any>;

/** The `_stats` figures the reference keeps for `primaries` (and `total`, with fielddata, search and the segment memory). */
function statFigures(s: Stats | undefined, total: boolean): Record<string, unknown> | undefined {
  if (!s) return undefined;
  const seg = s.segments ?? {};
  return {
    docs: { count: num(s.docs?.count), deleted: num(s.docs?.deleted) },
    indexing: { index_time_in_millis: num(s.indexing?.index_time_in_millis), index_total: num(s.indexing?.index_total), throttle_time_in_millis: num(s.indexing?.throttle_time_in_millis) },
    merges: { total_size_in_bytes: num(s.merges?.total_size_in_bytes) },
    refresh: { total_time_in_millis: num(s.refresh?.total_time_in_millis) },
    segments: total
      ? Object.fromEntries(
          ['count', 'doc_values_memory_in_bytes', 'fixed_bit_set_memory_in_bytes', 'index_writer_memory_in_bytes', 'memory_in_bytes', 'norms_memory_in_bytes', 'points_memory_in_bytes', 'stored_fields_memory_in_bytes', 'term_vectors_memory_in_bytes', 'terms_memory_in_bytes', 'version_map_memory_in_bytes'].map((k) => [k, num(seg[k])]),
        )
      : { count: num(seg.count) },
    store: { size_in_bytes: num(s.store?.size_in_bytes) },
    ...(total ? { fielddata: { memory_size_in_bytes: num(s.fielddata?.memory_size_in_bytes) }, search: { query_time_in_millis: num(s.search?.query_time_in_millis), query_total: num(s.search?.query_total) } } : {}),
  };
}

/** `cluster_name` of `GET /` is `<account>:<domain>` on Amazon OpenSearch Service; the reference keeps the domain. */
function clusterOf(root: unknown): { id?: string; name?: string } {
  const r = (root ?? {}) as { cluster_uuid?: string; cluster_name?: string };
  const name = typeof r.cluster_name === 'string' ? (r.cluster_name.includes(':') ? r.cluster_name.slice(r.cluster_name.indexOf(':') + 1) : r.cluster_name) : undefined;
  return { id: r.cluster_uuid, name };
}

/** Reads the statistics and turns them into metric records, all stamped with `at`. */
export async function collect(client: Client, domain: string, at: Date): Promise<MetricRecord[]> {
  const ts = at.toISOString();
  const [root, indices, stats, shards, nodes] = await Promise.all([
    get(client, '/', {}),
    get(client, '/_cat/indices', { format: 'json', h: 'health,status,index,uuid,pri,rep,creation.date.string', expand_wildcards: 'all' }),
    get(client, '/_stats/docs,indexing,merge,refresh,segments,store,fielddata,search', { expand_wildcards: 'all' }),
    get(client, '/_cat/shards', { format: 'json', bytes: 'b', h: 'index,shard,prirep,state,docs,store,id,node,unassigned.reason' }),
    get(client, '/_nodes/stats/jvm,os,fs,indices', { filter_path: 'nodes.*.name,nodes.*.roles,nodes.*.jvm.mem,nodes.*.os.cpu,nodes.*.fs.total,nodes.*.indices.docs,nodes.*.indices.store,nodes.*.indices.indexing,nodes.*.indices.search' }),
  ]);
  const found = clusterOf(root);
  const cluster = { id: found.id, name: found.name ?? domain };
  const metricset = (name: MetricRecord['metricset']['name']) => ({ event: { dataset: `opensearch.${name}` }, metricset: { name, period: PERIOD_MS } });
  const byIndex = new Map<string, Record<string, string | null>>();
  for (const i of indices as Record<string, string | null>[]) if (i.index) byIndex.set(i.index, i);
  const indexStats = ((stats as { indices?: Record<string, Stats> }).indices ?? {}) as Record<string, Stats>;
  const records: MetricRecord[] = [];
  for (const [name, i] of byIndex) {
    const st = indexStats[name];
    const pri = num(i.pri);
    const rep = num(i.rep);
    const index = {
      name,
      primaries: statFigures(st?.primaries, false),
      total: statFigures(st?.total, true),
      shards: { total: pri !== undefined && rep !== undefined ? pri * (rep + 1) : undefined, primaries: pri },
      index_status: i.status ?? undefined,
      status: i.health ?? undefined,
      creation: { date: i['creation.date.string'] ?? undefined },
      // Indices of this domain are all hot: UltraWarm and cold storage are not used (docs/operations.md).
      storage_tier: 'hot',
      uuid: i.uuid ?? undefined,
    };
    records.push(compact({ '@timestamp': ts, opensearch: { cluster, index }, ...metricset('index') }));
  }
  for (const s of shards as Record<string, string | null>[]) {
    const i = s.index ? byIndex.get(s.index) : undefined;
    const shard = {
      docs: { count: num(s.docs) },
      number: num(s.shard),
      primary: s.prirep === 'p',
      source_node: { name: s.node ?? undefined, uuid: s.id ?? undefined },
      store: { size_in_bytes: num(s.store) },
      state: s.state ?? undefined,
      unassigned: { reason: s['unassigned.reason'] ?? undefined },
    };
    const index = { index_status: i?.status ?? undefined, name: s.index ?? undefined, status: i?.health ?? undefined, storage_tier: i ? 'hot' : undefined };
    records.push(compact({ '@timestamp': ts, opensearch: { cluster, index, node: { id: s.id ?? undefined }, shard }, ...metricset('shard') }));
  }
  const nodeMap = ((nodes as { nodes?: Record<string, Record<string, any>> }).nodes ?? {}) as Record<string, Record<string, any>>;
  for (const [id, n] of Object.entries(nodeMap).sort(([a], [b]) => a.localeCompare(b))) {
    const node = {
      id,
      name: n.name as string | undefined,
      roles: Array.isArray(n.roles) ? (n.roles as string[]) : undefined,
      jvm: { mem: { heap_used_percent: num(n.jvm?.mem?.heap_used_percent), heap_used_in_bytes: num(n.jvm?.mem?.heap_used_in_bytes), heap_max_in_bytes: num(n.jvm?.mem?.heap_max_in_bytes) } },
      os: { cpu: { percent: num(n.os?.cpu?.percent) } },
      fs: { total: { total_in_bytes: num(n.fs?.total?.total_in_bytes), available_in_bytes: num(n.fs?.total?.available_in_bytes) } },
      indices: {
        docs: { count: num(n.indices?.docs?.count) },
        store: { size_in_bytes: num(n.indices?.store?.size_in_bytes) },
        indexing: { index_total: num(n.indices?.indexing?.index_total), index_time_in_millis: num(n.indices?.indexing?.index_time_in_millis), index_failed: num(n.indices?.indexing?.index_failed) },
        search: { query_total: num(n.indices?.search?.query_total), query_time_in_millis: num(n.indices?.search?.query_time_in_millis) },
      },
    };
    records.push(compact({ '@timestamp': ts, opensearch: { cluster, node }, ...metricset('node') }));
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
  const count = (t: MetricRecord['metricset']['name']) => records.filter((r) => r.metricset.name === t).length;
  return { bucket: settings.SNAPSHOT_BUCKET, key, loaderNotified, records: { index: count('index'), shard: count('shard'), node: count('node') }, bytes: body.length };
}
