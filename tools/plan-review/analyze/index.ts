/**
 * Reads one stack's plan (`terraform show -json`) and picks out what a security reviewer must look at.
 * Each detector reads one resource change and returns its findings; the list below is the order of the
 * report's "Needs attention" sections:
 * 1. dangerous-changes.ts: DANGER, a stateful resource is destroyed or replaced (its data goes with it).
 * 2. access-policies.ts: access policies that change (IAM, trust, bucket, key, queue, topic, OpenSearch,
 *    Lambda permissions), as statement-level diffs.
 * 3. security-group-rules.ts: security group rules that change.
 * 4. public-exposure.ts: S3 public access blocks, OpenSearch endpoint/VPC/authentication options,
 *    bucket ACLs, Lambda function URLs.
 * The result is data; report.ts renders it.
 */
import { changeKind, type PlanJson, type ResourceChange } from '../plan-json';
import { detectAccessPolicyChanges, type PolicyItem } from './access-policies';
import { detectDangerousChanges, type DangerItem } from './dangerous-changes';
import { detectPublicExposure, type ExposureItem } from './public-exposure';
import type { Context, SynthesizedConfig } from './resource';
import { detectSecurityGroupRuleChanges, type NetworkRuleItem } from './security-group-rules';

export { POLICY_ATTRIBUTES, policyFromConfig, prettyPolicy, type PolicyDocuments, type PolicyItem } from './access-policies';
export { STATEFUL_TYPES, type DangerItem } from './dangerous-changes';
export type { ExposureItem } from './public-exposure';
export type { SynthesizedConfig } from './resource';
export type { NetworkRuleItem } from './security-group-rules';

export interface ChangeCounts {
  add: number;
  change: number;
  replace: number;
  destroy: number;
}

/** What the detectors found in one stack, one list per detector. */
export interface Findings {
  readonly danger: readonly DangerItem[];
  readonly policies: readonly PolicyItem[];
  readonly network: readonly NetworkRuleItem[];
  readonly exposure: readonly ExposureItem[];
}

export interface StackAnalysis extends Findings {
  readonly counts: ChangeCounts;
}

/** Reads one managed resource change that creates, updates, replaces or deletes something. */
export type Detector<T> = (rc: ResourceChange, ctx: Context) => readonly T[];

/** Every detector, by the list of findings it fills. */
export const DETECTORS: { readonly [K in keyof Findings]: Detector<Findings[K][number]> } = {
  danger: detectDangerousChanges,
  policies: detectAccessPolicyChanges,
  network: detectSecurityGroupRuleChanges,
  exposure: detectPublicExposure,
};

export function analyzePlan(plan: PlanJson, config?: SynthesizedConfig): StackAnalysis {
  const counts: ChangeCounts = { add: 0, change: 0, replace: 0, destroy: 0 };
  const found = { danger: [] as DangerItem[], policies: [] as PolicyItem[], network: [] as NetworkRuleItem[], exposure: [] as ExposureItem[] };
  const ctx: Context = { config, byAddress: new Map((plan.resource_changes ?? []).map((rc) => [rc.address, rc])) };
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode !== 'managed') continue;
    const kind = changeKind(rc.change.actions);
    if (kind === 'create') counts.add++;
    else if (kind === 'update') counts.change++;
    else if (kind === 'replace') counts.replace++;
    else if (kind === 'delete') counts.destroy++;
    else continue;
    found.danger.push(...DETECTORS.danger(rc, ctx));
    found.policies.push(...DETECTORS.policies(rc, ctx));
    found.network.push(...DETECTORS.network(rc, ctx));
    found.exposure.push(...DETECTORS.exposure(rc, ctx));
  }
  return { counts, ...found };
}

export function hasChanges(counts: ChangeCounts): boolean {
  return counts.add + counts.change + counts.replace + counts.destroy > 0;
}
