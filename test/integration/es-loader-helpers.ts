/**
 * Helpers of the es-loader integration tests: a loader runtime wired to the local servers (s3rver,
 * ElasticMQ, OpenSearch), events of every trigger shape, a fault-injecting HTTP proxy for OpenSearch,
 * and queries. Only test files import this.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import type { Client } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { handleEvent, type LoaderRuntime } from '../../lambdas/es-loader/handler';
import { Pipeline, type PipelineOptions } from '../../lambdas/es-loader/pipeline';
import type { Log, MetricsSink, ObjectMeasurement } from '../../lambdas/es-loader/runtime/observability';
import { loaderTemplates } from '../../lambdas/es-loader/runtime/templates';
import { createOpenSearchClient, SqsDeadLetterQueue, TemplateInstaller, type FailureMessage } from '../../lambdas/es-loader/sink';
import { SqsRangeQueue } from '../../lambdas/es-loader/sources';
import { S3ClientRegistry, S3ObjectStore } from '../../lambdas/es-loader/storage';
import { s3ClientConfig, serversInfo, sqsClientConfig } from '../servers/clients';

export const NOW = new Date('2026-11-22T07:00:00.000Z');
export const BUCKET = 'aes-siem-111122223333-log';

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  message: string;
  extra?: Record<string, unknown>;
}

export class RecordingLog implements Log {
  readonly lines: LogLine[] = [];
  info(message: string, extra?: Record<string, unknown>) {
    this.lines.push({ level: 'info', message, extra });
  }
  warn(message: string, extra?: Record<string, unknown>) {
    this.lines.push({ level: 'warn', message, extra });
  }
  error(message: string, extra?: Record<string, unknown>) {
    this.lines.push({ level: 'error', message, extra });
  }
  /** The `invocation done` line of the last invocation. */
  lastTotals(): Record<string, unknown> | undefined {
    return this.lines.filter((l) => l.message === 'invocation done').at(-1)?.extra;
  }
}

export class RecordingMetrics implements MetricsSink {
  readonly objects: ObjectMeasurement[] = [];
  object(m: ObjectMeasurement) {
    this.objects.push(m);
  }
  flush() {}
}

export interface TestLoader {
  readonly rt: LoaderRuntime;
  readonly log: RecordingLog;
  readonly metrics: RecordingMetrics;
  readonly splitQueueUrl: string;
  readonly dlqUrl: string;
  invoke(event: unknown): ReturnType<typeof handleEvent>;
}

let s3: S3Client | undefined;
let sqs: SQSClient | undefined;
export const s3c = () => (s3 ??= new S3Client(s3ClientConfig()));
export const sqsc = () => (sqs ??= new SQSClient(sqsClientConfig()));

export async function ensureBucket(name = BUCKET): Promise<void> {
  try {
    await s3c().send(new CreateBucketCommand({ Bucket: name }));
  } catch (err) {
    if (!/BucketAlreadyOwnedByYou|BucketAlreadyExists/.test((err as Error).name)) throw err;
  }
}

export async function putObject(key: string, body: Buffer | string, opts: { gzip?: boolean; bucket?: string } = {}): Promise<number> {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const data = opts.gzip === false ? bytes : gzipSync(bytes);
  await s3c().send(new PutObjectCommand({ Bucket: opts.bucket ?? BUCKET, Key: key, Body: data }));
  return data.length;
}

export async function createQueue(prefix: string): Promise<string> {
  const { QueueUrl } = await sqsc().send(new CreateQueueCommand({ QueueName: `${prefix}-${randomUUID().slice(0, 8)}` }));
  return QueueUrl!;
}

/** Receives everything currently in a queue (deleting it). */
export async function drain(queueUrl: string): Promise<Message[]> {
  const out: Message[] = [];
  for (;;) {
    const r = await sqsc().send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageAttributeNames: ['All'] }));
    const msgs = r.Messages ?? [];
    if (msgs.length === 0) return out;
    for (const m of msgs) {
      out.push(m);
      await sqsc().send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle! }));
    }
  }
}

export async function failureMessages(dlqUrl: string): Promise<FailureMessage[]> {
  return (await drain(dlqUrl)).map((m) => JSON.parse(m.Body!) as FailureMessage);
}

export function openSearchNode(): string {
  return serversInfo().opensearch.url;
}

export function osClient(node = openSearchNode()): Client {
  return createOpenSearchClient({ node, auth: 'none' });
}

