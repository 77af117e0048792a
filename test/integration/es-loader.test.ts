/**
 * es-loader end to end against the local servers: fixture objects in s3rver, the handler invoked with
 * the event of each trigger, documents read back from OpenSearch and compared exactly with the log
 * types' expected documents, field types checked in the mappings, split ranges and DLQ replays
 * going through real ElasticMQ queues.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  allDocs,
  byId,
  count,
  drain,
  eventBridgeEvent,
  expected,
  expectIndexedExactly,
  failureMessages,
  fieldType,
  fixture,
  makeLoader,
  osClient,
  putObject,
  resetIndices,
  s3Event,
  snsWrapped,
  sqsEvent,
  sqsEventFrom,
  type LogTypeCase,
  type TestLoader,
} from './es-loader-helpers';


const CT_KEY = 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/21/111122223333_CloudTrail_us-east-1_20261121T1010Z_EXAMPLEabcd1234.json.gz';
const CT_INDEX = 'log-aws-cloudtrail-2026-11';

/** Fixture objects of every log type, under keys of the layout each service writes. */
const FIXTURES: LogTypeCase[] = [
  { name: 'CloudTrail', type: 'cloudtrail', file: 'fixture.json', key: CT_KEY, expected: 'expected.json', types: { '@timestamp': 'date', 'source.ip': 'ip', 'event.action': 'keyword', 'requestParameters': 'flat_object', 'responseElements': 'flat_object', 'cloud.account.id': 'keyword' } },
  { name: 'VPC Flow Logs v5', type: 'vpcflowlogs', file: 'fixture.log', key: 'AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/26/123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20261126T1900Z_a1b2c3d4.log.gz', expected: 'expected.json', types: { '@timestamp': 'date', 'source.ip': 'ip', 'destination.ip': 'ip', 'source.port': 'long', 'network.bytes': 'long', 'network.direction': 'keyword', 'event.outcome': 'keyword' } },
  { name: 'VPC Flow Logs v2', type: 'vpcflowlogs', file: 'fixture-v2.log', key: 'AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/26/123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20261126T1900Z_v2.log.gz', expected: 'expected-v2.json', types: { 'source.ip': 'ip', 'destination.port': 'long' } },
  { name: 'WAF (Firehose)', type: 'waf', file: 'fixture.json', key: 'AWSLogs/123456789012/WAF/ap-northeast-1/aws-waf-logs-aes-siem-ap-northeast-1/2026/11/21/10/aws-waf-logs-aes-siem-ap-northeast-1-1-2026-11-21-10-00-00-abcd.gz', expected: 'expected.json', types: { '@timestamp': 'date', 'source.ip': 'ip', 'url.path': 'keyword', 'rule.name': 'keyword', 'httpRequest.header.user_agent': 'keyword', 'httpRequest.header.x_forwarded_for': 'keyword' } },
  { name: 'GuardDuty', type: 'guardduty', file: 'fixture.jsonl', key: 'AWSLogs/123456789012/GuardDuty/us-east-1/2026/11/21/a1b2c3d4-e5f6-3a4b-9c8d-0123456789ab.jsonl.gz', expected: 'expected.json', types: { '@timestamp': 'date', 'rule.id': 'keyword', 'rule.name': 'keyword', 'cloud.account.id': 'keyword', 'ThreatPurpose': 'keyword', 'ThreatFamilyName': 'keyword', 'severitylabel': 'keyword', 'network.direction': 'keyword' } },
  { name: 'Config history', type: 'config', file: 'fixture-history.json', key: 'AWSLogs/123456789012/Config/us-east-1/2026/11/21/ConfigHistory/123456789012_Config_us-east-1_ConfigHistory_AWS::EC2::Instance_20261121T100000Z_20261121T110000Z_1.json.gz', expected: 'expected-history.json', types: { '@timestamp': 'date', 'cloud.region': 'keyword', 'event.module': 'keyword', 'cloud.instance.id': 'keyword', 'user.name': 'keyword', 'related.ip': 'ip', 'related.hosts': 'keyword' } },
  { name: 'Config snapshot', type: 'config', file: 'fixture-snapshot.json', key: 'AWSLogs/123456789012/Config/eu-west-1/2026/11/21/ConfigSnapshot/123456789012_Config_eu-west-1_ConfigSnapshot_20261121T060000Z_a1b2c3d4.json.gz', expected: 'expected-snapshot.json', types: { '@timestamp': 'date' } },
  { name: 'S3 access log', type: 's3accesslog', file: 'fixture.log', key: 's3accesslog/2026-11-21-10-00-00-0123456789ABCDEF', expected: 'expected.json', types: { '@timestamp': 'date', 'source.ip': 'ip', 'EndPoint': 'keyword', 'SigV': 'keyword' } },
];

