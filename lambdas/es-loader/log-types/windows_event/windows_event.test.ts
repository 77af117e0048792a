import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY = 'AWSLogs/123456789012/WindowsEvent/ap-northeast-1/2026/11/21/10/aes-siem-windows-event-1-2026-11-21-10-05-00-0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9';

describe('Log type: windows_event', () => {
  const p = pipeline();

  it('reads the Windows events of CloudWatch Logs messages (control message skipped) into the expected documents', async () => {
    const items = await run(p, KEY, fixture('windows_event', 'fixture.json'));
    expect(docs(items)).toEqual(expected('windows_event'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'windows_event', totalRecords: 10, emitted: 9, failed: 1, skipped: 0 });
  });

  it('reports the malformed event with the key and its record number, and keeps the events after it', async () => {
    const items = await run(p, KEY, fixture('windows_event', 'fixture.json'));
    const failures = items.filter((i) => i.kind === 'record-error');
    expect(failures).toMatchObject([
      { record: 5, line: 1, reason: `${KEY}: record 5 (line 1): is not well-formed XML: Unexpected close tag at line 1, column 595` },
    ]);
    expect(items.filter((i) => i.kind === 'document').map((d) => (d.kind === 'document' ? d.record : -1))).toEqual([0, 1, 2, 3, 4, 6, 7, 8, 9]);
  });

  it('derives event.action and event.outcome from the event id as the reference, user and source from the event data', async () => {
    const d = docs(await run(p, KEY, fixture('windows_event', 'fixture.json'))).map((x) => x._source);
    expect(d.map((s) => [(s.event as Record<string, unknown>).code, (s.event as Record<string, unknown>).action, (s.event as Record<string, unknown>).outcome])).toEqual([
      ['4624', 'logon', 'success'],
      ['4625', 'logon-failed', 'failure'],
      ['4672', 'special-user-logon', 'success'],
      ['4663', 'object-accessed', 'unknown'],
      ['4634', 'logoff', 'success'],
      ['5156', 'connection-allowed', 'success'],
      ['1102', 'audit-log-cleared', 'success'],
      // Ids the reference's table does not list get no action or outcome.
      ['7036', undefined, undefined],
      ['1000', undefined, undefined],
    ]);
    expect(d[0]).toMatchObject({
      '@timestamp': '2026-11-21T10:00:01.123Z',
      '@log_type': 'windows-event',
      '@log_group': '/aws/windows/security',
      event: { kind: 'event', module: 'Security' },
      host: { name: 'WIN-SRV01.corp.example.com' },
      user: { name: 'alice', domain: 'CORP', id: 'S-1-0-0' },
      source: { ip: '203.0.113.50', port: 50123 },
      related: { ip: ['203.0.113.50'], user: ['alice'] },
      cloud: { account: { id: '123456789012' }, region: 'ap-northeast-1', instance: { id: 'i-0a1b2c3d4e5f60789' } },
    });
    // Data elements by name; "-" values are left out as the reference does.
    const data0 = (d[0]!.Event as { EventData: { Data: Record<string, unknown> } }).EventData.Data;
    expect(data0).toMatchObject({ TargetUserName: 'alice', IpPort: '50123', LogonType: '3' });
    expect(data0).not.toHaveProperty('SubjectUserName');
    expect(d[1]).toMatchObject({ Event: { EventData: { Data: { Status: '0xc000006d', SubStatus: '0xc000006a' } } }, user: { name: 'administrator' } });
    expect(d[5]).toMatchObject({ source: { ip: '10.0.1.25', port: 445 }, destination: { ip: '198.51.100.9', port: 51234 } });
  });

  it('reshapes the event as the reference: privilege and access lists, EventID qualifiers, unnamed Data by position, user data kept', async () => {
    const d = docs(await run(p, KEY, fixture('windows_event', 'fixture.json'))).map((x) => x._source.Event as Record<string, Record<string, unknown>>);
    expect(d[2]!.EventData).toMatchObject({ Data: { PrivilegeList: ['SeSecurityPrivilege', 'SeBackupPrivilege', 'SeDebugPrivilege'] } });
    expect(d[3]!.EventData).toMatchObject({ Data: { AccessList: ['%%4416', '%%4423'], ObjectName: 'C:\\Finance\\payroll.xlsx' } });
    expect(d[7]!.System).toMatchObject({ EventID: '7036', Qualifiers: '16384', Provider: { Name: 'Service Control Manager' } });
    expect(d[7]!.EventData).toEqual({ Data: { param1: 'Windows Update', param2: 'running' }, Binary: '770075006100750073007600630000000000' });
    expect(d[8]!.EventData).toEqual({ Data: { 1: 'app&svc.exe', 2: '10.0.17763.1', 4: 'c0000005' } });
    expect(d[6]!.UserData).toEqual({
      LogFileCleared: { xmlns: 'http://manifests.microsoft.com/win/2004/08/windows/eventlog', SubjectUserSid: 'S-1-5-21-3623811015-3361044348-30300820-500', SubjectUserName: 'Administrator', SubjectDomainName: 'CORP', SubjectLogonId: '0x3e7a3b2' },
    });
    // An empty element (<Security/>) is absent, as the reference's documents.
    expect(d[0]!.System).not.toHaveProperty('Security');
  });

  it.each([KEY, 'AWSLogs/123456789012/windows/ap-northeast-1/event/x.gz'])('recognises %s', (key) => expect(p.resolveLogType(key)?.name).toBe('windows_event'));
});
