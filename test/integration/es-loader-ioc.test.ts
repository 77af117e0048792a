/**
 * IoC enrichment end to end (issue 16): an IoC database in the geo bucket (s3rver) opened the way the
 * Lambda opens it at cold start, VPC Flow Logs and Route 53 Resolver objects loaded by the handler into
 * the local OpenSearch, and read back: exact documents with `threat.matched.*` for IPv4, CIDR, IPv6 and
 * parent-domain matches and none for the near misses, keyword mappings, and terms aggregations on
 * `threat.matched.providers` and `threat.matched.indicators` as the threat-hunting dashboards use them.
 * A damaged database: one warning, the same documents without `threat`.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { database, DNS, DNS_KEY, DNS_THREATS, FLOW_KEY, FLOW_THREATS, FLOWS, withThreat } from '../../lambdas/es-loader/enrich/ioc-fixtures';
import { docs, pipeline, run } from '../../lambdas/es-loader/log-types/testing';
import { loadIocDatabase } from '../../lambdas/es-loader/runtime/ioc';
import { IOC_DATABASE_KEY } from '../../lambdas/shared/ioc/keys';
import { allDocs, byId, ensureBucket, failureMessages, fieldType, makeLoader, osClient, putObject, RecordingLog, resetIndices, s3c, s3Event, type ExpectedDoc } from './es-loader-helpers';

const GEO_BUCKET = 'aes-siem-111122223333-geo';
const client = osClient();

/** Both objects through the handler, as S3 notifications. */
async function loadBoth(iocBytes: Buffer, log: RecordingLog) {
  await ensureBucket(GEO_BUCKET);
  await s3c().send(new PutObjectCommand({ Bucket: GEO_BUCKET, Key: IOC_DATABASE_KEY, Body: iocBytes }));
  const ioc = await loadIocDatabase(s3c(), GEO_BUCKET, IOC_DATABASE_KEY, log);
  const loader = await makeLoader({ pipeline: ioc ? { ioc } : {} });
  for (const [key, body] of [
    [FLOW_KEY, FLOWS],
    [DNS_KEY, DNS],
  ] as const) {
    const size = await putObject(key, body);
    expect(await loader.invoke(s3Event(key, { size }))).toBeUndefined();
  }
  expect(await failureMessages(loader.dlqUrl)).toEqual([]);
  return loader;
}

/** What the bucket run of the same objects gives without a database (the unit tests pin these documents). */
async function plainDocs(): Promise<ExpectedDoc[]> {
  // The loader's documents carry the log bucket; testing.ts's run() uses the same one.
  return [...docs(await run(pipeline(), FLOW_KEY, FLOWS)), ...docs(await run(pipeline(), DNS_KEY, DNS))];
}

async function terms(field: string): Promise<Array<{ key: string; doc_count: number }>> {
  const res = await client.transport.request({
    method: 'POST',
    path: '/log-aws-*/_search',
    body: { size: 0, aggs: { t: { terms: { field, size: 20, order: [{ _count: 'desc' }, { _key: 'asc' }] } } } },
  });
  return (res.body as { aggregations: { t: { buckets: Array<{ key: string; doc_count: number }> } } }).aggregations.t.buckets;
}

beforeEach(async () => {
  await resetIndices(client);
});
afterAll(async () => {
  await resetIndices(client);
});

describe('es-loader: IoC enrichment in OpenSearch', () => {
  it('exact documents with threat.matched.* for IPv4, CIDR, IPv6 and parent-domain matches, none for near misses; terms aggregations on providers and indicators', async () => {
    const log = new RecordingLog();
    const loader = await loadBoth(database(), log);
    expect(log.lines.map((l) => `${l.level} ${l.message}`)).toEqual([`info loaded s3://${GEO_BUCKET}/${IOC_DATABASE_KEY}`]);

    const plain = await plainDocs();
    const want = withThreat(plain, [...FLOW_THREATS, ...DNS_THREATS]);
    const indices = [...new Set(want.map((d) => d._index))];
    expect(byId(await allDocs(client, indices.join(',')))).toEqual(byId(want));
    expect(loader.log.lastTotals()).toMatchObject({ objects: 1, failed: 0 });

    for (const index of indices)
      for (const field of ['threat.matched.providers', 'threat.matched.types', 'threat.matched.indicators', 'threat.matched.names']) expect(await fieldType(client, index, field), `${index} ${field}`).toBe('keyword');

    expect(await terms('threat.matched.providers')).toEqual([
      { key: 'torproject.org', doc_count: 2 },
      { key: 'AlienVault_OTX', doc_count: 1 },
      { key: 'abuse.ch', doc_count: 1 },
      { key: 'my-lists', doc_count: 1 },
    ]);
    expect(await terms('threat.matched.indicators')).toEqual([
      { key: '198.51.100.23', doc_count: 2 },
      { key: '2001:db8:bad:1::5', doc_count: 1 },
      { key: '203.0.113.77', doc_count: 1 },
      { key: 'beacon.c2.evil.example', doc_count: 1 },
    ]);
    expect(await terms('threat.matched.types')).toEqual([
      { key: 'ipv4-addr', doc_count: 3 },
      { key: 'domain-name', doc_count: 1 },
      { key: 'ipv6-addr', doc_count: 1 },
    ]);
  });

  it('a damaged database in the bucket: one warning naming it, every document indexed without threat fields', async () => {
    const damaged = database();
    damaged[damaged.length - 40] ^= 0xff;
    const log = new RecordingLog();
    await loadBoth(damaged, log);
    expect(log.lines.map((l) => `${l.level} ${l.message}`)).toEqual([
      `warn s3://${GEO_BUCKET}/${IOC_DATABASE_KEY}: SHA-256 mismatch (the file is damaged); IoC enrichment is off until a valid database is available (rebuild it with the ioc-downloader or \`npm run ioc -- build\`)`,
    ]);
    const plain = await plainDocs();
    expect(byId(await allDocs(client, [...new Set(plain.map((d) => d._index))].join(',')))).toEqual(byId(plain));
  });
});
