/**
 * Route 53 Resolver query logs of the listed VPCs into `AWSLogs/<acct>/vpcdnsquerylogs/` of the central
 * bucket. The writer is the vended-logs service, like VPC Flow Logs', so the shared log delivery
 * statement of the bucket policy (`AWSLogs/${aws:SourceAccount}/*`) and the vended-logs key statement
 * already allow it: the feature adds no statement of its own (test/unit/policy-simulation.test.ts).
 */
import { checkVpcs } from '../schema-kit';
import { defineMemberFeature, VENDED_LOGS_SERVICE, vendedLogsKeyStatement } from '../feature';
import { MemberResolverQueryLogs } from './query-logs';
import { resolverQueryLogsSchema } from './schema';

export * from './query-logs';
export * from './schema';

export const resolverQueryLogNames = (prefix: string) => ({
  /** The query logging configuration in each region. */
  config: `${prefix}-resolver-query-logs`,
});

export const resolverQueryLogs = defineMemberFeature({
  key: 'resolverQueryLogs',
  title: 'Route 53 Resolver query logs',
  schema: resolverQueryLogsSchema,
  check: (c, member) => checkVpcs(c.vpcs, member),
  isActive: (c) => c.enabled && c.vpcs.length > 0,
  build(ctx, c) {
    new MemberResolverQueryLogs(ctx.scope, 'resolver-query-logs', {
      providerFor: ctx.providerFor,
      vpcs: c.vpcs,
      configName: resolverQueryLogNames(ctx.prefix).config,
      bucketArn: ctx.central.bucketArn,
    });
  },
  logDeliveryServices: [VENDED_LOGS_SERVICE],
  keyStatements: vendedLogsKeyStatement,
});
