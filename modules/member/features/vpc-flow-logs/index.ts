/**
 * VPC Flow Logs of the listed VPCs, delivered by the vended-logs service into
 * `AWSLogs/<acct>/vpcflowlogs/` of the central bucket.
 */
import { checkVpcs } from '../schema-kit';
import { defineMemberFeature, VENDED_LOGS_SERVICE, vendedLogsKeyStatement } from '../feature';
import { MemberFlowLogs } from './flow-logs';
import { vpcFlowLogsSchema } from './schema';

export * from './flow-log-format';
export * from './flow-logs';
export * from './schema';

export const vpcFlowLogs = defineMemberFeature({
  key: 'vpcFlowLogs',
  title: 'VPC Flow Logs',
  schema: vpcFlowLogsSchema,
  check: (c, member) => checkVpcs(c.vpcs, member),
  isActive: (c) => c.enabled && c.vpcs.length > 0,
  build(ctx, c) {
    new MemberFlowLogs(ctx.scope, 'vpc-flow-logs', {
      providerFor: ctx.providerFor,
      vpcs: c.vpcs,
      bucketArn: ctx.central.bucketArn,
      trafficType: c.trafficType,
      maxAggregationInterval: c.maxAggregationInterval,
      perHourPartition: c.perHourPartition,
    });
  },
  logDeliveryServices: [VENDED_LOGS_SERVICE],
  keyStatements: vendedLogsKeyStatement,
});
