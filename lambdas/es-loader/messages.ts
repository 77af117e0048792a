/**
 * The loader's own queue messages, each defined once: a zod schema, with the TypeScript type inferred
 * from it. The producers build values of these types (sources/split-queue.ts writes range messages,
 * sink/dlq.ts failure messages); the consumer (sources/events.ts) parses message bodies with the same
 * schemas, so what one side writes is by construction what the other reads.
 */
import { z } from 'zod';

/** A record number: an integer, or a string of digits (messages written or edited by hand). */
const recordNumber = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]);

/** One range of one object, queued to `<prefix>-sqs-splitted-logs` (record numbers 0-based, end exclusive). */
export const rangeMessageSchema = z.object({
  bucket: z.string().min(1),
  key: z.string().min(1),
  range: z.object({ start: recordNumber.pipe(z.number().min(0)), end: recordNumber }),
  /** Time of the original S3 event, carried along for the ingestion-lag metric. */
  eventTime: z.string().optional(),
  size: z.number().optional(),
});
export type RangeMessage = z.infer<typeof rangeMessageSchema>;

/**
 * Where a record was lost. `parse`: the pipeline could not make a document of it; `index`: OpenSearch
 * rejected the document permanently; `object`: the whole object could not be handled (unknown log
 * type, object gone, content neither gzip nor text).
 */
export const failureStageSchema = z.enum(['parse', 'index', 'object']);
export type FailureStage = z.infer<typeof failureStageSchema>;

/** One failure of an object, as a failure message lists it (bucket and key are the message's). */
export const failureSchema = z.object({
  stage: failureStageSchema,
  /** 0-based record number inside the object; absent for `object` failures. */
  record: z.number().int().min(0).optional(),
  /** 1-based line number in the (decompressed) object, where the format has lines. */
  line: z.number().int().min(1).optional(),
  /** Human-readable reason: the pipeline's message or OpenSearch's `error.type: error.reason`. */
  reason: z.string(),
  /** Index and `_id` the document was meant for (stage `index`). */
  index: z.string().optional(),
  id: z.string().optional(),
  /** The raw record, truncated (stage `parse`). */
  raw: z.string().optional(),
});
export type Failure = z.infer<typeof failureSchema>;

export const FAILURE_MESSAGE_TYPE = 'es-loader-failure';

/**
 * A message of `<prefix>-dlq`: the failures of one object. Redriven to the loader, it replays exactly
 * the listed records (or the whole object for a failure without a record number).
 */
export const failureMessageSchema = z.object({
  type: z.literal(FAILURE_MESSAGE_TYPE),
  version: z.literal(1),
  /** Absent for local files loaded by siem-load (such a message cannot be replayed). */
  bucket: z.string().min(1).optional(),
  key: z.string().min(1),
  failures: z.array(failureSchema).min(1),
});
export type FailureMessage = z.infer<typeof failureMessageSchema>;
