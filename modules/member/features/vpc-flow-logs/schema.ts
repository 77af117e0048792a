/** `vpcFlowLogs:` of a member file: flow logs of the listed VPCs. */
import { z } from 'zod';
import { featureSwitch, listOption, vpcRef } from '../schema-kit';

export const vpcFlowLogsSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    vpcs: z
      .array(vpcRef)
      .default([])
      .register(listOption, { flag: 'vpc', value: 'vpc-id:region', help: 'VPC whose flow logs are sent (repeatable)' }),
    trafficType: z.enum(['ALL', 'ACCEPT', 'REJECT']).default('ALL'),
    /** Seconds; EC2 accepts 60 or 600. */
    maxAggregationInterval: z.union([z.literal(60), z.literal(600)], { error: 'must be 60 or 600 (seconds)' }).default(600),
    perHourPartition: z.boolean().default(false),
  })
  .register(featureSwitch, { flag: 'flow-logs', help: 'no VPC Flow Logs' });
