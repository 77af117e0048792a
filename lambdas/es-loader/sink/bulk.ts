/**
 * Bulk indexing into OpenSearch with bounded batches, pipelined requests and retries.
 *
 * - Each document is written with the `create` action and its deterministic `_id`: a replay (SQS
 *   redelivery, a retry after a dropped connection) answers 409 version_conflict for documents that are
 *   already there, which counts as indexed, never as a failure and never as a duplicate document.
 * - A batch is closed when it reaches `maxBytes` of NDJSON or `maxDocs` documents, whichever comes
 *   first. Amazon OpenSearch Service limits an HTTP request to 10 MiB on the smaller instance types
 *   ("Network limits" in the service quotas page), so the default stays well below that.
 * - Up to `concurrency` requests are in flight while the next batch is being built.
 * - Failures are split three ways (the Vector Elasticsearch sink does the same): the whole request
 *   failing with 429/5xx/connection error is retried with backoff; items answering 429/5xx are retried
 *   alone; other item errors (mapper_parsing_exception, illegal_argument_exception, ...) are permanent
 *   and become dead letters carrying OpenSearch's reason.
 * - A request rejected as too large (413) is split in halves until it fits; a single document that is
 *   still too large is permanent.
 */
import type { Client } from '@opensearch-project/opensearch';
import type { LoaderDocument } from '../pipeline';
import { BulkRetryExhaustedError } from './errors';
import { backoffDelay, isRetryableError, isRetryableStatus, resolveRetry, statusOf, type ResolvedRetry, type RetryOptions } from './retry';
import type { TemplateInstaller } from './templates';
import type { Counts, DeadLetter } from './types';

export interface BatchOptions {
  /** NDJSON bytes per `_bulk` request. Default 5 MiB. */
  readonly maxBytes?: number;
  /** Documents per `_bulk` request. Default 2,000. */
  readonly maxDocs?: number;
  /** `_bulk` requests in flight at once. Default 2. */
  readonly concurrency?: number;
  /** Per-request timeout. Default 120 s. */
  readonly requestTimeoutMs?: number;
}

export interface BulkIndexerOptions {
  readonly batch?: BatchOptions;
  readonly retry?: RetryOptions;
  readonly templates?: TemplateInstaller;
  /** Receives each permanently rejected document. */
  readonly onDeadLetter: (letter: DeadLetter) => void;
  /** Counts are added to this object. */
  readonly counts: Counts;
}

/**
 * One document of a batch: its NDJSON (action line + source) is `bytes` bytes at `start` of `buf`, the
 * batch's buffer. Documents are UTF-8 encoded once, straight into that buffer, which is then the request
 * body as it is: no per-document strings kept alive, no join, no second encoding by the HTTP client.
 */
interface Entry {
  readonly buf: Buffer;
  readonly start: number;
  readonly bytes: number;
  readonly index: string;
  readonly id: string;
  readonly key: string;
  readonly bucket?: string;
  readonly record: number;
  readonly line?: number;
}

/** `filter_path` keeps the response small: only what we read from it. */
const FILTER_PATH = 'errors,items.*.status,items.*.error.type,items.*.error.reason,items.*.error.caused_by.type,items.*.error.caused_by.reason';

interface BulkItemResult {
  status: number;
  error?: { type?: string; reason?: string; caused_by?: { type?: string; reason?: string } };
}

/** The request body for `entries`: one slice of their buffer when they are one run of it (a whole batch). */
function bodyOf(entries: readonly Entry[]): Buffer {
  const first = entries[0]!;
  const last = entries[entries.length - 1]!;
  let total = 0;
  for (const e of entries) total += e.bytes;
  if (last.buf === first.buf && last.start + last.bytes - first.start === total) return first.buf.subarray(first.start, first.start + total);
  return Buffer.concat(entries.map((e) => e.buf.subarray(e.start, e.start + e.bytes)), total);
}

function describeItemError(r: BulkItemResult): string {
  const e = r.error;
  if (!e) return `status ${r.status}`;
  let s = `${e.type ?? 'error'}: ${e.reason ?? ''}`.trim();
  if (e.caused_by) s += ` (caused by ${e.caused_by.type ?? 'error'}: ${e.caused_by.reason ?? ''})`;
  return `${s} [status ${r.status}]`;
}

