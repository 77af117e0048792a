/**
 * Amazon Security Lake end to end against the local servers (issue 14): a Security Lake parquet object
 * (OCSF rows of four categories in three row groups) stored in a lake bucket of s3rver, announced as
 * Security Lake announces objects to its subscriber queue (an EventBridge "Object Created" event in an
 * SQS message), read through the loader's normal S3 path and indexed into log-ocsf-<category>; the
 * documents read back from OpenSearch are compared exactly with the log type's expected documents and
 * the field types checked in the mappings. The same rows as OCSF JSON (ocsf-json/) land in the same
 * indices; a parquet object with a corrupt row group loads the other row groups and sends one failure
 * naming the row group to the DLQ.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parquetMetadata } from 'hyparquet';
import { allDocs, byId, ensureBucket, eventBridgeEvent, expected, expectIndexedExactly, failureMessages, fieldType, fixture, makeLoader, osClient, putObject, resetIndices, sqsEvent, type TestLoader } from './es-loader-helpers';

const LAKE = 'aws-security-data-lake-ap-northeast-1-a1b2c3d4e5f6';
const KEY = 'aws/CLOUD_TRAIL_MGMT/1.0/region=ap-northeast-1/accountId=123456789012/eventDay=20261125/0123456789abcdef0123456789abcdef.gz.parquet';
const INDICES = 'log-ocsf-*';
const TYPES: Record<string, Readonly<Record<string, string>>> = {
  'log-ocsf-audit-2026-11': { '@timestamp': 'date', 'source.ip': 'ip', 'user.name': 'keyword', 'cloud.account.id': 'keyword', 'api.operation': 'keyword', 'api.service.name': 'keyword', 'user_agent.name': 'keyword' },
  'log-ocsf-network-2026-11': { '@timestamp': 'date', 'source.ip': 'ip', 'destination.ip': 'ip', 'destination.port': 'long', 'traffic.bytes': 'long', 'class_uid': 'long' },
  'log-ocsf-findings-2026-11': { '@timestamp': 'date', 'finding.modified_time': 'long', 'severity': 'keyword' },
};

let loader: TestLoader;
const client = osClient();
const reset = () => resetIndices(client, INDICES);

/** The SQS message Security Lake sends its subscriber for a new object. */
const lakeNotification = (key: string, size: number) => sqsEvent([{ body: JSON.stringify(eventBridgeEvent(key, { bucket: LAKE, size })) }], 'AmazonSecurityLake-subscriber-queue');

beforeAll(async () => {
  loader = await makeLoader();
  await ensureBucket(LAKE);
});
beforeEach(async () => {
  await reset();
  loader.log.lines.length = 0;
});
afterAll(async () => {
  await reset();
});

describe('es-loader: Amazon Security Lake (OCSF parquet) and OCSF JSON in OpenSearch', () => {
  it('loads a lake parquet object announced through the subscriber queue: exact documents in log-ocsf-<category>, field types', async () => {
    const size = await putObject(KEY, fixture('securitylake', 'fixture.gz.parquet'), { gzip: false, bucket: LAKE });
    expect(await loader.invoke(lakeNotification(KEY, size))).toEqual({ batchItemFailures: [] });
    const want = expected('securitylake').map((d) => ({ ...d, _source: { ...d._source, '@log_s3bucket': LAKE } }));
    expect(byId(await allDocs(client, INDICES))).toEqual(byId(want));
    expect([...new Set(want.map((d) => d._index))].sort()).toEqual(['log-ocsf-audit-2026-11', 'log-ocsf-findings-2026-11', 'log-ocsf-identity-2026-11', 'log-ocsf-network-2026-11']);
    for (const [index, types] of Object.entries(TYPES)) for (const [field, type] of Object.entries(types)) expect(await fieldType(client, index, field), `${index} ${field}`).toBe(type);
    expect(loader.log.lastTotals()).toMatchObject({ objects: 1, read: 8, indexed: 8, failed: 0 });
    expect(await failureMessages(loader.dlqUrl)).toEqual([]);
  });

  it('loads the same rows as OCSF JSON lines (ocsf-json/) into the same indices', async () => {
    await expectIndexedExactly(loader, client, { name: 'OCSF JSON', type: 'ocsf_json', file: 'fixture.jsonl', key: 'ocsf-json/2026/11/25/ocsf-events.json', types: { '@timestamp': 'date', class_uid: 'long', category_uid: 'long', 'event.module': 'keyword' } });
  });

  it('a corrupt row group: the other row groups are indexed, one DLQ failure names the key and the row group', async () => {
    const file = Buffer.from(fixture('securitylake', 'fixture.gz.parquet'));
    const meta = parquetMetadata(file.buffer.slice(file.byteOffset, file.byteOffset + file.length) as ArrayBuffer);
    const col = meta.row_groups[1]!.columns[0]!.meta_data!;
    const at = Number(col.dictionary_page_offset ?? col.data_page_offset);
    file.fill(0xff, at, at + 24);
    const key = KEY.replace('0123456789abcdef0123456789abcdef', 'fedcba9876543210fedcba9876543210');
    const size = await putObject(key, file, { gzip: false, bucket: LAKE });
    await loader.invoke(lakeNotification(key, size));
    const got = await allDocs(client, INDICES);
    // rows 0-2 and 6-7 (row groups 1 and 3)
    expect(got.map((d) => d._source.class_uid).sort()).toEqual([2001, 3001, 3005, 3005, 4001]);
    const failures = await failureMessages(loader.dlqUrl);
    expect(failures).toHaveLength(1);
    expect(JSON.stringify(failures[0])).toContain(`${key}: record 3: row group 2 of 3 (rows 3-5) could not be decoded`);
  });
});
