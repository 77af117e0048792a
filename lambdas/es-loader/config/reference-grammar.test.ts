import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { docs, pipeline, run } from '../log-types/testing';
import { ConfigError } from '../pipeline';
import { fromReferenceSyntax } from './ini-files';
import { KNOWN_KEYS } from './log-type';
import { REFERENCE_KEYS } from './reference-grammar';

/**
 * A user.ini in the reference's grammar (Python configparser + ExtendedInterpolation) that uses every
 * key of that grammar (fixtures/reference-user.ini); docs/log-types.md "user.ini" lists what each does here.
 */
const REFERENCE_USER_INI = readFileSync(join(__dirname, 'fixtures', 'reference-user.ini'), 'utf8');

const LINE = '2025-03-01T12:34:56.123456789Z 192.0.2.10 2001:db8::5 alice ticket#42; "curl/8.4.0" 198.51.100.7';

describe('Config: a user.ini in the reference grammar loads unchanged', () => {
  const p = pipeline({ userIni: REFERENCE_USER_INI, userIniName: 'reference-user.ini' });

  it('turns a record of its own log type into the documented document', async () => {
    const out = docs(await run(p, 'AWSLogs/111122223333/myapp/app.log', LINE));
    expect(out).toEqual([
      {
        // index_time = event_ingested: the index is the loader's month (NOW 2026-11-22, +09:00), not the record's 2025-03.
        _index: 'log-myapp-prod-2026-11',
        // doc_id + doc_id_suffix: <ticket>_<uname>
        _id: '42_alice',
        _source: {
          time: '2025-03-01T12:34:56.123456789Z',
          client: '192.0.2.10',
          peer: '2001:db8::5',
          uname: 'alice',
          user: { name: 'alice' },
          ticket: '42',
          agent: 'curl/8.4.0',
          xff: '198.51.100.7',
          source: { ip: '192.0.2.10', address: '192.0.2.10' },
          destination: { ip: '2001:db8::5' },
          user_agent: { original: 'curl/8.4.0' },
          event: { kind: 'event', ingested: '2026-11-22T07:00:00.000Z', dataset: 'myapp', module: 'myapp' },
          cloud: { account: { id: '111122223333' }, provider: 'aws' },
          // timestamp_key_list = time; timestamp_nano: truncated to milliseconds
          '@timestamp': '2025-03-01T12:34:56.123Z',
          '@log_type': 'myapp-ref',
          '@id': '42',
          '@log_s3bucket': 'aes-siem-111122223333-log',
          '@log_s3key': 'AWSLogs/111122223333/myapp/app.log',
          '@message': LINE,
          ecs: { version: '1.10.0' },
          // list-form mappings: every element's values, IP literals only for related.ip, sorted
          related: { ip: ['192.0.2.10', '198.51.100.7', '2001:db8::5'], user: ['alice'] },
        },
      },
    ]);
  });

  it('ignores keys matching s3_key_ignored and reads ${section:option} references', async () => {
    expect(p.classify('AWSLogs/111122223333/myapp/debug/app.log')).toMatchObject({ ignored: 'key matches s3_key_ignored of [myapp]' });
    const archive = p.resolveLogType('AWSLogs/111122223333/myapp-archive/app.log')!;
    expect(archive).toMatchObject({ name: 'myapp-archive', indexName: 'log-myapp-archive', fileFormat: 'text', maxLogCount: 100000 });
    // $$ in the referenced pattern is one $
    expect(archive.logPattern!.source.endsWith('(?<xff>\\S+)$')).toBe(true);
    expect(p.resolveLogType('AWSLogs/111122223333/myapp/app.log')).toMatchObject({ maxLogCount: 5000, indexTzMinutes: 540, indexTime: 'event_ingested' });
  });

  it('applies a section named as the reference names ours to our section', () => {
    const cf = p.resolveLogType('AWSLogs/111122223333/cloudfront/E2EXAMPLE.2026-11-22-07.abcd1234.gz') ?? p.resolveLogType('cf/E2EXAMPLE1ABCD.2026-11-22-07.abcd1234.gz');
    expect(cf).toMatchObject({ name: 'cloudfront_standard', indexRotation: 'daily' });
    expect(p.logTypes.filter((t) => t.name === 'cloudfront_standard')).toHaveLength(1);
    expect(p.logTypes.map((t) => t.name)).not.toContain('cloudfront-standard');
    expect(p.logTypes.find((t) => t.name === 'config')).toMatchObject({ maxLogCount: 777 });
    expect(p.logTypes.map((t) => t.name)).not.toContain('config-history');
  });

  it('knows every key of the reference grammar (no "unknown key" for any of them)', () => {
    for (const key of Object.keys(REFERENCE_KEYS)) expect(REFERENCE_USER_INI).toMatch(new RegExp(`^${key} *[=:]`, 'm'));
  });
});

