/**
 * Amazon Security Lake buckets: read with the credentials of the subscriber role Security Lake created
 * for the SIEM account, assumed with the subscriber's external id (docs/security-lake.md).
 *
 * Environment (set by modules/security-lake-ingestion.ts; all absent = no Security Lake subscriber):
 *   SL_BUCKETS        comma-separated lake bucket names or patterns (`*` = any characters)  required
 *   SL_ROLE_ARN       ARN of the subscriber role (AmazonSecurityLake-<id>)                   required
 *   SL_EXTERNAL_ID    external id given when the subscriber was created                      required
 *   SL_REGION         Region of the lake buckets (default AWS_REGION)
 *   SL_QUEUE_ARN      ARN of the subscriber queue (Security Lake's; no redrive of ours)      optional
 *   SL_MAX_RECEIVE_COUNT  receives after which a failing message of that queue is copied to
 *                     the loader's DLQ and deleted (handler.ts)                               optional
 *
 * Security Lake notifies the subscriber queue with EventBridge "Object Created" events (sources/
 * events.ts turns them into bucket and key). Failures about lake objects go to the loader's own DLQ,
 * from where a replay reads them again through this strategy.
 *
 * Credentials are cached and shared by every read of every lake bucket in the container, renewed
 * before they expire, one AssumeRole call for concurrent callers (control-tower.ts's provider).
 */
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { z } from 'zod';
import { EsLoaderError } from '../errors';
import { bucketMatcher } from './bucket-pattern';
import { assumedRoleCredentials } from './control-tower';
import type { S3ClientStrategy } from './strategy';

/** The Security Lake environment variables are incomplete or invalid. Fatal at cold start. */
export class SecurityLakeConfigError extends EsLoaderError {}

/** AssumeRole of the subscriber role failed (trust policy, external id, network). Retryable by redelivery. */
export class SecurityLakeAssumeRoleError extends EsLoaderError {}

const ENV_KEYS = ['SL_BUCKETS', 'SL_ROLE_ARN', 'SL_EXTERNAL_ID', 'SL_REGION', 'SL_QUEUE_ARN', 'SL_MAX_RECEIVE_COUNT'] as const;

export const slEnvSchema = z.object({
  SL_BUCKETS: z
    .string({ error: 'is required: comma-separated names or patterns of the Security Lake buckets' })
    .transform((v) => v.split(',').map((b) => b.trim()).filter((b) => b !== ''))
    .pipe(
      z
        .array(z.string().regex(/^[a-z0-9*][a-z0-9.*-]{1,61}[a-z0-9*]$/, { error: (iss) => `${JSON.stringify(iss.input)} is not an S3 bucket name or pattern` }))
        .min(1, { error: 'names no bucket' }),
    ),
  SL_ROLE_ARN: z.string({ error: 'is required: the ARN of the Security Lake subscriber role' }).regex(/^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, { error: 'must be an IAM role ARN' }),
  SL_EXTERNAL_ID: z.string({ error: 'is required: the external id of the Security Lake subscriber' }).regex(/^[\w+=,.@:/-]{2,1224}$/, { error: 'must be 2-1224 characters of letters, digits and +=,.@:/-' }),
  SL_REGION: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: 'must be an AWS Region name' }).optional(),
  SL_QUEUE_ARN: z.string().regex(/^arn:aws[\w-]*:sqs:[a-z0-9-]+:\d{12}:[\w-]+$/, { error: 'must be an SQS queue ARN' }).optional(),
  SL_MAX_RECEIVE_COUNT: z.string().regex(/^[1-9]\d{0,2}$/, { error: 'must be a whole number from 1 to 999' }).transform(Number).optional(),
});

export interface SecurityLakeEnv {
  readonly bucketPatterns: readonly string[];
  readonly roleArn: string;
  readonly externalId: string;
  readonly region?: string;
  /** The subscriber queue and the receive count at which the loader gives a failing message of it to its own DLQ. */
  readonly queueArn?: string;
  readonly maxReceiveCount?: number;
}

/** The Security Lake settings of the environment, undefined when none of SL_* is set. */
export function securityLakeEnv(env: NodeJS.ProcessEnv): SecurityLakeEnv | undefined {
  const present = Object.fromEntries(ENV_KEYS.filter((k) => env[k] !== undefined && env[k] !== '').map((k) => [k, env[k]]));
  if (Object.keys(present).length === 0) return undefined;
  const parsed = slEnvSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new SecurityLakeConfigError(`invalid es-loader environment for the Security Lake buckets: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return { bucketPatterns: e.SL_BUCKETS, roleArn: e.SL_ROLE_ARN, externalId: e.SL_EXTERNAL_ID, region: e.SL_REGION, queueArn: e.SL_QUEUE_ARN, maxReceiveCount: e.SL_MAX_RECEIVE_COUNT };
}

export interface SecurityLakeStrategyDeps {
  readonly sts?: STSClient;
  readonly now?: () => number;
}

/**
 * The S3 client strategy: one S3 client with the subscriber role's credentials, answering for the lake
 * buckets only. Undefined when the environment has no SL_* variables.
 */
export function securityLakeStrategy(env: NodeJS.ProcessEnv, defaults: { readonly region?: string } = {}, deps: SecurityLakeStrategyDeps = {}): S3ClientStrategy | undefined {
  const sl = securityLakeEnv(env);
  if (!sl) return undefined;
  const region = sl.region ?? defaults.region;
  const sts = deps.sts ?? new STSClient({ region: defaults.region ?? region });
  const credentials = assumedRoleCredentials({
    roleArn: sl.roleArn,
    externalId: sl.externalId,
    sts,
    now: deps.now,
    guide: 'docs/security-lake.md',
    error: (message, cause) => new SecurityLakeAssumeRoleError(message, cause === undefined ? undefined : { cause }),
  });
  const forcePathStyle = env.S3_FORCE_PATH_STYLE === 'true' || env.S3_FORCE_PATH_STYLE === '1';
  const client = new S3Client({ region, credentials, forcePathStyle });
  const isLake = bucketMatcher(sl.bucketPatterns);
  return (bucket) => (isLake(bucket) ? client : undefined);
}
