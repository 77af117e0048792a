import { describe, expect, it } from 'vitest';
import { docs, pipeline, run } from '../log-types/testing';
import { EVENT_END, EVENT_START, parseWindowsEvent, splitXmlRecords, xmlToObject } from './xml';

const USER_INI = `
[xml_test]
s3_key = /xml-test/
file_format = xml
xml_firstline = <record\\b
timestamp_key = record.time
index_name = log-xml-test
ecs = user.name event.action
user.name = record.user.@name
event.action = record.action

[winevt_test]
s3_key = /winevt-test/
file_format = winevtxml
timestamp_key = Event.System.TimeCreated.SystemTime
index_name = log-winevt-test
ecs = event.code user.name
event.code = Event.System.EventID
user.name = Event.EventData.Data.TargetUserName
`;

async function* chunked(text: string, size = 7): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}
async function collect(gen: AsyncIterable<Array<{ record: number; text: string; error?: string }>>) {
  const out: Array<{ record: number; text: string; error?: string }> = [];
  for await (const b of gen) out.push(...b);
  return out;
}

describe('file_format = xml', () => {
  it('gives each record the shape of xmltodict: @attributes, #text beside attributes, lists for repeated elements, text trimmed, entities decoded', () => {
    expect(xmlToObject(`<record id="7"><user name="alice"/><tag>a</tag><tag> b </tag><empty/><msg lang="en">x &amp; y</msg><![CDATA[ raw ]]></record>`)).toEqual({
      record: { '@id': '7', user: { '@name': 'alice' }, tag: ['a', 'b'], msg: { '@lang': 'en', '#text': 'x & y' }, '#text': 'raw' },
    });
  });

  it('starts a record at each line matching xml_firstline (at the line start) and loads each; a malformed one is a record error naming key and record', async () => {
    const p = pipeline({ userIni: USER_INI });
    const key = 'logs/xml-test/2026/11/21/records.xml';
    const body = [
      '<?xml version="1.0"?>',
      '<record>',
      '  <time>2026-11-21T10:00:01Z</time>',
      '  <user name="alice"/>',
      '  <action>login</action>',
      '</record>',
      '<record><time>2026-11-21T10:00:02Z</time><user name="bob"><action>logout</action></record>',
      ' <record> is not a start: the line does not begin with it',
      '<record><time>2026-11-21T10:00:03Z</time><user name="carol"/><action>login</action></record>',
    ].join('\n');
    const items = await run(p, key, body);
    expect(docs(items).map((d) => [d._source['@timestamp'], d._source.user, d._source.event])).toEqual([
      ['2026-11-21T10:00:01.000Z', { name: 'alice' }, expect.objectContaining({ action: 'login' })],
      ['2026-11-21T10:00:03.000Z', { name: 'carol' }, expect.objectContaining({ action: 'login' })],
    ]);
    expect(docs(items)[0]!._source['@message']).toBe('<record>\n  <time>2026-11-21T10:00:01Z</time>\n  <user name="alice"/>\n  <action>login</action>\n</record>');
    expect(items.filter((i) => i.kind === 'record-error')).toMatchObject([
      { record: 1, line: 7, reason: `${key}: record 1 (line 7): is not well-formed XML: Unexpected close tag at line 1, column 90` },
    ]);
    expect(items.at(-1)).toMatchObject({ kind: 'summary', totalRecords: 3, emitted: 2, failed: 1 });
  });

  it('refuses a record that is not one XML document, and reads the next record with the same parser', () => {
    expect(() => xmlToObject('<a/><b/>')).toThrow('is not well-formed XML: a second root element <b>');
    expect(() => xmlToObject('<a>x</a> trailing')).toThrow('is not well-formed XML: Text data outside of root node. at line 1, column 10');
    expect(() => xmlToObject('no markup')).toThrow('is not well-formed XML: Non-whitespace before first tag. at line 1, column 1');
    expect(xmlToObject('<a n="1">x</a>')).toEqual({ a: { '@n': '1', '#text': 'x' } });
  });

  it('needs xml_firstline', () => {
    expect(() => pipeline({ userIni: '[x]\ns3_key = /x/\nfile_format = xml\nindex_name = log-x\n' })).toThrow(
      'user.ini: [x] xml_firstline: is required when file_format = xml: a regular expression matching the first line of each XML record, e.g. ^<record',
    );
  });
});

