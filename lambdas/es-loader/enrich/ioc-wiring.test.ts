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
import { IocDatabase } from '../../shared/ioc/database';
import { main } from '../cli';
import { ecsComponentTemplate } from '../ecs/templates';
import { docs, pipeline, run } from '../log-types/testing';
import { loadIocDatabase } from '../runtime/ioc';
import { database, DNS, DNS_KEY, DNS_THREATS, FLOW_KEY, FLOW_THREATS, FLOWS, withThreat } from './ioc-fixtures';
import type { Log } from '../runtime/observability';

const ioc = IocDatabase.fromBuffer(database());
type Doc = { _index: string; _id: string; _source: Record<string, unknown> };

describe('es-loader: IoC enrichment in the pipeline', () => {
  it('VPC Flow Logs: exact IPv4, CIDR and IPv6 matches in source.ip/destination.ip/related.ip; near misses get no threat fields', async () => {
    const plain = docs(await run(pipeline(), FLOW_KEY, FLOWS));
    const enriched = docs(await run(pipeline({ ioc }), FLOW_KEY, FLOWS));
    expect(enriched).toEqual(withThreat(plain, FLOW_THREATS));
    expect((plain[3]!._source.source as { ip: string }).ip).toBe('198.51.100.24');
  });

  it('Route 53 Resolver: the query name matches through its parent domain, an answer IP through dns.answers.data; near misses do not', async () => {
    const plain = docs(await run(pipeline(), DNS_KEY, DNS));
    const enriched = docs(await run(pipeline({ ioc }), DNS_KEY, DNS));
    expect(enriched).toEqual(withThreat(plain, DNS_THREATS));
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
