/**
 * Dead letters to the `<prefix>-dlq` SQS queue.
 *
 * Letters of one object are grouped into messages of at most 50 letters / ~200 KB (SQS accepts 256 KiB
 * per message and per SendMessageBatch call, "Amazon SQS message quotas"), sent 10 to a batch. Each
 * message is a `FailureMessage`: it names the bucket, key, record numbers and reasons, so an operator
 * can read why, and redriving the message to the loader (DLQ redrive to the split queue) replays
 * exactly those records (see sources/events.ts).
 */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { FAILURE_MESSAGE_TYPE, type Failure, type FailureMessage } from '../messages';
import { DeadLetterWriteError } from './errors';
import type { DeadLetter, DeadLetterQueue } from './types';

export { FAILURE_MESSAGE_TYPE, type FailureMessage };

const MAX_LETTERS_PER_MESSAGE = 50;
const MAX_MESSAGE_BYTES = 200 * 1024;
const MAX_BATCH_BYTES = 250 * 1024;
const MAX_REASON = 2000;
const MAX_RAW = 2000;

function trimLetter(l: DeadLetter): Failure {
  const { bucket: _b, key: _k, ...rest } = l;
  void _b;
  void _k;
  return {
    ...rest,
    reason: rest.reason.length > MAX_REASON ? `${rest.reason.slice(0, MAX_REASON)}...` : rest.reason,
    ...(rest.raw !== undefined ? { raw: rest.raw.length > MAX_RAW ? `${rest.raw.slice(0, MAX_RAW)}...` : rest.raw } : {}),
  };
}

/** Groups letters into message bodies (exported for tests). */
export function failureMessages(letters: readonly DeadLetter[]): string[] {
  const byObject = new Map<string, DeadLetter[]>();
  for (const l of letters) {
    const k = `${l.bucket ?? ''}\u0000${l.key}`;
    let list = byObject.get(k);
    if (!list) byObject.set(k, (list = []));
    list.push(l);
  }
  const bodies: string[] = [];
  for (const list of byObject.values()) {
    const head: Omit<FailureMessage, 'failures'> = { type: FAILURE_MESSAGE_TYPE, version: 1, ...(list[0]!.bucket !== undefined ? { bucket: list[0]!.bucket } : {}), key: list[0]!.key };
    let current: FailureMessage['failures'] = [];
    let size = 0;
    const emit = () => {
      if (current.length > 0) bodies.push(JSON.stringify({ ...head, failures: current } satisfies FailureMessage));
      current = [];
      size = 0;
    };
    for (const l of list) {
      const t = trimLetter(l);
      const s = Buffer.byteLength(JSON.stringify(t));
      if (current.length >= MAX_LETTERS_PER_MESSAGE || (current.length > 0 && size + s > MAX_MESSAGE_BYTES)) emit();
      current.push(t);
      size += s;
    }
    emit();
  }
  return bodies;
}

export class SqsDeadLetterQueue implements DeadLetterQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(letters: readonly DeadLetter[]): Promise<void> {
    const bodies = failureMessages(letters);
    let batch: string[] = [];
    let batchBytes = 0;
    for (const body of bodies) {
      const bytes = Buffer.byteLength(body);
      if (batch.length === 10 || (batch.length > 0 && batchBytes + bytes > MAX_BATCH_BYTES)) {
        await this.sendBatch(batch);
        batch = [];
        batchBytes = 0;
      }
      batch.push(body);
      batchBytes += bytes;
    }
    if (batch.length > 0) await this.sendBatch(batch);
  }

  private async sendBatch(bodies: string[]): Promise<void> {
    let res;
    try {
      res = await this.sqs.send(
        new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: bodies.map((MessageBody, i) => ({ Id: `f${i}`, MessageBody })) }),
      );
    } catch (err) {
      throw new DeadLetterWriteError(`could not send ${bodies.length} failure message(s) to the DLQ ${this.queueUrl}: ${(err as Error).message}`, { cause: err });
    }
    if (res.Failed && res.Failed.length > 0) {
      const f = res.Failed[0]!;
      throw new DeadLetterWriteError(`the DLQ ${this.queueUrl} refused ${res.Failed.length} failure message(s): ${f.Code}: ${f.Message ?? ''}`);
    }
  }
}
