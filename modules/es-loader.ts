/**
 * The es-loader in the central stack: the `<prefix>-es-loader` function, its least-privilege role, how
 * S3 triggers it (`loader.trigger`), the split-queue event source mapping and its alarms.
 *
 * - `sqs` (default): the log bucket notifies `<prefix>-s3-notification` (KMS-encrypted; the key policy's
 *   `S3ToEncryptedQueues` statement lets S3 use the key), the queue redrives to `<prefix>-dlq`, and an
 *   event source mapping with `ReportBatchItemFailures` invokes the loader, so one bad message never
 *   makes the good ones of its batch run again.
 * - `s3`: the bucket invokes the function asynchronously; Lambda retries twice and then sends the event
 *   to `<prefix>-dlq` (on-failure destination), so nothing is dropped silently either way.
 * The split queue is consumed one message at a time: a message is a range of up to max_log_count
 * records, and a batch of them could outlast the function timeout.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Construct } from 'constructs';
import type { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { loaderEnvironment } from '../lambdas/es-loader/runtime/config';
import { metricAlarm } from './alarms';
import { arn } from './naming';
import { denyInsecureTransport, terraformPolicy, type PolicyStatement } from './policies/document';
import { SiemFunction, type SiemFunctionProps } from './siem-function';

/** Files the loader reads at run time, copied next to the bundle (the pipeline looks there first). */
export const LOADER_DATA_FILES = ['aws.ini', 'user.ini'] as const;
const LOADER_DIR = path.resolve(__dirname, '..', 'lambdas', 'es-loader');

/** How the loader runs and is fed; every field has the default of `loader` in accounts/schema.ts. */
export interface EsLoaderSettings {
  /** `sqs`: S3 -> SQS -> Lambda (buffered, retried); `s3`: S3 invokes the loader. Default `sqs`. */
  readonly trigger?: 'sqs' | 's3';
  /** Default 2048. */
  readonly memoryMb?: number;
  /** Default 600. */
  readonly timeoutSeconds?: number;
  /** Default 10 (the reference's). */
  readonly reservedConcurrency?: number;
  /** Receives of a notification message before it moves to the DLQ. Default 3. */
  readonly maxReceiveCount?: number;
  /** Records per range when a log type sets no max_log_count. Default 100000. */
  readonly splitSize?: number;
  /** Days of the function's logs. Default 90. */
  readonly logRetentionDays?: number;
  /** `s3://bucket/key` or the path of a repository file (`loader.userIni`, userIniSource). Default none. */
  readonly userIni?: string;
}

export interface EsLoaderProps {
  /** Resource-name prefix: `<prefix>-s3-notification`, `<prefix>-dlq-not-empty`. */
  readonly prefix: string;
  /** Default `<prefix>-es-loader`. */
  readonly functionName?: string;
  /** Default `<functionName>-role`. */
  readonly roleName?: string;
  readonly accountId: string;
  readonly region: string;
  /** The central key: objects, queues and the function's log group. */
  readonly keyArn: string;
  /** The OpenSearch domain's ARN and endpoint (the endpoint may be a token). */
  readonly domain: { readonly arn: string; readonly endpoint: string };
  /** The log bucket; `resourceId` is its resource's `id` attribute (the notification waits for the bucket). */
  readonly logBucket: { readonly name: string; readonly resourceId: string };
  /**
   * Further log buckets of this account that notify the loader like the log bucket and that it reads
   * (the SSE-S3 load-balancer log bucket, modules/elb-log-bucket.ts). `suffixes`: notify only for
   * keys ending so (one notification entry each; they must not overlap); default every key. Default none.
   */
  readonly extraLogBuckets?: readonly { readonly name: string; readonly resourceId: string; readonly suffixes?: readonly string[] }[];
  /** Bucket holding the GeoIP databases. */
  readonly geoBucketName: string;
  /** The split queue; `resourceArn` is its resource's `arn` attribute (the mapping waits for the queue). */
  readonly splitQueue: { readonly name: string; readonly resourceArn: string };
  /** Name of the DLQ in this account and Region. */
  readonly dlqName: string;
  /** Topic the loader's alarms notify. */
  readonly alertTopicArn: string;
  /** Default: the defaults of each setting. */
  readonly settings?: EsLoaderSettings;
  /** Subnets and security groups when OpenSearch is reachable only in a VPC. Default: no VPC. */
  readonly vpc?: SiemFunctionProps['vpc'];
  /**
   * SQS event source mappings that other constructs add to the loader (Control Tower: 1, Security Lake: 1); every SQS
   * mapping gets an equal share of the reserved concurrency. Default 0.
   */
  readonly additionalQueueMappings?: number;
}

