/**
 * The central bucket for load-balancer access logs, `<log bucket>-elb`, in the security account.
 *
 * ALB and CLB write access logs only to SSE-S3 buckets, so this bucket is SSE-S3 while every other
 * bucket of the project is SSE-KMS. Otherwise it is the central log bucket's twin: public access
 * blocked, TLS only, organization only, the log bucket's lifecycle, S3 notifications into the loader's
 * queue (modules/es-loader.ts), read by the loader's role.
 *
 * Who may write, and how far each writer can be tied to one member's `AWSLogs/<acct>/` (the ELB user
 * guides' "Attach a policy to your S3 bucket"; features/elb-access-logs/elb-accounts.ts):
 * - `logdelivery.elasticloadbalancing.amazonaws.com` (ALB/CLB, newer Regions) and
 *   `delivery.logs.amazonaws.com` (NLB): only under `AWSLogs/${aws:SourceAccount}/`, for the members
 *   that turned the feature on. A's load balancers can never write B's prefix: the policy proves it.
 * - the Regional ELB accounts (ALB/CLB, Regions available before August 2022) act as an AWS account,
 *   not as a service: the request carries no aws:SourceAccount or aws:SourceArn of the load balancer's
 *   owner, so no condition can tell whose load balancer writes. They may write under `AWSLogs/<m>/`
 *   for the members `m` that use the feature, and nowhere else; the account in that key is the one ELB
 *   itself puts there (the load balancer's owner) as long as the user adds no prefix of their own, so
 *   the bucket refuses every key with a prefix before `AWSLogs/` (`*\/AWSLogs/*`). What the policy
 *   cannot rule out is a member's load balancer in such a Region writing under another member's
 *   prefix if ELB itself mis-set the account in the key: that is ELB's guarantee, not the policy's.
 */
import { Construct } from 'constructs';
import { ELB_LOG_DELIVERY_SERVICE, elbRegionalAccounts } from './member/features/elb-access-logs/elb-accounts';
import { VENDED_LOGS_SERVICE } from './member/features/feature';
import { arn } from './naming';
import { denyInsecureBucketTransport } from './policies/central';
import type { PolicyStatement } from './policies/document';
import { SecureBucket, type SecureBucketProps } from './secure-bucket';

export interface ElbLogBucketPolicyInput {
  readonly bucket: string;
  /** Members whose load balancers may log here (the elbAccessLogs feature is on), sorted. */
  readonly memberAccountIds: readonly string[];
  /** Regions of those members: their Regional ELB accounts are granted. */
  readonly regions: readonly string[];
  /** The organization: principals outside it (except the ELB accounts and AWS services) are denied. */
  readonly organizationId?: string;
}

export function elbLogBucketPolicyStatements(p: ElbLogBucketPolicyInput): PolicyStatement[] {
  const { bucket } = p;
  const members = [...p.memberAccountIds];
  const elbAccounts = elbRegionalAccounts(p.regions);
  const statements: PolicyStatement[] = [denyInsecureBucketTransport(bucket)];
  if (p.organizationId) {
    statements.push({
      Sid: 'DenyOutsideOrganization',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [arn.bucket(bucket), arn.objects(bucket)],
      Condition: {
        // The Regional ELB accounts are AWS accounts outside the organization: exempt from this deny, they
        // are still allowed nothing but the PutObject below.
        StringNotEqualsIfExists: { 'aws:PrincipalOrgID': p.organizationId, ...(elbAccounts.length > 0 ? { 'aws:PrincipalAccount': elbAccounts } : {}) },
        BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
      },
    });
  }
  // ELB writes `[<prefix>/]AWSLogs/<owner account>/elasticloadbalancing/...`: a custom prefix could be
  // `AWSLogs/<another member>`, so any key with something before `/AWSLogs/` is refused.
  statements.push({ Sid: 'DenyCustomPrefixes', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: arn.objects(bucket, '*/AWSLogs/*') });
  if (members.length === 0) return statements;

  if (elbAccounts.length > 0) {
    statements.push({
      Sid: 'ElbRegionalAccounts',
      Effect: 'Allow',
      Principal: { AWS: elbAccounts.map((a) => `arn:aws:iam::${a}:root`) },
      Action: 's3:PutObject',
      Resource: members.map((m) => arn.objects(bucket, `AWSLogs/${m}/*`)),
    });
  }
  statements.push(
    {
      Sid: 'ElbLogDeliveryService',
      Effect: 'Allow',
      Principal: { Service: ELB_LOG_DELIVERY_SERVICE },
      Action: 's3:PutObject',
      Resource: arn.objects(bucket, 'AWSLogs/${aws:SourceAccount}/*'),
      Condition: { StringEquals: { 'aws:SourceAccount': members } },
    },
    {
      // NLB access logs (ELB user guide for Network Load Balancers, "Bucket requirements").
      Sid: 'NlbLogDelivery',
      Effect: 'Allow',
      Principal: { Service: VENDED_LOGS_SERVICE },
      Action: ['s3:PutObject', 's3:GetBucketAcl'],
      Resource: [arn.bucket(bucket), arn.objects(bucket, 'AWSLogs/${aws:SourceAccount}/*')],
      // Policy variables are resolved in string conditions (IAM user guide, "Policy variables").
      Condition: { StringEquals: { 'aws:SourceAccount': members }, StringLike: { 'aws:SourceArn': 'arn:aws:logs:*:${aws:SourceAccount}:*' } },
    },
  );
  return statements;
}

export interface ElbLogBucketProps extends ElbLogBucketPolicyInput {
  /** The central log bucket's lifecycle (transitions, expiration). Default: none. */
  readonly lifecycle?: SecureBucketProps['lifecycle'];
}

export class ElbLogBucket extends Construct {
  /**
   * Keys of access logs (ALB and NLB `.log.gz`, CLB `.log`): the loader is notified of these only, not
   * of the `ELBAccessLogTestFile` ELB writes when logging is turned on (no log type; it would reach the DLQ).
   */
  static readonly LOG_SUFFIXES = ['.log.gz', '.log'] as const;
  readonly bucket: SecureBucket;
  readonly bucketName: string;

  constructor(scope: Construct, id: string, props: ElbLogBucketProps) {
    super(scope, id);
    this.bucketName = props.bucket;
    this.bucket = new SecureBucket(this, 'bucket', {
      bucketName: props.bucket,
      // No kmsKeyArn: SSE-S3, the only encryption ALB and CLB access logs support.
      policyStatements: elbLogBucketPolicyStatements(props),
      lifecycle: props.lifecycle,
    });
  }
}
