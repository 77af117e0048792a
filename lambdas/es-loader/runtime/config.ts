/**
 * The loader's Lambda environment, validated once at cold start. A wrong value stops the function
 * with a message naming the variable (fatal: the platform retries the event, and the error metric
 * alarms), instead of failing record by record.
 *
 *   OPENSEARCH_ENDPOINT   domain endpoint, `https://host[:port]` or `host` (https assumed)   required
 *   OPENSEARCH_AUTH       sigv4 (default) | basic | none
 *   OPENSEARCH_USERNAME / OPENSEARCH_PASSWORD                                     basic auth only
 *   AWS_REGION            region of the domain (SigV4) and of the queues; set by Lambda
 *   SPLIT_QUEUE_URL       URL of `<prefix>-sqs-splitted-logs`                                  required
 *   DLQ_URL               URL of `<prefix>-dlq`                                                required
 *   GEOIP_BUCKET          bucket holding GeoLite2-City.mmdb / GeoLite2-ASN.mmdb; unset = no enrichment
 *   IOC_DATABASE_KEY      key of the IoC database in GEOIP_BUCKET (default IOC/ioc.siemdb, as the
 *                         ioc-downloader writes it); empty = no IoC enrichment (docs/threat-intel.md)
 *   AWS_EDGE_RANGES_KEY   key of the AWS CloudFront/Global Accelerator ranges in GEOIP_BUCKET, trusted as
 *                         proxies by clientip_xff (default TrustedProxy/aws-edge-ranges.json, as the
 *                         geoip-downloader writes it); empty = not trusted (docs/log-types.md)
 *   USER_INI              user.ini: `s3://bucket/key`, or a path (relative paths: next to index.js)
 *   SPLIT_SIZE            records per range when a log type sets no max_log_count (default 100000)
 *   BULK_MAX_BYTES        NDJSON bytes per _bulk request (default 5242880)
 *   BULK_MAX_DOCS         documents per _bulk request (default 2000)
 *   BULK_CONCURRENCY      _bulk requests in flight per object (default 2)
 *   BULK_MAX_ATTEMPTS     attempts per _bulk request on 429/5xx/connection errors (default 8)
 *   OBJECT_CONCURRENCY    objects (SQS messages) processed at once (default 2)
 *   S3_FORCE_PATH_STYLE   true for local S3-API servers (default false)
 *   POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE   Powertools' own (lambdas/shared/metrics.ts)
 * Endpoints of local servers use the AWS SDK's own variables (AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL_SQS).
 */
import * as path from 'node:path';
import { z } from 'zod';
import { parseEnvironment, type LambdaEnvironment } from '../../shared/env';
import { LOADER_METRICS_NAMESPACE, LOADER_SERVICE_NAME } from '../../shared/metrics';
import { IOC_DATABASE_KEY } from '../../shared/ioc/keys';
import { AWS_EDGE_RANGES_KEY } from '../../shared/aws-ip-ranges';
import { EsLoaderError } from '../errors';
import type { ctEnvSchema } from '../storage/control-tower';
import type { slEnvSchema } from '../storage/security-lake';

export class EnvironmentError extends EsLoaderError {}

const bool = z
  .enum(['true', 'false', '1', '0', ''])
  .default('false')
  .transform((v) => v === 'true' || v === '1');

const positive = (dflt: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: 'must be a positive whole number' })
    .transform(Number)
    .pipe(z.number().int().positive({ error: 'must be greater than 0' }))
    .default(dflt);

