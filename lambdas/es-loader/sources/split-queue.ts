/**
 * Range messages to `<prefix>-sqs-splitted-logs`. A file with more records than its log type's
 * max_log_count is loaded in ranges (the reference's behaviour, default 100,000 records): the
 * invocation that received the notification loads the first range and queues one message per further
 * range, so each later invocation stays within the Lambda timeout and memory.
 */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { EsLoaderError } from '../errors';
import type { ObjectRef, RecordRange } from '../pipeline';
import type { RangeMessage } from '../messages';

export class SplitQueueError extends EsLoaderError {}

export interface RangeQueue {
  send(messages: readonly RangeMessage[]): Promise<void>;
}

/** Ranges [from, total) in steps of `size`. */
export function splitRanges(from: number, total: number, size: number): RecordRange[] {
  const out: RecordRange[] = [];
  for (let start = from; start < total; start += size) out.push({ start, end: Math.min(total, start + size) });
  return out;
}

export function rangeMessages(ref: ObjectRef, ranges: readonly RecordRange[]): RangeMessage[] {
  return ranges.map((range) => ({
    bucket: ref.bucket,
    key: ref.key,
    range,
    ...(ref.eventTime ? { eventTime: ref.eventTime } : {}),
    ...(ref.size !== undefined ? { size: ref.size } : {}),
  }));
}

export class SqsRangeQueue implements RangeQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(messages: readonly RangeMessage[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      const chunk = messages.slice(i, i + 10);
      let res;
      try {
        res = await this.sqs.send(
          new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: chunk.map((m, j) => ({ Id: `r${j}`, MessageBody: JSON.stringify(m) })) }),
        );
      } catch (err) {
        throw new SplitQueueError(`could not queue ranges of s3://${chunk[0]!.bucket}/${chunk[0]!.key} to ${this.queueUrl}: ${(err as Error).message}`, { cause: err });
      }
      if (res.Failed && res.Failed.length > 0) {
        throw new SplitQueueError(`${this.queueUrl} refused ${res.Failed.length} range message(s) of s3://${chunk[0]!.bucket}/${chunk[0]!.key}: ${res.Failed[0]!.Code}`);
      }
    }
  }
}
