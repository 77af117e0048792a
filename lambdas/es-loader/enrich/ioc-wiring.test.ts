/**
 * IoC enrichment wired into the loader (issue 16): the pipeline's documents for VPC Flow Logs and Route 53
 * Resolver records that match an IPv4 address, an IPv4 CIDR block, an IPv6 block and a parent domain,
 * with near misses beside them; user.ini changing ioc_ip; the Lambda's cold-start loading from the geo
 * bucket; `siem-load --ioc-db`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { IocDatabaseBuilder } from '../../shared/ioc/builder';
import { IocDatabase } from '../../shared/ioc/database';
import { parseNetwork, type Network } from '../../shared/ioc/ip';
import { main } from '../cli';
import { ecsComponentTemplate } from '../ecs/templates';
import { docs, pipeline, run } from '../log-types/testing';
import { loadIocDatabase } from '../runtime/ioc';
import type { Log } from '../runtime/observability';

const FLOW_KEY = 'AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/21/123456789012_vpcflowlogs_us-east-1_fl-0a1b2c3d_20261121T1010Z_ab12cd34.log.gz';
const DNS_KEY = 'AWSLogs/123456789012/vpcdnsquerylogs/vpc-0a1b2c3d4e5f6a7b8/2026/11/21/vpc-0a1b2c3d4e5f6a7b8_vpcdnsquerylogs_123456789012_20261121T1015Z_0f1e2d3c.log.gz';

const HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const flow = (src: string, dst: string) => `2 123456789012 eni-0a1b2c3d4e5f6a7b8 ${src} ${dst} 49761 443 6 20 4249 1795719600 1795719660 ACCEPT OK`;
const FLOWS = [
  HEADER,
  flow('198.51.100.23', '10.0.1.5'), // a Tor exit node (exact IPv4)
  flow('10.0.1.5', '203.0.113.77'), // inside the custom 203.0.113.0/24
  flow('2001:db8:bad:1::5', '2001:db8:1::10'), // inside OTX's 2001:db8:bad::/48
  flow('198.51.100.24', '203.0.114.1'), // near misses: the next address, the next /24
].join('\n');

const dnsRecord = (name: string, answers: Array<[string, string]>) =>
  JSON.stringify({
    version: '1.100000', account_id: '123456789012', region: 'us-east-1', vpc_id: 'vpc-0a1b2c3d4e5f6a7b8', query_timestamp: '2026-11-21T10:15:01Z',
    query_name: name, query_type: 'A', query_class: 'IN', rcode: 'NOERROR', answers: answers.map(([Rdata, Type]) => ({ Rdata, Type, Class: 'IN' })),
    srcaddr: '10.0.1.25', srcport: '49153', transport: 'UDP', srcids: { instance: 'i-0123456789abcdef0' },
  });
const DNS = [
  dnsRecord('beacon.c2.evil.example.', [['cdn.evil.example.', 'CNAME'], ['198.51.100.23', 'A']]), // parent domain + answer IP
  dnsRecord('notevil.example.', [['198.51.100.22', 'A']]), // near misses: not a subdomain, the previous address
  dnsRecord('evil.example.com.', []), // near miss: the listed domain as a label of another
].join('\n');

function database(): Buffer {
  const b = new IocDatabaseBuilder();
  const net = (s: string) => parseNetwork(s) as Network;
  b.addNetwork(net('198.51.100.23'), b.meta({ provider: 'torproject.org', type: 'ipv4-addr', name: 'TOR' }));
  b.addNetwork(net('203.0.113.0/24'), b.meta({ provider: 'my-lists', type: 'ipv4-addr', name: 'blocklist.txt' }));
  b.addNetwork(net('2001:db8:bad::/48'), b.meta({ provider: 'AlienVault_OTX', type: 'ipv6-addr', name: 'Pulse: IPv6 scanners' }));
  b.addDomain('evil.example', b.meta({ provider: 'abuse.ch', type: 'domain-name', name: 'Emotet' }));
  return b.build(new Date('2026-11-20T00:00:00Z'));
}

const ioc = IocDatabase.fromBuffer(database());
type Doc = { _index: string; _id: string; _source: Record<string, unknown> };

/** The documents without a database, each with the `threat` it should get (undefined: none). */
function withThreat(plain: Doc[], threats: Array<Record<string, unknown> | undefined>): Doc[] {
  expect(plain).toHaveLength(threats.length);
  return plain.map((d, i) => (threats[i] ? { ...d, _source: { ...d._source, threat: threats[i] } } : d));
}

const TOR = { provider: 'torproject.org', type: 'ipv4-addr', name: 'TOR' };

