/**
 * The es-loader's work for one Lambda invocation: event -> object tasks -> streamed pipeline -> bulk
 * sink, with the three tiers of errors kept apart:
 * - fatal (bad environment, an event of unknown shape, OpenSearch or the DLQ unreachable after the
 *   retries, an object that cannot be read): thrown, so the platform delivers the event again. For SQS
 *   batches only the failed messages are reported (partial batch response, `ReportBatchItemFailures`),
 *   so a bad message never makes the good ones run twice.
 * - per record (a malformed line, a document OpenSearch rejects for good): a dead letter in the DLQ with
 *   the object key, record/line and reason; the rest of the object is still loaded.
 * - per object but permanent (unknown log type, object deleted, content neither gzip nor text): a dead
 *   letter naming the object; the message is done (retrying cannot help).
 * Every invocation logs its counts: read, indexed, skipped, failed.
 *
 * A queue of another owner (Amazon Security Lake's subscriber queue) has no redrive policy of ours: a
 * message of it that fails as a whole would come back until the queue's retention drops it. For such
 * queues (`foreignQueues`), the message is copied as received into the loader's DLQ at its
 * `maxReceiveCount`-th receive and then reported done, as a redrive policy would have moved it.
 */
import type { Client } from '@opensearch-project/opensearch';
import { UnreadableObjectError } from './errors';
import type { Pipeline, PipelineItem, RecordRange } from './pipeline';
import type { Log, MetricsSink } from './runtime/observability';
import { emptyCounts, indexDocuments, type BatchOptions, type Counts, type DeadLetter, type DeadLetterQueue, type RetryOptions, type TemplateInstaller } from './sink';
import { parseInvocation, rangeMessages, splitRanges, type ObjectTask, type RangeQueue, type SqsMessageWork } from './sources';
import { ObjectNotFoundError, type ObjectStore } from './storage';

export interface LoaderRuntime {
  readonly pipeline: Pipeline;
  readonly store: ObjectStore;
  readonly client: Client;
  readonly templates?: TemplateInstaller;
  readonly dlq: DeadLetterQueue;
  readonly splitQueue: RangeQueue;
  readonly log: Log;
  readonly metrics: MetricsSink;
  /** Range size when a log type has no max_log_count. */
  readonly splitSize: number;
  readonly batch?: BatchOptions;
  readonly retry?: RetryOptions;
  /** SQS messages processed at once. Default 2. */
  readonly objectConcurrency?: number;
  readonly now?: () => number;
  /** Queues without a redrive policy of ours (see the module comment). */
  readonly foreignQueues?: ForeignQueues;
}

export interface ForeignQueues {
  /** Event source ARNs of the queues. */
  readonly arns: ReadonlySet<string>;
  /** The receive at which a failing message is given to the DLQ. */
  readonly maxReceiveCount: number;
  /** Sends one message body, unchanged, to the loader's DLQ (a redrive to the split queue replays it). */
  forward(body: string): Promise<void>;
}

export interface TaskResult {
  readonly task: ObjectTask;
  readonly logType?: string;
  readonly counts: Counts;
  /** Ranges queued for later invocations. */
  readonly queuedRanges: number;
}

export interface InvocationTotals {
  objects: number;
  read: number;
  indexed: number;
  duplicates: number;
  skipped: number;
  failed: number;
  queuedRanges: number;
  failedMessages: number;
}

export interface SqsBatchResponse {
  batchItemFailures: Array<{ itemIdentifier: string }>;
}

function describe(task: ObjectTask): string {
  const where = `s3://${task.ref.bucket}/${task.ref.key}`;
  if (task.range) return `${where} records ${task.range.start}-${task.range.end - 1}`;
  if (task.records) return `${where} records ${task.records.join(',')}`;
  return where;
}

async function* onlyRecords(batches: AsyncIterable<PipelineItem[]>, records: ReadonlySet<number>): AsyncGenerator<PipelineItem[]> {
  for await (const batch of batches) {
    const kept = batch.filter((item) => item.kind === 'summary' || records.has(item.record));
    if (kept.length > 0) yield kept;
  }
}

