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
    expect(denied._source).toMatchObject({ error: { code: 'AccessDenied' }, event: { outcome: 'failure' }, source: { ip: '81.2.69.160' }, cloud: { region: 'us-east-1' } });
    expect(put._source).toMatchObject({ user: { name: 'Mary_Major' }, url: { original: '/backup/a.txt' } });
  });

  it.each([
    'aws-controltower-s3-logs/2026-11-21-10-05-12-0123456789ABCDEF',
    '2026-11-21-10-05-12-0123456789ABCDEF',
    'logs/123456789012/us-east-1/bucket/2026/11/21/2026-11-21-10-05-12-0123456789ABCDEF',
  ])('recognises %s', (key) => expect(p.resolveLogType(key)?.name).toBe('s3accesslog'));
});
