/**
 * Everything both sides of the Control Tower integration need to agree on, derived once from the
 * organization's configuration: the `log-archive` stack (queue, rule, reader role) and the `central`
 * stack (the loader's event source mapping, permissions and environment) read the same values, so a
 * name can never differ between the two accounts.
 */
import type { LogArchive, Organization } from '../../accounts/schema';
import { arn, names } from '../naming';

export type NotificationMode = LogArchive['notificationMode'];

export interface ControlTowerSettings {
  readonly prefix: string;
  /** The Log Archive account and the Region of its Control Tower buckets, queue and rule. */
  readonly accountId: string;
  readonly region: string;
  /** Role the `log-archive` stack's provider assumes (logArchive.deployRole or defaults.memberDeployRole). */
  readonly deployRole: string;
  /** Buckets the loader reads, with their ARNs. */
  readonly buckets: readonly string[];
  readonly bucketArns: readonly string[];
  /** KMS key Control Tower encrypts its logs with (in the management account), if configured. */
  readonly kmsKeyArn?: string;
  readonly externalId: string;
  readonly notificationMode: NotificationMode;
  /** False: the stack leaves the buckets' notification configuration alone (see docs/control-tower.md). */
  readonly manageBucketNotifications: boolean;
  readonly queueName: string;
  readonly queueArn: string;
  readonly queueUrl: string;
  readonly dlqName: string;
  readonly dlqArn: string;
  readonly dlqUrl: string;
  /** EventBridge rule (default bus of the Log Archive account) that forwards "Object Created" events. */
  readonly ruleName: string;
  readonly ruleArn: string;
  /** `ct-role-for-siem` in the Log Archive account. */
  readonly readerRoleName: string;
  readonly readerRoleArn: string;
  /** The central es-loader's role in the security account: the only principal that reads the queue and assumes the reader role. */
  readonly securityAccountId: string;
  readonly loaderRoleArn: string;
  /** Receives of a queue message before SQS moves it to the DLQ (loader.maxReceiveCount). */
  readonly maxReceiveCount: number;
  /** Visibility timeout of the queue: six times the loader's timeout, as Lambda recommends for SQS event sources. */
  readonly visibilityTimeoutSeconds: number;
}

/** Control Tower's default log buckets in the Log Archive account's home Region (AWS Control Tower User Guide, "Logging and monitoring"). */
export function defaultControlTowerBuckets(accountId: string, region: string): string[] {
  return [`aws-controltower-logs-${accountId}-${region}`, `aws-controltower-s3-access-logs-${accountId}-${region}`];
}

/** The Control Tower settings, or undefined when the organization has no `logArchive`. */
export function controlTowerSettings(org: Organization): ControlTowerSettings | undefined {
  const la = org.logArchive;
  if (!la) return undefined;
  const n = names(org);
  const buckets = la.controlTowerBuckets && la.controlTowerBuckets.length > 0 ? [...la.controlTowerBuckets] : defaultControlTowerBuckets(la.accountId, la.region);
  const ruleName = `${n.prefix}-ct-object-created`;
  const queueUrl = (name: string) => `https://sqs.${la.region}.amazonaws.com/${la.accountId}/${name}`;
  return {
    prefix: n.prefix,
    accountId: la.accountId,
    region: la.region,
    deployRole: la.deployRole ?? org.defaults.memberDeployRole,
    buckets,
    bucketArns: buckets.map((b) => arn.bucket(b)),
    kmsKeyArn: la.controlTowerKmsKeyArn,
    externalId: la.externalId,
    notificationMode: la.notificationMode,
    manageBucketNotifications: la.manageBucketNotifications,
    queueName: n.controlTowerQueue,
    queueArn: arn.queue(la.region, la.accountId, n.controlTowerQueue),
    queueUrl: queueUrl(n.controlTowerQueue),
    dlqName: n.controlTowerDlq,
    dlqArn: arn.queue(la.region, la.accountId, n.controlTowerDlq),
    dlqUrl: queueUrl(n.controlTowerDlq),
    ruleName,
    ruleArn: `arn:aws:events:${la.region}:${la.accountId}:rule/${ruleName}`,
    readerRoleName: n.controlTowerRole,
    readerRoleArn: arn.role(la.accountId, n.controlTowerRole),
    securityAccountId: org.security.accountId,
    loaderRoleArn: arn.role(org.security.accountId, n.loaderRole),
    maxReceiveCount: org.loader.maxReceiveCount,
    visibilityTimeoutSeconds: Math.min(43200, org.loader.timeoutSeconds * 6),
  };
}

/** Like controlTowerSettings, for code that runs only when `logArchive` is set. */
export function requireControlTowerSettings(org: Organization, who: string): ControlTowerSettings {
  const s = controlTowerSettings(org);
  if (!s) throw new Error(`${who} needs logArchive in accounts/organization.yaml (the Control Tower Log Archive account); add it or do not create ${who}`);
  return s;
}
