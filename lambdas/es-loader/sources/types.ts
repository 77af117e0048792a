import type { ObjectRef, RecordRange } from '../pipeline';

export type { RangeMessage } from '../messages';

/** How the object reached the loader; logged and used as a metric dimension. */
export type TaskOrigin = 's3' | 'sqs' | 'sns' | 'eventbridge' | 'split' | 'dlq';

/** One object (or part of one) to load. */
export interface ObjectTask {
  readonly ref: ObjectRef;
  readonly origin: TaskOrigin;
  /** Only these records (a split message). Absent: the whole object, split if it is too large. */
  readonly range?: RecordRange;
  /** Only these record numbers (a failure message redriven from the DLQ). */
  readonly records?: readonly number[];
}

/** What one notification (a direct event, or one SQS message body) asks for. */
export interface Notification {
  readonly tasks: ObjectTask[];
  /** Why parts of the notification were ignored (S3 test events, deletions), for the log. */
  readonly ignored: string[];
}