let loader: TestLoader;
const client = osClient();

beforeAll(async () => {
  loader = await makeLoader();
});
beforeEach(async () => {
  await resetIndices(client);
  loader.log.lines.length = 0;
  loader.metrics.objects.length = 0;
});
afterAll(async () => {
  await resetIndices(client);
});

describe('es-loader: every log type through a direct S3 notification', () => {
  it.each(FIXTURES)('$name: exact documents and field types in OpenSearch', async (f) => {
    // The same documents as the unit fixtures, read from this test's key.
    const want = expected(f.type, f.expected).map((d) => ({ ...d, _source: { ...d._source, '@log_s3key': f.key } }));
    const size = await expectIndexedExactly(loader, client, f, want);
    expect(loader.log.lastTotals()).toEqual({ objects: 1, read: want.length, indexed: want.length, duplicates: 0, skipped: 0, failed: 0, queuedRanges: 0, failedMessages: 0 });
    const m = loader.metrics.objects[0]!;
    expect(m).toMatchObject({ key: f.key, origin: 's3', read: want.length, indexed: want.length, failed: 0, bytesIn: size });
    expect(m.lagMs).toBeGreaterThanOrEqual(0);
  });

  it('indexes the 38-shape CloudTrail fixture into one index with zero rejections', async () => {
    const key = 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/21/111122223333_CloudTrail_us-east-1_20261121T1200Z_SHAPES.json.gz';
    const shapes = JSON.parse(fixture('cloudtrail', 'shapes.json').toString('utf8')) as { Records: unknown[] };
    expect(shapes.Records.length).toBeGreaterThanOrEqual(30);
    await putObject(key, fixture('cloudtrail', 'shapes.json'));
    await loader.invoke(s3Event(key));
    expect(loader.log.lastTotals()).toMatchObject({ read: shapes.Records.length, indexed: shapes.Records.length, failed: 0 });
    expect(await count(client, CT_INDEX)).toBe(shapes.Records.length);
    expect(await failureMessages(loader.dlqUrl)).toEqual([]);
    for (const f of ['requestParameters', 'responseElements', 'additionalEventData', 'serviceEventDetails']) expect(await fieldType(client, CT_INDEX, f), f).toBe('flat_object');
  });
});

