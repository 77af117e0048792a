import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors';
import { docs, pipeline, run } from '../log-types/testing';

// A section of the reference's rds-mysql-audit kind: text messages, the event time as @timestamp.
const USER_INI = `
[cwl_text]
s3_key = ^cwltest/text/
file_format = text
via_cwl = True
log_pattern = ^(?<ts>[0-9: ]+),(?<host>[^,]*),(?<user>[^,]*),(?<ip>[^,]*),(?<op>[^,]*)$
timestamp_key = cwl_timestamp
timestamp_format = epoch
index_name = log-test-cwl
ecs = user.name
user.name = user

[cwl_json]
s3_key = ^cwltest/json/
file_format = json
via_cwl = TRUE
cwl_timestamp = true
timestamp_key = time
index_name = log-test-cwl
loggroup = /app/
`;
const TEXT_KEY = 'cwltest/text/2026/11/21/10/aes-siem-rds-1-2026-11-21-10-00-00-abc';
const JSON_KEY = 'cwltest/json/2026/11/21/10/aes-siem-app-1-2026-11-21-10-00-00-abc';
const T = Date.parse('2026-11-21T10:00:00Z');

const envelope = (logGroup: string, events: Array<[string, number, string]>, owner = '210987654321') =>
  JSON.stringify({
    messageType: 'DATA_MESSAGE',
    owner,
    logGroup,
    logStream: 'stream-1',
    subscriptionFilters: ['to-firehose'],
    logEvents: events.map(([id, timestamp, message]) => ({ id, timestamp, message })),
  });
const CONTROL = JSON.stringify({ messageType: 'CONTROL_MESSAGE', owner: 'CloudwatchLogs', logGroup: '', logStream: '', subscriptionFilters: [], logEvents: [{ id: '', timestamp: T, message: 'CWL CONTROL MESSAGE: Checking health of destination Firehose.' }] });

const TEXT_BODY =
  envelope('/aws/rds/instance/db1/audit', [
    ['1', T + 1000, '20261121 10:00:01,db1,alice,10.0.0.5,CONNECT'],
    ['2', T + 2000, '20261121 10:00:02,db1,bob,10.0.0.6,QUERY'],
  ]) +
  CONTROL +
  envelope('/aws/rds/instance/db1/audit', [['3', T + 3000, '20261121 10:00:03,db1,carol,10.0.0.7,DISCONNECT']]);

