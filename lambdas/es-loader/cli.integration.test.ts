/**
 * siem-load without --dry-run, as a user runs it: local files and s3:// objects indexed into the real
 * local OpenSearch through the runtime's bulk sink, then read back.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { awsEnv, openSearchClient, s3Client, serversInfo } from '../../test/servers/clients';

const BIN = join(__dirname, 'bin/siem-load.js');
const GD_KEY = 'AWSLogs/123456789012/GuardDuty/us-east-1/2026/11/21/a1b2c3d4-0000-4000-8000-EXAMPLE.jsonl.gz';
const CT_KEY = 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/21/111122223333_CloudTrail_us-east-1_20261121T1010Z_EXAMPLEabcd1234.json.gz';
const BUCKET = 'siem-load-cli-test';

function siemLoad(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: join(__dirname, '../..'), env: { ...process.env, ...awsEnv() } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function openSearchUrl(): string {
  const os = serversInfo().opensearch;
  const u = new URL(os.url);
  if (os.username && os.password) {
    u.username = os.username;
    u.password = os.password;
  }
  return u.toString();
}

describe('CLI: siem-load into OpenSearch', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'siem-load-it-'));
  // Own index families, so other tests' documents never mix with these.
  const ini = join(tmp, 'user.ini');
  writeFileSync(ini, '[guardduty]\nindex_name = cli-it-guardduty\n[cloudtrail]\nindex_name = cli-it-cloudtrail\n');

  beforeAll(async () => {
    await s3Client().send(new CreateBucketCommand({ Bucket: BUCKET })).catch(() => undefined);
    await s3Client().send(new PutObjectCommand({ Bucket: BUCKET, Key: CT_KEY, Body: gzipSync(readFileSync(join(__dirname, 'log-types/cloudtrail/fixture.json'))) }));
  });

  it('indexes a local file and an s3:// object with their templates, and a second run adds nothing', async () => {
    const args = ['--opensearch', openSearchUrl(), '--user-ini', ini, '--ingested-at', '2026-11-22T07:00:00Z', '--no-progress'];
    if (serversInfo().opensearch.caCertFile) args.push('--insecure');
    const local = await siemLoad([...args, '--s3-key', GD_KEY, join(__dirname, 'log-types/guardduty/fixture.jsonl')]);
    expect(local.stderr).toContain('guardduty: 3 records, 3 documents, 0 failed, 0 skipped, 3 indexed (0 already present), 0 rejected by OpenSearch');
    expect(local.code).toBe(0);
    const remote = await siemLoad([...args, `s3://${BUCKET}/${CT_KEY}`]);
    expect(remote.stderr).toContain('cloudtrail: 5 records, 5 documents, 0 failed, 0 skipped, 5 indexed (0 already present)');
    expect(remote.code).toBe(0);

    const os = openSearchClient();
    await os.indices.refresh({ index: 'cli-it-*' });
    const gd = await os.search({ index: 'cli-it-guardduty-2026-11', body: { query: { match_all: {} }, sort: [{ '@timestamp': { order: 'asc' } }], size: 10 } });
    const expected = (JSON.parse(readFileSync(join(__dirname, 'log-types/guardduty/expected.json'), 'utf8')) as Array<{ _id: string; _source: unknown }>);
    expect(gd.body.hits.hits.map((h) => ({ _id: h._id, _source: h._source }))).toEqual(expected.map((d) => ({ _id: d._id, _source: { ...(d._source as object), '@log_s3bucket': '(local)' } })));
    const mapping = await os.indices.getMapping({ index: 'cli-it-guardduty-2026-11' });
    const props = (Object.values(mapping.body)[0] as { mappings: { properties: Record<string, any> } }).mappings.properties; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(props.source.properties.ip.type).toBe('ip');
    expect(props.source.properties.geo.properties.location.type).toBe('geo_point');
    expect(props['@timestamp'].type).toBe('date');
    const ct = await os.count({ index: 'cli-it-cloudtrail-2026-11' });
    expect(ct.body.count).toBe(5);

    const again = await siemLoad([...args, `s3://${BUCKET}/${CT_KEY}`]);
    expect(again.stderr).toContain('5 indexed (5 already present)');
    await os.indices.refresh({ index: 'cli-it-cloudtrail-2026-11' });
    expect((await os.count({ index: 'cli-it-cloudtrail-2026-11' })).body.count).toBe(5);
  });

  it('exits 2 for an object that is neither gzip nor text, indexing nothing of it', async () => {
    const key = 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/21/random.json.gz';
    await s3Client().send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 151 + 7) % 256)) }));
    const r = await siemLoad(['--opensearch', openSearchUrl(), '--user-ini', ini, '--no-progress', ...(serversInfo().opensearch.caCertFile ? ['--insecure'] : []), `s3://${BUCKET}/${key}`]);
    // (stderr may also carry the AWS SDK's Node.js version warning)
    expect(r.stderr).toContain(`siem-load: s3://${BUCKET}/${key}: cannot be read: it is neither gzip (it does not start with the magic bytes 1f 8b) nor text (byte 239 is NUL)\n`);
    expect(r.stderr).not.toMatch(/ records, | indexed/);
    expect(r.code).toBe(2);
  });

  it('exits 2 for a missing s3:// object', async () => {
    const r = await siemLoad(['--opensearch', openSearchUrl(), '--no-progress', `s3://${BUCKET}/AWSLogs/111122223333/CloudTrail/us-east-1/missing.json.gz`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`s3://${BUCKET}/AWSLogs/111122223333/CloudTrail/us-east-1/missing.json.gz`);
  });
});
