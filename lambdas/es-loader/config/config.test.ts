import { describe, expect, it } from 'vitest';
import { docs, pipeline, run } from '../log-types/testing';
import { ConfigError } from '../pipeline';
import { TRANSFORMS } from '../log-types/index';

const APACHE_INI = String.raw`
[apache]
description = Apache httpd access logs (combined format) shipped under AWSLogs/<acct>/apache/<region>/
s3_key = (^|/)AWSLogs/\d{12}/apache/
file_format = text
log_pattern = ^(?P<clientip>\S+) (?<ident>\S+) (?<auth>\S+) \[(?<timestamp>[^\]]+)\] "(?<verb>\S+) (?<request>\S+) HTTP/(?<httpversion>[^"]+)" (?<response>\d{3}) (?<bytes>\d+|-)(?: "(?<referrer>[^"]*)" "(?<agent>[^"]*)")?$
timestamp_key = timestamp
timestamp_format = %d/%b/%Y:%H:%M:%S %z
index_name = log-apache
index_rotation = daily
ecs = source.ip source.address http.request.method url.original http.version http.response.status_code http.response.bytes http.request.referrer user_agent.original user.name
source.ip = clientip
source.address = $` + `{source.ip}
http.request.method = verb
url.original = request
http.version = httpversion
http.response.status_code = response
http.response.bytes = bytes
http.request.referrer = referrer
user_agent.original = agent
user.name = auth
static_ecs = event.kind event.category
event.kind = event
event.category = web
geoip = source
`;

const APACHE_LOG = [
  '81.2.69.160 - frank [21/Nov/2026:13:55:36 +0900] "GET /apache_pb.gif HTTP/1.1" 200 2326 "http://www.example.com/start.html" "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"',
  '192.0.2.44 - - [21/Nov/2026:13:56:01 +0900] "POST /login HTTP/1.0" 401 - "-" "curl/8.4.0"',
].join('\n');

describe('Config: user.ini adds a log type without code', () => {
  it('loads Apache access logs from a user.ini section into the expected documents', async () => {
    const p = pipeline({ userIni: APACHE_INI, userIniName: 's3://aes-siem-geo/user.ini' });
    const key = 'AWSLogs/123456789012/apache/ap-northeast-1/2026/11/21/access_log.gz';
    expect(p.resolveLogType(key)?.name).toBe('apache');
    const out = docs(await run(p, key, APACHE_LOG));
    expect(out).toHaveLength(2);
    expect(out[0]._index).toBe('log-apache-2026-11-21');
    expect(out[0]._source).toEqual({
      clientip: '81.2.69.160',
      ident: '-',
      auth: 'frank',
      timestamp: '21/Nov/2026:13:55:36 +0900',
      verb: 'GET',
      request: '/apache_pb.gif',
      httpversion: '1.1',
      response: '200',
      bytes: '2326',
      referrer: 'http://www.example.com/start.html',
      agent: 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0',
      '@timestamp': '2026-11-21T04:55:36.000Z',
      source: { ip: '81.2.69.160', address: '81.2.69.160' },
      http: { request: { method: 'GET', referrer: 'http://www.example.com/start.html' }, version: '1.1', response: { status_code: 200, bytes: 2326 } },
      url: { original: '/apache_pb.gif' },
      user: { name: 'frank' },
      user_agent: { original: 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0', name: 'Firefox', version: '120.0', os: { name: 'Linux', full: 'Linux' }, device: { name: 'Other' } },
      // event.module: the section's name, as the reference gives every document before its mappings.
      event: { kind: 'event', category: 'web', ingested: '2026-11-22T07:00:00.000Z', dataset: 'apache', module: 'apache' },
      cloud: { account: { id: '123456789012' }, region: 'ap-northeast-1', provider: 'aws' },
      // The reference's basic fields: a user's section is its own @log_type; a text format keeps the raw line.
      '@log_type': 'apache',
      '@id': out[0]._id,
      '@log_s3bucket': 'aes-siem-111122223333-log',
      '@log_s3key': key,
      '@message': APACHE_LOG.split('\n')[0],
      ecs: { version: '1.10.0' },
    });
    expect(out[1]._source).toMatchObject({ http: { response: { status_code: 401 } }, source: { ip: '192.0.2.44' } });
    expect((out[1]._source.http as { response: Record<string, unknown> }).response).not.toHaveProperty('bytes');
  });

  it('overrides a single key of a built-in section', () => {
    const p = pipeline({ userIni: '[cloudtrail]\nindex_rotation = daily\nmax_log_count = 1000\n' });
    expect(p.resolveLogType('AWSLogs/111122223333/CloudTrail/us-east-1/x.json.gz')).toMatchObject({ indexRotation: 'daily', maxLogCount: 1000, jsonDelimiter: 'Records' });
  });
});

describe('Config: invalid settings fail at cold start naming file, section and key', () => {
  const bad = (ini: string) => () => pipeline({ userIni: ini, userIniName: 'my-user.ini' });

  it.each([
    ['[cloudtrail]\nindex_rotation = hourly', 'my-user.ini: [cloudtrail] index_rotation: must be one of daily, weekly, monthly, yearly (got "hourly")'],
    ['[cloudtrail]\nfile_format = yaml', 'my-user.ini: [cloudtrail] file_format: must be one of json, jsonl, ndjson, text, csv, multiline, cef, parquet, xml, winevtxml (got "yaml")'],
    ['[cloudtrail]\nmax_log_count = many', 'my-user.ini: [cloudtrail] max_log_count: must be a whole number >= 1 (got "many")'],
    ['[cloudtrail]\nindex_tz = JST', 'my-user.ini: [cloudtrail] index_tz: must be a time zone offset like +00:00 or -04:00 (got "JST")'],
    ['[cloudtrail]\ns3_key = CloudTrail(', 'my-user.ini: [cloudtrail] s3_key: not a valid regular expression'],
    ['[cloudtrail]\nindex_rotaton = daily', 'my-user.ini: [cloudtrail] index_rotaton: unknown key; did you mean "index_rotation"? Allowed: the keys listed in docs/log-types.md "user.ini" and ECS mapping lines such as "source.ip = srcaddr"'],
    ['[cloudtrail]\nviacwl = True', 'my-user.ini: [cloudtrail] viacwl: unknown key; did you mean "via_cwl"?'],
    ['[cloudtrail]\nzzz = 1', 'my-user.ini: [cloudtrail] zzz: unknown key. Allowed: the keys listed in docs/log-types.md "user.ini"'],
    ['[cloudtrail]\necs = source.ip destination.ip', 'my-user.ini: [cloudtrail] destination.ip: is listed in "ecs" but has no mapping line; add "destination.ip = <original field>"'],
    ['[cloudtrail]\ntransform = nope', `my-user.ini: [cloudtrail] transform: "nope" is not a built-in transform; available: ${[...TRANSFORMS.keys()].sort().join(', ')}`],
    ['[cloudtrail]\ntimestamp_format = %Q', 'my-user.ini: [cloudtrail] timestamp_format: unsupported directive %Q'],
    ['[cloudtrail]\ngeoip = src', 'my-user.ini: [cloudtrail] geoip: "src" is not an ECS field set with an ip'],
    ['[new]\ns3_key = /new/\nfile_format = json', 'my-user.ini: [new] index_name: is required'],
    ['[new]\ns3_key = /new/\nfile_format = text\nindex_name = log-new', 'my-user.ini: [new] log_pattern: is required when file_format = text'],
    ['[new]\ns3_key = /new/\nfile_format = text\nlog_pattern = (\\S+)\nindex_name = log-new', 'my-user.ini: [new] log_pattern: must contain named groups'],
    ['[new]\nfile_format = json\nindex_name = log-new', 'my-user.ini: [new] s3_key: is required'],
    ['[new]\ns3_key = /new/\nfile_format = json\nindex_name = Log_New', 'my-user.ini: [new] index_name: must be a lowercase OpenSearch index name'],
    ['[new.type]\ns3_key = x', 'my-user.ini: section [new.type] looks like a section name with a dot'],
    ['top = 1', 'my-user.ini: key "top" is outside any section'],
    ['[cloudtrail]\nexclude = eventName', 'my-user.ini: [cloudtrail] exclude: "eventName" must be "<field> = <exact value>" or "<field> ~ <regular expression>"'],
  ])('%s', (ini, message) => {
    expect(bad(ini)).toThrow(ConfigError);
    expect(bad(ini)).toThrow(message);
  });

  it('carries file, section and key on the error', () => {
    try {
      bad('[waf]\nindex_rotation = never')();
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ name: 'ConfigError', file: 'my-user.ini', section: 'waf', key: 'index_rotation' });
    }
  });
});