describe('Config: docs/log-types.md "user.ini" lists every key', () => {
  const doc = readFileSync(join(__dirname, '../../../docs/log-types.md'), 'utf8');
  const section = doc.slice(doc.indexOf('\n## user.ini\n'), doc.indexOf('\n## ', doc.indexOf('\n## user.ini\n') + 1));
  const rows = section.split('\n').filter((l) => l.startsWith('| `'));
  const documented = new Set(rows.flatMap((r) => [...r.split(' | ')[0]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!)));

  it.each([...KNOWN_KEYS, ...Object.keys(REFERENCE_KEYS)])('%s', (key) => {
    expect(documented.has(key), `docs/log-types.md "user.ini" has no table row for ${key}`).toBe(true);
  });
});

describe('Config: reference grammar details', () => {
  it('runs the built-in transform of a section with script_ecs, as the reference runs its sf_<type>.py', () => {
    const p = pipeline({ userIni: '[cloudtrail]\ntransform =\nscript_ecs = cloud.instance.id user.name' });
    expect(p.logTypes.find((t) => t.name === 'cloudtrail')!.transform).toBe('cloudtrail');
    const none = pipeline({ userIni: '[cloudtrail]\ntransform =\n' });
    expect(none.logTypes.find((t) => t.name === 'cloudtrail')!.transform).toBeUndefined();
  });

  it('takes the delimiter character of csv_delimiter and the key: value form', () => {
    const p = pipeline({ userIni: '[inv]\ns3_key: /inv/\nfile_format = csv\ncsv_delimiter = ,\nindex_name = log-inv\n' });
    expect(p.resolveLogType('x/inv/a.csv')).toMatchObject({ csvDelimiter: ',', indexName: 'log-inv' });
  });

  it('rewrites configparser syntax into the ini form with the same meaning', () => {
    expect(fromReferenceSyntax('ecs = a\n    b\n  # note\n    c\nx: ^# Time: y;z # comment\n')).toBe('ecs = a b c\n\n  # note\n\nx = ^\\# Time: y\\;z # comment\n');
  });

  it.each([
    ['[x]\ns3_key = /x/\nfile_format = json\nindex_name = ${nope}', 'u.ini: [x] index_name: refers to ${nope}, but [x] has no key "nope"'],
    ['[x]\ns3_key = /x/\nfile_format = json\nindex_name = ${other:index_name}', 'u.ini: [x] index_name: refers to ${other:index_name}, but section [other] has no key "index_name"'],
    ['[x]\ns3_key = /x/\nfile_format = json\nindex_name = log-x\nvia_firelens = maybe', 'u.ini: [x] via_firelens: must be True or False (got "maybe")'],
    ['[x]\ns3_key = /x/\nfile_format = json\nindex_name = log-x\nxml_firstline = (', 'u.ini: [x] xml_firstline: not a valid regular expression'],
    ['[x]\ns3_key = /x/\nfile_format = json\nindex_name = log-x\nindex_time = later', 'u.ini: [x] index_time: must be @timestamp or event_ingested (got "later")'],
    ['[x]\ns3_key = /x/\nfile_format = json\nindex_name = log-x\nrelated.ip = [${source.ip}]', 'u.ini: [x] related.ip: refers to ${source.ip}, which this section neither lists in "ecs"/"static_ecs" nor maps'],
    ['[x]\ns3_key = /x/\nfile_format = json\nindex_name = log-x\ntimestamp_keys = t', 'u.ini: [x] timestamp_keys: unknown key; did you mean "timestamp_key"?'],
  ])('%s', (ini, message) => {
    const bad = () => pipeline({ userIni: ini, userIniName: 'u.ini' });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(message);
  });
});

