/**
 * IoC downloader against a local HTTP server playing the Tor project, abuse.ch Feodo Tracker and the
 * AlienVault OTX API (and failing the ways feeds fail: HTTP 500, a body that breaks off, an oversize
 * body, malformed lines), and the real local S3-API server.
 */
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { failedSources, run, settingsFromEnv, type IocSettings, type Log } from '../../lambdas/ioc-downloader/downloader';
import { FEODO_JSON, OTX_PULSE, STIX_BUNDLE, TOR_EXIT_ADDRESSES } from '../../lambdas/ioc-downloader/test-fixtures';
import { IocDatabase } from '../../lambdas/shared/ioc/database';
import { s3Client } from '../servers/clients';

const OTX_KEY = 'a'.repeat(63) + 'b';
type Mode = { kind: 'ok'; body: string } | { kind: 'status'; status: number } | { kind: 'truncated'; body: string } | { kind: 'oversize'; bytes: number };

const routes = new Map<string, Mode>();
const requests: string[] = [];
let server: http.Server;
let base: string;

function respond(res: http.ServerResponse, mode: Mode): void {
  if (mode.kind === 'status') return void res.writeHead(mode.status).end('Internal Server Error\n');
  if (mode.kind === 'truncated') {
    // Announces the whole body, sends half and hangs up: the client must not take half a list.
    res.writeHead(200, { 'content-length': String(Buffer.byteLength(mode.body)) });
    res.write(mode.body.slice(0, Math.floor(mode.body.length / 2)));
    setTimeout(() => res.socket?.destroy(), 20);
    return;
  }
  if (mode.kind === 'oversize') {
    // No Content-Length (chunked): the limit must hold while reading.
    res.writeHead(200, { 'content-type': 'text/plain' });
    const line = '203.0.113.1\n'.repeat(1000);
    for (let sent = 0; sent < mode.bytes; sent += line.length) res.write(line);
    return void res.end();
  }
  res.writeHead(200, { 'content-type': 'text/plain' }).end(mode.body);
}

const PULSE_2 = { id: '6a0000000000000000000002', name: 'Scanners 2026-11', indicators: [{ indicator: '2001:db8:5ca::/48', type: 'CIDR' }, { indicator: 'scan.example.org', type: 'hostname' }] };

function otxPulses(): void {
  routes.set('/otx/api/v1/pulses/subscribed_pulse_ids', { kind: 'ok', body: JSON.stringify({ count: 2, next: `${base}/otx/api/v1/pulses/subscribed_pulse_ids?page=2`, results: [OTX_PULSE.id] }) });
  routes.set('/otx/api/v1/pulses/subscribed_pulse_ids?page=2', { kind: 'ok', body: JSON.stringify({ count: 2, next: null, results: [PULSE_2.id] }) });
  routes.set(`/otx/api/v1/pulses/${OTX_PULSE.id}`, { kind: 'ok', body: JSON.stringify(OTX_PULSE) });
  routes.set(`/otx/api/v1/pulses/${PULSE_2.id}`, { kind: 'ok', body: JSON.stringify(PULSE_2) });
}

const bucket = `ioc-test-${process.pid}-${Date.now()}`;
let s3: S3Client;
const ssmMock = mockClient(SSMClient);
let settings: IocSettings;
const clients = () => ({ s3, ssm: new SSMClient({ region: 'ap-northeast-1' }), timeoutMs: 5_000 });
const logged: string[] = [];
const log: Log = { info: (m) => logged.push(`info ${m}`), warn: (m) => logged.push(`warn ${m}`) };

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests.push(req.url!);
    if (req.url!.startsWith('/otx/') && req.headers['x-otx-api-key'] !== OTX_KEY) return void res.writeHead(403).end('{"detail": "Authentication required"}');
    const mode = routes.get(req.url!);
    if (!mode) return void res.writeHead(404).end();
    respond(res, mode);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  settings = settingsFromEnv({
    GEO_BUCKET: bucket,
    IOC_TOR_URL: `${base}/tor/exit-addresses`,
    IOC_FEODO_URL: `${base}/feodo/ipblocklist.json`,
    IOC_OTX_URL: `${base}/otx/`,
    IOC_OTX_KEY_PARAMETER: '/aes-siem/ioc/otx-api-key',
    IOC_MAX_SOURCE_MB: '1',
  });
  s3 = s3Client();
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'IOC/TXT/acme/blocklist.txt', Body: '# ACME blocklist\n192.0.2.0/28\nbad-line here\nphish.example.net\n' }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'IOC/STIX2/cert.json', Body: JSON.stringify(STIX_BUNDLE) }));
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  ssmMock.restore();
});