export class BulkIndexer {
  private readonly maxBytes: number;
  private readonly maxDocs: number;
  private readonly concurrency: number;
  private readonly requestTimeoutMs: number;
  private readonly retry: ResolvedRetry;
  private batch: Entry[] = [];
  private batchBytes = 0;
  /** The buffer the current batch is written into (allocated on the first document of a batch). */
  private buf: Buffer | undefined;
  /** Closed batches waiting for a free request slot (at most one while the producer runs). */
  private readonly ready: Entry[][] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private failure: unknown;
  private readonly seenIndices = new Set<string>();

  constructor(
    private readonly client: Client,
    private readonly options: BulkIndexerOptions,
  ) {
    this.maxBytes = options.batch?.maxBytes ?? 5 * 1024 * 1024;
    this.maxDocs = options.batch?.maxDocs ?? 2000;
    this.concurrency = Math.max(1, options.batch?.concurrency ?? 2);
    this.requestTimeoutMs = options.batch?.requestTimeoutMs ?? 120_000;
    this.retry = resolveRetry(options.retry);
  }

  private get counts(): Counts {
    return this.options.counts;
  }

  /**
   * Queues one document of object `key`. Returns a promise only when the caller has to wait (an index
   * template to install, or `concurrency` requests already in flight); otherwise it returns nothing, so
   * that a hot loop does not pay an `await` per document.
   */
  add(doc: LoaderDocument, key: string, bucket?: string): Promise<void> | undefined {
    this.throwIfFailed();
    if (this.options.templates && !this.seenIndices.has(doc.index)) return this.addAfterTemplate(doc, key, bucket);
    // The action line and the source are written separately: joining them would copy the source once more.
    const action = `{"create":{"_index":${JSON.stringify(doc.index)},"_id":${JSON.stringify(doc.id)}}}\n`;
    const source = JSON.stringify(doc.source);
    // UTF-8 needs at most 3 bytes per UTF-16 unit: only a document that might not fit is measured first.
    const room = this.buf ? this.buf.length - this.batchBytes : 0;
    if ((action.length + source.length + 1) * 3 <= room) return this.append(action, source, doc, key, bucket);
    const bytes = Buffer.byteLength(action) + Buffer.byteLength(source) + 1;
    if (this.batch.length > 0 && this.batchBytes + bytes > this.maxBytes) return this.flush().then(() => this.append(action, source, doc, key, bucket, bytes));
    return this.append(action, source, doc, key, bucket, bytes);
  }

  private async addAfterTemplate(doc: LoaderDocument, key: string, bucket?: string): Promise<void> {
    await this.options.templates!.ensureFor(doc.index);
    this.seenIndices.add(doc.index);
    await this.add(doc, key, bucket);
  }

  /**
   * Writes the document into the batch's buffer. Without `bytes`, add has seen that it fits; with it,
   * the batch may be new (no buffer yet): it gets one of maxBytes, or of the document's size when that
   * is larger (the document then goes out alone).
   */
  private append(action: string, source: string, doc: LoaderDocument, key: string, bucket: string | undefined, bytes?: number): Promise<void> | undefined {
    if (bytes !== undefined && (!this.buf || this.batchBytes + bytes > this.buf.length)) {
      this.buf = Buffer.allocUnsafe(Math.max(this.maxBytes, bytes));
      this.batchBytes = 0;
    }
    const buf = this.buf!;
    const start = this.batchBytes;
    let at = start + buf.write(action, start);
    at += buf.write(source, at);
    buf[at++] = 0x0a;
    this.batch.push({ buf, start, bytes: at - start, index: doc.index, id: doc.id, key, bucket, record: doc.record, line: doc.line });
    this.batchBytes = at;
    if (this.batch.length >= this.maxDocs || this.batchBytes >= this.maxBytes) return this.flush();
    return undefined;
  }

  /** Sends what is queued and waits for every request; throws the first fatal error. */
  async close(): Promise<void> {
    if (!this.failure) await this.flush();
    while (this.inFlight.size > 0) await Promise.race(this.inFlight);
    this.throwIfFailed();
  }

