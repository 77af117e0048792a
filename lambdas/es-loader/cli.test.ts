import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '../..');
const BIN = join(__dirname, 'bin/siem-load.js');
const FIX = join(__dirname, 'log-types');
const GD_KEY = 'AWSLogs/123456789012/GuardDuty/us-east-1/2026/11/21/a1b2c3d4-0000-4000-8000-EXAMPLE.jsonl.gz';
const CT_KEY = 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/21/111122223333_CloudTrail_us-east-1_20261121T1010Z_BAD.json.gz';
const ctEvent = (i: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ eventVersion: '1.09', eventTime: `2026-11-21T10:00:0${i}Z`, eventID: `id-${i}`, eventName: 'GetObject', awsRegion: 'us-east-1', ...extra });

function siemLoad(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, OPENSEARCH_URL: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('CLI: siem-load', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'siem-load-'));

  it('prints one {_index,_id,_source} line per document in a dry run, counts on stderr, exit 0', () => {
    const r = siemLoad('--dry-run', '--ingested-at', '2026-11-22T07:00:00Z', '--s3-key', GD_KEY, join(FIX, 'guardduty/fixture.jsonl'));
    const expected = require('./log-types/guardduty/expected.json') as Array<{ _source: Record<string, unknown> }>;
    // A local file has no bucket: siem-load names it "(local)"; the key is --s3-key.
    const local = expected.map((d) => ({ ...d, _source: { ...d._source, '@log_s3bucket': '(local)' } }));
    expect(r.stdout).toBe(local.map((d) => JSON.stringify(d)).join('\n') + '\n');
    expect(r.stderr).toBe(`siem-load: ${join(FIX, 'guardduty/fixture.jsonl')}: guardduty: 3 records, 3 documents, 0 failed, 0 skipped\n`);
    expect(r.code).toBe(0);
  });

  it('uses the path as key by default and reads gzip files', () => {
    const dir = join(tmp, 'AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/26');
    require('node:fs').mkdirSync(dir, { recursive: true });
    const file = join(dir, 'f.log.gz');
    writeFileSync(file, gzipSync(require('node:fs').readFileSync(join(FIX, 'vpcflowlogs/fixture.log'))));
    const r = siemLoad('--dry-run', file);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l)._index)).toEqual(Array(4).fill('log-aws-vpcflowlogs-2026-11'));
  });

  it('reports bad records with key and line on stderr, still prints the good ones, exit 0', () => {
    const file = join(tmp, 'findings.jsonl');
    writeFileSync(file, '{"id":"a","updatedAt":"2026-11-21T10:00:00Z"}\n{"id":\n{"id":"c","updatedAt":"2026-11-21T10:00:00Z"}\n');
    const r = siemLoad('--dry-run', '--s3-key', GD_KEY, file);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l)._id)).toEqual(['a', 'c']);
    expect(r.stderr).toMatch(new RegExp(`^siem-load: ${GD_KEY}: record 1 \\(line 2\\): malformed JSON`));
    expect(r.stderr).toContain(`siem-load: ${file}: guardduty: 3 records, 2 documents, 1 failed, 0 skipped\n`);
  });

  it('exits 2 for an unknown log type, naming the key and the remedy', () => {
    const r = siemLoad('--dry-run', join(FIX, 'guardduty/fixture.jsonl'));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`no log type matches object key "${join(FIX, 'guardduty/fixture.jsonl')}"`);
    expect(r.stderr).toContain('use --s3-key');
  });

  it('exits 2 for an unreadable file but still loads the other paths', () => {
    const r = siemLoad('--dry-run', '--s3-key', GD_KEY, join(tmp, 'missing.jsonl'), join(FIX, 'guardduty/fixture.jsonl'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`siem-load: ${join(tmp, 'missing.jsonl')}: cannot read: ENOENT`);
    expect(r.stdout.trim().split('\n')).toHaveLength(3);
    expect(r.stderr).toContain('siem-load: total: 1 files, 3 documents, 0 failed, 0 skipped');
  });

  it('takes a user.ini, and exits 2 with the config error when it is invalid', () => {
    const ini = join(tmp, 'user.ini');
    writeFileSync(ini, '[apache]\ns3_key = /apache/\nfile_format = text\nlog_pattern = ^(?<ip>\\S+) (?<rest>.*)$\nindex_name = log-apache\necs = source.ip\nsource.ip = ip\n');
    const log = join(tmp, 'access.log');
    writeFileSync(log, '81.2.69.160 GET /\n');
    const ok = siemLoad('--dry-run', '--user-ini', ini, '--s3-key', 'x/apache/access.log', log);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)._source).toMatchObject({ source: { ip: '81.2.69.160' }, rest: 'GET /' });
    writeFileSync(ini, '[cloudtrail]\nindex_rotation = hourly\n');
    const bad = siemLoad('--dry-run', '--user-ini', ini, log);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`siem-load: ${ini}: [cloudtrail] index_rotation: must be one of daily, weekly, monthly, yearly (got "hourly")`);
  });

  it('skips a byte order mark at the start of a CloudTrail file (gzip or plain) and of a JSON-lines file, exit 0', () => {
    const ct = `\uFEFF{"Records":[${ctEvent(1)},${ctEvent(2)}]}`;
    for (const [name, bytes] of [['bom.json.gz', gzipSync(ct)], ['bom.json', Buffer.from(ct)]] as const) {
      const file = join(tmp, name);
      writeFileSync(file, bytes);
      const r = siemLoad('--dry-run', '--s3-key', CT_KEY, file);
      expect(r.stderr).toBe(`siem-load: ${file}: cloudtrail: 2 records, 2 documents, 0 failed, 0 skipped\n`);
      expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l)._id)).toEqual(['id-1', 'id-2']);
      expect(r.code).toBe(0);
    }
    const jsonl = join(tmp, 'bom.jsonl');
    writeFileSync(jsonl, '\uFEFF{"id":"a","updatedAt":"2026-11-21T10:00:00Z"}\n{"id":"b","updatedAt":"2026-11-21T10:00:00Z"}\n');
    const r = siemLoad('--dry-run', '--s3-key', GD_KEY, jsonl);
    expect(r.stderr).toBe(`siem-load: ${jsonl}: guardduty: 2 records, 2 documents, 0 failed, 0 skipped\n`);
    expect(r.code).toBe(0);
  });

  it('exits 2 for an object that is neither gzip nor text, whatever its name, and still loads the other paths', () => {
    const file = join(tmp, 'random.json.gz');
    // Not gzip (no 1f 8b), not text (a NUL byte): what a random or binary object looks like.
    writeFileSync(file, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 151 + 7) % 256)));
    const r = siemLoad('--dry-run', '--s3-key', GD_KEY, file, join(FIX, 'guardduty/fixture.jsonl'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`siem-load: ${file}: cannot be read: it is neither gzip (it does not start with the magic bytes 1f 8b) nor text (byte 239 is NUL)\n`);
    expect(r.stderr).not.toContain(`${file}: guardduty:`);
    expect(r.stdout.trim().split('\n')).toHaveLength(3);
    expect(r.stderr).toContain('siem-load: total: 1 files, 3 documents, 0 failed, 0 skipped');
  });

  it('a broken record of a single-line CloudTrail file costs only itself; lost boundaries are named; exit 0', () => {
    const records = [1, 2, 3, 4, 5].map((i) => ctEvent(i));
    const broken = join(tmp, 'broken-record.json');
    writeFileSync(broken, `{"Records":[${records.map((r, i) => (i === 2 ? r.replace('"eventName":', '"eventName":: ') : r)).join(',')}]}`);
    const r = siemLoad('--dry-run', '--s3-key', CT_KEY, broken);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l)._id)).toEqual(['id-1', 'id-2', 'id-4', 'id-5']);
    expect(r.stderr).toMatch(new RegExp(`^siem-load: ${CT_KEY}: record 2 \\(line 1\\): malformed JSON: `));
    expect(r.stderr).toContain(`siem-load: ${broken}: cloudtrail: 5 records, 4 documents, 1 failed, 0 skipped\n`);

    const lostFile = join(tmp, 'lost-boundaries.json');
    const body = `{"Records":[${records.map((r, i) => (i === 2 ? r.replace(/}$/, '') : r)).join(',')}]}`;
    writeFileSync(lostFile, body);
    const l = siemLoad('--dry-run', '--s3-key', CT_KEY, lostFile);
    expect(l.code).toBe(0);
    expect(l.stdout.trim().split('\n').map((x) => JSON.parse(x)._id)).toEqual(['id-1', 'id-2']);
    expect(l.stderr).toBe(
      `siem-load: ${CT_KEY}: record 2 (line 1, byte ${body.indexOf(records[2]!.replace(/}$/, ''))}): its brackets do not balance: it opens with '{' but ends with ']' at byte ${body.lastIndexOf(']')}; the rest of the object could not be read (2 records recovered before it)\n` +
        `siem-load: ${lostFile}: cloudtrail: 3 records, 2 documents, 1 failed, 0 skipped\n`,
    );
  });

  it('indexes a failed console login as event.outcome failure, exit 0', () => {
    const file = join(tmp, 'signin.json');
    const login = (i: number, result: string) => ctEvent(i, { eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', eventType: 'AwsConsoleSignIn', responseElements: { ConsoleLogin: result }, ...(result === 'Failure' ? { errorMessage: 'Failed authentication' } : {}) });
    writeFileSync(file, `{"Records":[${login(1, 'Failure')},${login(2, 'Success')}]}`);
    const r = siemLoad('--dry-run', '--s3-key', CT_KEY, file);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l)._source.event.outcome)).toEqual(['failure', 'success']);
  });

  it('names a mistyped option with its suggestion, and a missing path, each in one line, exit 2', () => {
    expect(siemLoad('--dry-rn', 'x.json')).toEqual({
      code: 2,
      stdout: '',
      stderr: "siem-load: unknown option '--dry-rn' (did you mean --dry-run?); run siem-load --help for usage\n",
    });
    expect(siemLoad('--dry-run')).toEqual({ code: 2, stdout: '', stderr: "siem-load: missing required argument 'path'; run siem-load --help for usage\n" });
  });

  it('refuses to run without --dry-run or --opensearch', () => {
    const r = siemLoad(join(FIX, 'guardduty/fixture.jsonl'));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('siem-load: give --opensearch URL (or OPENSEARCH_URL) to index, or --dry-run to print the documents\n');
  });

  it('stops quietly with exit 0 when the reader of its output goes away (siem-load --dry-run ... | head)', async () => {
    const lines = Array.from({ length: 20000 }, (_, i) => JSON.stringify({ id: `f${i}`, updatedAt: '2026-11-21T10:00:00Z', service: { count: 1 } })).join('\n');
    const file = join(tmp, 'many.jsonl');
    writeFileSync(file, lines);
    const child = spawn(process.execPath, [BIN, '--dry-run', '--s3-key', GD_KEY, file], { cwd: ROOT, env: { ...process.env, OPENSEARCH_URL: '' } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Like `head`: read the first chunk, then close the pipe.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(code).toBe(0);
  });
});
