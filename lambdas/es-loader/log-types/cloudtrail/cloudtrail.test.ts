import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY = 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/21/111122223333_CloudTrail_us-east-1_20261121T1010Z_EXAMPLEabcd1234.json.gz';

describe('Log type: cloudtrail', () => {
  const p = pipeline();

  it('turns the Records of a trail file into the expected ECS documents', async () => {
    const items = await run(p, KEY, fixture('cloudtrail', 'fixture.json'));
    expect(docs(items)).toEqual(expected('cloudtrail'));
    expect(items.at(-1)).toEqual({ kind: 'summary', key: KEY, logType: 'cloudtrail', totalRecords: 5, emitted: 5, failed: 0, skipped: 0 });
  });

  it('maps the reference fields: ids, user, source, outcome, instance id', async () => {
    const [create, run1, service, denied, insight] = docs(await run(p, KEY, fixture('cloudtrail', 'fixture.json')));
    expect(create._id).toBe('4a7b2cb2-1d1a-4bb0-9b1e-EXAMPLE11111');
    expect(create._index).toBe('log-aws-cloudtrail-2026-11');
    expect(create._source).toMatchObject({
      '@timestamp': '2026-11-21T10:05:13.000Z',
      event: { action: 'CreateUser', outcome: 'success', module: 'iam.amazonaws.com', ingested: '2026-11-22T07:00:00.000Z' },
      user: { name: 'Mary_Major', id: 'AKIAIOSFODNN7EXAMPLE' },
      source: { ip: '81.2.69.160' },
      cloud: { account: { id: '111122223333' }, region: 'us-east-1', provider: 'aws' },
    });
    expect(run1._source).toMatchObject({ user: { name: 'session-name' }, cloud: { region: 'eu-west-1', instance: { id: 'i-0abcd1234efgh5678' } } });
    expect(service._source.source).toEqual({ address: 'cloudtrail.amazonaws.com', domain: 'cloudtrail.amazonaws.com' });
    expect(service._source).not.toHaveProperty('responseElements');
    expect(denied._source).toMatchObject({ event: { outcome: 'failure' }, error: { code: 'AccessDenied' } });
    expect(insight._source).toMatchObject({ event: { kind: 'alert', action: 'RunInstances', type: 'start' } });
    expect(insight._source.event).not.toHaveProperty('outcome');
  });

  it.each([
    ['o-a1b2c3d4e5/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/21/x.json.gz', '111122223333'],
    ['AWSLogs/o-a1b2c3d4e5/222233334444/CloudTrail/ap-northeast-1/2026/11/21/x.json.gz', '222233334444'],
    ['trails/AWSLogs/o-a1b2c3d4e5/222233334444/CloudTrail/ap-northeast-1/2026/11/21/x.json.gz', '222233334444'],
    ['AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2026/11/21/x.json.gz', '111122223333'],
  ])('recognises organization-trail and Insights key %s', async (key, account) => {
    expect(p.resolveLogType(key)?.name).toBe('cloudtrail');
    const body = JSON.stringify({ Records: [{ eventTime: '2026-11-21T00:00:00Z', eventID: 'x', eventName: 'E' }] });
    const [doc] = docs(await run(p, key, body));
    expect(doc._source.cloud).toMatchObject({ account: { id: account } });
  });

  it('ignores digest files without reading them', async () => {
    const key = 'AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/11/21/x.json.gz';
    expect(p.resolveLogType(key)).toBeUndefined();
    const items = await run(p, key, 'not even json');
    expect(items).toEqual([
      { kind: 'summary', key, logType: 'cloudtrail', totalRecords: 0, emitted: 0, failed: 0, skipped: 0, ignoredReason: 'key matches s3_key_ignored of [cloudtrail]' },
    ]);
  });
});
