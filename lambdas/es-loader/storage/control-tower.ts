/**
 * Control Tower log buckets: read with the credentials of `ct-role-for-siem`, assumed in the Log
 * Archive account with the external id; failures about their objects go to `<prefix>-ct-dlq`.
 *
 * Environment (set by modules/control-tower-ingestion.ts; all absent = no Control Tower integration):
 *   CT_BUCKETS        comma-separated Control Tower bucket names                            required
 *   CT_ROLE_ARN       ARN of ct-role-for-siem                                               required
 *   CT_EXTERNAL_ID    external id the role's trust policy requires                          required
 *   CT_REGION         Region of the Control Tower buckets (default AWS_REGION)
 *   CT_DLQ_URL        URL of <prefix>-ct-dlq; unset = failures go to the loader's own DLQ
 *
 * Credentials are cached and shared by every read of every Control Tower bucket in the container, and
 * refreshed when less than CREDENTIAL_REFRESH_MARGIN_MS of their lifetime is left, so a long object
 * read never starts with credentials about to expire. Concurrent callers share one AssumeRole call.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { z } from 'zod';
import { EsLoaderError } from '../errors';
import { SqsDeadLetterQueue } from '../sink/dlq';
import type { DeadLetter, DeadLetterQueue } from '../sink/types';
import type { S3ClientStrategy } from './strategy';

/** The Control Tower environment variables are incomplete or invalid. Fatal at cold start. */
export class ControlTowerConfigError extends EsLoaderError {}

/** AssumeRole of ct-role-for-siem failed (trust policy, external id, network). Retryable by redelivery. */
export class ControlTowerAssumeRoleError extends EsLoaderError {}

/** Session length asked of STS; the role's MaxSessionDuration is one hour (modules/log-archive/reader-role.ts). */
export const SESSION_SECONDS = 3600;
/** Credentials are renewed when less than this is left (a Lambda invocation lasts at most 15 minutes). */
export const CREDENTIAL_REFRESH_MARGIN_MS = 15 * 60 * 1000;
export const SESSION_NAME = 'siem-es-loader';

const ENV_KEYS = ['CT_BUCKETS', 'CT_ROLE_ARN', 'CT_EXTERNAL_ID', 'CT_REGION', 'CT_DLQ_URL'] as const;

export const ctEnvSchema = z.object({
  CT_BUCKETS: z
    .string({ error: 'is required: comma-separated names of the Control Tower log buckets' })
    .transform((v) => v.split(',').map((b) => b.trim()).filter((b) => b !== ''))
    .pipe(z.array(z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: (iss) => `${JSON.stringify(iss.input)} is not an S3 bucket name` })).min(1, { error: 'names no bucket' })),
  CT_ROLE_ARN: z.string({ error: 'is required: the ARN of ct-role-for-siem' }).regex(/^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, { error: 'must be an IAM role ARN' }),
  CT_EXTERNAL_ID: z.string({ error: 'is required: the external id of ct-role-for-siem' }).regex(/^[\w+=,.@:/-]{2,1224}$/, { error: 'must be 2-1224 characters of letters, digits and +=,.@:/-' }),
  CT_REGION: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: 'must be an AWS Region name' }).optional(),
  CT_DLQ_URL: z.url({ error: 'must be the URL of <prefix>-ct-dlq' }).optional(),
});

export interface ControlTowerEnv {
  readonly buckets: readonly string[];
  readonly roleArn: string;
  readonly externalId: string;
  readonly region?: string;
  readonly dlqUrl?: string;
}

