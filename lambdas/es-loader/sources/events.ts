/**
 * Trigger events -> object tasks.
 *
 * The loader is invoked by:
 * - S3 event notifications, directly (`loader.trigger: s3`) or as the body of an SQS message
 *   (`loader.trigger: sqs`, the Control Tower queue), possibly wrapped in an SNS notification
 *   (S3 -> SNS -> SQS fan-out). Keys in S3 notifications are URL-encoded with `+` for spaces
 *   ("Event message structure", Amazon S3 User Guide).
 * - EventBridge "Object Created" events (directly or via SQS). Their keys are not URL-encoded.
 * - Range messages from `<prefix>-sqs-splitted-logs`, written by this loader when a file has more
 *   records than its log type's max_log_count. The reference's shape
 *   (`{"siem":{"start_number","end_number"},"s3":{...}}`, 1-based inclusive) is accepted too.
 * - Messages redriven from `<prefix>-dlq`: range messages and S3 notifications that exhausted their
 *   receives, Lambda async-invocation failures (the body is the original event) and this loader's own
 *   failure messages (which replay exactly the records they list).
 * S3 test events (`s3:TestEvent`, sent when a notification is configured) and non-creation events are
 * ignored and logged.
 */
import { z } from 'zod';
import { failureMessageSchema, rangeMessageSchema } from '../messages';
import { UnrecognizedEventError, UnrecognizedMessageError } from './errors';
import type { Notification, ObjectTask, TaskOrigin } from './types';

/** S3 notification keys: URL-encoded, spaces as `+`. */
export function decodeS3Key(key: string): string {
  const plus = key.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(plus);
  } catch {
    return plus; // not valid percent-encoding: take it literally rather than lose the object
  }
}

const s3Record = z.looseObject({
  eventSource: z.literal('aws:s3'),
  eventName: z.string(),
  eventTime: z.string().optional(),
  s3: z.looseObject({
    bucket: z.looseObject({ name: z.string().min(1) }),
    object: z.looseObject({ key: z.string().min(1), size: z.number().optional() }),
  }),
});

const s3Event = z.looseObject({ Records: z.array(z.looseObject({})).min(1) });

const s3TestEvent = z.looseObject({ Event: z.literal('s3:TestEvent') });

const snsNotification = z.looseObject({ Type: z.literal('Notification'), Message: z.string() });

const eventBridgeS3 = z.looseObject({
  source: z.literal('aws.s3'),
  'detail-type': z.string(),
  time: z.string().optional(),
  detail: z.looseObject({
    bucket: z.looseObject({ name: z.string().min(1) }),
    object: z.looseObject({ key: z.string().min(1), size: z.number().optional() }).optional(),
  }),
});

const int = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]);

const referenceRangeMessage = z.looseObject({
  siem: z.looseObject({ start_number: int.pipe(z.number().min(1)), end_number: int }),
  s3: z.looseObject({ bucket: z.looseObject({ name: z.string().min(1) }), object: z.looseObject({ key: z.string().min(1) }) }),
});


const MAX_DEPTH = 4;

/**
 * Parses one notification (a direct event or an SQS message body, already JSON-parsed). `origin` is
 * the origin to give S3 notifications found at this level. Throws UnrecognizedMessageError.
 */