export const loaderEnvSchema = z.object({
  OPENSEARCH_ENDPOINT: z.string({ error: 'is required (the domain endpoint, e.g. https://search-aes-siem-xxxx.ap-northeast-1.es.amazonaws.com)' }).min(1, { error: 'is required' }),
  OPENSEARCH_AUTH: z.enum(['sigv4', 'basic', 'none'], { error: 'must be sigv4, basic or none' }).default('sigv4'),
  OPENSEARCH_USERNAME: z.string().optional(),
  OPENSEARCH_PASSWORD: z.string().optional(),
  AWS_REGION: z.string().optional(),
  SPLIT_QUEUE_URL: z.url({ error: 'is required: the URL of the <prefix>-sqs-splitted-logs queue' }),
  DLQ_URL: z.url({ error: 'is required: the URL of the <prefix>-dlq queue' }),
  GEOIP_BUCKET: z.string().optional(),
  IOC_DATABASE_KEY: z
    .string()
    .refine((v) => !v.startsWith('/') && !v.startsWith('s3://'), { error: `must be an object key in GEOIP_BUCKET such as ${IOC_DATABASE_KEY}, without s3:// or a leading /` })
    .default(IOC_DATABASE_KEY),
  AWS_EDGE_RANGES_KEY: z
    .string()
    .refine((v) => !v.startsWith('/') && !v.startsWith('s3://'), { error: `must be an object key in GEOIP_BUCKET such as ${AWS_EDGE_RANGES_KEY}, without s3:// or a leading /` })
    .default(AWS_EDGE_RANGES_KEY),
  USER_INI: z
    .string()
    .optional()
    .refine((v) => v === undefined || v === '' || !v.startsWith('s3://') || /^s3:\/\/[^/]+\/.+$/.test(v), { error: 'must be s3://bucket/key or a file path' }),
  SPLIT_SIZE: positive(100_000),
  BULK_MAX_BYTES: positive(5 * 1024 * 1024),
  BULK_MAX_DOCS: positive(2000),
  BULK_CONCURRENCY: positive(2),
  BULK_MAX_ATTEMPTS: positive(8),
  OBJECT_CONCURRENCY: positive(2),
  S3_FORCE_PATH_STYLE: bool,
  POWERTOOLS_SERVICE_NAME: z.string().optional(),
  POWERTOOLS_METRICS_NAMESPACE: z.string().optional(),
});

/**
 * The loader's environment as its construct (modules/es-loader.ts) sets it in AWS; the bulk and
 * concurrency settings keep their defaults there.
 */
export function loaderEnvironment(p: {
  readonly opensearchEndpoint: string;
  readonly splitQueueUrl: string;
  readonly dlqUrl: string;
  readonly geoBucket: string;
  readonly splitSize: number;
  /** `USER_INI`: `s3://bucket/key`, or the path of the user.ini bundled next to index.js (`loader.userIni`). Default none. */
  readonly userIni?: string;
}): LambdaEnvironment<typeof loaderEnvSchema> {
  return {
    OPENSEARCH_ENDPOINT: p.opensearchEndpoint,
    OPENSEARCH_AUTH: 'sigv4',
    SPLIT_QUEUE_URL: p.splitQueueUrl,
    DLQ_URL: p.dlqUrl,
    GEOIP_BUCKET: p.geoBucket,
    IOC_DATABASE_KEY,
    AWS_EDGE_RANGES_KEY,
    SPLIT_SIZE: String(p.splitSize),
    ...(p.userIni ? { USER_INI: p.userIni } : {}),
    POWERTOOLS_SERVICE_NAME: LOADER_SERVICE_NAME,
    POWERTOOLS_METRICS_NAMESPACE: LOADER_METRICS_NAMESPACE,
  };
}

/**
 * The Control Tower variables the construct adds when the organization has a Log Archive account;
 * storage/control-tower.ts reads them with its schema (`ctEnvSchema`).
 */
export function controlTowerEnvironment(p: {
  readonly buckets: readonly string[];
  readonly readerRoleArn: string;
  readonly externalId: string;
  readonly region: string;
  readonly dlqUrl: string;
}): LambdaEnvironment<typeof ctEnvSchema> {
  return { CT_BUCKETS: p.buckets.join(','), CT_ROLE_ARN: p.readerRoleArn, CT_EXTERNAL_ID: p.externalId, CT_REGION: p.region, CT_DLQ_URL: p.dlqUrl };
}

/**
 * The Amazon Security Lake variables the construct adds when the organization has `securityLake`
 * (modules/security-lake-ingestion.ts); storage/security-lake.ts reads them with its schema (`slEnvSchema`).
 */