/** Loads one object (or a range of it). Throws on fatal errors; see the module comment. */
export async function processTask(rt: LoaderRuntime, task: ObjectTask): Promise<TaskResult> {
  const now = rt.now ?? Date.now;
  const started = now();
  const { ref } = task;
  const objectFailure = async (reason: string): Promise<TaskResult> => {
    const letter: DeadLetter = { stage: 'object', bucket: ref.bucket, key: ref.key, reason };
    await rt.dlq.send([letter]);
    rt.log.error(`not loaded: ${describe(task)}: ${reason}`, { s3_bucket: ref.bucket, s3_key: ref.key, origin: task.origin, reason });
    const counts: Counts = { ...emptyCounts(), failed: 1, failureSamples: [letter] };
    return { task, counts, queuedRanges: 0 };
  };

  if (ref.key.endsWith('/')) {
    // A zero-byte "folder" object (created by the console or some tools): nothing to load.
    rt.log.info(`ignored: ${describe(task)} is a folder marker`, { s3_bucket: ref.bucket, s3_key: ref.key });
    return { task, counts: emptyCounts(), queuedRanges: 0 };
  }
  const cls = rt.pipeline.classify(ref.key);
  if (!cls) {
    return objectFailure(`unknown log type: no log type's s3_key pattern matches "${ref.key}" (add a section to user.ini to load it)`);
  }
  const logType = cls.logType;
  if (cls.ignored) {
    // CloudTrail digest files, Firehose error output and the like: matched on purpose, never read.
    rt.log.info(`ignored: ${describe(task)}: ${cls.ignored}`, { s3_bucket: ref.bucket, s3_key: ref.key, logType: logType.name });
    return { task, logType: logType.name, counts: emptyCounts(), queuedRanges: 0 };
  }
  const splitSize = logType.maxLogCount > 0 ? logType.maxLogCount : rt.splitSize;
  let range: RecordRange;
  if (task.range) range = task.range;
  else if (task.records && task.records.length > 0) range = { start: task.records[0]!, end: task.records[task.records.length - 1]! + 1 };
  else range = { start: 0, end: splitSize };

  let stream;
  try {
    stream = await rt.store.open(ref);
  } catch (err) {
    if (err instanceof ObjectNotFoundError) return objectFailure(err.message);
    throw err;
  }
  // Batches, not single items: the sink then pays no await per document.
  let items: AsyncIterable<PipelineItem[]> = rt.pipeline.processBatches(ref, stream.body, { range });
  if (task.records) items = onlyRecords(items, new Set(task.records));
  let counts: Counts;
  try {
    counts = await indexDocuments(items, {
      client: rt.client,
      dlq: rt.dlq,
      bucket: ref.bucket,
      key: ref.key,
      templates: rt.templates,
      batch: rt.batch,
      retry: rt.retry,
    });
  } catch (err) {
    // Neither gzip nor text: found before any record, and reading it again cannot help.
    if (err instanceof UnreadableObjectError) return objectFailure(`unreadable object: it ${err.what}`);
    throw err;
  }
  const indexedAt = now();
  const summary = counts.summaries[0];

  // Split: the first invocation of a large object loads the first range and queues the others.
  let queuedRanges = 0;
  if (!task.range && !task.records && summary && summary.totalRecords > range.end) {
    const ranges = splitRanges(range.end, summary.totalRecords, splitSize);
    await rt.splitQueue.send(rangeMessages(ref, ranges));
    queuedRanges = ranges.length;
  }

  const lagMs = ref.eventTime && counts.indexed > 0 && !Number.isNaN(Date.parse(ref.eventTime)) ? indexedAt - Date.parse(ref.eventTime) : undefined;
  rt.metrics.object({
    logType: logType.name,
    origin: task.origin,
    key: ref.key,
    read: counts.read,
    indexed: counts.indexed,
    duplicates: counts.duplicates,
    skipped: counts.skipped,
    failed: counts.failed,
    bytesIn: stream.bytesRead(),
    bytesOut: counts.bytesSent,
    durationMs: indexedAt - started,
    ...(lagMs !== undefined ? { lagMs } : {}),
  });
  const extra = {
    s3_bucket: ref.bucket,
    s3_key: ref.key,
    logType: logType.name,
    origin: task.origin,
    range,
    totalRecords: summary?.totalRecords,
    read: counts.read,
    indexed: counts.indexed,
    duplicates: counts.duplicates,
    skipped: counts.skipped,
    failed: counts.failed,
    retries: counts.retries,
    queuedRanges,
    ...(lagMs !== undefined ? { ingestionLagMs: lagMs } : {}),
    ...(counts.failureSamples.length > 0 ? { failures: counts.failureSamples } : {}),
  };
  if (counts.failed > 0) rt.log.error(`${counts.failed} of ${counts.read} records of ${describe(task)} were NOT loaded (sent to the DLQ)`, extra);
  else rt.log.info(`loaded ${describe(task)}`, extra);
  return { task, logType: logType.name, counts, queuedRanges };
}

