/**
 * The central log bucket's policy and the central KMS key's policy, derived from the organization.
 *
 * Size: an S3 bucket policy may be 20 KB and a key policy 32 KB. One statement per member account
 * would not fit 300 members, so isolation is written with policy variables instead: a service may
 * write only under `AWSLogs/${aws:SourceAccount}/`, a member's Firehose role only under
 * `AWSLogs/${aws:PrincipalAccount}/WAF/`, and the member list appears once per statement as a
 * condition. The simulation tests in test/unit/policy-simulation.test.ts prove the isolation.
 */
import type { Organization } from '../../accounts/schema';
import { arn, names } from '../naming';
import { denyInsecureTransport, type PolicyStatement } from './document';

/** Service principals that deliver logs into `AWSLogs/<account>/` of the log bucket. */
export const LOG_DELIVERY_SERVICES = [
  'cloudtrail.amazonaws.com', // CloudTrail account trails
  'config.amazonaws.com', // AWS Config delivery channel
  'delivery.logs.amazonaws.com', // VPC Flow Logs (and other vended logs) to S3
  'guardduty.amazonaws.com', // GuardDuty findings export
  'logdelivery.elasticloadbalancing.amazonaws.com', // ELB access logs (Regions launched after 2022, and the documented principal everywhere)
] as const;

/** Bucket-level reads the delivery services perform before writing (ACL check, location). */
const DELIVERY_BUCKET_ACTIONS = ['s3:GetBucketAcl', 's3:ListBucket', 's3:GetBucketLocation'];

/** Actions Firehose needs on an S3 destination (Amazon Data Firehose developer guide, "Grant Firehose access to an Amazon S3 destination"). */
export const FIREHOSE_OBJECT_ACTIONS = ['s3:AbortMultipartUpload', 's3:PutObject'];
export const FIREHOSE_BUCKET_ACTIONS = ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'];

/** Member account ids, sorted so that the policy text depends on the set of members only. */
export function memberAccountIds(org: Pick<Organization, 'members'>): string[] {
  return org.members.map((m) => m.accountId).sort();
}

/** Deny any request that is not sent over TLS (every bucket of the project). */
export function denyInsecureBucketTransport(bucket: string): PolicyStatement {
  return denyInsecureTransport('s3:*', [arn.bucket(bucket), arn.objects(bucket)]);
}

/** Denies principals outside the organization; AWS services acting for members are exempt. */
export function denyOutsideOrganization(bucket: string, orgId: string): PolicyStatement {
  return {
    Sid: 'DenyOutsideOrganization',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [arn.bucket(bucket), arn.objects(bucket)],
    Condition: {
      StringNotEqualsIfExists: { 'aws:PrincipalOrgID': orgId },
      BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
    },
  };
}

export interface LogBucketPolicyInput {
  readonly org: Organization;
  /** ARN of the central key (a literal, or a token of the key created in the same stack). */
  readonly keyArn: string;
}