/**
 * Where the loader finds `loader.userIni`: an S3 object it reads at cold start (its role may read
 * exactly that object), or a repository file bundled as `user-ini/<sha256 of the content>.ini`, so the
 * asset and `USER_INI` change exactly when the file does (the environment holds a path, not the text:
 * Lambda's environment is limited to 4 KB).
 */
export function userIniSource(userIni: string | undefined): {
  readonly env?: string;
  readonly object?: { readonly bucket: string; readonly key: string };
  readonly files: readonly { readonly from: string; readonly to: string }[];
} {
  if (!userIni) return { files: [] };
  const s3 = /^s3:\/\/([^/]+)\/(.+)$/.exec(userIni);
  if (s3) return { env: userIni, object: { bucket: s3[1]!, key: s3[2]! }, files: [] };
  const from = path.resolve(__dirname, '..', userIni);
  const to = `user-ini/${createHash('sha256').update(fs.readFileSync(from)).digest('hex').slice(0, 16)}.ini`;
  return { env: to, files: [{ from, to }] };
}

/** Name of the S3 notification queue of the `sqs` trigger. */
export function notificationQueueName(prefix: string): string {
  return `${prefix}-s3-notification`;
}

/**
 * The es-loader stopper disables the loader's SQS mappings while OpenSearch is out of storage; a deploy
 * in the meantime must not enable them again, so Terraform leaves `enabled` alone after creating them.
 */
export const PAUSABLE_MAPPING = { ignoreChanges: ['enabled'] };

