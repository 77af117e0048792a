// Ready-made clients for the local servers. Inside the vitest `integration` project the connection
// details come from the environment variables that test/servers/global-setup.ts sets; bench scripts
// get them from `npm run servers` (eval its `export` lines) or pass the `ServersInfo` that
// `startServers()` returned.
import { readFileSync } from 'node:fs';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { SQSClient, type SQSClientConfig } from '@aws-sdk/client-sqs';
import { Client as OpenSearchClient, type ClientOptions } from '@opensearch-project/opensearch';
import { ENV, fromEnv, TEST_AWS, TestServerError, type ServersInfo } from './index';

/** Connection details of the running servers; throws when they are not running. */
export function serversInfo(): ServersInfo {
  const info = fromEnv();
  if (!info) {
    throw new TestServerError(
      `The local test servers are not running (${ENV.opensearchUrl}, ${ENV.s3Endpoint} or ${ENV.sqsEndpoint} is unset). ` +
        'Run integration tests with `npx vitest run --project integration`, or start the servers with ' +
        '`npm run servers` and eval its export lines.',
    );
  }
  return info;
}

const credentials = { accessKeyId: TEST_AWS.accessKeyId, secretAccessKey: TEST_AWS.secretAccessKey };

/** Options for `new Client(...)` of @opensearch-project/opensearch (basic auth + CA when security is on). */
export function openSearchClientOptions(info: ServersInfo = serversInfo()): ClientOptions {
  const os = info.opensearch;
  return {
    node: os.url,
    ...(os.username && os.password ? { auth: { username: os.username, password: os.password } } : {}),
    ...(os.caCertFile ? { ssl: { ca: readFileSync(os.caCertFile, 'utf8'), rejectUnauthorized: true } } : {}),
  };
}

export function openSearchClient(info: ServersInfo = serversInfo()): OpenSearchClient {
  return new OpenSearchClient(openSearchClientOptions(info));
}

/**
 * S3 client settings for s3rver: path-style addressing (s3rver is run without virtual-host buckets)
 * and its fixed credentials (TEST_AWS). Checksums only when an operation requires them: by default
 * SDK releases since 3.729 send stream bodies as `aws-chunked` with a CRC32 trailer, which s3rver
 * 3.7 stores verbatim (the object then holds the chunk framing), and reject streams of unknown
 * length ("x-amz-decoded-content-length").
 */
export function s3ClientConfig(endpoint: string = serversInfo().s3.endpoint): S3ClientConfig {
  return {
    endpoint,
    region: TEST_AWS.region,
    credentials,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}

export function s3ClientFor(endpoint: string): S3Client {
  return new S3Client(s3ClientConfig(endpoint));
}

export function s3Client(info: ServersInfo = serversInfo()): S3Client {
  return s3ClientFor(info.s3.endpoint);
}

/** SQS client settings for ElasticMQ: endpoint + fake region/credentials; the JSON protocol works as is. */
export function sqsClientConfig(endpoint: string = serversInfo().sqs.endpoint): SQSClientConfig {
  return { endpoint, region: TEST_AWS.region, credentials };
}

export function sqsClient(info: ServersInfo = serversInfo()): SQSClient {
  return new SQSClient(sqsClientConfig(info.sqs.endpoint));
}

/**
 * Environment for code under test that builds its own AWS clients from the environment (Lambda
 * handlers): region, fake credentials and the service-specific endpoint variables the SDK reads.
 * Note: there is no environment variable for S3 path-style addressing, but the SDK uses path style
 * by itself for an IP-address endpoint such as 127.0.0.1.
 */
export function awsEnv(info: ServersInfo = serversInfo()): Record<string, string> {
  return {
    AWS_REGION: TEST_AWS.region,
    AWS_DEFAULT_REGION: TEST_AWS.region,
    AWS_ACCESS_KEY_ID: TEST_AWS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_AWS.secretAccessKey,
    AWS_ENDPOINT_URL_S3: info.s3.endpoint,
    AWS_ENDPOINT_URL_SQS: info.sqs.endpoint,
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
  };
}
