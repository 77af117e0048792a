import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY = 'AWSLogs/123456789012/WorkSpaces/Inventory/ap-northeast-1/2026/11/21/workspaces-inventory-20261121_100000.json.gz';

describe('Log type: workspaces_inventory', () => {
  const p = pipeline();

  it('makes one document per WorkSpace of each inventory page (json_delimiter detail.Workspaces) as expected', async () => {
    const items = await run(p, KEY, fixture('workspaces_inventory', 'fixture.json'));
    expect(docs(items)).toEqual(expected('workspaces_inventory'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'workspaces_inventory', totalRecords: 3, emitted: 3, failed: 0 });
  });

  it('maps the WorkSpace as host, its user, and the page time as @timestamp', async () => {
    const [alice, bob, carol] = docs(await run(p, KEY, fixture('workspaces_inventory', 'fixture.json')));
    expect(alice._index).toBe('log-aws-workspaces-2026-11');
    expect(alice._source).toMatchObject({
      '@timestamp': '2026-11-21T10:00:02.000Z',
      cwe_timestamp: '2026-11-21T10:00:02Z',
      event: { kind: 'state', category: ['host'], type: 'info', module: 'workspaces-inventory' },
      host: { id: 'ws-f1a2b3c4d', ip: '10.0.2.15', name: 'A-1B2C3D4E5F6G', hostname: 'A-1B2C3D4E5F6G' },
      user: { id: 'alice', name: 'alice' },
      related: { hosts: ['A-1B2C3D4E5F6G', 'ws-f1a2b3c4d'], ip: ['10.0.2.15'], user: ['alice'] },
      cloud: { account: { id: '123456789012' }, region: 'ap-northeast-1' },
      WorkspaceId: 'ws-f1a2b3c4d',
      ConnectionState: 'CONNECTED',
    });
    for (const k of ['detail', 'detail-type', 'time', 'resources', 'Workspaces']) expect(alice._source).not.toHaveProperty(k);
    expect(bob._source).toMatchObject({ State: 'STOPPED', host: { id: 'ws-0a9b8c7d6' }, '@timestamp': '2026-11-21T10:00:02.000Z' });
    expect(carol._source).toMatchObject({ '@timestamp': '2026-11-21T10:00:03.000Z', State: 'ERROR', ErrorCode: 'InvalidUserName', host: { id: 'ws-5e6f7a8b9' }, related: { hosts: ['ws-5e6f7a8b9'], user: ['carol'] } });
    expect(carol._source).not.toHaveProperty('host.ip');
    expect(new Set([alice._id, bob._id, carol._id]).size).toBe(3);
  });

  it('loads nothing from a page without WorkSpaces', async () => {
    const empty = '{"id":"r","time":"2026-11-21T10:00:02Z","detail-type":"WorkSpaces Fake","source":"aws.fake.workspaces","account":"123456789012","region":"ap-northeast-1","resources":[],"detail":{"Workspaces":[]}}';
    expect(await run(p, KEY, empty)).toEqual([{ kind: 'summary', key: KEY, logType: 'workspaces_inventory', totalRecords: 0, emitted: 0, failed: 0, skipped: 0 }]);
  });

  it('recognises the exporter\'s key', () => expect(p.resolveLogType(KEY)?.name).toBe('workspaces_inventory'));
});
