/**
 * `member-<name>`: one stack per member account. It deploys into the member account (assuming its
 * deploy role) and sends the account's security logs into the central log bucket, encrypted with the
 * central key: CloudTrail, VPC Flow Logs, WAF (through Firehose) and GuardDuty findings. Every feature
 * follows the member's file in `accounts/members/`; each can be switched off.
 */
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Annotations, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { Member, Organization } from '../accounts/schema';
import { MemberFlowLogs, MemberGuardDuty, MemberTrail, MemberWafLogging, centralRefs, wafTargetOf } from '../modules/member';
import { arn, names } from '../modules/naming';
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
 * Regions the stack deploys into: the member's regions, plus us-east-1 when a CloudFront (global) web
 * ACL is logged (CloudFront logs only to Firehose streams in us-east-1).
 */
export function memberStackRegions(member: Member): string[] {
  const regions = [...member.regions];
  const wafOn = member.waf.enabled && member.waf.webAcls.length > 0;
  if (wafOn && member.waf.webAcls.some((a) => wafTargetOf(a).segment === 'global') && !regions.includes('us-east-1')) regions.push('us-east-1');
  return regions;
}

export const CENTRAL_KEY_ARN_WARNING =
  'security.centralKeyArn is not set in accounts/organization.yaml: this stack uses the alias ARN of the central key. ' +
  'GuardDuty export and the bucket policy\'s key check need the key ARN: deploy `central`, copy its output kms_key_arn into security.centralKeyArn, and synthesize again.';

export class MemberStack extends TerraformStack {
  readonly member: Member;
  readonly providers: ReadonlyMap<string, AwsProvider>;

  constructor(scope: Construct, id: string, props: MemberStackProps) {
    super(scope, id);
    const { org, member } = props;
    this.member = member;
    const n = names(org);
    const central = centralRefs(org);
    const deployRole = member.deployRole ?? org.defaults.memberDeployRole;
    const home = member.regions[0]!;

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

    const usesKey = member.cloudtrail.enabled || member.guardduty.enabled || (member.waf.enabled && member.waf.webAcls.length > 0);
    if (central.keyIsAlias && usesKey) Annotations.of(this).addWarning(CENTRAL_KEY_ARN_WARNING);

    if (member.cloudtrail.enabled) {
      const trail = new MemberTrail(this, 'cloudtrail', {
        provider: providerFor(home),
        trailName: n.memberTrail,
        bucketName: central.bucketName,
        keyArn: central.keyArn,
        dataEvents: member.cloudtrail.dataEvents,
      });
      new TerraformOutput(this, 'trail_arn', { value: trail.trail.arn, description: 'ARN of the account trail' });
    }

    if (member.vpcFlowLogs.enabled && member.vpcFlowLogs.vpcs.length > 0) {
      new MemberFlowLogs(this, 'vpc-flow-logs', {
        providerFor,
        vpcs: member.vpcFlowLogs.vpcs,
        bucketArn: central.bucketArn,
        trafficType: member.vpcFlowLogs.trafficType,
        maxAggregationInterval: member.vpcFlowLogs.maxAggregationInterval,
        perHourPartition: member.vpcFlowLogs.perHourPartition,
      });
    }

    if (member.waf.enabled && member.waf.webAcls.length > 0) {
      new MemberWafLogging(this, 'waf', {
        homeProvider: providerFor(home),
        providerFor,
        accountId: member.accountId,
        roleName: n.wafFirehoseRole,
        streamName: n.wafDeliveryStream,
        bucketName: central.bucketName,
        bucketArn: central.bucketArn,
        bucketRegion: org.security.region,
        keyArn: central.keyArn,
        webAcls: member.waf.webAcls,
        bufferingSizeMb: member.waf.bufferingSizeMb,
        bufferingIntervalSeconds: member.waf.bufferingIntervalSeconds,
        redactedFields: member.waf.redactedFields,
        keepOnlyActions: member.waf.keepOnlyActions,
      });
      new TerraformOutput(this, 'waf_firehose_role_arn', {
        value: arn.role(member.accountId, n.wafFirehoseRole),
        description: 'Role Firehose uses to write WAF logs; the central bucket policy grants it AWSLogs/<acct>/WAF/',
      });
    }

    if (member.guardduty.enabled) {
      new MemberGuardDuty(this, 'guardduty', {
        providerFor,
        regions: member.regions,
        detectorIds: member.guardduty.detectorIds,
        publishingFrequency: member.guardduty.publishingFrequency,
        bucketArn: central.bucketArn,
        keyArn: central.keyArn,
      });
    }
  }
}
