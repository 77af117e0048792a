/**
 * The handler's answer for messages of a queue without a redrive policy of ours (Amazon Security Lake's
 * subscriber queue): retried until their maxReceiveCount-th receive, then copied to the loader's DLQ as
 * received and reported done. Our own queues keep relying on their redrive policy.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@opensearch-project/opensearch';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { handleEvent, type LoaderRuntime } from './handler';
import { Pipeline } from './pipeline';
import { foreignQueuesFrom } from './runtime/init';

const SL_QUEUE = 'arn:aws:sqs:ap-northeast-1:444444444444:AmazonSecurityLake-5f2a7c1e-9b3d-4e6f-8a0b-1c2d3e4f5a6b-Main-Queue';
const OWN_QUEUE = 'arn:aws:sqs:ap-northeast-1:111111111111:siem-sqs-splitted-logs';
const DLQ_URL = 'https://sqs.ap-northeast-1.amazonaws.com/111111111111/siem-dlq';

type Fixture = { Records: Array<Record<string, unknown> & { body: string; attributes: Record<string, string> }> };
const fixture = (): Fixture => JSON.parse(readFileSync(path.join(__dirname, 'storage', 'fixtures', 'security-lake-sqs-event.json'), 'utf8')) as Fixture;

/** One Security Lake notification (its object cannot be read: the subscriber role cannot be assumed), received `count` times from `queue`. */
function event(count: number, queue = SL_QUEUE, body?: string) {
  const r = fixture().Records[0]!;
  return { Records: [{ ...r, eventSourceARN: queue, ...(body !== undefined ? { body } : {}), attributes: { ...r.attributes, ApproximateReceiveCount: String(count) } }] };
}

function runtime(forwarded: string[], opts: { forwardFails?: boolean } = {}) {
  const lines: string[] = [];
  const rt: LoaderRuntime = {
    pipeline: Pipeline.create({}),
    store: {
      open: () => Promise.reject(new Error('AccessDenied: not authorized to perform sts:AssumeRole')),
    },
    client: {} as Client,
    dlq: { send: () => Promise.resolve() },
    splitQueue: { send: () => Promise.resolve() },
    log: { info: () => {}, warn: () => {}, error: (m) => lines.push(m) },
    metrics: { object: () => {}, flush: () => {} },
    splitSize: 100_000,
    foreignQueues: {
      arns: new Set([SL_QUEUE]),
      maxReceiveCount: 3,
      forward: (body) => (opts.forwardFails ? Promise.reject(new Error('SQS unreachable')) : (forwarded.push(body), Promise.resolve())),
    },
  };
  return { rt, lines };
}

describe('handler: a queue without our redrive (Security Lake subscriber queue)', () => {
  it('reports a failing message for retry before its maxReceiveCount-th receive, and copies nothing', async () => {
    const forwarded: string[] = [];
    const { rt } = runtime(forwarded);
    const res = await handleEvent(rt, event(2));
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: '0c6c7a15-2f1b-4a3e-9d8c-7b6a5f4e3d20' }] });
    expect(forwarded).toEqual([]);
  });

  it('on the maxReceiveCount-th receive copies the message, unchanged, to the DLQ and reports it done', async () => {
    const forwarded: string[] = [];
    const { rt, lines } = runtime(forwarded);
    const ev = event(3);
    const res = await handleEvent(rt, ev);
    expect(res).toEqual({ batchItemFailures: [] });
    expect(forwarded).toEqual([ev.Records[0]!.body]);
    expect(lines).toContain(
      `message 0c6c7a15-2f1b-4a3e-9d8c-7b6a5f4e3d20 of ${SL_QUEUE} failed on receive 3 of 3: copied to the DLQ and removed from that queue: ` +
        's3://aws-security-data-lake-ap-northeast-1-k3j4h5g6f7d8s9a0z1x2c3v4b/aws/CLOUD_TRAIL_MGMT/2.0/region=ap-northeast-1/accountId=555555555555/eventDay=20261120/6c1f0e2a9b8d4e7fa3c5b2d1e0f9a8b7.gz.parquet: AccessDenied: not authorized to perform sts:AssumeRole',
    );
  });

  it('copies a message it does not understand too, on that receive', async () => {
    const forwarded: string[] = [];
    const { rt } = runtime(forwarded);
    const res = await handleEvent(rt, event(4, SL_QUEUE, '{"not":"a notification"}'));
    expect(res).toEqual({ batchItemFailures: [] });
    expect(forwarded).toEqual(['{"not":"a notification"}']);
  });

  it('keeps the message for retry when the DLQ cannot take the copy', async () => {
    const { rt, lines } = runtime([], { forwardFails: true });
    const res = await handleEvent(rt, event(3));
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: '0c6c7a15-2f1b-4a3e-9d8c-7b6a5f4e3d20' }] });
    expect(lines).toContain('message 0c6c7a15-2f1b-4a3e-9d8c-7b6a5f4e3d20 could not be copied to the DLQ (it will be retried): SQS unreachable');
  });

  it("leaves our own queues to their redrive policy: a failing message is reported for retry on any receive", async () => {
    const forwarded: string[] = [];
    const { rt } = runtime(forwarded);
    const res = await handleEvent(rt, event(9, OWN_QUEUE));
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: '0c6c7a15-2f1b-4a3e-9d8c-7b6a5f4e3d20' }] });
    expect(forwarded).toEqual([]);
  });
});

describe('foreignQueuesFrom (the loader environment of modules/security-lake-ingestion.ts)', () => {
  const env = {
    SL_BUCKETS: 'aws-security-data-lake-ap-northeast-1-*',
    SL_ROLE_ARN: 'arn:aws:iam::444444444444:role/AmazonSecurityLake-5f2a7c1e-9b3d-4e6f-8a0b-1c2d3e4f5a6b',
    SL_EXTERNAL_ID: 'siem-sl-external-id',
    SL_QUEUE_ARN: SL_QUEUE,
    SL_MAX_RECEIVE_COUNT: '3',
  };

  it('names the subscriber queue and sends the copy to the DLQ URL as received', async () => {
    const sqs = new SQSClient({ region: 'ap-northeast-1' });
    const mock = mockClient(sqs);
    mock.on(SendMessageCommand).resolves({});
    const fq = foreignQueuesFrom(env, sqs, DLQ_URL)!;
    expect([...fq.arns]).toEqual([SL_QUEUE]);
    expect(fq.maxReceiveCount).toBe(3);
    await fq.forward('{"a":1}');
    expect(mock.commandCalls(SendMessageCommand).map((c) => c.args[0].input)).toEqual([{ QueueUrl: DLQ_URL, MessageBody: '{"a":1}' }]);
  });

  it('is off without Security Lake, or without its queue', () => {
    const sqs = new SQSClient({ region: 'ap-northeast-1' });
    expect(foreignQueuesFrom({}, sqs, DLQ_URL)).toBeUndefined();
    const { SL_QUEUE_ARN: _q, ...noQueue } = env;
    void _q;
    expect(foreignQueuesFrom(noQueue, sqs, DLQ_URL)).toBeUndefined();
  });
});
