import { describe, expect, it } from 'vitest';
import { docs, pipeline, run } from '../log-types/testing';
import { parseCef } from './cef';

const USER_INI = `
[cef_test]
s3_key = /cef-test/
file_format = cef
timestamp_key = rt
timestamp_format = epoch
index_name = log-cef-test
ecs = source.ip destination.ip
source.ip = src
destination.ip = dst
`;
const KEY = 'AWSLogs/123456789012/cef-test/2026/11/21/events.log';

describe('file_format = cef', () => {
  it('reads the header fields, the extension, custom labels and undoes CEF escaping', () => {
    expect(
      parseCef(String.raw`Nov 21 10:00:01 fw01 CEF:0|Security\|Corp|threatmanager|1.0|100|worm successfully stopped|10|src=10.0.0.1 dst=2.1.2.2 spt=1232 msg=Detected a threat.\nNo action needed\= ok cs1=C:\\temp cs1Label=path`),
    ).toEqual({
      cef_version: '0',
      cef_device_vendor: 'Security|Corp',
      cef_device_product: 'threatmanager',
      cef_device_version: '1.0',
      cef_device_event_class_id: '100',
      cef_name: 'worm successfully stopped',
      cef_severity: '10',
      src: '10.0.0.1',
      dst: '2.1.2.2',
      spt: '1232',
      msg: 'Detected a threat.\nNo action needed= ok',
      path: 'C:\\temp',
    });
  });

  it('a line whose header is broken or missing is a record error naming key and record; the other lines are loaded', async () => {
    const p = pipeline({ userIni: USER_INI });
    const good = 'CEF:0|Vendor|Product|1.0|200|login|3|src=192.0.2.1 dst=2001:db8::1 rt=1795255201000 suser=alice';
    const items = await run(p, KEY, ['CEF:0|Vendor|Product|1.0', good, 'plain text'].join('\n'));
    expect(docs(items).map((d) => d._source)).toMatchObject([
      { '@timestamp': '2026-11-21T10:00:01.000Z', '@message': good, cef_name: 'login', cef_severity: '3', suser: 'alice', source: { ip: '192.0.2.1' }, destination: { ip: '2001:db8::1' } },
    ]);
    expect(items.filter((i) => i.kind === 'record-error').map((i) => (i as { reason: string }).reason)).toEqual([
      `${KEY}: record 0 (line 1): has a broken CEF header: 4 of its 8 |-separated parts (Version|Device Vendor|Device Product|Device Version|Signature ID|Name|Severity|Extension)`,
      `${KEY}: record 2 (line 3): is not a CEF event: no "CEF:<version>|" header`,
    ]);
  });
});
