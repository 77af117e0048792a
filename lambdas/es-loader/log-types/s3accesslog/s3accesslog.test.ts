import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY = 'aws-controltower-s3-logs/2026-11-21-10-05-12-0123456789ABCDEF';

describe('Log type: s3accesslog', () => {
  const p = pipeline();

  it('parses server access log lines (current and older field sets) into the expected documents', async () => {
    const items = await run(p, KEY, fixture('s3accesslog', 'fixture.log'), { gzip: false });
    expect(docs(items)).toEqual(expected('s3accesslog'));
    expect(items.at(-1)).toMatchObject({ totalRecords: 3, emitted: 3, failed: 0 });
  });

  it('maps request, status, requester and endpoint', async () => {
    const [versioning, denied, put] = docs(await run(p, KEY, fixture('s3accesslog', 'fixture.log'), { gzip: false }));
    expect(versioning._source).toMatchObject({
      '@timestamp': '2026-11-21T10:00:38.000Z',
      http: { request: { method: 'GET' }, response: { status_code: 200, bytes: 113 }, version: '1.1' },
      user: { name: 'session' },
      cloud: { region: 'us-east-1' },
      event: { action: 'REST.GET.VERSIONING', outcome: 'success' },
    });
    expect(denied._source).toMatchObject({ error: { code: 'AccessDenied' }, event: { outcome: 'failure' }, source: { ip: '81.2.69.160' } });
    expect(put._source).toMatchObject({ user: { name: 'Mary_Major' }, url: { original: '/backup/a.txt' } });
  });

  it('names the newer columns as the reference (SigV, AuthType, EndPoint, S3AccessPointARN) and leaves "-" columns out', async () => {
    const line = fixture('s3accesslog', 'fixture.log').toString().split('\n')[0].replace(/ - -$/, ' arn:aws:s3:us-east-1:123456789012:accesspoint/ap1 Yes');
    const [doc] = docs(await run(p, KEY, line, { gzip: false }));
    const s = doc._source;
    expect([s.SigV, s.AuthType, s.EndPoint, s.TLSVersion, s.S3AccessPointARN, s.AclRequired]).toEqual([
      'SigV4', 'AuthHeader', 'aws-controltower-logs-123456789012-us-east-1.s3.us-east-1.amazonaws.com', 'TLSv1.2', 'arn:aws:s3:us-east-1:123456789012:accesspoint/ap1', 'Yes',
    ]);
    expect(Object.keys(s).filter((k) => ['SignatureVersion', 'AuthenticationType', 'HostHeader', 'AccessPointArn', 'Key', 'ErrorCode', 'ObjectSize', 'VersionId'].includes(k))).toEqual([]);
    expect(s.url).toMatchObject({ domain: 'aws-controltower-logs-123456789012-us-east-1.s3.us-east-1.amazonaws.com' });
  });

  it('takes cloud.account.id and cloud.region from the key, else the region from the endpoint; none for s3.amazonaws.com', async () => {
    const lines = fixture('s3accesslog', 'fixture.log').toString().split('\n');
    const cloud = async (key: string, line: string) => docs(await run(p, key, line, { gzip: false }))[0]._source.cloud;
    // Date-based partitioned prefix: [prefix]<source account>/<source region>/<bucket>/YYYY/MM/DD/
    const partitioned = 's3logs/123456789012/eu-west-1/aws-controltower-logs/2026/11/21/2026-11-21-10-05-12-0123456789ABCDEF';
    expect(await cloud(partitioned, lines[0])).toEqual({ provider: 'aws', account: { id: '123456789012' }, region: 'eu-west-1' });
    expect(await cloud(KEY, lines[0])).toEqual({ provider: 'aws', region: 'us-east-1' });
    expect(await cloud(KEY, lines[1])).toEqual({ provider: 'aws' });
    expect(await cloud(KEY, lines[2])).toEqual({ provider: 'aws' });
  });

  it.each([
    'aws-controltower-s3-logs/2026-11-21-10-05-12-0123456789ABCDEF',
    '2026-11-21-10-05-12-0123456789ABCDEF',
    'logs/123456789012/us-east-1/bucket/2026/11/21/2026-11-21-10-05-12-0123456789ABCDEF',
  ])('recognises %s', (key) => expect(p.resolveLogType(key)?.name).toBe('s3accesslog'));
});
