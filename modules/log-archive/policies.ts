/**
 * Policy documents of the Control Tower integration, as plain data built from ControlTowerSettings:
 * the queue and DLQ policies, the trust and permission policies of `ct-role-for-siem`, the statement
 * to add to the Control Tower KMS key policy, and the central loader's statements. All ARNs are
 * literals, so `terraform plan` shows the real text and the simulation tests read the same text.
 *
 * Principals of the security account are named as the account root plus `aws:PrincipalArn` of the
 * loader role rather than by the role ARN itself: IAM and SQS reject a policy naming a role that does
 * not exist yet, and replace the ARN of a deleted and re-created role by a stale unique id ("IAM JSON
 * policy elements: Principal", IAM User Guide). With the condition form, `log-archive` can be deployed
 * before `central`, and re-creating the loader role does not break the trust.
 */
import { denyInsecureTransport, type PolicyStatement } from '../policies/document';
import type { ControlTowerSettings } from './settings';

/** What the Lambda event source mapping needs on an SQS queue (AWS Lambda Developer Guide, "Execution role permissions" for SQS). */
export const QUEUE_CONSUMER_ACTIONS = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'] as const;

const securityRoot = (s: ControlTowerSettings) => `arn:aws:iam::${s.securityAccountId}:root`;
const loaderOnly = (s: ControlTowerSettings) => ({ ArnEquals: { 'aws:PrincipalArn': s.loaderRoleArn } });


/**
 * Policy of `<prefix>-ct`: S3 may send only for the Control Tower buckets of the Log Archive account
 * (`aws:SourceArn` + `aws:SourceAccount` against the confused deputy, "Walkthrough: Configuring a bucket
 * for notifications", Amazon S3 User Guide); in EventBridge mode, EventBridge may send only for this
 * stack's rule; only the central loader role may receive, delete and read attributes.
 */