describe('Config: other file formats from user.ini', () => {
  it('reads multiline records (a Java stack trace belongs to the line that starts the record)', async () => {
    const ini = String.raw`
[applog]
s3_key = /applog/
file_format = multiline
multiline_firstline = ^\d{4}-\d{2}-\d{2} 
log_pattern = ^(?<time>\S+ \S+) (?<level>[A-Z]+) (?<message>.*)$
timestamp_key = time
timestamp_format = %Y-%m-%d %H:%M:%S
index_name = log-app
static_ecs = event.kind
event.kind = event
`;
    const body = '2026-11-21 10:00:00 INFO started\n2026-11-21 10:00:01 ERROR failed\njava.lang.IllegalStateException: boom\n\tat A.b(A.java:1)\n2026-11-21 10:00:02 INFO done\n';
    const items = await run(pipeline({ userIni: ini }), 'x/applog/a.log', body);
    const out = docs(items);
    expect(out.map((d) => [d._source.level, d._source.message, d._source['@timestamp']])).toEqual([
      ['INFO', 'started', '2026-11-21T10:00:00.000Z'],
      ['ERROR', 'failed\njava.lang.IllegalStateException: boom\n\tat A.b(A.java:1)', '2026-11-21T10:00:01.000Z'],
      ['INFO', 'done', '2026-11-21T10:00:02.000Z'],
    ]);
    expect(items.filter((i) => i.kind === 'document').map((i) => i.kind === 'document' && i.line)).toEqual([1, 2, 5]);
  });

  it('reads comma-separated files with a quoted header and fields', async () => {
    const ini = '[inventory]\ns3_key = /inventory/\nfile_format = csv\ncsv_delimiter = comma\nindex_name = log-inventory\nindex_rotation = yearly\necs = host.name\nhost.name = hostname\n';
    const body = 'id,"hostname",note\n1,web-1,"says ""hi"", twice"\n2,web-2,plain\n';
    const out = docs(await run(pipeline({ userIni: ini }), 'x/inventory/a.csv', body));
    expect(out.map((d) => d._source)).toEqual([
      expect.objectContaining({ id: '1', hostname: 'web-1', note: 'says "hi", twice', host: { name: 'web-1' } }),
      expect.objectContaining({ id: '2', note: 'plain', host: { name: 'web-2' } }),
    ]);
    expect(out[0]._index).toBe(`log-inventory-${new Date('2026-11-22T07:00:00Z').getUTCFullYear()}`);
  });
});
