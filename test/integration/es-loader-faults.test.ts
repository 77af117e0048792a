/**
 * es-loader under OpenSearch trouble: a fault-injecting proxy between the loader and the real
 * OpenSearch answers 429/503, rejects items, drops connections before or after forwarding a bulk
 * request, and refuses large requests. Document counts must end exactly right, with no duplicates.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { S3Client } from '@aws-sdk/client-s3';
import { s3ClientConfig, serversInfo } from '../servers/clients';
import { allDocs, breakingS3Proxy, count, ensureBucket, failureMessages, faultProxy, makeLoader, openSearchNode, osClient, putObject, resetIndices, s3Event, sqsEvent, type Fault } from './es-loader-helpers';

const LT = path.resolve(__dirname, '../../lambdas/es-loader/log-types');
const CT_KEY = 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/21/111122223333_CloudTrail_us-east-1_20261121T1010Z_EXAMPLEabcd1234.json.gz';
const CT_INDEX = 'log-aws-cloudtrail-2026-11';
const SHAPES = readFileSync(path.join(LT, 'cloudtrail', 'shapes.json'));
const SHAPES_COUNT = (JSON.parse(SHAPES.toString('utf8')) as { Records: unknown[] }).Records.length;

const client = osClient();
const proxies: Array<{ close: () => Promise<void> }> = [];

async function loaderBehind(decide: (n: number) => Fault, opts: { maxAttempts?: number; maxDocs?: number } = {}) {
  const proxy = await faultProxy(openSearchNode(), decide);
  proxies.push(proxy);
  // Small batches so one object makes several bulk requests.
  const loader = await makeLoader({ node: proxy.url, maxAttempts: opts.maxAttempts, batch: { maxDocs: opts.maxDocs ?? 10, concurrency: 2 } });
  return { proxy, loader };
}

beforeAll(async () => {
  await ensureBucket();
});
beforeEach(async () => {
  await resetIndices(client);
  await putObject(CT_KEY, SHAPES);
});
afterAll(async () => {
  await Promise.all(proxies.map((p) => p.close()));
  await resetIndices(client);
});

describe('es-loader: OpenSearch faults', () => {
  it.each<[string, (n: number) => Fault]>([
    ['429 Too Many Requests for the first 3 bulk requests', (n) => (n < 3 ? { status: 429 } : 'pass')],
    ['503 Service Unavailable for the first 4 bulk requests', (n) => (n < 4 ? { status: 503 } : 'pass')],
    ['every item rejected with 429 in the first 2 answers', (n) => (n < 2 ? { itemStatus: 429 } : 'pass')],
    ['the connection dropped before the first bulk request reaches OpenSearch', (n) => (n === 0 ? 'drop-before' : 'pass')],
    ['the connection dropped mid-bulk: OpenSearch indexed the batch, the loader saw an error', (n) => (n === 0 || n === 2 ? 'drop-after' : 'pass')],
  ])('%s: every document exactly once', async (_name, decide) => {
    const { proxy, loader } = await loaderBehind(decide);
    const res = await loader.invoke(sqsEvent([{ body: JSON.stringify(s3Event(CT_KEY)) }]));
    expect(res).toEqual({ batchItemFailures: [] });
    expect(loader.log.lastTotals()).toMatchObject({ read: SHAPES_COUNT, indexed: SHAPES_COUNT, failed: 0 });
    expect(await count(client, CT_INDEX)).toBe(SHAPES_COUNT);
    const ids = (await allDocs(client, CT_INDEX)).map((d) => d._id);
    expect(new Set(ids).size).toBe(SHAPES_COUNT);
    expect(await failureMessages(loader.dlqUrl)).toEqual([]);
    // 38 documents in batches of 10 = 4 requests, plus one retry per injected fault at least.
    expect(proxy.bulkRequests()).toBeGreaterThan(4);
  });

  it('OpenSearch down longer than the retries: the message fails (to be redelivered), nothing goes to the DLQ; redelivery completes the load', async () => {
    let healthy = false;
    const { loader } = await loaderBehind((n) => (healthy || n === 0 ? 'pass' : { status: 503 }), { maxAttempts: 3 });
    const event = sqsEvent([{ id: 'm1', body: JSON.stringify(s3Event(CT_KEY)) }]);
    expect(await loader.invoke(event)).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
    const failure = loader.log.lines.find((l) => l.message.startsWith('failed (message m1 will be retried)'));
    expect(failure?.extra?.error).toMatchObject({ name: 'BulkRetryExhaustedError', message: expect.stringMatching(/failed 3 times, last with status 503/) });
    expect(await failureMessages(loader.dlqUrl)).toEqual([]);
    // The first batch got in before the outage.
    expect(await count(client, CT_INDEX)).toBe(10);

    healthy = true;
    expect(await loader.invoke(event)).toEqual({ batchItemFailures: [] });
    expect(loader.log.lastTotals()).toMatchObject({ read: SHAPES_COUNT, indexed: SHAPES_COUNT, duplicates: 10, failed: 0 });
    expect(await count(client, CT_INDEX)).toBe(SHAPES_COUNT);
  });

  it('a request refused as too large (413) is split until it fits', async () => {
    const { proxy, loader } = await loaderBehind(() => ({ tooLargeAbove: 8_000 }), { maxDocs: 1000 });
    await loader.invoke(s3Event(CT_KEY));
    expect(loader.log.lastTotals()).toMatchObject({ read: SHAPES_COUNT, indexed: SHAPES_COUNT, failed: 0 });
    expect(await count(client, CT_INDEX)).toBe(SHAPES_COUNT);
    expect(proxy.bulkRequests()).toBeGreaterThan(2);
  });

  it('a single document larger than the request limit goes to the DLQ with the reason, the others are indexed', async () => {
    const records = (JSON.parse(SHAPES.toString('utf8')) as { Records: Array<Record<string, unknown>> }).Records.slice(0, 5);
    records[2] = { ...records[2], requestParameters: { blob: 'x'.repeat(20_000) } };
    await putObject(CT_KEY, JSON.stringify({ Records: records }));
    const { loader } = await loaderBehind(() => ({ tooLargeAbove: 16_000 }), { maxDocs: 1000 });
    await loader.invoke(s3Event(CT_KEY));
    expect(loader.log.lastTotals()).toMatchObject({ read: 5, indexed: 4, failed: 1 });
    expect(await count(client, CT_INDEX)).toBe(4);
    const [msg] = await failureMessages(loader.dlqUrl);
    expect(msg).toMatchObject({ key: CT_KEY, failures: [{ stage: 'index', record: 2, reason: expect.stringMatching(/^request_entity_too_large: the document \(\d+ bytes of NDJSON\) exceeds the cluster's HTTP request limit \[status 413\]$/) }] });
  });
});

describe('es-loader: S3 faults', () => {
  it('a download broken mid-object resumes from the byte it stopped at, pinned to the same ETag: every record once', async () => {
    const proxy = await breakingS3Proxy(serversInfo().s3.endpoint, 1000, 2);
    proxies.push(proxy);
    const s3 = new S3Client({ ...s3ClientConfig(proxy.url), maxAttempts: 1 });
    const loader = await makeLoader({ s3 });
    await loader.invoke(s3Event(CT_KEY));
    expect(loader.log.lastTotals()).toMatchObject({ read: SHAPES_COUNT, indexed: SHAPES_COUNT, failed: 0 });
    expect(await count(client, CT_INDEX)).toBe(SHAPES_COUNT);
    expect(proxy.gets.map((g) => g.range)).toEqual([undefined, 'bytes=1000-', 'bytes=2000-']);
    expect(proxy.gets[1]!.ifMatch).toMatch(/^"?[0-9a-f]{32}"?$/);
    expect(await failureMessages(loader.dlqUrl)).toEqual([]);
  });
});
