// Starts and stops the three local servers the integration tests and benchmarks use, and carries
// their connection details in one object (`ServersInfo`) that also round-trips through environment
// variables (`SIEM_TEST_*`), so that test workers, bench scripts and shells all see the same thing.
import { startElasticMq, type RunningElasticMq, type SqsInfo } from './elasticmq';
import { startOpenSearch, type OpenSearchInfo, type OpenSearchOptions, type RunningOpenSearch } from './opensearch';
import { TestServerError } from './process';
import { startS3, type RunningS3, type S3Info } from './s3';

export type { OpenSearchInfo, S3Info, SqsInfo };
export { TestServerError };

/**
 * Fake AWS settings every client of the local servers uses. s3rver only knows the access key id
 * `S3RVER` (any other is rejected with InvalidAccessKeyId); ElasticMQ accepts anything.
 */
export const TEST_AWS = {
  region: 'us-east-1',
  accessKeyId: 'S3RVER',
  secretAccessKey: 'S3RVER',
} as const;

export interface ServersInfo {
  readonly opensearch: OpenSearchInfo;
  readonly s3: S3Info;
  readonly sqs: SqsInfo;
}

/** Names of the environment variables that carry `ServersInfo`. */
export const ENV = {
  opensearchUrl: 'SIEM_TEST_OPENSEARCH_URL',
  opensearchUsername: 'SIEM_TEST_OPENSEARCH_USERNAME',
  opensearchPassword: 'SIEM_TEST_OPENSEARCH_PASSWORD',
  opensearchCaCert: 'SIEM_TEST_OPENSEARCH_CA_CERT',
  opensearchVersion: 'SIEM_TEST_OPENSEARCH_VERSION',
  opensearchPlugins: 'SIEM_TEST_OPENSEARCH_PLUGINS',
  s3Endpoint: 'SIEM_TEST_S3_ENDPOINT',
  sqsEndpoint: 'SIEM_TEST_SQS_ENDPOINT',
  sqsAccountId: 'SIEM_TEST_SQS_ACCOUNT_ID',
  region: 'SIEM_TEST_AWS_REGION',
} as const;

/** `ServersInfo` as environment variables (values only for what is set). */
export function toEnv(info: ServersInfo): Record<string, string> {
  const env: Record<string, string> = {
    [ENV.opensearchUrl]: info.opensearch.url,
    [ENV.opensearchVersion]: info.opensearch.version,
    [ENV.opensearchPlugins]: info.opensearch.plugins.join(','),
    [ENV.s3Endpoint]: info.s3.endpoint,
    [ENV.sqsEndpoint]: info.sqs.endpoint,
    [ENV.sqsAccountId]: info.sqs.accountId,
    [ENV.region]: info.s3.region,
  };
  if (info.opensearch.username) env[ENV.opensearchUsername] = info.opensearch.username;
  if (info.opensearch.password) env[ENV.opensearchPassword] = info.opensearch.password;
  if (info.opensearch.caCertFile) {
    env[ENV.opensearchCaCert] = info.opensearch.caCertFile;
    // Lets child Node processes (vitest workers, spawned CLIs) trust the test CA in fetch/https too.
    env.NODE_EXTRA_CA_CERTS = info.opensearch.caCertFile;
  }
  return env;
}

/** Reads `ServersInfo` back from environment variables; undefined when the servers are not running. */
export function fromEnv(env: NodeJS.ProcessEnv = process.env): ServersInfo | undefined {
  const url = env[ENV.opensearchUrl];
  const s3 = env[ENV.s3Endpoint];
  const sqs = env[ENV.sqsEndpoint];
  if (!url || !s3 || !sqs) return undefined;
  const plugins = (env[ENV.opensearchPlugins] ?? '').split(',').filter((p) => p !== '');
  const region = env[ENV.region] ?? TEST_AWS.region;
  return {
    opensearch: {
      url,
      username: env[ENV.opensearchUsername],
      password: env[ENV.opensearchPassword],
      caCertFile: env[ENV.opensearchCaCert],
      version: env[ENV.opensearchVersion] ?? 'unknown',
      plugins,
      ism: plugins.includes('opensearch-index-management'),
      security: plugins.includes('opensearch-security'),
    },
    s3: { endpoint: s3, region },
    sqs: { endpoint: sqs, region, accountId: env[ENV.sqsAccountId] ?? '000000000000' },
  };
}

export interface RunningServers {
  readonly info: ServersInfo;
  /** Stops all three; safe to call more than once. */
  stop(): Promise<void>;
}

let current: RunningServers | undefined;

/**
 * Starts OpenSearch, s3rver and ElasticMQ in parallel (downloading the Java servers into the cache
 * on first use). If one fails, the others are stopped and the error names what failed.
 */
export async function startServers(options: { opensearch?: OpenSearchOptions } = {}): Promise<RunningServers> {
  const started = await Promise.allSettled([
    startOpenSearch(options.opensearch),
    startS3({ region: TEST_AWS.region }),
    startElasticMq({ region: TEST_AWS.region }),
  ]);
  const [os, s3, sqs] = started;
  const running = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const stopAll = async (): Promise<void> => {
    await Promise.allSettled(running.map((r) => r.stop()));
  };
  if (os.status !== 'fulfilled' || s3.status !== 'fulfilled' || sqs.status !== 'fulfilled') {
    await stopAll();
    const failures = started.flatMap((r, i) =>
      r.status === 'rejected' ? [`${['OpenSearch', 's3rver', 'ElasticMQ'][i]}: ${String((r.reason as Error)?.message ?? r.reason)}`] : [],
    );
    const firstFailure = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    throw new TestServerError(`Local test servers could not start:\n${failures.join('\n\n')}`, {
      cause: firstFailure?.reason,
    });
  }
  let stopped: Promise<void> | undefined;
  const servers: RunningServers = {
    info: {
      opensearch: (os.value as RunningOpenSearch).info,
      s3: (s3.value as RunningS3).info,
      sqs: (sqs.value as RunningElasticMq).info,
    },
    stop: () => {
      stopped ??= stopAll().then(() => {
        if (current === servers) current = undefined;
      });
      return stopped;
    },
  };
  current = servers;
  return servers;
}

/** Stops the servers of the last `startServers()` call, if any. */
export async function stopServers(): Promise<void> {
  await current?.stop();
}
