/**
 * The sink: turns the pipeline's items into OpenSearch documents and dead letters.
 *
 * `indexDocuments` is shared by the Lambda handler and the `siem-load` CLI (non-dry-run loads):
 * documents go to `_bulk` (see bulk.ts), record errors and permanently rejected documents become dead
 * letters (sent to `options.dlq` and/or handed to `options.onFailure`), skipped records and the object
 * summaries are counted. Nothing is dropped without being counted.
 */
import type { Client } from '@opensearch-project/opensearch';
import type { PipelineItem } from '../pipeline';
import { BulkIndexer, type BatchOptions } from './bulk';
import type { RetryOptions } from './retry';
import type { TemplateInstaller } from './templates';
import { emptyCounts, type Counts, type DeadLetter, type DeadLetterQueue } from './types';

export { BulkIndexer, type BatchOptions } from './bulk';
export { BulkRetryExhaustedError, DeadLetterWriteError } from './errors';
export { resolveRetry, type RetryOptions } from './retry';
export { SqsDeadLetterQueue, FAILURE_MESSAGE_TYPE, type FailureMessage } from './dlq';
export { TemplateInstaller, type TemplateDefinition } from './templates';
export { createOpenSearchClient, type OpenSearchConnection } from './client';
export { emptyCounts, type Counts, type DeadLetter, type DeadLetterQueue, type FailureStage } from './types';

export interface IndexDocumentsOptions {
  readonly client: Client;
  /** Where dead letters are sent (the Lambda's `<prefix>-dlq`). Optional for the CLI. */
  readonly dlq?: DeadLetterQueue;
  /** Called for every dead letter as it happens (the CLI prints them to stderr). */
  readonly onFailure?: (letter: DeadLetter) => void;
  /** Bucket of the object being indexed, recorded in dead letters so they can be replayed. */
  readonly bucket?: string;
  /** Key of the object being indexed: documents do not carry it, dead letters of rejected documents need it. */
  readonly key?: string;
  /** Ensures index templates exist before the first document of an index. */
  readonly templates?: TemplateInstaller;
  readonly batch?: BatchOptions;
  readonly retry?: RetryOptions;
  /** Dead letters are sent in groups of this many. Default 100. */
  readonly deadLetterBatch?: number;
  /** Called after every document/failure/skip with the running counts (progress bars). */
  readonly onProgress?: (counts: Counts) => void;
}

const SAMPLE_SIZE = 5;

/**
 * Indexes every document of `batches` (the pipeline's `processBatches`: no await per document) and
 * routes every failure; resolves with the counts once all of it is acknowledged by OpenSearch and the
 * DLQ. Throws (after waiting for requests in flight) when OpenSearch stays unavailable after the
 * retries (BulkRetryExhaustedError), when the DLQ cannot be written, or when `batches` itself throws
 * (e.g. UnknownLogTypeError): the caller then fails the message so that it is delivered again.
 */
export async function indexDocuments(batches: AsyncIterable<readonly PipelineItem[]>, options: IndexDocumentsOptions): Promise<Counts> {
  const counts = emptyCounts();
  let letters: DeadLetter[] = [];
  const batchSize = options.deadLetterBatch ?? 100;
  const record = (letter: DeadLetter) => {
    if (counts.failureSamples.length < SAMPLE_SIZE) counts.failureSamples.push(letter);
    options.onFailure?.(letter);
    if (options.dlq) letters.push(letter);
  };
  const flushLetters = async () => {
    if (!options.dlq || letters.length === 0) return;
    const out = letters;
    letters = [];
    await options.dlq.send(out);
  };
  const indexer = new BulkIndexer(options.client, {
    batch: options.batch,
    retry: options.retry,
    templates: options.templates,
    counts,
    onDeadLetter: record,
  });

  // Returns a promise only when it has to wait (see BulkIndexer.add): no `await` per document.
  const take = (item: PipelineItem): Promise<void> | undefined => {
    let wait: Promise<void> | undefined;
    switch (item.kind) {
      case 'document':
        counts.read++;
        wait = indexer.add(item, options.key ?? '(unknown object)', options.bucket);
        break;
      case 'record-error':
        counts.read++;
        counts.failed++;
        record({ stage: 'parse', bucket: options.bucket, key: item.key, record: item.record, line: item.line, reason: item.reason, raw: item.raw });
        break;
      case 'skipped':
        counts.read++;
        counts.skipped++;
        break;
      case 'summary':
        counts.summaries.push(item);
        break;
    }
    return wait ? wait.then(afterItem) : afterItem();
  };
  // Dead letters (of bad records, and of OpenSearch rejections found while adding) are sent in groups.
  const afterItem = (): Promise<void> | undefined => {
    if (letters.length >= batchSize) return flushLetters().then(progress);
    progress();
    return undefined;
  };
  const progress = () => options.onProgress?.(counts);

  try {
    for await (const batch of batches) {
      for (const item of batch) {
        const wait = take(item);
        if (wait) await wait;
      }
    }
    await indexer.close();
  } catch (err) {
    await indexer.abort();
    // Dead letters gathered so far are still delivered: they are facts about records whatever happens next.
    await flushLetters().catch(() => undefined);
    throw err;
  }
  await flushLetters();
  options.onProgress?.(counts);
  return counts;
}