describe('es-loader: IoC enrichment in the pipeline', () => {
  it('VPC Flow Logs: exact IPv4, CIDR and IPv6 matches in source.ip/destination.ip/related.ip; near misses get no threat fields', async () => {
    const plain = docs(await run(pipeline(), FLOW_KEY, FLOWS));
    const enriched = docs(await run(pipeline({ ioc }), FLOW_KEY, FLOWS));
    expect(enriched).toEqual(
      withThreat(plain, [
        {
          matched: { providers: ['torproject.org'], types: ['ipv4-addr'], indicators: ['198.51.100.23'], names: ['TOR'] },
          enrichments: [{ indicator: { ...TOR, ip: '198.51.100.23' }, matched: { field: ['source.ip', 'related.ip'] } }],
        },
        {
          matched: { providers: ['my-lists'], types: ['ipv4-addr'], indicators: ['203.0.113.77'], names: ['blocklist.txt'] },
          enrichments: [{ indicator: { provider: 'my-lists', type: 'ipv4-addr', name: 'blocklist.txt', ip: '203.0.113.77' }, matched: { field: ['destination.ip', 'related.ip'] } }],
        },
        {
          matched: { providers: ['AlienVault_OTX'], types: ['ipv6-addr'], indicators: ['2001:db8:bad:1::5'], names: ['Pulse: IPv6 scanners'] },
          enrichments: [{ indicator: { provider: 'AlienVault_OTX', type: 'ipv6-addr', name: 'Pulse: IPv6 scanners', ip: '2001:db8:bad:1::5' }, matched: { field: ['source.ip', 'related.ip'] } }],
        },
        undefined,
      ]),
    );
    expect((plain[3]!._source.source as { ip: string }).ip).toBe('198.51.100.24');
  });

  it('Route 53 Resolver: the query name matches through its parent domain, an answer IP through dns.answers.data; near misses do not', async () => {
    const plain = docs(await run(pipeline(), DNS_KEY, DNS));
    const enriched = docs(await run(pipeline({ ioc }), DNS_KEY, DNS));
    expect(enriched).toEqual(
      withThreat(plain, [
        {
          matched: { providers: ['torproject.org', 'abuse.ch'], types: ['ipv4-addr', 'domain-name'], indicators: ['198.51.100.23', 'beacon.c2.evil.example'], names: ['TOR', 'Emotet'] },
          enrichments: [
            { indicator: { ...TOR, ip: '198.51.100.23' }, matched: { field: ['dns.answers.data'] } },
            { indicator: { provider: 'abuse.ch', type: 'domain-name', name: 'Emotet' }, matched: { atomic: 'beacon.c2.evil.example', field: ['dns.question.name'] } },
          ],
        },
        undefined,
        undefined,
      ]),
    );
  });

  it('user.ini changes a type\'s ioc_ip (here: destination.ip only) and ioc_domain can be emptied', async () => {
    const userIni = '[vpcflowlogs]\nioc_ip = destination.ip\n[route53resolver]\nioc_domain =\n';
    const flows = docs(await run(pipeline({ ioc, userIni }), FLOW_KEY, FLOWS));
    expect(flows.map((d) => (d._source.threat as { enrichments?: unknown } | undefined)?.enrichments)).toEqual([
      undefined,
      [{ indicator: { provider: 'my-lists', type: 'ipv4-addr', name: 'blocklist.txt', ip: '203.0.113.77' }, matched: { field: ['destination.ip'] } }],
      undefined,
      undefined,
    ]);
    const dns = docs(await run(pipeline({ ioc, userIni }), DNS_KEY, DNS));
    expect((dns[0]!._source.threat as { matched: unknown }).matched).toEqual({ providers: ['torproject.org'], types: ['ipv4-addr'], indicators: ['198.51.100.23'], names: ['TOR'] });
  });

  it('the index templates map threat.matched.* as keyword (terms aggregations on providers, indicators...)', () => {
    const props = (ecsComponentTemplate().body as { template: { mappings: { properties: Record<string, { properties: Record<string, { properties: unknown }>}> } } }).template.mappings.properties;
    const keyword = { type: 'keyword', ignore_above: 1024 };
    expect(props.threat!.properties.matched!.properties).toEqual({ providers: keyword, types: keyword, indicators: keyword, names: keyword });
  });

  it('rejects an ioc_ip entry that is not a field name, naming file, section and key', () => {
    expect(() => pipeline({ userIni: '[vpcflowlogs]\nioc_ip = source.ip, ${source.ip}\n', userIniName: 'my-user.ini' })).toThrow(
      /^my-user\.ini: \[vpcflowlogs\] ioc_ip: "\$\{source\.ip\}" is not a field name; list dotted ECS fields separated by spaces, e\.g\. source\.ip destination\.ip$/,
    );
  });
});

