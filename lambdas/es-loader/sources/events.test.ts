import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { failureMessageSchema } from '../messages';
import { FAILURE_MESSAGE_TYPE, failureMessages } from '../sink/dlq';
import { rangeMessages } from './split-queue';
import { decodeS3Key, parseInvocation, parseNotification } from './events';
import { UnrecognizedEventError, UnrecognizedMessageError } from './errors';

const fixture = (name: string) => JSON.parse(readFileSync(path.join(__dirname, 'fixtures', name), 'utf8')) as Record<string, any>;
const CT_KEY = 'AWSLogs/444444444444/CloudTrail/ap-northeast-1/2026/11/20/444444444444_CloudTrail_ap-northeast-1_20261120T0305Z_a1B2c3D4e5F6g7H8.json.gz';
const BUCKET = 'aes-siem-222222222222-log';

const sqsEvent = (...bodies: string[]) => ({
  Records: bodies.map((body, i) => ({
    messageId: `m-${i}`,
    receiptHandle: 'rh',
    body,
    attributes: {},
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:ap-northeast-1:222222222222:aes-siem-s3-notification',
    awsRegion: 'ap-northeast-1',
  })),
});

describe('Function: parseInvocation / parseNotification', () => {
  it('reads a direct S3 ObjectCreated event with size and event time', () => {
    const inv = parseInvocation(fixture('s3-put.json'));
    expect(inv).toEqual({
      kind: 'direct',
      notification: { tasks: [{ ref: { bucket: BUCKET, key: CT_KEY, size: 1234, eventTime: '2026-11-20T03:04:05.678Z' }, origin: 's3' }], ignored: [] },
    });
  });

  it('URL-decodes S3 notification keys (+ is a space, %2B is a plus)', () => {
    const e = structuredClone(fixture('s3-put.json'));
    e.Records[0].s3.object.key = 'AWSLogs/444444444444/my+logs/a%2Bb%3Dc.json.gz';
    const inv = parseInvocation(e);
    expect(inv.kind === 'direct' && inv.notification.tasks[0]!.ref.key).toBe('AWSLogs/444444444444/my logs/a+b=c.json.gz');
    expect(decodeS3Key('bad%zzkey')).toBe('bad%zzkey');
  });

  it('does not decode EventBridge keys (they are sent as is)', () => {
    const inv = parseInvocation(fixture('eventbridge-object-created.json'));
    expect(inv).toEqual({
      kind: 'direct',
      notification: {
        tasks: [
          {
            ref: {
              bucket: 'aws-controltower-logs-333333333333-ap-northeast-1',
              key: 'o-a1b2c3d4e5/AWSLogs/444444444444/CloudTrail/ap-northeast-1/2026/11/20/444444444444_CloudTrail_ap-northeast-1_20261120T0305Z_Zz9+Yy8.json.gz',
              size: 5,
              eventTime: '2026-11-20T03:04:05Z',
            },
            origin: 'eventbridge',
          },
        ],
        ignored: [],
      },
    });
  });

  it('ignores S3 test events and deletions, with a reason', () => {
    expect(parseNotification(fixture('s3-test-event.json'))).toEqual({ tasks: [], ignored: ['s3:TestEvent (sent by S3 when a notification is configured)'] });
    const del = structuredClone(fixture('s3-put.json'));
    del.Records[0].eventName = 'ObjectRemoved:Delete';
    const n = parseNotification(del);
    expect(n.tasks).toEqual([]);
    expect(n.ignored).toEqual([`ObjectRemoved:Delete s3://${BUCKET}/${CT_KEY} (only ObjectCreated events are loaded)`]);
    const ebDel = { ...fixture('eventbridge-object-created.json'), 'detail-type': 'Object Deleted' };
    expect(parseNotification(ebDel).tasks).toEqual([]);
  });

  it('reads SQS messages whose body is an S3 event, an SNS-wrapped S3 event, an EventBridge event', () => {
    const s3 = JSON.stringify(fixture('s3-put.json'));
    const sns = JSON.stringify({ Type: 'Notification', MessageId: 'x', TopicArn: 'arn:aws:sns:ap-northeast-1:222222222222:t', Subject: 'Amazon S3 Notification', Message: s3, Timestamp: '2026-11-20T03:04:06.000Z' });
    const eb = JSON.stringify(fixture('eventbridge-object-created.json'));
    const inv = parseInvocation(sqsEvent(s3, sns, eb));
    if (inv.kind !== 'sqs') throw new Error('expected sqs');
    expect(inv.messages.map((m) => [m.messageId, m.notification?.tasks.map((t) => [t.origin, t.ref.key])])).toEqual([
      ['m-0', [['sqs', CT_KEY]]],
      ['m-1', [['sns', CT_KEY]]],
      ['m-2', [['eventbridge', expect.stringContaining('_Zz9+Yy8.json.gz')]]],
    ]);
  });

  it('reads range messages in this loader\'s shape and in the reference\'s shape (1-based, inclusive)', () => {
    expect(parseNotification({ bucket: BUCKET, key: CT_KEY, range: { start: 100000, end: 200000 }, eventTime: '2026-11-20T03:04:05.678Z' })).toEqual({
      tasks: [{ ref: { bucket: BUCKET, key: CT_KEY, eventTime: '2026-11-20T03:04:05.678Z' }, range: { start: 100000, end: 200000 }, origin: 'split' }],
      ignored: [],
    });
    expect(parseNotification({ siem: { start_number: 100001, end_number: 150000 }, s3: { bucket: { name: BUCKET }, object: { key: CT_KEY } } })).toEqual({
      tasks: [{ ref: { bucket: BUCKET, key: CT_KEY }, range: { start: 100000, end: 150000 }, origin: 'split' }],
      ignored: [],
    });
    expect(() => parseNotification({ bucket: BUCKET, key: CT_KEY, range: { start: 5, end: 5 } })).toThrow(/empty range: start 5, end 5/);
  });

  it('replays failure messages from the DLQ: exactly the listed records, or the whole object for object failures', () => {
    const failures = [
      { stage: 'index', record: 7, reason: 'mapper_parsing_exception' },
      { stage: 'parse', record: 3, line: 4, reason: 'bad JSON' },
      { stage: 'index', record: 7, reason: 'again' },
    ];
    expect(parseNotification({ type: FAILURE_MESSAGE_TYPE, version: 1, bucket: BUCKET, key: CT_KEY, failures }).tasks).toEqual([
      { ref: { bucket: BUCKET, key: CT_KEY }, records: [3, 7], origin: 'dlq' },
    ]);
    expect(parseNotification({ type: FAILURE_MESSAGE_TYPE, version: 1, bucket: BUCKET, key: CT_KEY, failures: [{ stage: 'object', reason: 'unknown log type' }] }).tasks).toEqual([
      { ref: { bucket: BUCKET, key: CT_KEY }, origin: 'dlq' },
    ]);
    expect(() => parseNotification({ type: FAILURE_MESSAGE_TYPE, version: 1, key: 'local.json', failures: [{ stage: 'parse', record: 1, reason: 'x' }] })).toThrow(
      /has no bucket .* cannot be replayed/,
    );
  });

  it('reads back exactly what the loader writes: range messages and DLQ failure messages (one schema for both sides)', () => {
    const ranges = rangeMessages({ bucket: BUCKET, key: CT_KEY, eventTime: '2026-11-20T00:00:00Z', size: 9 }, [{ start: 2, end: 4 }]);
    expect(parseNotification(JSON.parse(JSON.stringify(ranges[0])) as unknown).tasks).toEqual([
      { ref: { bucket: BUCKET, key: CT_KEY, size: 9, eventTime: '2026-11-20T00:00:00Z' }, range: { start: 2, end: 4 }, origin: 'split' },
    ]);
    const [body] = failureMessages([
      { stage: 'parse', bucket: BUCKET, key: CT_KEY, record: 3, line: 1, reason: 'malformed JSON', raw: '{' },
      { stage: 'index', bucket: BUCKET, key: CT_KEY, record: 5, reason: 'mapper_parsing_exception', index: 'log-aws-cloudtrail-2026-11', id: 'x' },
    ]);
    expect(failureMessageSchema.parse(JSON.parse(body!))).toEqual(JSON.parse(body!));
    expect(parseNotification(JSON.parse(body!) as unknown).tasks).toEqual([{ ref: { bucket: BUCKET, key: CT_KEY }, records: [3, 5], origin: 'dlq' }]);
  });

  it('reads a Lambda async-invocation failure redriven from the DLQ (body = the original S3 event)', () => {
    const inv = parseInvocation(sqsEvent(JSON.stringify(fixture('s3-put.json'))));
    expect(inv.kind === 'sqs' && inv.messages[0]!.notification!.tasks[0]!.ref.key).toBe(CT_KEY);
  });

  it('fails only the SQS message that is not understood, naming it', () => {
    const inv = parseInvocation(sqsEvent('{not json', JSON.stringify({ hello: 'world' }), JSON.stringify(fixture('s3-put.json'))));
    if (inv.kind !== 'sqs') throw new Error('expected sqs');
    expect(inv.messages[0]!.error).toBeInstanceOf(UnrecognizedMessageError);
    expect(inv.messages[0]!.error!.message).toMatch(/^message m-0 is not JSON: .*starts with "\{not json"/);
    expect(inv.messages[1]!.error!.message).toMatch(/not an S3 notification, SNS notification, EventBridge S3 event, range message or failure message: \{"hello":"world"\}/);
    expect(inv.messages[2]!.notification!.tasks).toHaveLength(1);
  });

  it('throws UnrecognizedEventError for a direct event of unknown shape', () => {
    expect(() => parseInvocation({ foo: 1 })).toThrow(UnrecognizedEventError);
    expect(() => parseInvocation({ Records: [{ eventSource: 'aws:dynamodb' }] })).toThrow(/record 0 has an unknown event source "aws:dynamodb"/);
  });
});
