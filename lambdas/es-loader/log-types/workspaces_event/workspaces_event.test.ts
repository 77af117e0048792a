import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY = 'AWSLogs/123456789012/WorkSpaces/Event/2026/11/21/09/siem-workspaces-event-to-s3-1-2026-11-21-09-01-12-d4e5f6a7.gz';

describe('Log type: workspaces_event', () => {
  const p = pipeline();

  it('parses EventBridge "WorkSpaces Access" events into the expected documents', async () => {
    const items = await run(p, KEY, fixture('workspaces_event', 'fixture.json'));
    expect(docs(items)).toEqual(expected('workspaces_event'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'workspaces_event', totalRecords: 3, emitted: 3, failed: 0 });
  });

  it('maps the client address (IPv4 and IPv6), the WorkSpace as host and WorkspaceId, the login as a successful authentication', async () => {
    const [desktop, web, virginia] = docs(await run(p, KEY, fixture('workspaces_event', 'fixture.json')));
    expect(desktop._index).toBe('log-aws-workspaces-2026-11');
    expect(desktop._source).toMatchObject({
      '@timestamp': '2026-11-21T09:01:11.204Z',
      event: { kind: 'event', category: ['authentication', 'host'], type: 'info', outcome: 'success', module: 'workspaces-event' },
      source: { ip: '198.51.100.14' },
      host: { id: 'ws-f1a2b3c4d' },
      WorkspaceId: 'ws-f1a2b3c4d',
      related: { ip: ['198.51.100.14'], hosts: ['ws-f1a2b3c4d'] },
      cloud: { account: { id: '123456789012' }, region: 'ap-northeast-1' },
    });
    for (const k of ['workspaceId', 'detail', 'detail-type', 'time', 'resources']) expect(desktop._source).not.toHaveProperty(k);
    expect(web._source).toMatchObject({ source: { ip: '2001:db8:85a3::8a2e:370:7334' }, clientPlatform: 'Web' });
    expect(virginia._source).toMatchObject({ cloud: { region: 'us-east-1' } });
  });

  it('recognises the exporter\'s Firehose prefix, not the inventory', () => {
    expect(p.resolveLogType(KEY)?.name).toBe('workspaces_event');
    expect(p.resolveLogType('AWSLogs/123456789012/WorkSpaces/Inventory/ap-northeast-1/2026/11/21/workspaces-inventory-20261121_100000.json.gz')?.name).not.toBe('workspaces_event');
  });
});
