/**
 * `member-<name>`: one stack per member account. It deploys into the member account (assuming its
 * deploy role) and sends the account's security logs into the central log bucket, encrypted with the
 * central key. Each member feature (modules/member/features/: CloudTrail, VPC Flow Logs, GuardDuty, WAF
 * through Firehose, Route 53 Resolver query logs) follows its section of the member's file in
 * `accounts/members/` and can be switched off.
 */
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Annotations, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { Member, Organization } from '../accounts/schema';
import { centralRefs, featureSections, MEMBER_FEATURES } from '../modules/member';
import { accountProvider } from '../modules/provider';
import { configureBackend } from './backend';

export interface MemberStackProps {
  readonly org: Organization;
  readonly member: Member;
}

/** Stack id of a member: `member-<name>`. */
export const memberStackId = (member: Pick<Member, 'name'>): string => `member-${member.name}`;

/** Provider alias of a region (`ap-northeast-1` -> `ap_northeast_1`). */
export const regionAlias = (region: string): string => region.replace(/-/g, '_');

/**
 * Regions the stack deploys into: the member's regions, plus those its active features need (us-east-1
 * when a CloudFront (global) web ACL is logged: CloudFront logs only to Firehose streams in us-east-1).
 */
export function memberStackRegions(member: Member): string[] {
  const regions: string[] = [...member.regions];
  for (const { feature, config } of featureSections(member)) {
    if (!feature.isActive(config)) continue;
    for (const r of feature.extraRegions?.(config) ?? []) if (!regions.includes(r)) regions.push(r);
  }
  return regions;
}

export const CENTRAL_KEY_ARN_WARNING =
  'security.centralKeyArn is not set in accounts/organization.yaml: this stack uses the alias ARN of the central key. ' +
  'GuardDuty export and the bucket policy\'s key check need the key ARN: deploy `central`, copy its output kms_key_arn into security.centralKeyArn, and synthesize again.';

/** The warning of a member whose every feature is off or has nothing to log. */
export const emptyMemberWarning = (member: Pick<Member, 'name'>): string =>
  `member ${member.name}: the stack ${memberStackId(member)} is empty: every feature (${MEMBER_FEATURES.map((f) => f.key).join(', ')}) is off or has nothing to log; ` +
  `turn one on in members/${member.name}.yaml, or remove the file if the account needs no stack`;

export class MemberStack extends TerraformStack {
  readonly member: Member;
  readonly providers: ReadonlyMap<string, AwsProvider>;

  constructor(scope: Construct, id: string, props: MemberStackProps) {
    super(scope, id);
    const { org, member } = props;
    this.member = member;
    const central = centralRefs(org);
    const deployRole = member.deployRole ?? org.defaults.memberDeployRole;

    const providers = new Map<string, AwsProvider>();
    for (const region of memberStackRegions(member)) {
      providers.set(region, accountProvider(this, `aws-${region}`, { accountId: member.accountId, region, deployRole, alias: regionAlias(region) }));
    }
    this.providers = providers;
    configureBackend(this, org);
    const providerFor = (region: string): AwsProvider => {
      const p = providers.get(region);
      if (!p) throw new Error(`member ${member.name}: no provider for region ${region} (regions: ${[...providers.keys()].join(', ')})`);
      return p;
    };

    // Every member feature (modules/member/features/) builds its resources when its section is active.
    const active = featureSections(member).filter(({ feature, config }) => feature.isActive(config));
    if (active.length === 0) Annotations.of(this).addWarning(emptyMemberWarning(member));
    if (central.keyIsAlias && active.some(({ feature, config }) => feature.needsKeyArn?.(config))) Annotations.of(this).addWarning(CENTRAL_KEY_ARN_WARNING);
    const ctx = {
      scope: this,
      prefix: org.prefix,
      name: member.name,
      accountId: member.accountId,
      regions: member.regions,
      providerFor,
      central: { bucketName: central.bucketName, bucketArn: central.bucketArn, bucketRegion: org.security.region, keyArn: central.keyArn },
    };
    for (const { feature, config } of active) feature.build(ctx, config);
  }
}
