/**
 * Cold start: everything built once per container and reused by every invocation: the validated
 * environment, the AWS and OpenSearch clients, the user.ini, the GeoIP and IoC databases and the pipeline.
 * A failure here is fatal (the invocation throws and the platform retries it); the next invocation
 * tries again from scratch rather than reusing a half-built runtime.
 */
import { readFileSync } from 'node:fs';
import { S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { ForeignQueues, LoaderRuntime } from '../handler';
import { TrustedProxies } from '../enrich/client-ip';
import { prepareUserAgentParser } from '../enrich/user-agent';
import { ConfigError } from '../errors';
import { Pipeline } from '../pipeline';
import { createOpenSearchClient, SqsDeadLetterQueue, TemplateInstaller } from '../sink';
import { SqsRangeQueue } from '../sources';
import { readSmallObject, S3ClientRegistry, S3ObjectStore } from '../storage';
import { withControlTowerDeadLetters } from '../storage/control-tower';
import { securityLakeEnv } from '../storage/security-lake';
import { loadAwsEdgeRanges } from './aws-edge-ranges';
import { loadConfig, type LoaderConfig } from './config';
import { loadGeoDatabases } from './geo';
import { loadIocDatabase } from './ioc';
import { loadOrganizationContext } from './organization';
import { logFrom, powertoolsLogger, PowertoolsMetricsSink, type Log, type MetricsSink } from './observability';
import { loaderTemplates } from './templates';

export interface InitOverrides {
  readonly log?: Log;
  readonly metrics?: MetricsSink;
  readonly s3?: S3Client;
  readonly sqs?: SQSClient;
}

async function readUserIni(cfg: LoaderConfig, s3: S3Client): Promise<{ text: string; name: string } | undefined> {
  const u = cfg.userIni;
  if (!u) return undefined;
  if (u.kind === 'file') {
    try {
      return { text: readFileSync(u.path, 'utf8'), name: u.name };
    } catch (err) {
      throw new ConfigError(`USER_INI ${u.name}: cannot read ${u.path}: ${(err as Error).message}`, u.name, undefined, undefined, { cause: err });
    }
  }
  let bytes: Buffer | undefined;
  try {
    bytes = await readSmallObject(s3, u.bucket, u.key);
  } catch (err) {
    throw new ConfigError(`USER_INI ${u.name}: cannot read it: ${(err as Error).message}`, u.name, undefined, undefined, { cause: err });
  }
  if (!bytes) throw new ConfigError(`USER_INI ${u.name} does not exist`, u.name);
  return { text: bytes.toString('utf8'), name: u.name };
}

/**
 * The pipeline with the exclusion CSV of the geo bucket applied (`exclude_log_patterns_filename`,
 * config/exclusion-csv.ts), or undefined when there is none. A CSV that cannot be read or is invalid is
 * left out with one error line: every record then loads, as without it.
 */
async function readExclusionCsv(s3: S3Client, bucket: string | undefined, pipeline: Pipeline, log: Log): Promise<Pipeline | undefined> {
  const key = pipeline.exclusionCsvName;
  if (!bucket || !key) return undefined;
  const name = `s3://${bucket}/${key}`;
  try {
    const bytes = await readSmallObject(s3, bucket, key);
    return bytes ? pipeline.withExclusionCsv(bytes.toString('utf8'), name) : undefined;
  } catch (err) {
    log.error(`exclusion CSV ignored, no record is excluded by it: ${err instanceof ConfigError ? err.message : `${name}: cannot read it: ${(err as Error).message}`}`);
    return undefined;
  }
}

/**
 * Amazon Security Lake's subscriber queue has no redrive policy of ours: the handler copies a message that
 * failed on its SL_MAX_RECEIVE_COUNT-th receive into the loader's DLQ (handler.ts). Undefined without
 * SL_QUEUE_ARN and SL_MAX_RECEIVE_COUNT.
 */
export function foreignQueuesFrom(env: NodeJS.ProcessEnv, sqs: SQSClient, dlqUrl: string): ForeignQueues | undefined {
  const sl = securityLakeEnv(env);
  if (!sl?.queueArn || !sl.maxReceiveCount) return undefined;
  return {
    arns: new Set([sl.queueArn]),
    maxReceiveCount: sl.maxReceiveCount,
    forward: async (body) => {
      await sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: body }));
    },
  };
}