export async function makeLoader(
  opts: { pipeline?: PipelineOptions; node?: string; splitSize?: number; maxAttempts?: number; batch?: LoaderRuntime['batch']; s3?: S3Client } = {},
): Promise<TestLoader> {
  await ensureBucket();
  const [splitQueueUrl, dlqUrl] = await Promise.all([createQueue('split'), createQueue('dlq')]);
  const log = new RecordingLog();
  const metrics = new RecordingMetrics();
  const pipeline = Pipeline.create({ now: () => NOW, ignoreBundledUserIni: true, ...opts.pipeline });
  const client = osClient(opts.node);
  const rt: LoaderRuntime = {
    pipeline,
    store: new S3ObjectStore(new S3ClientRegistry(opts.s3 ?? s3c()), { sleep: async () => undefined }),
    client,
    templates: new TemplateInstaller(client, loaderTemplates(pipeline)),
    dlq: new SqsDeadLetterQueue(sqsc(), dlqUrl),
    splitQueue: new SqsRangeQueue(sqsc(), splitQueueUrl),
    log,
    metrics,
    splitSize: opts.splitSize ?? 100_000,
    batch: opts.batch,
    retry: { maxAttempts: opts.maxAttempts ?? 8, baseDelayMs: 5, maxDelayMs: 50 },
    objectConcurrency: 2,
    now: () => Date.now(),
  };
  return { rt, log, metrics, splitQueueUrl, dlqUrl, invoke: (event) => handleEvent(rt, event) };
}

// ---- Events ------------------------------------------------------------------------------------

export function s3Event(key: string, opts: { bucket?: string; size?: number; eventTime?: string; eventName?: string } = {}) {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'ap-northeast-1',
        eventTime: opts.eventTime ?? new Date().toISOString(),
        eventName: opts.eventName ?? 'ObjectCreated:Put',
        userIdentity: { principalId: 'AWS:AROAEXAMPLE' },
        requestParameters: { sourceIPAddress: '203.0.113.10' },
        responseElements: { 'x-amz-request-id': 'C3D13FE58DE4C810', 'x-amz-id-2': 'FMyUVURIY8' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'es-loader',
          bucket: { name: opts.bucket ?? BUCKET, ownerIdentity: { principalId: 'A3NL1KOZZKExample' }, arn: `arn:aws:s3:::${opts.bucket ?? BUCKET}` },
          // S3 URL-encodes keys in notifications (spaces become +).
          object: { key: encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+'), size: opts.size ?? 0, eTag: '0123456789abcdef', sequencer: '0A1B2C3D4E5F678901' },
        },
      },
    ],
  };
}

export function eventBridgeEvent(key: string, opts: { bucket?: string; size?: number } = {}) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: '111122223333',
    time: new Date().toISOString(),
    region: 'ap-northeast-1',
    resources: [`arn:aws:s3:::${opts.bucket ?? BUCKET}`],
    detail: {
      version: '0',
      bucket: { name: opts.bucket ?? BUCKET },
      object: { key, size: opts.size ?? 0, etag: 'b1946ac92492d2347c6235b4d2611184', sequencer: '00617F08299329D189' },
      'request-id': 'N4N7GDK58NMKJ12R',
      requester: '111122223333',
      'source-ip-address': '203.0.113.15',
      reason: 'PutObject',
    },
  };
}

export function snsWrapped(inner: unknown): string {
  return JSON.stringify({
    Type: 'Notification',
    MessageId: randomUUID(),
    TopicArn: 'arn:aws:sns:ap-northeast-1:111122223333:s3-fanout',
    Subject: 'Amazon S3 Notification',
    Message: JSON.stringify(inner),
    Timestamp: new Date().toISOString(),
    SignatureVersion: '1',
  });
}