export function logBucketPolicyStatements({ org, keyArn }: LogBucketPolicyInput): PolicyStatement[] {
  const n = names(org);
  const bucket = n.logBucket;
  const members = memberAccountIds(org);
  const orgId = org.organization?.id;
  const statements: PolicyStatement[] = [denyInsecureBucketTransport(bucket)];
  if (orgId) statements.push(denyOutsideOrganization(bucket, orgId));

  // Objects must be encrypted with the central key: a PutObject that names another key is refused
  // (requests that name none get the bucket's default, the central key).
  statements.push({
    Sid: 'DenyOtherKmsKeys',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:PutObject',
    Resource: arn.objects(bucket),
    Condition: {
      StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': [keyArn, arn.keyAliasArn(org.security.region, org.security.accountId, n.keyAlias)] },
      Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' },
    },
  });

  if (members.length > 0) {
    const own = ['AWSLogs/${aws:SourceAccount}/*'];
    if (orgId) own.push(`${orgId}/AWSLogs/\${aws:SourceAccount}/*`);
    statements.push({
      Sid: 'MemberLogDelivery',
      Effect: 'Allow',
      Principal: { Service: [...LOG_DELIVERY_SERVICES] },
      Action: ['s3:PutObject', ...DELIVERY_BUCKET_ACTIONS],
      Resource: [arn.bucket(bucket), ...own.map((k) => arn.objects(bucket, k))],
      Condition: { StringEquals: { 'aws:SourceAccount': members } },
    });
    statements.push({
      // The member accounts are named as principals (not "*" with a condition): S3 Block Public Access
      // then never sees this statement as public ("The meaning of public", S3 user guide).
      Sid: 'MemberWafFirehoseRoles',
      Effect: 'Allow',
      Principal: { AWS: members.map((m) => `arn:aws:iam::${m}:root`) },
      Action: [...FIREHOSE_OBJECT_ACTIONS, ...FIREHOSE_BUCKET_ACTIONS],
      Resource: [arn.bucket(bucket), arn.objects(bucket, 'AWSLogs/${aws:PrincipalAccount}/WAF/*')],
      Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::*:role/${n.wafFirehoseRole}` } },
    });
  }

  const management = org.organization?.managementAccountId;
  if (orgId && management) {
    // The organization trail lives in the management account and writes every account's events
    // under `<org-id>/AWSLogs/<account>/` (CloudTrail user guide, "Creating a trail for an organization").
    statements.push({
      Sid: 'OrganizationTrailDelivery',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: ['s3:PutObject', 's3:GetBucketAcl'],
      Resource: [arn.bucket(bucket), arn.objects(bucket, `${orgId}/AWSLogs/*`), arn.objects(bucket, `AWSLogs/${management}/*`)],
      Condition: {
        StringEquals: { 'aws:SourceAccount': management },
        ArnLike: { 'aws:SourceArn': `arn:aws:cloudtrail:*:${management}:trail/*` },
      },
    });
  }
  return statements;
}

/** Snapshot and geo buckets: TLS only, and organization-only where an organization is configured. */
export function baselineBucketPolicyStatements(org: Organization, bucket: string): PolicyStatement[] {
  const statements = [denyInsecureBucketTransport(bucket)];
  if (org.organization?.id) statements.push(denyOutsideOrganization(bucket, org.organization.id));
  return statements;
}

export interface KeyPolicyInput {
  readonly org: Organization;
  /** Roles of the security account that read logs (the loader and configured readers). */
  readonly logReaderRoleArns: readonly string[];
}

export function keyPolicyStatements({ org, logReaderRoleArns }: KeyPolicyInput): PolicyStatement[] {
  const n = names(org);
  const { accountId: security, region } = org.security;
  const members = memberAccountIds(org);
  const management = org.organization?.managementAccountId;
  const trailAccounts = management && org.organization?.id ? [...members, management] : members;
  const statements: PolicyStatement[] = [
    {
      // Without this statement IAM policies of the account could not grant use of the key and the key
      // would become unmanageable (KMS developer guide, "Default key policy").
      Sid: 'AccountAdministration',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${security}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
  ];
  if (trailAccounts.length > 0) {
    statements.push(
      {
        Sid: 'CloudTrailEncryptLogs',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:GenerateDataKey*',
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceAccount': trailAccounts },
          StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws:cloudtrail:*:${aws:SourceAccount}:trail/*' },
        },
      },
      {
        Sid: 'CloudTrailDescribeKey',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:DescribeKey',
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceAccount': trailAccounts } },
      },
    );
  }
  if (members.length > 0) {
    statements.push(
      {
        // VPC Flow Logs to an SSE-KMS bucket (VPC user guide, "Flow log files: Amazon S3 bucket permissions").
        Sid: 'VpcFlowLogsDelivery',
        Effect: 'Allow',
        Principal: { Service: 'delivery.logs.amazonaws.com' },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceAccount': members } },
      },
      {
        // GuardDuty publishing destination (GuardDuty user guide, "Exporting findings").
        Sid: 'GuardDutyExport',
        Effect: 'Allow',
        Principal: { Service: 'guardduty.amazonaws.com' },
        Action: 'kms:GenerateDataKey',
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceAccount': members },
          // Policy variables are resolved in string conditions (IAM user guide, "Policy variables").
          StringLike: { 'aws:SourceArn': 'arn:aws:guardduty:*:${aws:SourceAccount}:detector/*' },
        },
      },
      {
        // Members' WAF Firehose roles write through S3 only; with S3 Bucket Keys the encryption context
        // is the bucket ARN (S3 user guide, "Reducing the cost of SSE-KMS with Amazon S3 Bucket Keys").
        Sid: 'MemberWafFirehoseRoles',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:PrincipalAccount': members, 'kms:ViaService': `s3.${region}.amazonaws.com` },
          ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::*:role/${n.wafFirehoseRole}` },
        },
      },
    );
  }
  statements.push(
    {
      Sid: 'LogReadersDecrypt',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${security}:root` },
      Action: ['kms:Decrypt', 'kms:DescribeKey'],
      Resource: '*',
      // Roles are named in a condition, not as principals: KMS rejects a policy naming a role that does
      // not exist yet, and the roles are created after the key.
      Condition: { ArnEquals: { 'aws:PrincipalArn': [...logReaderRoleArns] } },
    },
    {
      // S3 event notifications into encrypted SQS queues; S3 reading SSE-KMS objects for replication-free copies.
      Sid: 'S3ToEncryptedQueues',
      Effect: 'Allow',
      Principal: { Service: 's3.amazonaws.com' },
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': security } },
    },
    {
      // CloudWatch alarms and EventBridge rules publish to the encrypted alert topic.
      Sid: 'AlarmsAndEventsToEncryptedTopic',
      Effect: 'Allow',
      Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] },
      Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': security } },
    },
    {
      // Log groups of the SIEM's functions and of the OpenSearch domain are encrypted with the key.
      Sid: 'CloudWatchLogsEncryption',
      Effect: 'Allow',
      Principal: { Service: `logs.${region}.amazonaws.com` },
      Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      Resource: '*',
      Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${region}:${security}:log-group:*` } },
    },
  );
  return statements;
}