  /** Waits for the requests in flight without sending more (used when the producer failed). */
  async abort(): Promise<void> {
    this.batch = [];
    this.buf = undefined;
    this.ready.length = 0;
    while (this.inFlight.size > 0) await Promise.race(this.inFlight);
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  /**
   * Hands the batch being built to the senders. One closed batch may wait for a free slot while the
   * producer builds the next one, so a freed slot never waits for normalization (the raw-bulk
   * benchmark showed the difference); memory stays bounded at concurrency + 2 batches.
   */
  private async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    this.ready.push(this.batch);
    this.batch = [];
    this.batchBytes = 0;
    this.buf = undefined;
    this.pump();
    while (this.ready.length > 1 && !this.failure) await Promise.race(this.inFlight);
    this.throwIfFailed();
  }

  /** Starts sending ready batches while slots are free (also called whenever a request settles). */
  private pump(): void {
    while (this.inFlight.size < this.concurrency && this.ready.length > 0 && !this.failure) {
      const entries = this.ready.shift()!;
      for (const e of entries) this.counts.bytesSent += e.bytes;
      const p: Promise<void> = this.send(entries)
        .catch((err: unknown) => {
          this.failure ??= err;
        })
        .finally(() => {
          this.inFlight.delete(p);
          this.pump();
        });
      this.inFlight.add(p);
    }
  }

  private async send(entries: Entry[]): Promise<void> {
    let pending = entries;
    for (let attempt = 0; ; attempt++) {
      let items: BulkItemResult[] | undefined;
      try {
        const res = await this.client.transport.request(
          { method: 'POST', path: '/_bulk', querystring: { filter_path: FILTER_PATH }, bulkBody: bodyOf(pending) as unknown as string },
          { maxRetries: 0, requestTimeout: this.requestTimeoutMs },
        );
        const body = res.body as { errors?: boolean; items?: Array<Record<string, BulkItemResult>> };
        if (!body.errors) {
          this.counts.indexed += pending.length;
          return;
        }
        items = (body.items ?? []).map((i) => Object.values(i)[0] as BulkItemResult);
      } catch (err) {
        const status = statusOf(err);
        if (status === 413) {
          if (pending.length > 1) {
            const half = Math.ceil(pending.length / 2);
            await this.send(pending.slice(0, half));
            await this.send(pending.slice(half));
            return;
          }
          this.deadLetter(pending[0]!, `request_entity_too_large: the document (${pending[0]!.bytes} bytes of NDJSON) exceeds the cluster's HTTP request limit [status 413]`);
          return;
        }
        if (!isRetryableError(err)) throw err;
        if (attempt + 1 >= this.retry.maxAttempts) {
          throw new BulkRetryExhaustedError(
            `OpenSearch _bulk failed ${this.retry.maxAttempts} times, last with ${status ? `status ${status}` : (err as Error).name}: ${(err as Error).message}`,
            pending.length,
            { cause: err },
          );
        }
        this.counts.retries++;
        await this.retry.sleep(backoffDelay(this.retry, attempt));
        continue;
      }

      const retry: Entry[] = [];
      let lastRetryable: BulkItemResult | undefined;
      pending.forEach((entry, i) => {
        const r = items![i];
        if (!r) {
          // The response lists every action in order; a missing item means a broken response: retry it.
          retry.push(entry);
        } else if (r.status >= 200 && r.status < 300) {
          this.counts.indexed++;
        } else if (r.status === 409) {
          this.counts.indexed++;
          this.counts.duplicates++;
        } else if (isRetryableStatus(r.status)) {
          retry.push(entry);
          lastRetryable = r;
        } else {
          this.deadLetter(entry, describeItemError(r));
        }
      });
      if (retry.length === 0) return;
      if (attempt + 1 >= this.retry.maxAttempts) {
        throw new BulkRetryExhaustedError(
          `OpenSearch rejected ${retry.length} document(s) ${this.retry.maxAttempts} times, last with ${lastRetryable ? describeItemError(lastRetryable) : 'a missing item'}`,
          retry.length,
        );
      }
      this.counts.retries++;
      pending = retry;
      await this.retry.sleep(backoffDelay(this.retry, attempt));
    }
  }

  private deadLetter(e: Entry, reason: string): void {
    this.counts.failed++;
    this.options.onDeadLetter({ stage: 'index', bucket: e.bucket, key: e.key, record: e.record, line: e.line, index: e.index, id: e.id, reason });
  }
}
