/**
 * Bad input end to end: each case gives a clear error naming the object key and the record/line, in
 * the DLQ and the log, and every good record of the same object is still indexed.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { constants, gzipSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { allDocs, count, ensureBucket, failureMessages, makeLoader, osClient, putObject, resetIndices, s3Event, sqsEvent, type TestLoader } from './es-loader-helpers';

const LT = path.resolve(__dirname, '../../lambdas/es-loader/log-types');
const BUCKET = 'aes-siem-111122223333-log';
const VPC_HEADER = 'account-id vpc-id subnet-id instance-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status tcp-flags flow-direction traffic-path pkt-srcaddr pkt-dstaddr region az-id';
const VPC_KEY = 'AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/26/123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20261126T1900Z_bad.log.gz';
const VPC_INDEX = 'log-aws-vpcflowlogs-2026-11';
const GD_KEY = 'AWSLogs/123456789012/GuardDuty/us-east-1/2026/11/21/bad-input.jsonl.gz';

function flowLine(i: number): string {
  const port = 1024 + i;
  return `123456789012 vpc-0a1b2c3d4e5f6a7b8 subnet-0123456789abcdef0 i-01234567890123456 eni-0a1b2c3d4e5f6a7b8 81.2.${i % 250}.${(i * 7) % 250} 10.0.1.5 ${port} 443 6 20 ${4000 + i} 1795719600 1795719660 ACCEPT OK 19 ingress - 81.2.69.160 10.0.1.5 us-east-1 use1-az4`;
}

const client = osClient();
let loader: TestLoader;

beforeAll(async () => {
  await ensureBucket();
  loader = await makeLoader({ pipeline: { maxRecordBytes: 4096 } });
});
beforeEach(async () => {
  await resetIndices(client);
  loader.log.lines.length = 0;
});
afterAll(async () => {
  await resetIndices(client);
});

describe('es-loader: bad input', () => {
  it('truncated gzip: the records before the break are indexed, the break is reported with key and record', async () => {
    const text = [VPC_HEADER, ...Array.from({ length: 3000 }, (_, i) => flowLine(i))].join('\n') + '\n';
    const gz = gzipSync(Buffer.from(text));
    const truncated = gz.subarray(0, Math.floor(gz.length * 0.6));
    await putObject(VPC_KEY, truncated, { gzip: false });
    // What a reader can get out of the truncated stream: the complete lines before the break.
    const readable = gunzipSync(truncated, { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8');
    const complete = readable.split('\n').length - 1 - 1; // minus the partial last line, minus the header
    expect(complete).toBeGreaterThan(100);

    const res = await loader.invoke(sqsEvent([{ body: JSON.stringify(s3Event(VPC_KEY)) }]));
    expect(res).toEqual({ batchItemFailures: [] });
    const totals = loader.log.lastTotals()!;
    expect(totals.failed).toBe(1);
    expect(totals.indexed).toBeGreaterThanOrEqual(complete);
    expect(await count(client, VPC_INDEX)).toBe(totals.indexed);
    const [msg] = await failureMessages(loader.dlqUrl);
    expect(msg!.key).toBe(VPC_KEY);
    expect(msg!.failures).toHaveLength(1);
    expect(msg!.failures[0]).toMatchObject({ stage: 'parse', record: totals.indexed, reason: expect.stringContaining(`${VPC_KEY}: after record ${totals.indexed}`) });
    expect(msg!.failures[0]!.reason).toMatch(/the rest of the object could not be read/);
  });

  it('a malformed JSON line: that line goes to the DLQ with its line number and text, the others are indexed', async () => {
    const lines = readFileSync(path.join(LT, 'guardduty', 'fixture.jsonl'), 'utf8').trim().split('\n');
    lines.splice(1, 0, '{"schemaVersion":"2.0","accountId":"123456789012", this is not json');
    await putObject(GD_KEY, lines.join('\n') + '\n');
    await loader.invoke(s3Event(GD_KEY));
    expect(loader.log.lastTotals()).toMatchObject({ read: 4, indexed: 3, failed: 1 });
    expect(await count(client, 'log-aws-guardduty-*')).toBe(3);
    const [msg] = await failureMessages(loader.dlqUrl);
    expect(msg).toMatchObject({ bucket: BUCKET, key: GD_KEY, failures: [{ stage: 'parse', record: 1, line: 2, raw: lines[1] }] });
    expect(msg!.failures[0]!.reason).toMatch(new RegExp(`^${GD_KEY.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: record 1 \\(line 2\\): `));
    const logged = loader.log.lines.find((l) => l.level === 'error');
    expect(logged?.message).toBe(`1 of 4 records of s3://${BUCKET}/${GD_KEY} were NOT loaded (sent to the DLQ)`);
    expect(logged?.extra?.failures).toEqual([expect.objectContaining({ key: GD_KEY, record: 1, line: 2 })]);
  });

  it('a text line that does not match its format: reported with its line, the other lines indexed', async () => {
    const text = [VPC_HEADER, flowLine(1), 'this line has far too few fields', flowLine(2)].join('\n') + '\n';
    await putObject(VPC_KEY, text);
    await loader.invoke(s3Event(VPC_KEY));
    expect(loader.log.lastTotals()).toMatchObject({ read: 3, indexed: 2, failed: 1 });
    expect(await count(client, VPC_INDEX)).toBe(2);
    const [msg] = await failureMessages(loader.dlqUrl);
    expect(msg).toMatchObject({ key: VPC_KEY, failures: [{ stage: 'parse', record: 1, line: 3, raw: 'this line has far too few fields' }] });
  });

  it('an empty file: nothing indexed, nothing failed, and the invocation says so', async () => {
    await putObject(GD_KEY, '', { gzip: false });
    await loader.invoke(s3Event(GD_KEY));
    expect(loader.log.lastTotals()).toEqual({ objects: 1, read: 0, indexed: 0, duplicates: 0, skipped: 0, failed: 0, queuedRanges: 0, failedMessages: 0 });
    expect(loader.log.lines.find((l) => l.message === `loaded s3://${BUCKET}/${GD_KEY}`)?.extra).toMatchObject({ totalRecords: 0, read: 0 });
    expect(await failureMessages(loader.dlqUrl)).toEqual([]);
  });

  it('an empty gzip file: the same', async () => {
    await putObject(GD_KEY, '');
    await loader.invoke(s3Event(GD_KEY));
    expect(loader.log.lastTotals()).toMatchObject({ read: 0, indexed: 0, failed: 0 });
  });

  it('an unknown log type: one DLQ message naming the key, the message is not retried', async () => {
    const key = 'AWSLogs/123456789012/SomethingElse/us-east-1/2026/11/21/file.json.gz';
    await putObject(key, '{"a":1}');
    const res = await loader.invoke(sqsEvent([{ id: 'u', body: JSON.stringify(s3Event(key)) }]));
    expect(res).toEqual({ batchItemFailures: [] });
    expect(await failureMessages(loader.dlqUrl)).toEqual([
      { type: 'es-loader-failure', version: 1, bucket: BUCKET, key, failures: [{ stage: 'object', reason: `unknown log type: no log type's s3_key pattern matches "${key}" (add a section to user.ini to load it)` }] },
    ]);
    expect(loader.log.lines.find((l) => l.level === 'error')?.message).toMatch(new RegExp(`^not loaded: s3://${BUCKET}/.*unknown log type`));
  });

  it('a record larger than the limit: reported with its size, the other records indexed', async () => {
    const records = [
      { eventVersion: '1.09', eventTime: '2026-11-21T10:00:00Z', eventID: 'small-1', eventName: 'A', awsRegion: 'us-east-1', eventType: 'AwsApiCall', eventCategory: 'Management', recipientAccountId: '111122223333' },
      { eventVersion: '1.09', eventTime: '2026-11-21T10:00:01Z', eventID: 'huge-1', eventName: 'B', awsRegion: 'us-east-1', eventType: 'AwsApiCall', eventCategory: 'Management', recipientAccountId: '111122223333', requestParameters: { blob: 'y'.repeat(10_000) } },
      { eventVersion: '1.09', eventTime: '2026-11-21T10:00:02Z', eventID: 'small-2', eventName: 'C', awsRegion: 'us-east-1', eventType: 'AwsApiCall', eventCategory: 'Management', recipientAccountId: '111122223333' },
    ];
    const key = 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/21/111122223333_CloudTrail_us-east-1_20261121T1010Z_HUGE.json.gz';
    await putObject(key, JSON.stringify({ Records: records }));
    await loader.invoke(s3Event(key));
    expect(loader.log.lastTotals()).toMatchObject({ read: 3, indexed: 2, failed: 1 });
    expect((await allDocs(client, 'log-aws-cloudtrail-*')).map((d) => d._id)).toEqual(['small-1', 'small-2']);
    const [msg] = await failureMessages(loader.dlqUrl);
    expect(msg).toMatchObject({ key, failures: [{ stage: 'parse', record: 1, reason: expect.stringMatching(/record is \d+ bytes, above the bulk limit of 4096 bytes/) }] });
  });

  const CT_KEY = 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/21/111122223333_CloudTrail_us-east-1_20261121T1010Z_BADINPUT.json.gz';
  const ctEvent = (i: number, extra: Record<string, unknown> = {}) => ({
    eventVersion: '1.09', eventTime: `2026-11-21T10:00:0${i}Z`, eventID: `id-${i}`, eventName: 'GetObject', awsRegion: 'us-east-1', eventType: 'AwsApiCall', recipientAccountId: '111122223333', ...extra,
  });

  it.each([
    ['gzip', true],
    ['plain', false],
  ])('a %s CloudTrail file that starts with a byte order mark: every record indexed, nothing in the DLQ', async (_name, gzip) => {
    await putObject(CT_KEY, `\uFEFF${JSON.stringify({ Records: [ctEvent(1), ctEvent(2)] })}`, { gzip });
    await loader.invoke(s3Event(CT_KEY));
    expect(loader.log.lastTotals()).toMatchObject({ read: 2, indexed: 2, failed: 0 });
    expect((await allDocs(client, 'log-aws-cloudtrail-*')).map((d) => d._id)).toEqual(['id-1', 'id-2']);
    expect(await failureMessages(loader.dlqUrl)).toEqual([]);
  });

  it('a syntax error inside record 3 of 5 of a single-line CloudTrail file: that record in the DLQ by number, the 4 others indexed', async () => {
    const records = [1, 2, 3, 4, 5].map((i) => JSON.stringify(ctEvent(i)));
    records[2] = records[2]!.replace('"eventName":', '"eventName":: ');
    await putObject(CT_KEY, `{"Records":[${records.join(',')}]}`);
    await loader.invoke(s3Event(CT_KEY));
    expect(loader.log.lastTotals()).toMatchObject({ read: 5, indexed: 4, failed: 1 });
    expect((await allDocs(client, 'log-aws-cloudtrail-*')).map((d) => d._id)).toEqual(['id-1', 'id-2', 'id-4', 'id-5']);
    const [msg] = await failureMessages(loader.dlqUrl);
    expect(msg).toMatchObject({ key: CT_KEY, failures: [{ stage: 'parse', record: 2, line: 1, raw: records[2] }] });
    expect(msg!.failures[0]!.reason).toMatch(new RegExp(`^${CT_KEY}: record 2 \\(line 1\\): malformed JSON: `));
  });

  it('a CloudTrail file whose record boundaries are lost: the DLQ says at which record and byte, and how many records came before', async () => {
    const records = [1, 2, 3, 4, 5].map((i) => JSON.stringify(ctEvent(i)));
    records[2] = records[2]!.replace(/}$/, '');
    const body = `{"Records":[${records.join(',')}]}`;
    await putObject(CT_KEY, body);
    await loader.invoke(s3Event(CT_KEY));
    expect(loader.log.lastTotals()).toMatchObject({ read: 3, indexed: 2, failed: 1 });
    const [msg] = await failureMessages(loader.dlqUrl);
    expect(msg!.failures).toEqual([
      expect.objectContaining({
        stage: 'parse',
        record: 2,
        reason: `${CT_KEY}: record 2 (line 1, byte ${body.indexOf(records[2]!)}): its brackets do not balance: it opens with '{' but ends with ']' at byte ${body.lastIndexOf(']')}; the rest of the object could not be read (2 records recovered before it)`,
      }),
    ]);
  });

  it('random bytes named .json.gz: one DLQ message saying what the bytes are not, the message is not retried', async () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 151 + 7) % 256));
    await putObject(CT_KEY, bytes, { gzip: false });
    const res = await loader.invoke(sqsEvent([{ id: 'r', body: JSON.stringify(s3Event(CT_KEY)) }]));
    expect(res).toEqual({ batchItemFailures: [] });
    const reason = 'unreadable object: it is neither gzip (it does not start with the magic bytes 1f 8b) nor text (byte 239 is NUL)';
    expect(await failureMessages(loader.dlqUrl)).toEqual([{ type: 'es-loader-failure', version: 1, bucket: BUCKET, key: CT_KEY, failures: [{ stage: 'object', reason }] }]);
    expect(loader.log.lines.find((l) => l.level === 'error')?.message).toBe(`not loaded: s3://${BUCKET}/${CT_KEY}: ${reason}`);
    expect(await count(client, 'log-aws-cloudtrail-*')).toBe(0);
  });

  it('a failed console login is indexed with event.outcome failure', async () => {
    const login = (i: number, result: string) =>
      ctEvent(i, { eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', eventType: 'AwsConsoleSignIn', responseElements: { ConsoleLogin: result }, ...(result === 'Failure' ? { errorMessage: 'Failed authentication' } : {}) });
    await putObject(CT_KEY, JSON.stringify({ Records: [login(1, 'Failure'), login(2, 'Success')] }));
    await loader.invoke(s3Event(CT_KEY));
    expect((await allDocs(client, 'log-aws-cloudtrail-*')).map((d) => [d._id, (d._source.event as { outcome: string }).outcome])).toEqual([
      ['id-1', 'failure'],
      ['id-2', 'success'],
    ]);
  });

  it('an object deleted before it was read: a DLQ message naming it, no retry', async () => {
    const key = 'AWSLogs/123456789012/GuardDuty/us-east-1/2026/11/21/never-written.jsonl.gz';
    const res = await loader.invoke(sqsEvent([{ body: JSON.stringify(s3Event(key)) }]));
    expect(res).toEqual({ batchItemFailures: [] });
    const [msg] = await failureMessages(loader.dlqUrl);
    expect(msg).toMatchObject({ key, failures: [{ stage: 'object', reason: `s3://${BUCKET}/${key} does not exist (deleted after the notification was sent?)` }] });
  });

  it('an unreadable bucket is fatal for the message (retried), not a DLQ entry', async () => {
    const res = await loader.invoke(sqsEvent([{ id: 'nb', body: JSON.stringify(s3Event(GD_KEY, { bucket: 'no-such-bucket-here' })) }]));
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: 'nb' }] });
  });
});
