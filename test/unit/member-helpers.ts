/**
 * Test helpers for member stacks: build an organization in memory (through the same parser the app
 * uses) and synthesize one member stack to its Terraform JSON.
 */
import { Testing } from 'cdktf';
import { parseOrganization } from '../../accounts/load';
import type { Member, Organization } from '../../accounts/schema';
import { MEMBER_FEATURES } from '../../modules/member';
import { MemberStack } from '../../stacks/member-stack';

export const SECURITY = '222222222222';
export const KEY_ARN = `arn:aws:kms:ap-northeast-1:${SECURITY}:key/0a1b2c3d-1111-4222-8333-444455556666`;
export const BUCKET = `aes-siem-${SECURITY}-log`;

export interface OrgOverrides {
  readonly centralKeyArn?: string;
  readonly memberDeployRole?: string;
}

/** An organization with the given raw member documents (validated like the files in accounts/). */
export function organization(members: readonly Record<string, unknown>[], o: OrgOverrides = {}): Organization {
  const orgData: Record<string, unknown> = {
    prefix: 'aes-siem',
    organization: { id: 'o-a1b2c3d4e5', managementAccountId: '111111111111' },
    security: { accountId: SECURITY, region: 'ap-northeast-1', ...(o.centralKeyArn ? { centralKeyArn: o.centralKeyArn } : {}) },
    ...(o.memberDeployRole ? { defaults: { memberDeployRole: o.memberDeployRole } } : {}),
  };
  return parseOrganization(
    { file: 'organization.yaml', data: orgData },
    members.map((m) => ({ file: `members/${String(m.name)}.yaml`, data: m })),
  );
}

export interface Synthesized {
  readonly json: TerraformJson;
  readonly stack: MemberStack;
  readonly warnings: string[];
}

export interface TerraformJson {
  provider: { aws: Record<string, unknown>[] };
  resource: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown }>;
}

export function synthMember(org: Organization, member: Member = org.members[0]!): Synthesized {
  const app = Testing.app();
  const stack = new MemberStack(app, `member-${member.name}`, { org, member });
  const json = JSON.parse(Testing.synth(stack)) as TerraformJson;
  const warnings = stack.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
  return { json, stack, warnings };
}

/** All resources of a type (empty object when there are none). */
export function resources(json: TerraformJson, type: string): Record<string, Record<string, unknown>> {
  return json.resource?.[type] ?? {};
}

export function only(json: TerraformJson, type: string): Record<string, unknown> {
  const all = Object.values(resources(json, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0]!;
}

/** A member document with every feature of the list off, to switch on one feature at a time. */
export const allOff = (name: string, accountId: string, regions: string[]): Record<string, unknown> => ({
  name,
  accountId,
  regions,
  ...Object.fromEntries(MEMBER_FEATURES.map((f) => [f.key, { enabled: false }])),
});

/**
 * An organization like the example one (same organization.yaml) with `count` generated members that
 * use every member feature: two regions, a VPC, a regional and a CloudFront web ACL, data events on
 * every third member, an existing GuardDuty detector on every fifth.
 */
export function generatedOrganization(count: number, base: Organization): Organization {
  const { members: _ignored, ...file } = base;
  const members = Array.from({ length: count }, (_, index) => {
    const i = index + 1;
    const name = `gen-${String(i).padStart(3, '0')}`;
    const accountId = String(700000000000 + i);
    const data: Record<string, unknown> = {
      name,
      accountId,
      regions: i % 2 === 0 ? ['ap-northeast-1', 'us-east-1'] : ['ap-northeast-1'],
      vpcFlowLogs: { vpcs: [{ id: `vpc-0${String(i).padStart(16, '0')}`, region: 'ap-northeast-1' }] },
      waf: {
        webAcls: [
          `arn:aws:wafv2:ap-northeast-1:${accountId}:regional/webacl/api-${i}/0a1b2c3d-0000-4000-8000-${String(i).padStart(12, '0')}`,
          `arn:aws:wafv2:us-east-1:${accountId}:global/webacl/cdn-${i}/0a1b2c3d-1111-4000-8000-${String(i).padStart(12, '0')}`,
        ],
      },
    };
    if (i % 3 === 0) data.cloudtrail = { dataEvents: { s3: true, lambda: true } };
    if (i % 5 === 0) data.guardduty = { detectorIds: { 'ap-northeast-1': i.toString(16).padStart(32, '0') } };
    return { file: `members/${name}.yaml`, data };
  });
  return parseOrganization({ file: 'organization.yaml', data: file }, members);
}