export function securityLakeEnvironment(p: {
  readonly bucketPatterns: readonly string[];
  readonly roleArn: string;
  readonly externalId: string;
  readonly region: string;
  readonly queueArn: string;
  readonly maxReceiveCount: number;
}): LambdaEnvironment<typeof slEnvSchema> {
  return {
    SL_BUCKETS: p.bucketPatterns.join(','),
    SL_ROLE_ARN: p.roleArn,
    SL_EXTERNAL_ID: p.externalId,
    SL_REGION: p.region,
    SL_QUEUE_ARN: p.queueArn,
    SL_MAX_RECEIVE_COUNT: String(p.maxReceiveCount),
  };
}

export interface LoaderConfig {
  readonly opensearch:
    | { readonly node: string; readonly auth: 'sigv4'; readonly region: string }
    | { readonly node: string; readonly auth: 'basic'; readonly username: string; readonly password: string }
    | { readonly node: string; readonly auth: 'none' };
  readonly region?: string;
  readonly splitQueueUrl: string;
  readonly dlqUrl: string;
  readonly geoBucket?: string;
  /** Key of the IoC database in geoBucket; undefined: no IoC enrichment. */
  readonly iocDatabaseKey?: string;
  /** Key of the AWS edge ranges (clientip_xff's trusted AWS proxies) in geoBucket; undefined: not trusted. */
  readonly awsEdgeRangesKey?: string;
  readonly userIni?: { readonly kind: 's3'; readonly bucket: string; readonly key: string; readonly name: string } | { readonly kind: 'file'; readonly path: string; readonly name: string };
  readonly splitSize: number;
  readonly bulk: { readonly maxBytes: number; readonly maxDocs: number; readonly concurrency: number; readonly maxAttempts: number };
  readonly objectConcurrency: number;
  readonly s3ForcePathStyle: boolean;
}

export function loadConfig(env: NodeJS.ProcessEnv, bundleDir: string): LoaderConfig {
  const e = parseEnvironment(loaderEnvSchema, env, { title: 'invalid es-loader environment', reportInput: true, error: (m) => new EnvironmentError(m) });
  let opensearch: LoaderConfig['opensearch'];
  if (e.OPENSEARCH_AUTH === 'sigv4') {
    if (!e.AWS_REGION) throw new EnvironmentError('invalid es-loader environment: AWS_REGION is required with OPENSEARCH_AUTH=sigv4 (the region of the domain)');
    opensearch = { node: e.OPENSEARCH_ENDPOINT, auth: 'sigv4', region: e.AWS_REGION };
  } else if (e.OPENSEARCH_AUTH === 'basic') {
    if (!e.OPENSEARCH_USERNAME || !e.OPENSEARCH_PASSWORD) throw new EnvironmentError('invalid es-loader environment: OPENSEARCH_AUTH=basic needs OPENSEARCH_USERNAME and OPENSEARCH_PASSWORD');
    opensearch = { node: e.OPENSEARCH_ENDPOINT, auth: 'basic', username: e.OPENSEARCH_USERNAME, password: e.OPENSEARCH_PASSWORD };
  } else {
    opensearch = { node: e.OPENSEARCH_ENDPOINT, auth: 'none' };
  }
  let userIni: LoaderConfig['userIni'];
  if (e.USER_INI) {
    const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(e.USER_INI);
    userIni = m ? { kind: 's3', bucket: m[1]!, key: m[2]!, name: e.USER_INI } : { kind: 'file', path: path.resolve(bundleDir, e.USER_INI), name: e.USER_INI };
  }
  return {
    opensearch,
    region: e.AWS_REGION,
    splitQueueUrl: e.SPLIT_QUEUE_URL,
    dlqUrl: e.DLQ_URL,
    geoBucket: e.GEOIP_BUCKET || undefined,
    iocDatabaseKey: e.IOC_DATABASE_KEY || undefined,
    awsEdgeRangesKey: e.AWS_EDGE_RANGES_KEY || undefined,
    userIni,
    splitSize: e.SPLIT_SIZE,
    bulk: { maxBytes: e.BULK_MAX_BYTES, maxDocs: e.BULK_MAX_DOCS, concurrency: e.BULK_CONCURRENCY, maxAttempts: e.BULK_MAX_ATTEMPTS },
    objectConcurrency: e.OBJECT_CONCURRENCY,
    s3ForcePathStyle: e.S3_FORCE_PATH_STYLE,
  };
}