export function parseNotification(value: unknown, origin: TaskOrigin = 's3', depth = 0): Notification {
  if (depth > MAX_DEPTH) throw new UnrecognizedMessageError('notification nested too deeply (more than 4 envelopes)');
  const tasks: ObjectTask[] = [];
  const ignored: string[] = [];

  if (s3TestEvent.safeParse(value).success) {
    return { tasks, ignored: ['s3:TestEvent (sent by S3 when a notification is configured)'] };
  }

  if (s3Event.safeParse(value).success) {
    const records = (value as { Records: unknown[] }).Records;
    for (const [i, r] of records.entries()) {
      const rec = r as Record<string, unknown>;
      if (rec.eventSource === 'aws:s3') {
        const p = s3Record.safeParse(rec);
        if (!p.success) throw new UnrecognizedMessageError(`S3 event record ${i} is malformed: ${z.prettifyError(p.error)}`);
        const bucket = p.data.s3.bucket.name;
        const key = decodeS3Key(p.data.s3.object.key);
        if (!p.data.eventName.startsWith('ObjectCreated:')) {
          ignored.push(`${p.data.eventName} s3://${bucket}/${key} (only ObjectCreated events are loaded)`);
          continue;
        }
        tasks.push({ ref: { bucket, key, size: p.data.s3.object.size, eventTime: p.data.eventTime }, origin });
      } else if (rec.EventSource === 'aws:sns' && typeof (rec.Sns as { Message?: unknown } | undefined)?.Message === 'string') {
        merge(parseJsonNotification((rec.Sns as { Message: string }).Message, 'sns', depth + 1, `SNS record ${i}`));
      } else if (rec.eventSource === 'aws:sqs' && typeof rec.body === 'string') {
        // An SQS event stored whole (e.g. replayed by hand): parse each body.
        merge(parseJsonNotification(rec.body, 'sqs', depth + 1, `SQS record ${i}`));
      } else {
        throw new UnrecognizedMessageError(`record ${i} has an unknown event source ${JSON.stringify(rec.eventSource ?? rec.EventSource ?? null)}`);
      }
    }
    return { tasks, ignored };
  }

  const sns = snsNotification.safeParse(value);
  if (sns.success) return parseJsonNotification(sns.data.Message, 'sns', depth + 1, 'SNS Message');

  const eb = eventBridgeS3.safeParse(value);
  if (eb.success) {
    const d = eb.data.detail;
    if (eb.data['detail-type'] !== 'Object Created' || !d.object) {
      return { tasks, ignored: [`EventBridge "${eb.data['detail-type']}" s3://${d.bucket.name}/${d.object?.key ?? ''} (only "Object Created" is loaded)`] };
    }
    return { tasks: [{ ref: { bucket: d.bucket.name, key: d.object.key, size: d.object.size, eventTime: eb.data.time }, origin: 'eventbridge' }], ignored };
  }

  // This loader's own messages: the schemas their producers' types come from (messages.ts).
  const range = rangeMessageSchema.safeParse(value);
  if (range.success) {
    const r = range.data;
    checkRange(r.range.start, r.range.end);
    return { tasks: [{ ref: { bucket: r.bucket, key: r.key, size: r.size, eventTime: r.eventTime }, range: { start: r.range.start, end: r.range.end }, origin: 'split' }], ignored };
  }

  const ref = referenceRangeMessage.safeParse(value);
  if (ref.success) {
    const start = ref.data.siem.start_number - 1;
    const end = ref.data.siem.end_number;
    checkRange(start, end);
    return { tasks: [{ ref: { bucket: ref.data.s3.bucket.name, key: ref.data.s3.object.key }, range: { start, end }, origin: 'split' }], ignored };
  }

  const failure = failureMessageSchema.safeParse(value);
  if (failure.success) {
    const f = failure.data;
    if (!f.bucket) throw new UnrecognizedMessageError(`failure message for "${f.key}" has no bucket (written by the CLI for a local file), so it cannot be replayed`);
    const numbers = f.failures.map((x) => x.record);
    // A failure without a record number concerns the whole object (unknown log type, unreadable object).
    if (numbers.some((n) => n === undefined)) return { tasks: [{ ref: { bucket: f.bucket, key: f.key }, origin: 'dlq' }], ignored };
    const records = [...new Set(numbers as number[])].sort((a, b) => a - b);
    return { tasks: [{ ref: { bucket: f.bucket, key: f.key }, records, origin: 'dlq' }], ignored };
  }

  throw new UnrecognizedMessageError(`not an S3 notification, SNS notification, EventBridge S3 event, range message or failure message: ${preview(value)}`);

  function merge(n: Notification) {
    tasks.push(...n.tasks);
    ignored.push(...n.ignored);
  }
}

function checkRange(start: number, end: number) {
  if (!(end > start)) throw new UnrecognizedMessageError(`range message has an empty range: start ${start}, end ${end}`);
}

function parseJsonNotification(text: string, origin: TaskOrigin, depth: number, where: string): Notification {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UnrecognizedMessageError(`${where} is not JSON: ${(err as Error).message}; starts with ${JSON.stringify(text.slice(0, 120))}`, { cause: err });
  }
  return parseNotification(value, origin, depth);
}

function preview(value: unknown): string {
  const s = JSON.stringify(value) ?? String(value);
  return s.length > 200 ? `${s.slice(0, 200)}...` : s;
}

export interface SqsMessageWork {
  readonly messageId: string;
  readonly eventSourceArn?: string;
  /** The message as received, for a copy to the DLQ (handler.ts, queues without a redrive of ours). */
  readonly body: string;
  /** `attributes.ApproximateReceiveCount`: 1 on the first receive. */
  readonly receiveCount?: number;
  readonly notification?: Notification;
  readonly error?: UnrecognizedMessageError;
}

export type Invocation = { readonly kind: 'sqs'; readonly messages: SqsMessageWork[] } | { readonly kind: 'direct'; readonly notification: Notification };

const sqsEvent = z.looseObject({
  Records: z
    .array(
      z.looseObject({
        eventSource: z.literal('aws:sqs'),
        messageId: z.string(),
        body: z.string(),
        eventSourceARN: z.string().optional(),
        attributes: z.looseObject({ ApproximateReceiveCount: z.string().regex(/^\d+$/).transform(Number).optional() }).optional().catch(undefined),
      }),
    )
    .min(1),
});

/**
 * Classifies a Lambda event. SQS events are parsed message by message (a bad body fails only its own
 * message); anything else must be a notification as a whole, or UnrecognizedEventError is thrown.
 */
export function parseInvocation(event: unknown): Invocation {
  const sqs = sqsEvent.safeParse(event);
  if (sqs.success) {
    return {
      kind: 'sqs',
      messages: sqs.data.Records.map((r) => {
        const base = { messageId: r.messageId, eventSourceArn: r.eventSourceARN, body: r.body, receiveCount: r.attributes?.ApproximateReceiveCount };
        try {
          return { ...base, notification: parseJsonNotification(r.body, 'sqs', 1, `message ${r.messageId}`) };
        } catch (err) {
          const error = err instanceof UnrecognizedMessageError ? err : new UnrecognizedMessageError(String(err), { cause: err });
          return { ...base, error };
        }
      }),
    };
  }
  try {
    return { kind: 'direct', notification: parseNotification(event, 's3') };
  } catch (err) {
    throw new UnrecognizedEventError(`es-loader cannot handle this event: ${(err as Error).message}`, { cause: err });
  }
}
