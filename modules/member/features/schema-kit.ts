/**
 * What the member features' schemas share. Like the schemas, this file imports only zod and the field
 * validators of accounts/fields.ts, so accounts/schema.ts can list the features without a cycle.
 *
 * The onboarding CLI (accounts/onboard.ts) derives its options from two registries:
 * - `featureSwitch` on a feature's schema: `--no-<flag>` when the feature is on by default, `--<flag>`
 *   when it is off by default;
 * - `listOption` on a list field: a repeatable `--<flag> <value>`; items that are objects are written
 *   as their fields joined by ":" in the order of the schema (`vpc-0abc...:ap-northeast-1`).
 */
import { z } from 'zod';
import { region } from '../../../accounts/fields';

export interface FeatureSwitch {
  /** Option name without dashes, e.g. `flow-logs` (the CLI adds `--no-` or `--`). */
  readonly flag: string;
  /** What the switch does, as `--help` shows it. */
  readonly help: string;
}
export const featureSwitch = z.registry<FeatureSwitch>();

export interface ListOption {
  /** Option name without dashes, e.g. `vpc`. */
  readonly flag: string;
  /** Placeholder of the value, e.g. `vpc-id:region`. */
  readonly value: string;
  readonly help: string;
}
export const listOption = z.registry<ListOption>();

/** A problem of a member's feature section; `field` is relative to the section (`vpcs[0].region`). */
export interface FeatureProblem {
  readonly field: string;
  readonly message: string;
}

/** The parts of a member every feature may check its settings against. */
export interface MemberIdentity {
  readonly name: string;
  readonly accountId: string;
  readonly regions: readonly string[];
}

export const vpcRef = z.strictObject({
  id: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, { error: (iss) => `must be a VPC id such as "vpc-0abc12345def67890", got ${JSON.stringify(iss.input)}` }),
  region,
});

/** VPCs must be in the member's regions, each listed once. */
export function checkVpcs(vpcs: readonly z.infer<typeof vpcRef>[], member: MemberIdentity): FeatureProblem[] {
  const problems: FeatureProblem[] = [];
  vpcs.forEach((vpc, i) => {
    if (!member.regions.includes(vpc.region)) problems.push({ field: `vpcs[${i}].region`, message: `${vpc.region} is not one of the member's regions (${member.regions.join(', ')})` });
  });
  const ids = vpcs.map((v) => v.id);
  if (new Set(ids).size !== ids.length) problems.push({ field: 'vpcs', message: 'lists a VPC more than once' });
  return problems;
}
