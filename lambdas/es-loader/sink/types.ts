/**
 * Types shared by the sink (bulk indexing), the dead-letter queue writer and their callers (the Lambda
 * handler and the `siem-load` CLI).
 */
import type { Failure, FailureStage } from '../messages';

export type { FailureStage };

/**
 * One record (or object) that did not make it into OpenSearch, with enough to find and replay it: a
 * failure of a failure message (messages.ts), plus the object it belongs to.
 */
export type DeadLetter = Failure & {
  bucket?: string;
  key: string;
};

/** Where dead letters go. The Lambda sends them to the `<prefix>-dlq` SQS queue; the CLI prints them. */
export interface DeadLetterQueue {
  send(letters: readonly DeadLetter[]): Promise<void>;
}

/** Outcome of indexing one stream of pipeline items. */
export interface Counts {
  /** Records of the processed range: documents + record errors + skipped. */
  read: number;
  /** Documents present in OpenSearch after the run: created now, plus `duplicates`. */
  indexed: number;
  /** Of `indexed`, documents that already existed (409 on `create`: a retry or a redelivery). */
  duplicates: number;
  /** Records excluded by the log type's ignore/exclude rules. */
  skipped: number;
  /** Records lost: parse errors plus documents OpenSearch rejected permanently. All went to the DLQ. */
  failed: number;
  /** Bulk requests (or parts of them) sent again after a 429/5xx/connection error. */
  retries: number;
  /** Bytes of NDJSON sent to `_bulk` (first attempts only). */
  bytesSent: number;
  /** The pipeline's per-object summaries (totalRecords counts the whole object, not only the range). */
  summaries: Array<import('../pipeline').ObjectSummary>;
  /** The first few failures, for log lines. */
  failureSamples: DeadLetter[];
}

export function emptyCounts(): Counts {
  return { read: 0, indexed: 0, duplicates: 0, skipped: 0, failed: 0, retries: 0, bytesSent: 0, summaries: [], failureSamples: [] };
}