describe('es-loader: trigger shapes', () => {
  it('SQS batch of an S3 notification, an SNS-wrapped one and an EventBridge event: same documents, no failures', async () => {
    const want = expected('cloudtrail');
    const keys = ['sqs', 'sns', 'eb'].map((s) => CT_KEY.replace('EXAMPLEabcd1234', `EXAMPLE-${s}`));
    for (const k of keys) await putObject(k, fixture('cloudtrail', 'fixture.json'));
    const res = await loader.invoke(
      sqsEvent([{ body: JSON.stringify(s3Event(keys[0]!)) }, { body: snsWrapped(s3Event(keys[1]!)) }, { body: JSON.stringify(eventBridgeEvent(keys[2]!)) }]),
    );
    expect(res).toEqual({ batchItemFailures: [] });
    // The same records under three keys: the deterministic _id (the CloudTrail eventID) keeps one copy each,
    // from whichever object was indexed first (its @log_s3key).
    const got = byId(await allDocs(client, CT_INDEX));
    for (const d of got) expect(keys).toContain(d._source['@log_s3key']);
    const keyless = (ds: Array<{ _source: Record<string, unknown> }>) => ds.map((d) => ({ ...d, _source: { ...d._source, '@log_s3key': undefined } }));
    expect(keyless(got)).toEqual(keyless(byId(want)));
    expect(loader.log.lastTotals()).toEqual({ objects: 3, read: 15, indexed: 15, duplicates: 10, skipped: 0, failed: 0, queuedRanges: 0, failedMessages: 0 });
    expect(loader.metrics.objects.map((m) => m.origin).sort()).toEqual(['eventbridge', 'sns', 'sqs']);
  });

  it('an EventBridge event invokes the loader directly too (Control Tower buckets)', async () => {
    const key = CT_KEY.replace('EXAMPLEabcd1234', 'EXAMPLE-direct-eb');
    await putObject(key, fixture('cloudtrail', 'fixture.json'));
    expect(await loader.invoke(eventBridgeEvent(key))).toBeUndefined();
    expect(await count(client, CT_INDEX)).toBe(5);
  });

  it('ignores S3 test events and reports a message it cannot read as the only failure of its batch', async () => {
    await putObject(CT_KEY, fixture('cloudtrail', 'fixture.json'));
    const res = await loader.invoke(
      sqsEvent([
        { id: 'test-event', body: JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Time: '2026-11-20T03:00:00.000Z', Bucket: 'b' }) },
        { id: 'garbage', body: 'this is not an event' },
        { id: 'good', body: JSON.stringify(s3Event(CT_KEY)) },
      ]),
    );
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: 'garbage' }] });
    expect(await count(client, CT_INDEX)).toBe(5);
    expect(loader.log.lines.find((l) => l.message.startsWith('message garbage is not understood'))?.level).toBe('error');
    expect(loader.log.lines.some((l) => l.message.startsWith('ignored: s3:TestEvent'))).toBe(true);
  });

  it('the same message delivered twice: counts exactly right, no duplicate documents', async () => {
    await putObject(CT_KEY, fixture('cloudtrail', 'fixture.json'));
    const event = sqsEvent([{ body: JSON.stringify(s3Event(CT_KEY)) }]);
    expect(await loader.invoke(event)).toEqual({ batchItemFailures: [] });
    expect(loader.log.lastTotals()).toMatchObject({ read: 5, indexed: 5, duplicates: 0, failed: 0 });
    expect(await loader.invoke(event)).toEqual({ batchItemFailures: [] });
    expect(loader.log.lastTotals()).toMatchObject({ read: 5, indexed: 5, duplicates: 5, failed: 0 });
    expect(await count(client, CT_INDEX)).toBe(5);
  });
});

describe('es-loader: large files are split into ranges through the split queue', () => {
  it('loads the first range, queues the others, and the range messages load the rest exactly once', async () => {
    // 2 records per range for CloudTrail (user.ini override), so the 5-record fixture becomes 3 ranges.
    const small = await makeLoader({ pipeline: { userIni: '[cloudtrail]\nmax_log_count = 2\n', userIniName: 'test-user.ini' } });
    await putObject(CT_KEY, fixture('cloudtrail', 'fixture.json'));
    const eventTime = new Date(Date.now() - 60_000).toISOString();
    await small.invoke(s3Event(CT_KEY, { eventTime }));
    expect(small.log.lastTotals()).toMatchObject({ read: 2, indexed: 2, queuedRanges: 2 });
    expect(await count(client, CT_INDEX)).toBe(2);

    const ranges = await drain(small.splitQueueUrl);
    expect(ranges.map((m) => JSON.parse(m.Body!)).sort((a, b) => a.range.start - b.range.start)).toEqual([
      { bucket: 'aes-siem-111122223333-log', key: CT_KEY, range: { start: 2, end: 4 }, eventTime, size: 0 },
      { bucket: 'aes-siem-111122223333-log', key: CT_KEY, range: { start: 4, end: 5 }, eventTime, size: 0 },
    ]);
    const res = await small.invoke(sqsEventFrom(ranges, 'aes-siem-sqs-splitted-logs'));
    expect(res).toEqual({ batchItemFailures: [] });
    expect(small.log.lastTotals()).toMatchObject({ objects: 2, read: 3, indexed: 3, duplicates: 0, queuedRanges: 0 });
    expect(byId(await allDocs(client, CT_INDEX))).toEqual(byId(expected('cloudtrail')));
    // A range message does not split again.
    expect(await drain(small.splitQueueUrl)).toEqual([]);
    // Ingestion lag is measured from the original S3 event, also for the ranges.
    for (const m of small.metrics.objects) expect(m.lagMs).toBeGreaterThanOrEqual(60_000);
  });

  it('accepts range messages in the reference\'s shape (1-based, inclusive)', async () => {
    await putObject(CT_KEY, fixture('cloudtrail', 'fixture.json'));
    const body = JSON.stringify({ siem: { start_number: 2, end_number: 3 }, s3: { bucket: { name: 'aes-siem-111122223333-log' }, object: { key: CT_KEY } } });
    await loader.invoke(sqsEvent([{ body }], 'aes-siem-sqs-splitted-logs'));
    const want = expected('cloudtrail').slice(1, 3);
    expect(byId(await allDocs(client, CT_INDEX))).toEqual(byId(want));
  });
});