/** An S3 client answering GetObject from a map (undefined: NoSuchKey) or failing. */
function fakeS3(objects: Record<string, Buffer | Error>): S3Client {
  return {
    send: async (cmd: { input: { Bucket: string; Key: string } }) => {
      const o = objects[`${cmd.input.Bucket}/${cmd.input.Key}`];
      if (o instanceof Error) throw o;
      if (!o) throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
      return { Body: { transformToByteArray: async () => new Uint8Array(o) } };
    },
  } as unknown as S3Client;
}

function recordingLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`INFO ${m}`), warn: (m) => lines.push(`WARN ${m}`), error: (m) => lines.push(`ERROR ${m}`) };
}

describe('Function: loadIocDatabase (Lambda cold start)', () => {
  const KEY = 'IOC/ioc.siemdb';
  it('opens the database from the geo bucket', async () => {
    const log = recordingLog();
    const db = await loadIocDatabase(fakeS3({ [`geo/${KEY}`]: database() }), 'geo', KEY, log);
    expect(db?.matchIp('203.0.113.9').map((m) => m.provider)).toEqual(['my-lists']);
    expect(log.lines).toEqual(['INFO loaded s3://geo/IOC/ioc.siemdb']);
  });

  it('no database: no enrichment, one info line, no failure; no bucket or an empty key: nothing at all', async () => {
    const log = recordingLog();
    expect(await loadIocDatabase(fakeS3({}), 'geo', KEY, log)).toBeUndefined();
    expect(log.lines).toEqual(['INFO s3://geo/IOC/ioc.siemdb does not exist: no IoC enrichment (the ioc-downloader is disabled or has not run yet)']);
    expect(await loadIocDatabase(fakeS3({}), undefined, KEY, log)).toBeUndefined();
    expect(await loadIocDatabase(fakeS3({}), 'geo', undefined, log)).toBeUndefined();
    expect(log.lines).toHaveLength(1);
  });

  it('a damaged database or a read error: one warning naming the object, no enrichment, no failure', async () => {
    const damaged = database();
    damaged[damaged.length - 40] ^= 0xff;
    const log = recordingLog();
    expect(await loadIocDatabase(fakeS3({ [`geo/${KEY}`]: damaged }), 'geo', KEY, log)).toBeUndefined();
    expect(await loadIocDatabase(fakeS3({ [`geo/${KEY}`]: Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }) }), 'geo', KEY, log)).toBeUndefined();
    expect(log.lines).toEqual([
      'WARN s3://geo/IOC/ioc.siemdb: SHA-256 mismatch (the file is damaged); IoC enrichment is off until a valid database is available (rebuild it with the ioc-downloader or `npm run ioc -- build`)',
      'WARN cannot read s3://geo/IOC/ioc.siemdb: IoC enrichment is off in this container',
    ]);
  });
});

describe('CLI: siem-load --ioc-db', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'siem-load-ioc-'));
  const flows = join(tmp, 'flows.log');
  writeFileSync(flows, FLOWS);
  const good = join(tmp, 'ioc.siemdb');
  writeFileSync(good, database());

  async function cli(...args: string[]) {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (c: Buffer) => (out += c.toString()));
    stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await main(args, { stdout, stderr });
    return { code, stdout: out, stderr: err };
  }

  it('enriches the dry-run documents with the given database', async () => {
    const r = await cli('--dry-run', '--ingested-at', '2026-11-22T07:00:00Z', '--s3-key', FLOW_KEY, '--ioc-db', good, flows);
    expect(r.code).toBe(0);
    const threats = r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as Doc)._source.threat as { matched: { indicators: string[] } } | undefined);
    expect(threats.map((t) => t?.matched.indicators)).toEqual([['198.51.100.23'], ['203.0.113.77'], ['2001:db8:bad:1::5'], undefined]);
  });

  it('a corrupt, foreign or missing file: one line naming the option and the file, exit 2, nothing printed', async () => {
    const truncated = join(tmp, 'truncated.siemdb');
    writeFileSync(truncated, database().subarray(0, 100));
    const foreign = join(tmp, 'GeoLite2-City.mmdb');
    writeFileSync(foreign, 'not a database at all');
    for (const [file, detail] of [
      [truncated, 'truncated (100 bytes)'],
      [foreign, 'not an IoC database (wrong magic bytes)'],
      [join(tmp, 'missing.siemdb'), 'cannot read the file (ENOENT)'],
    ] as const) {
      const r = await cli('--dry-run', '--s3-key', FLOW_KEY, '--ioc-db', file, flows);
      expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
        code: 2,
        stdout: '',
        stderr: `siem-load: --ioc-db ${file}: ${detail}; give a database built by npm run -s ioc -- build or the ioc-downloader\n`,
      });
    }
  });
});