export function queuePolicyStatements(s: ControlTowerSettings): PolicyStatement[] {
  const statements: PolicyStatement[] = [
    denyInsecureTransport('sqs:*', s.queueArn),
    {
      Sid: 'ControlTowerBucketsSend',
      Effect: 'Allow',
      Principal: { Service: 's3.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: s.queueArn,
      Condition: {
        ArnLike: { 'aws:SourceArn': [...s.bucketArns] },
        StringEquals: { 'aws:SourceAccount': s.accountId },
      },
    },
  ];
  if (s.notificationMode === 'eventbridge') {
    statements.push({
      Sid: 'ControlTowerRuleSend',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: s.queueArn,
      Condition: { ArnEquals: { 'aws:SourceArn': s.ruleArn } },
    });
  }
  statements.push({
    Sid: 'CentralLoaderConsume',
    Effect: 'Allow',
    Principal: { AWS: securityRoot(s) },
    Action: [...QUEUE_CONSUMER_ACTIONS],
    Resource: s.queueArn,
    Condition: loaderOnly(s),
  });
  return statements;
}

/**
 * Policy of `<prefix>-ct-dlq`: the central loader writes its failure messages (object key, record
 * numbers, reason) for messages of `<prefix>-ct` here; SQS itself moves messages here after
 * maxReceiveCount receives (same-account redrive needs no policy); in EventBridge mode the rule's
 * undeliverable events come here too.
 */
export function dlqPolicyStatements(s: ControlTowerSettings): PolicyStatement[] {
  const statements: PolicyStatement[] = [
    denyInsecureTransport('sqs:*', s.dlqArn),
    {
      Sid: 'CentralLoaderWriteFailures',
      Effect: 'Allow',
      Principal: { AWS: securityRoot(s) },
      Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes'],
      Resource: s.dlqArn,
      Condition: loaderOnly(s),
    },
  ];
  if (s.notificationMode === 'eventbridge') {
    // Events the rule could not deliver to the queue land here ("Using dead-letter queues to process
    // undelivered events", EventBridge User Guide), so nothing is dropped silently.
    statements.push({
      Sid: 'ControlTowerRuleUndelivered',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: s.dlqArn,
      Condition: { ArnEquals: { 'aws:SourceArn': s.ruleArn } },
    });
  }
  return statements;
}

/** Trust policy of `ct-role-for-siem`: only the central loader role, only with the external id. */
export function readerRoleTrustStatements(s: ControlTowerSettings): PolicyStatement[] {
  return [
    {
      Sid: 'CentralLoaderWithExternalId',
      Effect: 'Allow',
      Principal: { AWS: securityRoot(s) },
      Action: 'sts:AssumeRole',
      Condition: {
        StringEquals: { 'sts:ExternalId': s.externalId },
        ArnEquals: { 'aws:PrincipalArn': s.loaderRoleArn },
      },
    },
  ];
}

/**
 * Permissions of `ct-role-for-siem`: read objects of the Control Tower buckets, and decrypt them with
 * the Control Tower key (only through S3 in the buckets' Region) when one is configured. Nothing else:
 * the loader learns keys from notifications, so it never lists.
 */
export function readerRoleStatements(s: ControlTowerSettings): PolicyStatement[] {
  const statements: PolicyStatement[] = [
    {
      Sid: 'ReadControlTowerLogs',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: s.bucketArns.map((b) => `${b}/*`),
    },
  ];
  if (s.kmsKeyArn) {
    statements.push({
      Sid: 'DecryptControlTowerLogs',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: s.kmsKeyArn,
      Condition: { StringEquals: { 'kms:ViaService': `s3.${s.region}.amazonaws.com` } },
    });
  }
  return statements;
}

/**
 * The statement to add, once and by hand, to the policy of the Control Tower KMS key in the management
 * account (a key policy must name a cross-account principal itself; the role's IAM policy alone is not
 * enough: "Allowing users in other accounts to use a KMS key", AWS KMS Developer Guide). Undefined when
 * no key is configured (the Control Tower buckets then use SSE-S3 and need no key permission).
 */
export function controlTowerKeyPolicyStatement(s: ControlTowerSettings): PolicyStatement | undefined {
  if (!s.kmsKeyArn) return undefined;
  // The account root plus aws:PrincipalArn, like the other policies here: KMS rejects a key policy that
  // names a role that does not exist yet, so the statement can be pasted before or after `log-archive`
  // is deployed, and survives the role being re-created.
  return {
    Sid: 'AllowSiemReaderRoleDecryptViaS3',
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${s.accountId}:root` },
    Action: 'kms:Decrypt',
    Resource: '*',
    Condition: {
      ArnEquals: { 'aws:PrincipalArn': s.readerRoleArn },
      StringEquals: {
        'kms:ViaService': `s3.${s.region}.amazonaws.com`,
        'kms:CallerAccount': s.accountId,
      },
    },
  };
}

/**
 * What the central loader role needs for the Control Tower queue: consume `<prefix>-ct` (the queue uses
 * SSE-SQS, so no kms:Decrypt), write failure messages to `<prefix>-ct-dlq`, assume `ct-role-for-siem`.
 */
export function loaderControlTowerStatements(s: ControlTowerSettings): PolicyStatement[] {
  return [
    { Sid: 'ConsumeControlTowerQueue', Effect: 'Allow', Action: [...QUEUE_CONSUMER_ACTIONS], Resource: s.queueArn },
    { Sid: 'WriteControlTowerFailures', Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes'], Resource: s.dlqArn },
    { Sid: 'AssumeControlTowerReader', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: s.readerRoleArn },
  ];
}

/** The EventBridge pattern of the rule: "Object Created" of the Control Tower buckets ("Amazon S3 event notifications in EventBridge", S3 User Guide). */
export function objectCreatedPattern(s: ControlTowerSettings): Record<string, unknown> {
  return {
    source: ['aws.s3'],
    'detail-type': ['Object Created'],
    detail: { bucket: { name: [...s.buckets] } },
  };
}