function emptyTotals(): InvocationTotals {
  return { objects: 0, read: 0, indexed: 0, duplicates: 0, skipped: 0, failed: 0, queuedRanges: 0, failedMessages: 0 };
}

function addTotals(t: InvocationTotals, r: TaskResult) {
  t.objects++;
  t.read += r.counts.read;
  t.indexed += r.counts.indexed;
  t.duplicates += r.counts.duplicates;
  t.skipped += r.counts.skipped;
  t.failed += r.counts.failed;
  t.queuedRanges += r.queuedRanges;
}

async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(workers);
}

/**
 * Handles one Lambda event. Returns a partial batch response for SQS events (and nothing for others);
 * throws for fatal errors of direct invocations.
 */
export async function handleEvent(rt: LoaderRuntime, event: unknown): Promise<SqsBatchResponse | undefined> {
  const totals = emptyTotals();
  const invocation = parseInvocation(event); // throws UnrecognizedEventError: fatal
  try {
    if (invocation.kind === 'direct') {
      for (const reason of invocation.notification.ignored) rt.log.info(`ignored: ${reason}`);
      let firstError: unknown;
      for (const task of invocation.notification.tasks) {
        try {
          addTotals(totals, await processTask(rt, task));
        } catch (err) {
          rt.log.error(`failed (will be retried): ${describe(task)}: ${(err as Error).message}`, { error: errorInfo(err), origin: task.origin });
          firstError ??= err;
        }
      }
      if (firstError) throw firstError;
      return undefined;
    }

    const failures: SqsBatchResponse['batchItemFailures'] = [];
    // A failed message is retried (reported as a batch item failure), except on its last receive from a
    // queue without our redrive: then it is copied to the DLQ (if that works) and reported done.
    const fail = async (m: SqsMessageWork, why: string): Promise<void> => {
      const foreign = rt.foreignQueues;
      if (foreign && m.eventSourceArn && foreign.arns.has(m.eventSourceArn) && (m.receiveCount ?? 0) >= foreign.maxReceiveCount) {
        try {
          await foreign.forward(m.body);
          rt.log.error(`message ${m.messageId} of ${m.eventSourceArn} failed on receive ${m.receiveCount} of ${foreign.maxReceiveCount}: copied to the DLQ and removed from that queue: ${why}`, { messageId: m.messageId, queue: m.eventSourceArn });
          return;
        } catch (err) {
          rt.log.error(`message ${m.messageId} could not be copied to the DLQ (it will be retried): ${(err as Error).message}`, { messageId: m.messageId, queue: m.eventSourceArn });
        }
      }
      failures.push({ itemIdentifier: m.messageId });
    };
    await mapLimit(invocation.messages, rt.objectConcurrency ?? 2, async (m) => {
      if (m.error) {
        rt.log.error(`message ${m.messageId} is not understood (it will be retried, then moved to the DLQ): ${m.error.message}`, { messageId: m.messageId, queue: m.eventSourceArn });
        await fail(m, `not understood: ${m.error.message}`);
        return;
      }
      for (const reason of m.notification!.ignored) rt.log.info(`ignored: ${reason}`, { messageId: m.messageId });
      for (const task of m.notification!.tasks) {
        try {
          addTotals(totals, await processTask(rt, task));
        } catch (err) {
          rt.log.error(`failed (message ${m.messageId} will be retried): ${describe(task)}: ${(err as Error).message}`, { messageId: m.messageId, error: errorInfo(err), origin: task.origin });
          await fail(m, `${describe(task)}: ${(err as Error).message}`);
          return; // the message is retried whole; later tasks of it would run again anyway
        }
      }
    });
    totals.failedMessages = failures.length;
    return { batchItemFailures: failures };
  } finally {
    rt.metrics.flush();
    rt.log.info('invocation done', { ...totals });
  }
}

function errorInfo(err: unknown): Record<string, unknown> {
  const e = err as Error & { cause?: unknown };
  return { name: e?.name, message: e?.message, ...(e?.cause instanceof Error ? { cause: `${e.cause.name}: ${e.cause.message}` } : {}) };
}