describe("Config: the reference's keys that reshape records", () => {
  const section = (lines: string) => `[app]\ns3_key = /app/\nindex_name = log-app\n${lines}`;
  const one = async (ini: string, key: string, body: string) => {
    const items = await run(pipeline({ userIni: ini, userIniName: 'u.ini' }), key, body);
    return { items, out: docs(items) };
  };

  it('file_timestamp_format: timestamp_key = file_timestamp takes the time in the object key (UTC, missing parts 2000-01-01 00:00:00)', async () => {
    const ini = section(
      'file_format = text\nlog_pattern = ^(?P<level>\\w+) (?P<msg>.*)$\ntimestamp_key = file_timestamp\n' +
        'file_timestamp_format = -(?P<year>\\d{4})-(?P<month>\\d{2})-(?P<day>\\d{2})-(?P<hour>\\d{2})-(?P<minute>\\d{2})-(?P<second>\\d{2})-\n',
    );
    const { out } = await one(ini, 'firelens/app/web-2025-10-05-13-14-15-0001.log', 'ERROR disk full\nWARN slow\n');
    expect(out.map((d) => [d._index, d._source['@timestamp'], d._source.level])).toEqual([
      ['log-app-2025-10', '2025-10-05T13:14:15.000Z', 'ERROR'],
      ['log-app-2025-10', '2025-10-05T13:14:15.000Z', 'WARN'],
    ]);
    const { items } = await one(ini, 'firelens/app/web.log', 'ERROR disk full\n');
    expect(items.find((i) => i.kind === 'record-error')).toMatchObject({
      reason: 'firelens/app/web.log: record 0 (line 1): has no timestamp: field file_timestamp is missing (the object key does not match file_timestamp_format -(?<year>\\d{4})-(?<month>\\d{2})-(?<day>\\d{2})-(?<hour>\\d{2})-(?<minute>\\d{2})-(?<second>\\d{2})-)',
    });
  });

  it('file_timestamp_format: a record without timestamp_key gets the key time; a later candidate is used when the key does not match', async () => {
    const ini = section('file_format = json\nfile_timestamp_format = /(?P<year>\\d{4})/(?P<month>\\d{2})/(?P<day>\\d{2})/\n');
    const { out } = await one(ini, 'x/app/2025/10/05/a.json', '{"m":1}\n');
    expect(out[0]!._source['@timestamp']).toBe('2025-10-05T00:00:00.000Z');
    const both = section('file_format = json\ntimestamp_key = file_timestamp t\nfile_timestamp_format = /(?P<year>\\d{4})/(?P<month>\\d{2})/(?P<day>\\d{2})/\n');
    expect((await one(both, 'x/app/a.json', '{"t":"2025-01-02T03:04:05Z"}\n')).out[0]!._source['@timestamp']).toBe('2025-01-02T03:04:05.000Z');
  });

  it('timestamp_format_list: each format is tried in turn on the time field', async () => {
    const ini = section('file_format = json\ntimestamp_key = t\ntimestamp_format_list = ["iso8601", "%d/%b/%Y:%H:%M:%S %z", "epoch"]\n');
    const { items, out } = await one(ini, 'x/app/a.json', '{"t":"2025-01-02T03:04:05Z"}\n{"t":"02/Jan/2025:12:04:05 +0900"}\n{"t":1735787045}\n{"t":"yesterday"}\n');
    expect(out.map((d) => d._source['@timestamp'])).toEqual(['2025-01-02T03:04:05.000Z', '2025-01-02T03:04:05.000Z', '2025-01-02T03:04:05.000Z']);
    expect(items.find((i) => i.kind === 'record-error')).toMatchObject({
      reason: 'x/app/a.json: record 3 (line 4): timestamp t = "yesterday" is not in timestamp_format iso8601 or %d/%b/%Y:%H:%M:%S %z or epoch',
    });
  });

  it('ignore_header_line_number: header lines are skipped (text_header_line_number wins when both are set)', async () => {
    const ini = section('file_format = text\nlog_pattern = ^(?P<a>\\d+) (?P<b>\\w+)$\nignore_header_line_number = 2\n');
    const { items, out } = await one(ini, 'x/app/a.log', '# exported 2025-01-02\n# a b\n1 x\n2 y\n');
    expect(out.map((d) => d._source.b)).toEqual(['x', 'y']);
    expect(items.filter((i) => i.kind === 'record-error')).toEqual([]);
    const p = pipeline({ userIni: `${ini}text_header_line_number = 1\n` });
    expect(p.resolveLogType('x/app/a.log')!.textHeaderLineNumber).toBe(1);
  });

  it('renamed_newfields: fields get their new names before the time and the mapping read them', async () => {
    const ini = section('file_format = json\nrenamed_newfields = duration_us ts\nduration_us = Duration (us)\nts = @timestamp\ntimestamp_key = ts\necs = event.duration\nevent.duration = duration_us\n');
    const { out } = await one(ini, 'x/app/a.json', '{"Duration (us)":125,"@timestamp":"2025-01-02T03:04:05Z","Command":"GET k"}\n{"Duration (us)":0,"@timestamp":"2025-01-02T03:04:06Z"}\n');
    expect(out[0]!._source).toMatchObject({ duration_us: 125, ts: '2025-01-02T03:04:05Z', '@timestamp': '2025-01-02T03:04:05.000Z', event: { duration: 125 }, Command: 'GET k' });
    expect(out[0]!._source).not.toHaveProperty(['Duration (us)']);
    // 0 is "no value" to the reference's rename: the field keeps its name (and the time its field, renamed)
    expect(out[1]!._source).toMatchObject({ 'Duration (us)': 0, ts: '2025-01-02T03:04:06Z' });
  });

  it('field_prefix: the record\'s own fields move under the prefix after mapping, enrichment and exclusion', async () => {
    const ini = section('file_format = json\ntimestamp_key = time\nfield_prefix = app\necs = source.ip\nsource.ip = client\nexclude = level = DEBUG\n');
    const { items, out } = await one(ini, 'AWSLogs/111122223333/app/a.json', '{"time":"2025-01-02T03:04:05Z","client":"192.0.2.1","level":"INFO","detail":{"n":1}}\n{"time":"2025-01-02T03:04:05Z","level":"DEBUG"}\n');
    expect(out).toHaveLength(1);
    expect(items.filter((i) => i.kind === 'skipped')).toHaveLength(1);
    const { '@id': _id, ...source } = out[0]!._source;
    expect(source).toEqual({
      app: { time: '2025-01-02T03:04:05Z', client: '192.0.2.1', level: 'INFO', detail: { n: 1 } },
      source: { ip: '192.0.2.1' },
      '@timestamp': '2025-01-02T03:04:05.000Z',
      event: { ingested: '2026-11-22T07:00:00.000Z', dataset: 'app', module: 'app' },
      cloud: { account: { id: '111122223333' }, provider: 'aws' },
      '@log_type': 'app',
      '@log_s3bucket': 'aes-siem-111122223333-log',
      '@log_s3key': 'AWSLogs/111122223333/app/a.json',
      ecs: { version: '1.10.0' },
    });
  });

  it('json_to_text: an object or list becomes its JSON text before mapping; other values stay', async () => {
    const ini = section('file_format = json\njson_to_text = data req.filter n\necs = labels.filter\nlabels.filter = req.filter\n');
    const { out } = await one(ini, 'x/app/a.json', '{"data":{"a":[1,{"b":null}]},"req":{"filter":["x","y"]},"n":5}\n{"data":"plain {text}","req":{"filter":true}}\n');
    expect(out.map((d) => [d._source.data, d._source.req, d._source.n, d._source.labels])).toEqual([
      ['{"a":[1,{"b":null}]}', { filter: '["x","y"]' }, 5, { filter: '["x","y"]' }],
      // labels.* are keywords: the mapping writes the boolean as text
      ['plain {text}', { filter: true }, undefined, { filter: 'true' }],
    ]);
  });

  it.each([
    ['timestamp_format_list = iso8601', 'u.ini: [app] timestamp_format_list: must be a list of formats in double quotes, e.g. ["iso8601", "syslog", "%Y-%m-%d %H:%M:%S,%f"] (got "iso8601")'],
    ['timestamp_format_list = ["iso8601", "%Q"]', 'u.ini: [app] timestamp_format_list: unsupported directive %Q in timestamp_format "%Q"'],
    ['file_timestamp_format = _(\\d{8})_', 'u.ini: [app] file_timestamp_format: must name the parts of the time with groups such as (?P<year>\\d{4})'],
    ['timestamp_key = file_timestamp', 'u.ini: [app] timestamp_key: file_timestamp needs file_timestamp_format'],
    ['field_prefix = a.b', 'u.ini: [app] field_prefix: must be one field name without dots, e.g. elasticache (got "a.b")'],
    ["json_to_text = a b!", "u.ini: [app] json_to_text: \"b!\" is not a field name"],
    ['json_to_text = detail\nflat_object = detail', 'u.ini: [app] json_to_text: "detail" is also in flat_object; a field is either text or a flat object, choose one'],
    ['renamed_newfields = dur', 'u.ini: [app] renamed_newfields: lists "dur" but the section has no line "dur = <original field>"'],
    ['renamed_newfields = a.b\na.b = x', 'u.ini: [app] renamed_newfields: "a.b" must be a field name without dots'],
    ['ignore_header_line_number = -1', 'u.ini: [app] ignore_header_line_number: must be a whole number >= 0 (got "-1")'],
  ])('%s', (line, message) => {
    const bad = () => pipeline({ userIni: section(`file_format = json\n${line}\n`), userIniName: 'u.ini' });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(message);
  });
});
