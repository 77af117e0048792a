import { EsLoaderError } from '../errors';

/**
 * OpenSearch kept answering 429/5xx (or the connection kept failing) after every retry. The documents
 * not yet acknowledged are not lost: the caller fails the message so that SQS (or the S3 async
 * invocation) delivers it again, and the deterministic `_id` + `create` make the replay a no-op for the
 * documents that did get in.
 */
export class BulkRetryExhaustedError extends EsLoaderError {
  constructor(
    message: string,
    readonly pendingDocuments: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A dead letter could not be written; the invocation must fail so the records are not lost silently. */
export class DeadLetterWriteError extends EsLoaderError {}