/** The Control Tower settings of the environment, undefined when none of CT_* is set. */
export function controlTowerEnv(env: NodeJS.ProcessEnv): ControlTowerEnv | undefined {
  const present = Object.fromEntries(ENV_KEYS.filter((k) => env[k] !== undefined && env[k] !== '').map((k) => [k, env[k]]));
  if (Object.keys(present).length === 0) return undefined;
  const parsed = ctEnvSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ControlTowerConfigError(`invalid es-loader environment for the Control Tower buckets: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return { buckets: e.CT_BUCKETS, roleArn: e.CT_ROLE_ARN, externalId: e.CT_EXTERNAL_ID, region: e.CT_REGION, dlqUrl: e.CT_DLQ_URL };
}

export interface AssumedRoleProviderOptions {
  readonly roleArn: string;
  readonly externalId: string;
  readonly sts: STSClient;
  readonly now?: () => number;
  readonly refreshMarginMs?: number;
  readonly sessionSeconds?: number;
  /** The page that explains the role's trust policy, named in the error (default docs/control-tower.md). */
  readonly guide?: string;
  /** The error thrown when AssumeRole fails (default ControlTowerAssumeRoleError). */
  readonly error?: (message: string, cause?: unknown) => Error;
}

/**
 * A credential provider for the role, cached until `refreshMarginMs` before expiry. The AWS SDK's
 * clients call it before signing each request, so every request gets valid credentials.
 */
export function assumedRoleCredentials(o: AssumedRoleProviderOptions): AwsCredentialIdentityProvider & { readonly assumeCount: () => number } {
  const now = o.now ?? Date.now;
  const margin = o.refreshMarginMs ?? CREDENTIAL_REFRESH_MARGIN_MS;
  let cached: AwsCredentialIdentity | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;
  let count = 0;
  const fail = o.error ?? ((message: string, cause?: unknown) => new ControlTowerAssumeRoleError(message, cause === undefined ? undefined : { cause }));

  const fresh = (c: AwsCredentialIdentity | undefined): c is AwsCredentialIdentity => c !== undefined && c.expiration !== undefined && c.expiration.getTime() - margin > now();

  async function assume(): Promise<AwsCredentialIdentity> {
    count++;
    let res;
    try {
      res = await o.sts.send(
        new AssumeRoleCommand({ RoleArn: o.roleArn, RoleSessionName: SESSION_NAME, ExternalId: o.externalId, DurationSeconds: o.sessionSeconds ?? SESSION_SECONDS }),
      );
    } catch (err) {
      throw fail(
        `cannot assume ${o.roleArn} (check its trust policy names the loader role and the external id, see ${o.guide ?? 'docs/control-tower.md'}): ${(err as Error).name}: ${(err as Error).message}`,
        err,
      );
    }
    const c = res.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
      throw fail(`AssumeRole of ${o.roleArn} returned no complete credentials`);
    }
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: new Date(c.Expiration) };
  }

  const provider = async (): Promise<AwsCredentialIdentity> => {
    if (fresh(cached)) return cached;
    pending ??= assume().then(
      (c) => {
        cached = c;
        pending = undefined;
        return c;
      },
      (err: unknown) => {
        pending = undefined;
        throw err;
      },
    );
    return pending;
  };
  return Object.assign(provider, { assumeCount: () => count });
}

export interface ControlTowerStrategyDeps {
  readonly sts?: STSClient;
  readonly now?: () => number;
}

/**
 * The S3 client strategy: one S3 client with the assumed role's credentials, answering for the
 * Control Tower buckets only. Undefined when the environment has no CT_* variables.
 */
export function controlTowerStrategy(env: NodeJS.ProcessEnv, defaults: { readonly region?: string } = {}, deps: ControlTowerStrategyDeps = {}): S3ClientStrategy | undefined {
  const ct = controlTowerEnv(env);
  if (!ct) return undefined;
  const region = ct.region ?? defaults.region;
  // STS in the loader's own Region (regional endpoint; the global one is a single point of failure).
  const sts = deps.sts ?? new STSClient({ region: defaults.region ?? region });
  const credentials = assumedRoleCredentials({ roleArn: ct.roleArn, externalId: ct.externalId, sts, now: deps.now });
  const forcePathStyle = env.S3_FORCE_PATH_STYLE === 'true' || env.S3_FORCE_PATH_STYLE === '1';
  const client = new S3Client({ region, credentials, forcePathStyle });
  const buckets = new Set(ct.buckets);
  return (bucket) => (buckets.has(bucket) ? client : undefined);
}

/**
 * Sends dead letters about objects of the Control Tower buckets to `<prefix>-ct-dlq` (so an operator
 * of the Log Archive integration finds them, and SQS's redrive moves them back to `<prefix>-ct`, where
 * the loader replays exactly the failed records), everything else to `fallback`.
 */
export class ControlTowerDeadLetterRouter implements DeadLetterQueue {
  private readonly buckets: ReadonlySet<string>;

  constructor(
    private readonly fallback: DeadLetterQueue,
    private readonly controlTower: DeadLetterQueue,
    buckets: readonly string[],
  ) {
    this.buckets = new Set(buckets);
  }

  async send(letters: readonly DeadLetter[]): Promise<void> {
    const ct = letters.filter((l) => l.bucket !== undefined && this.buckets.has(l.bucket));
    const rest = letters.filter((l) => !(l.bucket !== undefined && this.buckets.has(l.bucket)));
    if (ct.length > 0) await this.controlTower.send(ct);
    if (rest.length > 0) await this.fallback.send(rest);
  }
}

/** Wraps the loader's DLQ with the Control Tower routing when CT_DLQ_URL is set; otherwise returns it unchanged. */
export function withControlTowerDeadLetters(dlq: DeadLetterQueue, sqs: SQSClient, env: NodeJS.ProcessEnv): DeadLetterQueue {
  const ct = controlTowerEnv(env);
  if (!ct?.dlqUrl) return dlq;
  return new ControlTowerDeadLetterRouter(dlq, new SqsDeadLetterQueue(sqs, ct.dlqUrl), ct.buckets);
}