export function sqsEvent(bodies: Array<{ id?: string; body: string }>, queue = 'aes-siem-s3-notification') {
  return {
    Records: bodies.map((b, i) => ({
      messageId: b.id ?? `msg-${i}`,
      receiptHandle: `rh-${i}`,
      body: b.body,
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()), SenderId: 'AIDAEXAMPLE', ApproximateFirstReceiveTimestamp: String(Date.now()) },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:ap-northeast-1:111122223333:${queue}`,
      awsRegion: 'ap-northeast-1',
    })),
  };
}

/** An SQS event made of messages received from a real queue (split queue, DLQ). */
export function sqsEventFrom(messages: Message[], queue: string) {
  return sqsEvent(messages.map((m) => ({ id: m.MessageId, body: m.Body! })), queue);
}

// ---- OpenSearch queries ---------------------------------------------------------------------------

export async function resetIndices(client: Client, pattern = 'log-aws-*,metrics-opensearch-*'): Promise<void> {
  await client.transport.request({ method: 'DELETE', path: `/${pattern}`, querystring: { expand_wildcards: 'all', ignore_unavailable: 'true', allow_no_indices: 'true' } });
}

/**
 * The set-up every loader integration file shares: one loader for the file (built before its first
 * test), the file's indices deleted before each test and after the last, the loader's log lines cleared
 * before each test. Call it at the top of the file; `loader` exists once the file's beforeAll has run.
 */
export function useLoaderSuite(indices?: string): { readonly client: Client; readonly loader: TestLoader } {
  const client = osClient();
  let loader: TestLoader | undefined;
  const reset = () => resetIndices(client, indices);
  beforeAll(async () => {
    loader = await makeLoader();
  });
  beforeEach(async () => {
    await reset();
    loader!.log.lines.length = 0;
  });
  afterAll(async () => {
    await reset();
  });
  return {
    client,
    get loader(): TestLoader {
      if (!loader) throw new Error('useLoaderSuite: the loader is built in beforeAll; read it inside a test or a hook');
      return loader;
    },
  };
}

export interface Hit {
  _index: string;
  _id: string;
  _source: Record<string, unknown>;
}

export async function allDocs(client: Client, index: string): Promise<Hit[]> {
  await client.transport.request({ method: 'POST', path: `/${index}/_refresh`, querystring: { ignore_unavailable: 'true', allow_no_indices: 'true' } });
  const res = await client.transport.request({
    method: 'POST',
    path: `/${index}/_search`,
    querystring: { ignore_unavailable: 'true', allow_no_indices: 'true' },
    body: { size: 10000, sort: [{ _id: 'asc' }], query: { match_all: {} } },
  });
  const hits = (res.body as { hits: { hits: Hit[] } }).hits.hits;
  return hits.map((h) => ({ _index: h._index, _id: h._id, _source: h._source }));
}

export async function count(client: Client, index: string): Promise<number> {
  await client.transport.request({ method: 'POST', path: `/${index}/_refresh`, querystring: { ignore_unavailable: 'true', allow_no_indices: 'true' } });
  const res = await client.transport.request({ method: 'GET', path: `/${index}/_count`, querystring: { ignore_unavailable: 'true', allow_no_indices: 'true' } });
  return (res.body as { count: number }).count;
}

/** Mapping type of a dotted field in an index (`undefined` when unmapped). */
export async function fieldType(client: Client, index: string, field: string): Promise<string | undefined> {
  const res = await client.transport.request({ method: 'GET', path: `/${index}/_mapping/field/${field}` });
  const body = res.body as Record<string, { mappings: Record<string, { mapping: Record<string, { type?: string }> }> }>;
  const m = body[index]?.mappings[field]?.mapping;
  if (!m) return undefined;
  const leaf = field.split('.').at(-1)!;
  return m[leaf]?.type;
}

// ---- Fault-injecting proxy ------------------------------------------------------------------------

export type Fault = 'pass' | { status: number; body?: string } | { itemStatus: number } | { tooLargeAbove: number } | 'drop-before' | 'drop-after';

/**
 * An HTTP proxy in front of OpenSearch. For each `_bulk` request it asks `decide(n)` (n = 0, 1, ...)
 * what to do: pass it on, answer with a status (429, 503), drop the connection before forwarding, or
 * forward it and drop the connection before the answer reaches the client (the documents are then
 * indexed although the client saw an error). Other requests always pass.
 */
export async function faultProxy(target: string, decide: (n: number) => Fault): Promise<{ url: string; bulkRequests: () => number; close: () => Promise<void> }> {
  const t = new URL(target);
  let n = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const fault: Fault = req.url?.startsWith('/_bulk') ? decide(n++) : 'pass';
      if (fault === 'drop-before') {
        req.socket.destroy();
        return;
      }
      if (typeof fault === 'object' && 'itemStatus' in fault) {
        // A 200 answer whose every item failed with itemStatus (e.g. 429: the write queue is full).
        const actions = body.toString('utf8').split('\n').filter((l) => l.startsWith('{"create"')).length;
        const items = Array.from({ length: actions }, () => ({ create: { status: fault.itemStatus, error: { type: 'es_rejected_execution_exception', reason: 'injected item rejection' } } }));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ took: 1, errors: true, items }));
        return;
      }
      if (typeof fault === 'object' && 'tooLargeAbove' in fault) {
        if (body.length > fault.tooLargeAbove) {
          res.writeHead(413, { 'content-type': 'text/plain' });
          res.end('Request Entity Too Large');
          return;
        }
      } else if (typeof fault === 'object') {
        res.writeHead(fault.status, { 'content-type': 'application/json' });
        res.end(fault.body ?? JSON.stringify({ error: { type: 'es_rejected_execution_exception', reason: `injected ${fault.status}` }, status: fault.status }));
        return;
      }
      const dropAfter = fault === 'drop-after';
      const up = http.request(
        { host: t.hostname, port: t.port, method: req.method, path: req.url, headers: { ...req.headers, host: t.host } },
        (upRes) => {
          if (dropAfter) {
            upRes.resume();
            upRes.on('end', () => req.socket.destroy());
            return;
          }
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          upRes.pipe(res);
        },
      );
      up.on('error', () => req.socket.destroy());
      up.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    bulkRequests: () => n,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * An HTTP proxy in front of the S3-API server that breaks the first `breaks` object downloads after
 * `afterBytes` bytes of the body (the connection is destroyed mid-response, as a network fault would).
 * Records the Range and If-Match headers of every GET so tests can see how a read resumed.
 */
export async function breakingS3Proxy(target: string, afterBytes: number, breaks = 1): Promise<{ url: string; gets: Array<{ range?: string; ifMatch?: string }>; close: () => Promise<void> }> {
  const t = new URL(target);
  const gets: Array<{ range?: string; ifMatch?: string }> = [];
  let broken = 0;
  const server = http.createServer((req, res) => {
    const isGet = req.method === 'GET' && /\/[^?]+\/.+/.test(req.url ?? '');
    if (isGet) gets.push({ range: req.headers.range as string | undefined, ifMatch: req.headers['if-match'] as string | undefined });
    const up = http.request({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: { ...req.headers, host: t.host } }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      if (isGet && broken < breaks && (upRes.statusCode ?? 0) < 300) {
        broken++;
        let sent = 0;
        upRes.on('data', (c: Buffer) => {
          if (sent >= afterBytes) return;
          const part = c.subarray(0, afterBytes - sent);
          sent += part.length;
          res.write(part);
          if (sent >= afterBytes) setTimeout(() => res.socket?.destroy(), 20);
        });
        return;
      }
      upRes.pipe(res);
    });
    up.on('error', () => res.socket?.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    gets,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The log-type folders: each holds a fixture and the exact documents it becomes. */
const LOG_TYPES = path.resolve(__dirname, '../../lambdas/es-loader/log-types');
export type ExpectedDoc = { _index: string; _id: string; _source: Record<string, unknown> };
export const fixture = (type: string, file: string): Buffer => readFileSync(path.join(LOG_TYPES, type, file));
export const expected = (type: string, file = 'expected.json'): ExpectedDoc[] => JSON.parse(readFileSync(path.join(LOG_TYPES, type, file), 'utf8')) as ExpectedDoc[];
export const byId = <T extends { _id: string }>(a: T[]): T[] => [...a].sort((x, y) => (x._id < y._id ? -1 : x._id > y._id ? 1 : 0));

/** A log type's fixture as an integration test loads it: the key it is stored under and the mapping types to check. */
export interface LogTypeCase {
  readonly name: string;
  /** The log-type folder. */
  readonly type: string;
  readonly file: string;
  readonly key: string;
  /** The expected documents' file in the folder (default `expected.json`). */
  readonly expected?: string;
  /** Field -> OpenSearch mapping type, checked in every index the documents go to. */
  readonly types: Readonly<Record<string, string>>;
}

/**
 * Stores the fixture under its key, invokes the loader with the S3 notification, and checks that
 * OpenSearch holds exactly `want` (default: the folder's expected documents), the mapping types,
 * the loader's totals and an empty DLQ. Returns the object's size.
 */
export async function expectIndexedExactly(loader: TestLoader, client: Client, f: LogTypeCase, want: ExpectedDoc[] = expected(f.type, f.expected)): Promise<number> {
  const size = await putObject(f.key, fixture(f.type, f.file));
  expect(await loader.invoke(s3Event(f.key, { size }))).toBeUndefined();
  // Records of different months go to different indices (e.g. the VPC v2 fixture spans two).
  const indices = [...new Set(want.map((d) => d._index))];
  expect(byId(await allDocs(client, indices.join(',')))).toEqual(byId(want));
  for (const index of indices) {
    for (const [field, type] of Object.entries(f.types)) expect(await fieldType(client, index, field), `${index} ${field}`).toBe(type);
  }
  expect(loader.log.lastTotals()).toMatchObject({ objects: 1, read: want.length, indexed: want.length, failed: 0 });
  expect(await failureMessages(loader.dlqUrl)).toEqual([]);
  return size;
}
