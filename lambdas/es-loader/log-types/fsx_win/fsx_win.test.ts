import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY = 'AWSLogs/123456789012/FSx/ap-northeast-1/2026/11/21/10/aws-fsx-audit-1-2026-11-21-10-05-00-7b8c9d0e-1f23-4567-b8c9-d0e1f2345678';

describe('Log type: fsx_win', () => {
  const p = pipeline();

  it('reads the file access audit events Firehose wrote, one after another, into the expected documents', async () => {
    const items = await run(p, KEY, fixture('fsx_win', 'fixture.xml'));
    expect(docs(items)).toEqual(expected('fsx_win'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'fsx_win', totalRecords: 4, emitted: 4, failed: 0, skipped: 0 });
  });

  it('maps who accessed, deleted or changed which file, with action and outcome from the event id', async () => {
    const [read, deleted, denied, changed] = docs(await run(p, KEY, fixture('fsx_win', 'fixture.xml')));
    expect(read!._index).toBe('log-aws-fsx-win-2026-11');
    expect(read!._source).toMatchObject({
      '@log_type': 'fsx-win',
      event: { kind: 'event', code: '4663', action: 'object-accessed', outcome: 'unknown' },
      host: { name: 'amznfsxa1b2c3d4.corp.example.com' },
      user: { name: 'admin', domain: 'CORP', id: 'S-1-5-21-1004336348-1177238915-682003330-1104' },
      cloud: { account: { id: '123456789012' }, region: 'ap-northeast-1' },
    });
    // AccessList is a list (the reference's reshaping), the object name kept as logged.
    expect((read!._source.Event as { EventData: { Data: Record<string, unknown> } }).EventData.Data).toMatchObject({ ObjectName: 'D:\\share\\finance\\q4-report.xlsx', AccessList: ['%%4416'] });
    expect(read!._source['@message']).toMatch(/^<Event xmlns=.*<\/Event>$/s);
    expect(deleted!._source).toMatchObject({ event: { action: 'object-deleted', outcome: 'success' }, user: { name: 'bob' } });
    expect(denied!._source).toMatchObject({ event: { code: '4656', action: 'objcet-handle-requested' }, user: { name: 'mallory' } });
    expect(changed!._source).toMatchObject({ event: { action: 'object-permissions-changed', outcome: 'success' } });
  });

  it('recognises a Firehose object of a delivery stream named aws-fsx-*', () => expect(p.resolveLogType(KEY)?.name).toBe('fsx_win'));
});
