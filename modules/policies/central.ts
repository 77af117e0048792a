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
import { featureSections, MEMBER_FEATURES, type CentralPolicyContext } from '../member/features';
import { arn, names } from '../naming';
import { denyInsecureTransport, type PolicyStatement } from './document';

/**
 * Services that deliver logs into `AWSLogs/<account>/` of the log bucket for a member without a
 * feature of this project: the member may configure them itself.
 */
export const OTHER_LOG_DELIVERY_SERVICES = [
  'config.amazonaws.com', // AWS Config delivery channel
  'logdelivery.elasticloadbalancing.amazonaws.com', // ELB access logs (Regions launched after 2022, and the documented principal everywhere)
] as const;

/** Every service principal that may write under `AWSLogs/${aws:SourceAccount}/`: the member features' and the others, sorted. */
export const LOG_DELIVERY_SERVICES: readonly string[] = [...new Set([...MEMBER_FEATURES.flatMap((f) => f.logDeliveryServices ?? []), ...OTHER_LOG_DELIVERY_SERVICES])].sort();

/** Bucket-level reads the delivery services perform before writing (ACL check, location). */
const DELIVERY_BUCKET_ACTIONS = ['s3:GetBucketAcl', 's3:ListBucket', 's3:GetBucketLocation'];

/** Member account ids, sorted so that the policy text depends on the set of members only. */
export function memberAccountIds(org: Pick<Organization, 'members'>): string[] {
  return org.members.map((m) => m.accountId).sort();
}

/** By feature key, the sorted ids of the members whose section of the feature is active. */
export function activeMembersByFeature(org: Pick<Organization, 'members'>): Record<string, string[]> {
  const out: Record<string, string[]> = Object.fromEntries(MEMBER_FEATURES.map((f) => [f.key, []]));
  for (const member of org.members) {
    for (const { feature, config } of featureSections(member)) if (feature.isActive(config)) out[feature.key]!.push(member.accountId);
  }
  for (const ids of Object.values(out)) ids.sort();
  return out;
}

/** What the member features write their central statements from. */
export function policyContext(org: Organization): CentralPolicyContext {
  return {
    prefix: org.prefix,
    bucket: names(org).logBucket,
    securityAccountId: org.security.accountId,
    securityRegion: org.security.region,
    memberAccountIds: memberAccountIds(org),
    activeMemberAccountIds: activeMembersByFeature(org),
    organizationId: org.organization?.id,
    managementAccountId: org.organization?.managementAccountId,
  };
}

/**
 * The member features' statements of one policy, in the order of the features. Features that share a
 * statement (VPC Flow Logs and Resolver query logs both use the vended-logs service) return the same
 * Sid and text; it is kept once. The same Sid with another text is a bug in a feature.
 */
export function featureStatements(kind: 'bucketStatements' | 'keyStatements', ctx: CentralPolicyContext): PolicyStatement[] {
  const bySid = new Map<string, string>();
  const out: PolicyStatement[] = [];
  for (const feature of MEMBER_FEATURES) {
    for (const statement of feature[kind]?.(ctx) ?? []) {
      const text = JSON.stringify(statement);
      const seen = statement.Sid === undefined ? undefined : bySid.get(statement.Sid);
      if (seen === text) continue;
      if (seen !== undefined) throw new Error(`member feature ${feature.key} defines statement ${statement.Sid} of the central ${kind === 'keyStatements' ? 'key' : 'bucket'} policy differently from an earlier feature; share one statement or rename it`);
      if (statement.Sid !== undefined) bySid.set(statement.Sid, text);
      out.push(statement);
    }
  }
  return out;
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
  }
  // Each member feature's own statements (the WAF Firehose roles), in the order of the features.
  statements.push(...featureStatements('bucketStatements', policyContext(org)));

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
  const { accountId: security, region } = org.security;
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
    // What the member features' services need to encrypt with the key (CloudTrail, vended logs, GuardDuty, WAF's Firehose roles).
    ...featureStatements('keyStatements', policyContext(org)),
  ];
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
