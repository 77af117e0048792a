import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY = 'AWSLogs/123456789012/DirectoryService/MicrosoftAD/ap-northeast-1/2026/11/21/10/aes-siem-ds-1-2026-11-21-10-05-00-6a7b8c9d-0e1f-2345-a6b7-c8d9e0f12345';
const NS = "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>";

const envelope = (...messages: string[]) =>
  JSON.stringify({
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: '/aws/directoryservice/d-9067a1b2c3',
    logStream: 'd-9067a1b2c3-10.0.0.10',
    subscriptionFilters: [],
    logEvents: messages.map((message, i) => ({ id: String(i + 1), timestamp: 1795255201000, message })),
  });

describe('Log type: directory_service', () => {
  const p = pipeline();

  it('reads the domain controllers\' security events of the CloudWatch Logs messages into the expected documents', async () => {
    const items = await run(p, KEY, fixture('directory_service', 'fixture.json'));
    expect(docs(items)).toEqual(expected('directory_service'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'directory_service', totalRecords: 4, emitted: 4, failed: 0, skipped: 0 });
  });

  it('maps the Windows event fields as windows-event, with action and outcome from the event id and the Region from the key', async () => {
    const [logon, failed, kerberos, created] = docs(await run(p, KEY, fixture('directory_service', 'fixture.json')));
    expect(logon!._index).toBe('log-aws-directory-service-2026-11');
    expect(logon!._source).toMatchObject({
      '@log_type': 'directory-service',
      '@timestamp': '2026-11-21T10:00:01.234Z',
      event: { kind: 'event', code: '4624', module: 'Security', action: 'logon', outcome: 'success' },
      host: { name: 'EC2AMAZ-DC01.corp.example.com' },
      source: { ip: '10.0.1.25', port: 49832 },
      user: { name: 'admin', domain: 'CORP' },
      cloud: { account: { id: '123456789012' }, region: 'ap-northeast-1' },
      related: { ip: ['10.0.1.25'], user: ['admin'] },
    });
    expect(failed!._source).toMatchObject({ event: { action: 'logon-failed', outcome: 'failure' }, source: { ip: '2001:db8:4f::17' }, user: { name: 'mallory' } });
    expect(kerberos!._source).toMatchObject({ event: { action: 'kerberos-pre-authentication-failed', outcome: 'failure' }, source: { ip: '::ffff:10.0.2.30', port: 52011 } });
    expect(created!._source).toMatchObject({ event: { action: 'added-user-account', outcome: 'success' }, user: { name: 'admin' }, related: { user: ['admin', 'carol'] } });
    expect((created!._source.Event as { EventData: { Data: Record<string, unknown> } }).EventData.Data).toMatchObject({ TargetUserName: 'carol', SamAccountName: 'carol' });
  });

  it('names a malformed event in a record error and loads the others', async () => {
    const good = `${NS}<System><EventID>4740</EventID><TimeCreated SystemTime='2026-11-21T10:04:00.0000000Z'/><Channel>Security</Channel><Computer>DC01</Computer></System><EventData><Data Name='TargetUserName'>bob</Data></EventData></Event>`;
    const bad = `${NS}<System><EventID>4624</EventID><TimeCreated SystemTime='2026-11-21T10:05:00.0000000Z'/></System><EventData><Data Name='TargetUserName'>broken</Data></Event>`;
    const items = await run(p, KEY, envelope(bad, good));
    expect(items[0]).toMatchObject({ kind: 'record-error', record: 0, reason: expect.stringMatching(/^AWSLogs\/.*: record 0 \(line 1\): is not well-formed XML: /) });
    expect(docs(items).map((d) => d._source.event)).toMatchObject([{ code: '4740', action: 'locked-out-user-account', outcome: 'success' }]);
  });

  it.each([KEY, 'AWSLogs/123456789012/DirectoryService/MicrosoftAD/us-east-1/x.gz'])('recognises %s', (key) => expect(p.resolveLogType(key)?.name).toBe('directory_service'));
});
