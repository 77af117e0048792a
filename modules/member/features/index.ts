/**
 * The member features, listed once. The member schema (accounts/schema.ts), the member stack
 * (stacks/member-stack.ts), the central bucket and key policies (modules/policies/central.ts) and the
 * onboarding CLI (accounts/onboard.ts) loop over this list; adding a feature is its folder and one entry
 * here. The order is the order of the member file's sections, of the onboarding options and of the
 * features' statements in the central policies.
 */
import type { z } from 'zod';
import { cloudTrail } from './cloudtrail';
import { cloudwatchLogsExport } from './cloudwatch-logs-export';
import { elbAccessLogs } from './elb-access-logs';
import type { MemberFeature } from './feature';
import { findingsExport } from './findings-export';
import { guardDuty } from './guardduty';
import { networkFirewall } from './network-firewall';
import { resolverQueryLogs } from './resolver-query-logs';
import { vpcFlowLogs } from './vpc-flow-logs';
import { waf } from './waf';

export const MEMBER_FEATURES = [cloudTrail, vpcFlowLogs, guardDuty, waf, resolverQueryLogs, networkFirewall, findingsExport, elbAccessLogs, cloudwatchLogsExport] as const;

/** A feature of the list, without its literal types (for loops over the list). */
export type AnyMemberFeature = MemberFeature<string, z.ZodObject<any>>;

/** The features with each one's section of a parsed member. */
export function featureSections(member: object): { feature: AnyMemberFeature; config: Record<string, unknown> }[] {
  return MEMBER_FEATURES.map((feature) => ({ feature: feature as unknown as AnyMemberFeature, config: (member as Record<string, Record<string, unknown>>)[feature.key]! }));
}

export * from './cloudtrail';
export * from './cloudwatch-logs-export';
export * from './elb-access-logs';
export * from './feature';
export * from './findings-export';
export * from './guardduty';
export * from './network-firewall';
export * from './resolver-query-logs';
export * from './schema-kit';
export * from './vpc-flow-logs';
export * from './waf';