/** The role's permissions (exported for policy tests). */
export function loaderStatements(p: {
  readonly logBucket: string;
  readonly geoBucket: string;
  readonly keyArn: string;
  readonly domainArn: string;
  readonly splitQueueArn: string;
  readonly dlqArn: string;
  readonly notificationQueueArn?: string;
  /** The S3 object of `loader.userIni` when it is an S3 URL. */
  readonly userIniObject?: { readonly bucket: string; readonly key: string };
  /** Further log buckets read like the log bucket (SSE-S3: no key needed). */
  readonly extraLogBuckets?: readonly string[];
}): PolicyStatement[] {
  const consumed = [p.splitQueueArn, ...(p.notificationQueueArn ? [p.notificationQueueArn] : [])];
  const extra = p.extraLogBuckets ?? [];
  const extraStatements: PolicyStatement[] =
    extra.length === 0
      ? []
      : [
          { Sid: 'ReadOtherLogBuckets', Effect: 'Allow', Action: 's3:GetObject', Resource: extra.map((b) => arn.objects(b)) },
          { Sid: 'ListOtherLogBuckets', Effect: 'Allow', Action: 's3:ListBucket', Resource: extra.map((b) => arn.bucket(b)) },
        ];
  return [
    // ListBucket makes a missing object answer 404 (not 403), so a deleted object is told from a permission problem.
    { Sid: 'ReadLogs', Effect: 'Allow', Action: 's3:GetObject', Resource: arn.objects(p.logBucket) },
    { Sid: 'ListLogBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: arn.bucket(p.logBucket) },
    ...extraStatements,
    ...(p.userIniObject ? [{ Sid: 'ReadUserIni', Effect: 'Allow' as const, Action: 's3:GetObject', Resource: arn.objects(p.userIniObject.bucket, p.userIniObject.key) }] : []),
    { Sid: 'ReadGeoDatabases', Effect: 'Allow', Action: 's3:GetObject', Resource: arn.objects(p.geoBucket) },
    { Sid: 'ListGeoBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: arn.bucket(p.geoBucket) },
    // Decrypt: SSE-KMS objects and messages of the encrypted queues; GenerateDataKey: sending to them.
    { Sid: 'UseCentralKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: p.keyArn },
    { Sid: 'SendRangesAndFailures', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: [p.splitQueueArn, p.dlqArn] },
    {
      Sid: 'ConsumeTriggerQueues',
      Effect: 'Allow',
      Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility'],
      Resource: consumed,
    },
    // HEAD/GET: index template checks; PUT: templates; POST: _bulk.
    { Sid: 'WriteToOpenSearch', Effect: 'Allow', Action: ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost', 'es:ESHttpPut'], Resource: `${p.domainArn}/*` },
  ];
}

export class EsLoader extends Construct {
  readonly function: SiemFunction;
  readonly functionName: string;
  readonly functionArn: string;
  readonly roleArn: string;
  readonly roleName: string;
  /** maximum_concurrency of each SQS event source mapping of the loader (its share of the reserved concurrency). */
  readonly mappingConcurrency: number;
  /** The S3 notification queue (`loader.trigger: sqs`). */
  readonly notificationQueue?: SqsQueue;
  readonly dlqAlarm: CloudwatchMetricAlarm;
  /** The loader's reserved concurrency (the stopper restores it). */
  readonly reservedConcurrency: number;
  /** Receives of a message before its queue's redrive moves it to the DLQ (the loader applies the same count to queues it cannot attach a redrive to). */
  readonly maxReceiveCount: number;
  /** Account and Region of the function (an SQS event source must be in the same Region). */
  readonly accountId: string;
  readonly region: string;
  private readonly environment: Record<string, string>;
  private extraPolicies = 0;

  constructor(scope: Construct, id: string, props: EsLoaderProps) {
    super(scope, id);
    const { prefix, accountId, region, keyArn } = props;
    const settings = {
      trigger: props.settings?.trigger ?? 'sqs',
      memoryMb: props.settings?.memoryMb ?? 2048,
      timeoutSeconds: props.settings?.timeoutSeconds ?? 600,
      reservedConcurrency: props.settings?.reservedConcurrency ?? 10,
      maxReceiveCount: props.settings?.maxReceiveCount ?? 3,
      splitSize: props.settings?.splitSize ?? 100_000,
      logRetentionDays: props.settings?.logRetentionDays ?? 90,
    };
    const functionName = props.functionName ?? `${prefix}-es-loader`;
    const roleName = props.roleName ?? `${functionName}-role`;
    const userIni = userIniSource(props.settings?.userIni);
    const queueUrl = (name: string) => `https://sqs.${region}.amazonaws.com/${accountId}/${name}`;
    const splitQueueArn = arn.queue(region, accountId, props.splitQueue.name);
    const dlqArn = arn.queue(region, accountId, props.dlqName);
    const notificationName = notificationQueueName(prefix);
    const notificationArn = arn.queue(region, accountId, notificationName);
    const logBucket = props.logBucket.name;
    const extraBuckets = props.extraLogBuckets ?? [];
    // Every bucket that notifies the loader: the log bucket first.
    const notifying: { name: string; resourceId: string; suffixes?: readonly string[]; id: string }[] = [props.logBucket, ...extraBuckets].map((b, i) => ({
      ...b,
      id: i === 0 ? 'log-bucket-notification' : `${b.name}-notification`,
    }));
    /** The notification entries of a bucket: one for every key, or one per suffix. */
    const entries = (b: { suffixes?: readonly string[] }) =>
      b.suffixes?.length ? b.suffixes.map((suffix, i) => ({ id: `es-loader-${i + 1}`, filterSuffix: suffix })) : [{ id: 'es-loader' }];
    const sourceBuckets = notifying.length === 1 ? arn.bucket(logBucket) : notifying.map((b) => arn.bucket(b.name));
    // Lambda's guidance for SQS event sources: visibility timeout at least six times the function timeout.
    const visibilityTimeout = Math.min(43200, settings.timeoutSeconds * 6);
    // The SQS mappings together must stay within the reserved concurrency, or throttled batches burn
    // receives and end in the DLQ. Each gets an equal share (Lambda's minimum for a mapping is 2).
    const sqsMappings = (settings.trigger === 'sqs' ? 1 : 0) + 1 + (props.additionalQueueMappings ?? 0);
    const half = Math.max(2, Math.floor(settings.reservedConcurrency / sqsMappings));
    this.mappingConcurrency = half;
    this.reservedConcurrency = settings.reservedConcurrency;
    this.maxReceiveCount = settings.maxReceiveCount;
    this.accountId = accountId;
    this.region = region;

    this.functionName = functionName;
    this.roleName = roleName;
    this.environment = loaderEnvironment({
      opensearchEndpoint: props.domain.endpoint,
      splitQueueUrl: queueUrl(props.splitQueue.name),
      dlqUrl: queueUrl(props.dlqName),
      geoBucket: props.geoBucketName,
      splitSize: settings.splitSize,
      userIni: userIni.env,
    });

    this.function = new SiemFunction(this, 'function', {
      functionName,
      roleName,
      entry: path.join(LOADER_DIR, 'index.ts'),
      description: 'SIEM es-loader: S3 log files -> ECS documents in OpenSearch',
      memoryMb: settings.memoryMb,
      timeoutSeconds: settings.timeoutSeconds,
      reservedConcurrency: settings.reservedConcurrency,
      environment: this.environment,
      vpc: props.vpc,
      statements: loaderStatements({
        logBucket,
        geoBucket: props.geoBucketName,
        keyArn,
        domainArn: props.domain.arn,
        splitQueueArn,
        dlqArn,
        notificationQueueArn: settings.trigger === 'sqs' ? notificationArn : undefined,
        userIniObject: userIni.object,
        extraLogBuckets: extraBuckets.map((b) => b.name),
      }),
      logRetentionDays: settings.logRetentionDays,
      logKmsKeyArn: keyArn,
      alarmTopicArn: props.alertTopicArn,
      extraFiles: [...LOADER_DATA_FILES.map((f) => ({ from: path.join(LOADER_DIR, f), to: f })), ...userIni.files],
      accountId,
      region,
    });
    this.functionArn = this.function.functionArn;
    this.roleArn = this.function.roleArn;

    if (settings.trigger === 'sqs') {
      this.notificationQueue = new SqsQueue(this, 'notification-queue', {
        name: notificationName,
        kmsMasterKeyId: keyArn,
        kmsDataKeyReusePeriodSeconds: 300,
        messageRetentionSeconds: 14 * 24 * 3600,
        visibilityTimeoutSeconds: visibilityTimeout,
        redrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: settings.maxReceiveCount }),
      });
      const queuePolicy = new SqsQueuePolicy(this, 'notification-queue-policy', {
        queueUrl: this.notificationQueue.url,
        policy: terraformPolicy([
          {
            // S3 event notifications to SQS (S3 user guide, "Granting permissions to publish event notification messages").
            Sid: 'LogBucketNotifications',
            Effect: 'Allow',
            Principal: { Service: 's3.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Resource: notificationArn,
            Condition: { ArnEquals: { 'aws:SourceArn': sourceBuckets }, StringEquals: { 'aws:SourceAccount': accountId } },
          },
          denyInsecureTransport('sqs:*', notificationArn),
        ]),
      });
      for (const b of notifying) {
        new S3BucketNotification(this, b.id, {
          bucket: b.resourceId,
          queue: entries(b).map((e) => ({ ...e, queueArn: this.notificationQueue!.arn, events: ['s3:ObjectCreated:*'] })),
          dependsOn: [queuePolicy],
        });
      }
      new LambdaEventSourceMapping(this, 'notification-mapping', {
        eventSourceArn: this.notificationQueue.arn,
        functionName: this.function.fn.arn,
        batchSize: 10,
        maximumBatchingWindowInSeconds: 5,
        functionResponseTypes: ['ReportBatchItemFailures'],
        scalingConfig: { maximumConcurrency: half },
        lifecycle: PAUSABLE_MAPPING,
      });
    } else {
      notifying.forEach((b, i) => {
        const permission = new LambdaPermission(this, i === 0 ? 's3-invoke' : `${b.name}-s3-invoke`, {
          statementId: i === 0 ? 'LogBucketNotifications' : `LogBucketNotifications-${b.name}`,
          action: 'lambda:InvokeFunction',
          functionName: this.function.fn.functionName,
          principal: 's3.amazonaws.com',
          sourceArn: arn.bucket(b.name),
          sourceAccount: accountId,
        });
        new S3BucketNotification(this, b.id, {
          bucket: b.resourceId,
          lambdaFunction: entries(b).map((e) => ({ ...e, lambdaFunctionArn: this.function.fn.arn, events: ['s3:ObjectCreated:*'] })),
          dependsOn: [permission],
        });
      });
      // Asynchronous invocations: two retries, then the event goes to the DLQ (its body is the S3 event,
      // which the loader reads again when the message is redriven).
      new LambdaFunctionEventInvokeConfig(this, 'async-config', {
        functionName: this.function.fn.functionName,
        maximumRetryAttempts: 2,
        destinationConfig: { onFailure: { destination: dlqArn } },
      });
    }

    new LambdaEventSourceMapping(this, 'split-mapping', {
      eventSourceArn: props.splitQueue.resourceArn,
      functionName: this.function.fn.arn,
      batchSize: 1,
      functionResponseTypes: ['ReportBatchItemFailures'],
      scalingConfig: { maximumConcurrency: half },
      lifecycle: PAUSABLE_MAPPING,
    });

    this.dlqAlarm = metricAlarm(this, 'dlq-alarm', {
      alarmName: `${prefix}-dlq-not-empty`,
      description: `Logs or messages the es-loader could not load are waiting in ${props.dlqName}; each message names the object, records and reason`,
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: props.dlqName },
      statistic: 'Maximum',
      threshold: 1,
      topicArn: props.alertTopicArn,
    });
  }

  /**
   * Adds environment variables (e.g. the Control Tower wiring: role ARN and buckets). Later values win.
   */
  addEnvironment(variables: Readonly<Record<string, string>>): void {
    Object.assign(this.environment, variables);
    this.function.fn.putEnvironment({ variables: { ...this.environment } });
  }

  /** Adds an inline policy to the loader's role (e.g. sts:AssumeRole on the Control Tower read role). */
  addStatements(name: string, statements: readonly PolicyStatement[]): IamRolePolicy {
    return new IamRolePolicy(this, `extra-policy-${++this.extraPolicies}`, {
      name: `${this.functionName}-${name}`,
      role: this.function.role.name,
      policy: terraformPolicy(statements),
    });
  }
}