describe('Formats: via_cwl (CloudWatch Logs subscription messages written by Firehose)', () => {
  const p = pipeline({ userIni: USER_INI });

  it('makes one record per log event, decoded in the section format, with the envelope fields and the event time', async () => {
    const items = await run(p, TEXT_KEY, TEXT_BODY);
    const out = docs(items);
    expect(out.map((d) => [d._source['@timestamp'], (d._source.user as { name: string }).name])).toEqual([
      ['2026-11-21T10:00:01.000Z', 'alice'],
      ['2026-11-21T10:00:02.000Z', 'bob'],
      ['2026-11-21T10:00:03.000Z', 'carol'],
    ]);
    expect(out[0]!._source).toMatchObject({
      '@message': '20261121 10:00:01,db1,alice,10.0.0.5,CONNECT',
      '@log_group': '/aws/rds/instance/db1/audit',
      '@log_stream': 'stream-1',
      cwl_timestamp: T + 1000,
      cloud: { account: { id: '210987654321' } },
      host: 'db1',
      op: 'CONNECT',
    });
    expect(items.at(-1)).toMatchObject({ kind: 'summary', totalRecords: 3, emitted: 3, failed: 0, skipped: 0 });
  });

  it('reads Firehose output compressed again (gzip inside gzip) and uncompressed output (one gzip member per message)', async () => {
    const members = Buffer.concat([gzipSync(TEXT_BODY.slice(0, TEXT_BODY.indexOf(CONTROL))), gzipSync(CONTROL), gzipSync(TEXT_BODY.slice(TEXT_BODY.indexOf(CONTROL) + CONTROL.length))]);
    const plain = docs(await run(p, TEXT_KEY, TEXT_BODY));
    expect(docs(await run(p, TEXT_KEY, gzipSync(members), { gzip: false }))).toEqual(plain);
    expect(docs(await run(p, TEXT_KEY, members, { gzip: false }))).toEqual(plain);
  });

  it('numbers records by log event across messages, so a range selects events', async () => {
    const items = await run(p, TEXT_KEY, TEXT_BODY, { range: { start: 2, end: 3 } });
    expect(docs(items).map((d) => d._source['@message'])).toEqual(['20261121 10:00:03,db1,carol,10.0.0.7,DISCONNECT']);
    expect(items.at(-1)).toMatchObject({ totalRecords: 3, emitted: 1 });
  });

  it('gives two events with the same message two documents (the event id is part of the id)', async () => {
    const body = envelope('/aws/rds/x', [['7', T, '20261121 10:00:00,db1,dave,10.0.0.8,QUERY'], ['8', T, '20261121 10:00:00,db1,dave,10.0.0.8,QUERY']]);
    const [a, b] = docs(await run(p, TEXT_KEY, body));
    expect(a!._id).not.toBe(b!._id);
    expect(docs(await run(p, TEXT_KEY, body))[0]!._id).toBe(a!._id);
  });

  it('tells a bad message or log event by its record number and what is wrong, and goes on', async () => {
    const body = [
      envelope('/aws/rds/x', [['1', T, '20261121 10:00:00,db1,erin,10.0.0.9,QUERY']]),
      '{"messageType":"DATA_MESSAGE","owner":"210987654321","logGroup":"/aws/rds/x","logEvents":[]}',
      '{"records":[]}',
      envelope('/aws/rds/x', [['2', T, 'not an audit line']]),
      '{"messageType":"DATA_MESSAGE","owner":"210987654321","logGroup":"/aws/rds/x","logStream":"s","logEvents":[{"id":"3","timestamp":"soon","message":"x"}]}',
      envelope('/aws/rds/x', [['4', T, '20261121 10:00:00,db1,frank,10.0.0.10,QUERY']]),
    ].join('\n');
    const items = await run(p, TEXT_KEY, body);
    expect(items.filter((i) => i.kind === 'record-error').map((i) => (i as { reason: string }).reason)).toEqual([
      `${TEXT_KEY}: record 1 (line 2): the CloudWatch Logs message has no logStream (a string)`,
      `${TEXT_KEY}: record 2 (line 3): the CloudWatch Logs message has no messageType (DATA_MESSAGE or CONTROL_MESSAGE): it is not a CloudWatch Logs subscription message`,
      `${TEXT_KEY}: record 3 (line 4): does not match the log_pattern of [cwl_text]`,
      `${TEXT_KEY}: record 4 (line 5): log event 0 of the CloudWatch Logs message has no timestamp (epoch milliseconds)`,
    ]);
    expect(docs(items).map((d) => (d._source.user as { name: string }).name)).toEqual(['erin', 'frank']);
    expect(items.at(-1)).toMatchObject({ totalRecords: 6, emitted: 2, failed: 4 });
  });

  it('reports an object cut inside a message, after the events before it', async () => {
    const items = await run(p, TEXT_KEY, TEXT_BODY.slice(0, -20));
    expect(docs(items)).toHaveLength(2);
    expect(items.find((i) => i.kind === 'record-error')).toMatchObject({ record: 2, reason: expect.stringMatching(/^cwltest\/text\/.*: record 2 \(line 1, byte \d+\): the CloudWatch Logs message: /) });
  });

  it('skips events of other log groups than `loggroup`, counted with the reason; `cwl_timestamp = true` stands in for a missing time', async () => {
    const body =
      envelope('/app/orders', [['1', T + 500, '{"time":"2026-11-21T09:59:59Z","msg":"a"}'], ['2', T + 600, '{"msg":"no time of its own"}']]) +
      envelope('/other/service', [['3', T, '{"msg":"c"}']]);
    const items = await run(p, JSON_KEY, body);
    expect(docs(items).map((d) => [d._source.msg, d._source['@timestamp'], d._source.cwl_timestamp])).toEqual([
      ['a', '2026-11-21T09:59:59.000Z', T + 500],
      ['no time of its own', '2026-11-21T10:00:00.600Z', T + 600],
    ]);
    expect(items.find((i) => i.kind === 'skipped')).toEqual({ kind: 'skipped', key: JSON_KEY, record: 2, reason: 'log group /other/service does not contain loggroup "/app/" of [cwl_json]' });
    expect(items.at(-1)).toMatchObject({ totalRecords: 3, emitted: 2, skipped: 1, failed: 0 });
  });

  it('ignores a loggroup from [DEFAULT] (the reference ships `loggroup = dummy` there)', async () => {
    const q = pipeline({ userIni: `[DEFAULT]\nloggroup = dummy\n${USER_INI}` });
    expect(q.logTypes.find((t) => t.name === 'cwl_text')?.loggroup).toBeUndefined();
    expect(docs(await run(q, TEXT_KEY, TEXT_BODY))).toHaveLength(3);
    expect(q.logTypes.find((t) => t.name === 'cwl_json')?.loggroup).toBe('/app/');
  });

  it('rejects a via_cwl value that is not a boolean, naming the file, section and key', () => {
    expect(() => pipeline({ userIni: '[x]\ns3_key = ^x/\nfile_format = json\nindex_name = log-x\nvia_cwl = maybe\n' })).toThrow(ConfigError);
    expect(() => pipeline({ userIni: '[x]\ns3_key = ^x/\nfile_format = json\nindex_name = log-x\nvia_cwl = maybe\n' })).toThrow('user.ini: [x] via_cwl: must be True or False (got "maybe")');
  });
});