describe('es-loader: permanent failures go to the DLQ and can be replayed', () => {
  it('a mapping conflict sends each rejected record to the DLQ with OpenSearch\'s reason; replaying the message after the fix loads them', async () => {
    // An index whose mapping contradicts the documents: eventVersion (in every record, and not typed by the
    // index template, which would refuse the contradiction) as an object.
    await client.transport.request({ method: 'PUT', path: `/${CT_INDEX}`, body: { mappings: { properties: { eventVersion: { type: 'object' } } } } });
    await putObject(CT_KEY, fixture('cloudtrail', 'fixture.json'));
    const res = await loader.invoke(sqsEvent([{ body: JSON.stringify(s3Event(CT_KEY)) }]));
    // The message itself succeeded: retrying cannot fix a mapping; the records are in the DLQ.
    expect(res).toEqual({ batchItemFailures: [] });
    expect(loader.log.lastTotals()).toMatchObject({ read: 5, indexed: 0, failed: 5 });
    const dlq = await drain(loader.dlqUrl);
    expect(dlq).toHaveLength(1);
    const msg = JSON.parse(dlq[0]!.Body!);
    expect(msg).toMatchObject({ type: 'es-loader-failure', version: 1, bucket: 'aes-siem-111122223333-log', key: CT_KEY });
    expect(msg.failures.map((f: { record: number }) => f.record)).toEqual([0, 1, 2, 3, 4]);
    expect(msg.failures[0]).toMatchObject({ stage: 'index', index: CT_INDEX, id: '4a7b2cb2-1d1a-4bb0-9b1e-EXAMPLE11111', reason: expect.stringMatching(/^mapper_parsing_exception: .*eventVersion.*\[status 400\]$/) });
    expect(loader.log.lines.find((l) => l.level === 'error')?.message).toBe(`5 of 5 records of s3://aes-siem-111122223333-log/${CT_KEY} were NOT loaded (sent to the DLQ)`);

    // The operator fixes the index and redrives the DLQ message to the loader.
    await resetIndices(client);
    expect(await loader.invoke(sqsEventFrom(dlq, 'aes-siem-sqs-splitted-logs'))).toEqual({ batchItemFailures: [] });
    expect(byId(await allDocs(client, CT_INDEX))).toEqual(byId(expected('cloudtrail')));
    expect(await failureMessages(loader.dlqUrl)).toEqual([]);
  });

  it('a failure message replays only the records it lists', async () => {
    await putObject(CT_KEY, fixture('cloudtrail', 'fixture.json'));
    const body = JSON.stringify({ type: 'es-loader-failure', version: 1, bucket: 'aes-siem-111122223333-log', key: CT_KEY, failures: [{ stage: 'index', record: 1, reason: 'x' }, { stage: 'index', record: 3, reason: 'y' }] });
    await loader.invoke(sqsEvent([{ body }], 'aes-siem-sqs-splitted-logs'));
    const all = expected('cloudtrail');
    expect(byId(await allDocs(client, CT_INDEX))).toEqual(byId([all[1]!, all[3]!]));
  });

  it('a Lambda async-invocation failure redriven from the DLQ (body = the original S3 event) loads the object', async () => {
    await putObject(CT_KEY, fixture('cloudtrail', 'fixture.json'));
    const res = await loader.invoke(sqsEvent([{ body: JSON.stringify(s3Event(CT_KEY)) }], 'aes-siem-dlq'));
    expect(res).toEqual({ batchItemFailures: [] });
    expect(await count(client, CT_INDEX)).toBe(5);
  });
});
