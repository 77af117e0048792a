import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY = 'ds_agent/2026/11/21/10/20261121_10_web-1_0.json.gz';

describe('Log type: deepsecurity', () => {
  const p = pipeline();

  it('turns agent events of several modules into the expected documents; a line without a CEF header is a record error', async () => {
    const items = await run(p, KEY, fixture('deepsecurity', 'fixture.json'));
    expect(docs(items)).toEqual(expected('deepsecurity'));
    expect(items.find((i) => i.kind === 'record-error')).toMatchObject({
      record: 6,
      line: 7,
      reason: `${KEY}: record 6 (line 7): transform deepsecurity failed: message is not a Deep Security CEF event: no "CEF:<version>|" header with its 7 |-separated fields`,
    });
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'deepsecurity', totalRecords: 7, emitted: 6, failed: 1 });
  });

  it('maps the CEF header and extension as the reference sf_deepsecurity.py', async () => {
    const [firewall, ips, malware, integrity, logInspection, webReputation] = docs(await run(p, KEY, fixture('deepsecurity', 'fixture.json'))).map((d) => d._source);
    expect(firewall).toMatchObject({
      '@timestamp': '2026-11-21T10:00:01.000Z',
      agent: { name: 'Trend Micro Deep Security Agent 20.0.0.8438' },
      rule: { name: '20 Log for TCP Port 80' },
      event: { severity: 0, action: 'Log', count: 1, module: 'deepsecurity' },
      source: { ip: '198.51.100.23', port: 49617, mac: '0A:9B:8C:7D:6E:5F' },
      destination: { ip: '10.0.1.20', port: 80, bytes: 1019 },
      network: { transport: 'TCP' },
      host: { id: '21' },
      server: { name: 'web-1' },
      cs2: '0x00 ACK PSH',
      cs2Label: 'TCP Flags',
    });
    for (const k of ['src', 'dst', 'act', 'cn1', 'TrendMicroDsTenant', 'TrendMicroDsTenantId']) expect(firewall).not.toHaveProperty([k]);
    // detect-only IPS: not reset; the packet's X-Forwarded-For is the source; cookies are not stored
    expect(ips).toMatchObject({ event: { action: 'DetectOnly:NotReset', severity: 6 }, source: { ip: '203.0.113.50', port: 49786, bytes: 1093 } });
    expect(ips!.TrendMicroDsPacketData).toBe("GET /login.php?user=admin'-- HTTP/1.1\r\nHost: shop.example.com\nX-Forwarded-For: 203.0.113.50\nUser-Agent: sqlmap/1.7\n");
    expect(malware).toMatchObject({ file: { path: 'C:\\Users\\alice\\Downloads\\eicar.com' }, event: { action: 'Delete', original: 'Realtime' }, host: { id: '22' }, server: { name: 'win-2' } });
    expect(integrity).toMatchObject({ file: { path: '/etc/passwd' }, event: { action: 'updated', original: 'lastModified,sha256,size' } });
    expect(logInspection).toMatchObject({ rule: { category: 'sshd: authentication failure' }, source: { ip: '203.0.113.9' }, event: { original: 'Failed password for root from 203.0.113.9 port 52211 ssh2' }, duser: 'root' });
    // no src: the device address is the source
    expect(webReputation).toMatchObject({ source: { ip: '10.0.1.20' }, request: 'http://malware.example.net/payload.exe' });
  });

  it('writes packet bytes that are not UTF-8 as \\xNN, as the reference (backslashreplace); text that is not base64 stays as logged', async () => {
    const packet = Buffer.concat([Buffer.from('GET / HTTP/1.1\n'), Buffer.from([0xff, 0xfe]), Buffer.from(' é\nCookie: a=1\nX-Forwarded-For: 203.0.113.9\n')]).toString('base64');
    const line = (data: string) =>
      JSON.stringify({ message: `Nov 21 10:00:05 web-1 CEF:0|Trend Micro|Deep Security Agent|20.0.0.8438|1000552|Rule|6|cn1=21 src=10.0.0.5 TrendMicroDsPacketData=${data}`, hostname: 'web-1', timestamp: '2026-11-21T19:00:05+09:00' });
    const [binary, notBase64] = docs(await run(p, KEY, `${line(packet)}\n${line('not*base64')}\n`)).map((d) => d._source);
    expect(binary).toMatchObject({ TrendMicroDsPacketData: 'GET / HTTP/1.1\n\\xff\\xfe é\nX-Forwarded-For: 203.0.113.9\n', source: { ip: '203.0.113.9' } });
    expect(notBase64).toMatchObject({ TrendMicroDsPacketData: 'not*base64', source: { ip: '10.0.0.5' } });
  });

  it("loads with the reference's sample section pasted into a user.ini (index and format are its spellings of index_name and file_format)", async () => {
    const sample = [
      '[deepsecurity]', 'index = log-deepsecurity', 's3_key = ds_agent', 'format = json',
      'script_ecs = event.action destination.ip destination.port destination.mac destination.bytes source.ip source.port source.mac source.bytes network.transport event.action server.name file.path event.count rule.category host.id event.original',
      'event.action = act', 'destination.ip = dst', 'server.name = hostname', 'event.original = msg', '',
    ].join('\n');
    const pasted = pipeline({ userIni: sample });
    expect(docs(await run(pasted, KEY, fixture('deepsecurity', 'fixture.json')))).toEqual(expected('deepsecurity'));
    // a user section of its own: index names the index, format the file format
    const own = pipeline({ userIni: '[ds2]\nindex = log-ds2\ns3_key = ds2_agent\nformat = json\n' });
    expect(own.resolveLogType('ds2_agent/x.json')).toMatchObject({ indexName: 'log-ds2', fileFormat: 'json' });
  });
});