beforeEach(() => {
  ssmMock.reset();
  ssmMock.on(GetParameterCommand, { Name: '/aes-siem/ioc/otx-api-key', WithDecryption: true }).resolves({ Parameter: { Value: OTX_KEY, Type: 'SecureString' } });
  routes.clear();
  routes.set('/tor/exit-addresses', { kind: 'ok', body: TOR_EXIT_ADDRESSES });
  routes.set('/feodo/ipblocklist.json', { kind: 'ok', body: FEODO_JSON });
  otxPulses();
  requests.length = 0;
  logged.length = 0;
});

async function body(key: string): Promise<Buffer> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

async function database(): Promise<IocDatabase> {
  return IocDatabase.fromBuffer(await body('IOC/ioc.siemdb'), 'IOC/ioc.siemdb');
}

describe('Function: ioc-downloader (local feeds + S3-API server)', () => {
  it('builds and uploads the database from every feed and the user\'s lists, with its SHA-256', async () => {
    const result = await run(settings, clients(), log, new Date('2026-12-01T06:00:00Z'));
    expect(result.sources).toEqual([
      { source: 'tor', status: 'fresh', ipv4: 2, ipv6: 0, domains: 0, skipped: 1 },
      { source: 'feodo', status: 'fresh', ipv4: 2, ipv6: 0, domains: 0, skipped: 2 },
      { source: 'otx', status: 'fresh', ipv4: 2, ipv6: 2, domains: 3, skipped: 1 },
      { source: 'TXT/acme/blocklist.txt', status: 'read', ipv4: 1, ipv6: 0, domains: 1, skipped: 1 },
      { source: 'STIX2/cert.json', status: 'read', ipv4: 2, ipv6: 1, domains: 1, skipped: 1 },
    ]);
    expect(result.status).toBe('uploaded');
    const bytes = await body('IOC/ioc.siemdb');
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(result).toMatchObject({ key: 'IOC/ioc.siemdb', sha256: sha, bytes: bytes.length });
    expect((await body('IOC/ioc.siemdb.sha256')).toString()).toBe(`${sha}  ioc.siemdb\n`);
    // The pulse id list is paged (next), each pulse fetched with the key.
    expect(requests.filter((r) => r.startsWith('/otx/'))).toEqual(
      expect.arrayContaining(['/otx/api/v1/pulses/subscribed_pulse_ids', '/otx/api/v1/pulses/subscribed_pulse_ids?page=2', `/otx/api/v1/pulses/${OTX_PULSE.id}`, `/otx/api/v1/pulses/${PULSE_2.id}`]),
    );
    const db = await database();
    expect(db.header.builtAt).toBe('2026-12-01T06:00:00.000Z');
    expect(db.matchIp('185.112.146.73')).toEqual([{ provider: 'torproject.org', type: 'ipv4-addr', name: 'TOR' }]);
    expect(db.matchIp('51.178.161.32')).toEqual([{ provider: 'abuse.ch', type: 'ipv4-addr', name: 'Dridex' }]);
    expect(db.matchIp('2001:db8:5ca:1::9')).toEqual([{ provider: 'AlienVault_OTX', type: 'ipv6-addr', name: 'Scanners 2026-11' }]);
    expect(db.matchIp('192.0.2.15')).toEqual([{ provider: 'acme', type: 'ipv4-addr', name: 'blocklist.txt' }]);
    expect(db.matchIp('192.0.2.16')).toEqual([]);
    expect(db.matchDomain('www.scan.example.org').map((h) => [h.domain, h.matches])).toEqual([['scan.example.org', [{ provider: 'AlienVault_OTX', type: 'domain-name', name: 'Scanners 2026-11' }]]]);
    // Each feed's snapshot is kept for the day its download fails.
    expect((await body('IOC/sources/tor')).toString()).toBe(TOR_EXIT_ADDRESSES);
  });

  it('does not upload again when the content is the same', async () => {
    const before = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'IOC/ioc.siemdb' }));
    const result = await run(settings, clients(), log, new Date('2026-12-01T12:00:00Z'));
    expect(result.status).toBe('unchanged');
    const after = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'IOC/ioc.siemdb' }));
    expect(after.ETag).toBe(before.ETag);
    expect((await database()).header.builtAt).toBe('2026-12-01T06:00:00.000Z');
  });

  it('keeps the previous list of a feed that answers 500, breaks off or is oversize', async () => {
    routes.set('/tor/exit-addresses', { kind: 'status', status: 500 });
    routes.set('/feodo/ipblocklist.json', { kind: 'truncated', body: FEODO_JSON });
    routes.set(`/otx/api/v1/pulses/subscribed_pulse_ids`, { kind: 'oversize', bytes: 1.5 * 1024 * 1024 });
    const result = await run(settings, clients(), log);
    expect(result.status).toBe('unchanged');
    expect(result.sources.slice(0, 3)).toEqual([
      { source: 'tor', status: 'previous', ipv4: 2, ipv6: 0, domains: 0, skipped: 1, error: `tor: ${base}/tor/exit-addresses answered HTTP 500` },
      { source: 'feodo', status: 'previous', ipv4: 2, ipv6: 0, domains: 0, skipped: 2, error: expect.stringMatching(new RegExp(`^feodo: the response from ${base}/feodo/ipblocklist.json broke off after \\d+ bytes \\(`)) },
      { source: 'otx', status: 'previous', ipv4: 2, ipv6: 2, domains: 3, skipped: 1, error: `otx: ${base}/otx/api/v1/pulses/subscribed_pulse_ids sent more than the limit of 1048576 bytes (IOC_MAX_SOURCE_MB)` },
    ]);
    expect(failedSources(result).map((s) => s.source)).toEqual(['tor', 'feodo', 'otx']);
    expect(logged).toContain('warn tor: download failed, using the previous list');
    // The snapshots were not replaced by the failed downloads.
    expect((await body('IOC/sources/tor')).toString()).toBe(TOR_EXIT_ADDRESSES);
    expect((await database()).matchIp('185.112.146.73')).toHaveLength(1);
  });

  it('takes a new list with malformed lines skipped, and an HTML page with 200 is not a list', async () => {
    routes.set('/tor/exit-addresses', { kind: 'ok', body: '<html><body>Rate limited</body></html>\n' });
    routes.set('/feodo/ipblocklist.json', { kind: 'ok', body: JSON.stringify([{ ip_address: '198.18.0.1', malware: 'Pikabot' }, { ip_address: '198.18.0.300', malware: 'Pikabot' }, 'garbage']) });
    const result = await run(settings, clients(), log);
    expect(result.status).toBe('uploaded');
    expect(result.sources.slice(0, 2)).toEqual([
      { source: 'tor', status: 'previous', ipv4: 2, ipv6: 0, domains: 0, skipped: 1, error: 'tor: no valid indicator (1 skipped; first at line 1: not an exit-list line: "<html><body>Rate limited</body></html>")' },
      { source: 'feodo', status: 'fresh', ipv4: 1, ipv6: 0, domains: 0, skipped: 2 },
    ]);
    const db = await database();
    expect(db.matchIp('198.18.0.1')).toEqual([{ provider: 'abuse.ch', type: 'ipv4-addr', name: 'Pikabot' }]);
    expect(db.matchIp('51.178.161.32')).toEqual([]); // gone from today's Feodo list
    expect(db.matchIp('185.112.146.73')).toHaveLength(1); // Tor kept from its snapshot
  });

  it('turns OTX off without a key, and reports an invalid key without revealing it', async () => {
    const noKey = settingsFromEnv({ GEO_BUCKET: bucket, IOC_TOR_URL: `${base}/tor/exit-addresses`, IOC_FEODO_URL: `${base}/feodo/ipblocklist.json`, IOC_OTX_URL: `${base}/otx/` });
    const off = await run(noKey, clients(), log);
    expect(off.sources[2]).toEqual({ source: 'otx', status: 'disabled', reason: 'no OTX API key is configured' });
    expect(requests.some((r) => r.startsWith('/otx/'))).toBe(false);
    expect(logged).toContain('info AlienVault OTX is off: no OTX API key is configured');
    // OTX's indicators are gone from the database; the others stay.
    expect((await database()).matchDomain('scan.example.org')).toEqual([]);

    ssmMock.on(GetParameterCommand).resolves({ Parameter: { Value: 'c'.repeat(64), Type: 'SecureString' } });
    const bad = await run(settings, clients(), log);
    expect(bad.sources[2]).toEqual({ source: 'otx', status: 'previous', ipv4: 2, ipv6: 2, domains: 3, skipped: 1, error: `otx: ${base}/otx/api/v1/pulses/subscribed_pulse_ids answered HTTP 403 (the API key is invalid: update the parameter/secret)` });
    expect(JSON.stringify(bad)).not.toContain('c'.repeat(64));
  });

  it('does not send the OTX key to another host named in "next"', async () => {
    routes.set('/otx/api/v1/pulses/subscribed_pulse_ids', { kind: 'ok', body: JSON.stringify({ count: 2, next: 'http://otx.attacker.example/api/v1/pulses/subscribed_pulse_ids?page=2', results: [OTX_PULSE.id] }) });
    const result = await run(settings, clients(), log);
    expect(result.sources[2]).toMatchObject({ source: 'otx', status: 'previous', error: 'otx: the pulse id list points "next" to another host (http://otx.attacker.example); not followed' });
  });

  it('a feed that fails with no previous list is reported and the run still uploads the rest', async () => {
    const other = `${bucket}-b`;
    await s3.send(new CreateBucketCommand({ Bucket: other }));
    routes.set('/tor/exit-addresses', { kind: 'status', status: 503 });
    const result = await run({ ...settings, GEO_BUCKET: other, IOC_OTX_KEY_PARAMETER: undefined }, clients(), log);
    expect(result.status).toBe('uploaded');
    expect(result.sources).toEqual([
      { source: 'tor', status: 'failed', error: `tor: ${base}/tor/exit-addresses answered HTTP 503` },
      { source: 'feodo', status: 'fresh', ipv4: 2, ipv6: 0, domains: 0, skipped: 2 },
      { source: 'otx', status: 'disabled', reason: 'no OTX API key is configured' },
    ]);
    routes.set('/feodo/ipblocklist.json', { kind: 'status', status: 500 });
    const empty = `${bucket}-c`;
    await s3.send(new CreateBucketCommand({ Bucket: empty }));
    await expect(run({ ...settings, GEO_BUCKET: empty, IOC_OTX_KEY_PARAMETER: undefined }, clients(), log)).rejects.toThrow(
      `No IoC source could be read: tor: ${base}/tor/exit-addresses answered HTTP 503; feodo: ${base}/feodo/ipblocklist.json answered HTTP 500`,
    );
  });

  it('skips and counts an OTX pulse that cannot be read, keeping the others', async () => {
    routes.set(`/otx/api/v1/pulses/${PULSE_2.id}`, { kind: 'status', status: 500 });
    const result = await run(settings, clients(), log);
    expect(result.sources[2]).toEqual({ source: 'otx', status: 'fresh', ipv4: 2, ipv6: 1, domains: 2, skipped: 2 });
    const db = await database();
    expect(db.matchDomain('scan.example.org')).toEqual([]);
    expect(db.matchDomain('evil.example.com')).toHaveLength(1);
  });

  it('reads the newest IOC_MAX_CUSTOM_FILES lists of a folder and reports the others', async () => {
    const other = `${bucket}-d`;
    await s3.send(new CreateBucketCommand({ Bucket: other }));
    await s3.send(new PutObjectCommand({ Bucket: other, Key: 'IOC/TXT/old.txt', Body: '198.18.1.1\n' }));
    await new Promise((r) => setTimeout(r, 1100)); // LastModified has a resolution of one second
    await s3.send(new PutObjectCommand({ Bucket: other, Key: 'IOC/TXT/new.txt', Body: '198.18.2.2\n' }));
    const result = await run({ ...settings, GEO_BUCKET: other, IOC_OTX_KEY_PARAMETER: undefined, IOC_MAX_CUSTOM_FILES: 1 }, clients(), log);
    expect(result.sources.slice(3)).toEqual([
      { source: 'TXT/new.txt', status: 'read', ipv4: 1, ipv6: 0, domains: 0, skipped: 0 },
      { source: 'TXT/old.txt', status: 'failed', error: 'TXT/old.txt: not read, more than 1 files under IOC/TXT/ (IOC_MAX_CUSTOM_FILES); merge lists into fewer files' },
    ]);
  });
});
