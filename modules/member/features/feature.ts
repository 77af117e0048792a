/**
 * A member feature is one unit: a folder under modules/member/features/ that exports its configuration
 * schema (`schema.ts`, the section `<key>:` of a member file), its construct, its names, and the
 * statements it needs in the central bucket and key policies. The features are listed once, in
 * `index.ts`; the member stack, the central policies and the onboarding CLI loop over that list.
 *
 * Nothing here imports accounts/schema.ts (which lists the features) or modules/naming.ts (which
 * imports the organization's type): a feature gets what it needs through the contexts below.
 */
import type { TerraformProvider } from 'cdktf';
import type { Construct } from 'constructs';
import type { z } from 'zod';
import type { PolicyStatement } from '../../policies/document';
import type { FeatureProblem, MemberIdentity } from './schema-kit';

/** What a feature's construct gets from the member stack. */
export interface MemberFeatureContext extends MemberIdentity {
  /** The member stack: constructs and outputs are created directly in it. */
  readonly scope: Construct;
  /** The organization's name prefix. */
  readonly prefix: string;
  /** Provider of a region of the member account (the member's regions and the features' extra regions). */
  readonly providerFor: (region: string) => TerraformProvider;
  /** The central log bucket and key in the security account. */
  readonly central: {
    readonly bucketName: string;
    readonly bucketArn: string;
    /** Region of the bucket (the security account's region). */
    readonly bucketRegion: string;
    /** Key ARN, or the alias ARN until `security.centralKeyArn` is set. */
    readonly keyArn: string;
  };
}

/** What a feature's central policy statements are written from. */
export interface CentralPolicyContext {
  readonly prefix: string;
  /** The central log bucket's name. */
  readonly bucket: string;
  readonly securityAccountId: string;
  readonly securityRegion: string;
  /** Every member account id, sorted: the policies depend on the set of members only. */
  readonly memberAccountIds: readonly string[];
  /**
   * By feature key, the sorted ids of the members whose section of that feature is active: a feature
   * used by few members grants only those (and keeps the bucket policy within S3's 20 KB).
   */
  readonly activeMemberAccountIds?: Readonly<Record<string, readonly string[]>>;
  readonly organizationId?: string;
  readonly managementAccountId?: string;
}

export interface MemberFeature<K extends string, S extends z.ZodObject> {
  /** The section of a member file, e.g. `vpcFlowLogs`. */
  readonly key: K;
  /** Name for people, e.g. "VPC Flow Logs". */
  readonly title: string;
  /** The section's schema; its `enabled` field switches the feature. */
  readonly schema: S;
  /** Checks against the rest of the member (regions, account); fields relative to the section. */
  check?(config: z.output<S>, member: MemberIdentity): FeatureProblem[];
  /** True when the configuration creates resources (on, and with something to log). */
  isActive(config: z.output<S>): boolean;
  /** Regions the feature deploys into besides the member's own (CloudFront web ACLs: us-east-1). */
  extraRegions?(config: z.output<S>): string[];
  /** True when a service needs the central key's ARN (an alias ARN does not do); synth warns until it is set. */
  needsKeyArn?(config: z.output<S>): boolean;
  /** Creates the feature's resources for an active configuration. */
  build(ctx: MemberFeatureContext, config: z.output<S>): void;
  /** Services that write this feature's logs under `AWSLogs/${aws:SourceAccount}/` of the central bucket. */
  readonly logDeliveryServices?: readonly string[];
  /** Statements of the central bucket policy (besides the shared log delivery statement). */
  bucketStatements?(ctx: CentralPolicyContext): PolicyStatement[];
  /** Statements of the central key policy. Two features may return the same statement (same Sid, same text); it is kept once. */
  keyStatements?(ctx: CentralPolicyContext): PolicyStatement[];
}

/** Keeps the key and schema types of a feature literal (the member schema is built from them). */
export function defineMemberFeature<const K extends string, S extends z.ZodObject>(feature: MemberFeature<K, S>): MemberFeature<K, S> {
  return feature;
}

/** Key prefix under which an account's logs land in the central bucket (S3/CloudTrail/GuardDuty layout). */
export function accountLogPrefix(accountId: string): string {
  return `AWSLogs/${accountId}/`;
}

/** Vended logs (VPC Flow Logs, Resolver query logs, ...) are written to S3 by this service. */
export const VENDED_LOGS_SERVICE = 'delivery.logs.amazonaws.com';

/**
 * The key statement every vended-logs feature needs (VPC user guide, "Flow log files: Amazon S3 bucket
 * permissions"; Route 53 Developer Guide, "Resolver query logging: permissions for Amazon S3"). Its Sid
 * is the one the first such feature, VPC Flow Logs, gave it; features return it as is and the key
 * policy keeps it once.
 */
export function vendedLogsKeyStatement(ctx: CentralPolicyContext): PolicyStatement[] {
  if (ctx.memberAccountIds.length === 0) return [];
  return [
    {
      Sid: 'VpcFlowLogsDelivery',
      Effect: 'Allow',
      Principal: { Service: VENDED_LOGS_SERVICE },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': [...ctx.memberAccountIds] } },
    },
  ];
}
