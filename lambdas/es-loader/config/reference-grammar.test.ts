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
          event: { kind: 'event', ingested: '2026-11-22T07:00:00.000Z', dataset: 'myapp' },
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