describe('file_format = winevtxml', () => {
  const event = (id: number, user: string, time: string) =>
    [
      `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>`,
      `  <System>`,
      `    <Provider Name='Microsoft-Windows-Security-Auditing'/>`,
      `    <EventID>${id}</EventID>`,
      `    <TimeCreated SystemTime='${time}'/>`,
      `  </System>`,
      `  <EventData>`,
      `    <Data Name='TargetUserName'>${user}</Data>`,
      `    <Data Name='IpAddress'>-</Data>`,
      `  </EventData>`,
      `</Event>`,
    ].join('\r\n');

  it('reads a file of events written over several lines, from <Event xmlns= to </Event>; whitespace between elements is dropped', async () => {
    const p = pipeline({ userIni: USER_INI });
    const key = 'fsx/winevt-test/2026/11/21/audit.xml';
    const body = ['<Events>', event(4624, 'alice', '2026-11-21T10:00:01.1234567Z'), event(4625, 'bob', '2026-11-21T10:00:02Z'), '</Events>'].join('\r\n');
    const d = docs(await run(p, key, body));
    expect(d.map((x) => x._source.Event)).toEqual([
      { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event', System: { Provider: { Name: 'Microsoft-Windows-Security-Auditing' }, EventID: '4624', TimeCreated: { SystemTime: '2026-11-21T10:00:01.1234567Z' } }, EventData: { Data: { TargetUserName: 'alice' } } },
      { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event', System: { Provider: { Name: 'Microsoft-Windows-Security-Auditing' }, EventID: '4625', TimeCreated: { SystemTime: '2026-11-21T10:00:02Z' } }, EventData: { Data: { TargetUserName: 'bob' } } },
    ]);
    expect(d.map((x) => [x._source['@timestamp'], x._source.event, x._source.user])).toEqual([
      ['2026-11-21T10:00:01.123Z', expect.objectContaining({ code: '4624' }), { name: 'alice' }],
      ['2026-11-21T10:00:02.000Z', expect.objectContaining({ code: '4625' }), { name: 'bob' }],
    ]);
  });

  it('an event cut short (no </Event> before the next one or before the end) is a record error; the others are loaded', async () => {
    const p = pipeline({ userIni: USER_INI });
    const key = 'fsx/winevt-test/2026/11/21/cut.xml';
    const cut = event(4624, 'alice', '2026-11-21T10:00:01Z').split('\r\n').slice(0, 5).join('\n');
    const body = [cut, event(4625, 'bob', '2026-11-21T10:00:02Z'), cut].join('\n');
    const items = await run(p, key, body);
    expect(docs(items).map((x) => x._source.user)).toEqual([{ name: 'bob' }]);
    expect(items.filter((i) => i.kind === 'record-error').map((i) => i.kind === 'record-error' && i.reason)).toEqual([
      `${key}: record 0 (line 1): the Windows event has no end (</Event>) before the next one starts at line 6`,
      `${key}: record 2 (line 17): the Windows event has no end (</Event>): the object ends inside it`,
    ]);
  });

  it('removes control characters from an event that holds characters XML does not allow, as the reference retries its parse', () => {
    const doc = parseWindowsEvent(`<Event xmlns='x'><System><EventID>4624</EventID></System><EventData><Data Name='TargetUserName'>al\u0001ice</Data><Data Name='Note'>a\tb</Data></EventData></Event>\u0000\u0000`);
    expect(doc).toEqual({ Event: { xmlns: 'x', System: { EventID: '4624' }, EventData: { Data: { TargetUserName: 'alice', Note: 'ab' } } } });
    // Tabs alone are allowed: kept.
    expect(parseWindowsEvent(`<Event xmlns='x'><EventData><Data Name='Note'>a\tb</Data></EventData></Event>`)).toEqual({ Event: { xmlns: 'x', EventData: { Data: { Note: 'a\tb' } } } });
  });

  it('keeps memory bounded: a record growing past the limit without its end is an error and the reader resumes at the next record', async () => {
    const lines = ['<Event xmlns="x">', ...Array.from({ length: 50 }, () => '<Data>0123456789</Data>'), '<Event xmlns="x"><System/></Event>'].join('\n');
    const recs = await collect(splitXmlRecords(chunked(lines), (l) => EVENT_START.test(l), (l) => EVENT_END.test(l), 'the Windows event', 200));
    expect(recs).toEqual([
      { record: 0, line: 1, text: '<Event xmlns="x">', error: 'the Windows event is longer than 200 characters without its end (</Event>); skipped up to the next record' },
      { record: 1, line: 52, text: '<Event xmlns="x"><System/></Event>' },
    ]);
  });

  it('a record whose root is not <Event> is a record error', () => {
    expect(() => parseWindowsEvent('<Other/>')).toThrow('is not a Windows event: the root element is <Other>, expected <Event>');
  });
});