export async function initRuntime(env: NodeJS.ProcessEnv, bundleDir: string, overrides: InitOverrides = {}): Promise<LoaderRuntime> {
  const log = overrides.log ?? logFrom(powertoolsLogger());
  const cfg = loadConfig(env, bundleDir);
  const s3 = overrides.s3 ?? new S3Client({ region: cfg.region, forcePathStyle: cfg.s3ForcePathStyle });
  const sqs = overrides.sqs ?? new SQSClient({ region: cfg.region });
  // Account names, OUs, tags and trusted proxies (runtime/organization.ts), read while the databases load,
  // and the AWS CloudFront/Global Accelerator ranges, trusted as proxies too (runtime/aws-edge-ranges.ts).
  const organizationLoad = loadOrganizationContext(s3, cfg.geoBucket, env, log);
  const awsEdgeLoad = loadAwsEdgeRanges(s3, cfg.geoBucket, cfg.awsEdgeRangesKey, log);
  // A user.ini that cannot be read or is invalid is left out with one error line: the built-in log types keep loading.
  let userIniProblem: string | undefined;
  const loads = Promise.all([
    readUserIni(cfg, s3).catch((err: unknown) => {
      if (!(err instanceof ConfigError)) throw err;
      userIniProblem = err.message;
      return undefined;
    }),
    loadGeoDatabases(s3, cfg.geoBucket, log),
    loadIocDatabase(s3, cfg.geoBucket, cfg.iocDatabaseKey, log),
  ]);
  // CPU work while the downloads are in flight: the user-agent rules' regular expressions (enrich/user-agent.ts).
  prepareUserAgentParser();
  const [userIni, geo, ioc] = await loads;
  const organization = await organizationLoad;
  const awsEdges = await awsEdgeLoad;
  const trustedProxies = awsEdges.length ? (organization.trustedProxies ?? new TrustedProxies([])).with(awsEdges) : organization.trustedProxies;
  const shared = { geo, ...(ioc ? { ioc } : {}), ...organization, ...(trustedProxies ? { trustedProxies } : {}) };
  let pipeline: Pipeline;
  try {
    pipeline = Pipeline.create({ ...(userIni ? { userIni: userIni.text, userIniName: userIni.name } : {}), ...shared });
  } catch (err) {
    if (!userIni || !(err instanceof ConfigError)) throw err;
    userIniProblem = err.message;
    pipeline = Pipeline.create(shared);
  }
  if (userIniProblem) log.error(`user.ini ignored, loading the built-in log types only: ${userIniProblem}`);
  const exclusionCsv = await readExclusionCsv(s3, cfg.geoBucket, pipeline, log);
  if (exclusionCsv) pipeline = exclusionCsv;
  const client = createOpenSearchClient(cfg.opensearch);
  const foreignQueues = foreignQueuesFrom(env, sqs, cfg.dlqUrl);
  const runtime: LoaderRuntime = {
    pipeline,
    store: new S3ObjectStore(S3ClientRegistry.fromEnvironment(env, s3)),
    client,
    templates: new TemplateInstaller(client, loaderTemplates(pipeline)),
    dlq: withControlTowerDeadLetters(new SqsDeadLetterQueue(sqs, cfg.dlqUrl), sqs, env),
    splitQueue: new SqsRangeQueue(sqs, cfg.splitQueueUrl),
    log,
    metrics: overrides.metrics ?? new PowertoolsMetricsSink(),
    splitSize: cfg.splitSize,
    batch: { maxBytes: cfg.bulk.maxBytes, maxDocs: cfg.bulk.maxDocs, concurrency: cfg.bulk.concurrency },
    retry: { maxAttempts: cfg.bulk.maxAttempts },
    objectConcurrency: cfg.objectConcurrency,
    ...(foreignQueues ? { foreignQueues } : {}),
  };
  log.info('es-loader ready', {
    opensearch: cfg.opensearch.node,
    auth: cfg.opensearch.auth,
    userIni: userIniProblem ? '(ignored: invalid)' : userIni?.name ?? '(bundled)',
    geoip: { city: Boolean(geo.city), asn: Boolean(geo.asn) },
    ioc: Boolean(ioc),
    trustedProxies: trustedProxies?.size ?? 0,
    splitSize: cfg.splitSize,
    bulk: cfg.bulk,
  });
  return runtime;
}
