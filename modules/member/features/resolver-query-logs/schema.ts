/** `resolverQueryLogs:` of a member file: Route 53 Resolver query logging of the listed VPCs (off by default). */
import { z } from 'zod';
import { featureSwitch, listOption, vpcRef } from '../schema-kit';

export const resolverQueryLogsSchema = z
  .strictObject({
    /** Default false: DNS query logs are large (one record per query) and billed by volume. */
    enabled: z.boolean().default(false),
    vpcs: z
      .array(vpcRef)
      .default([])
      .register(listOption, { flag: 'query-log-vpc', value: 'vpc-id:region', help: 'VPC whose Route 53 Resolver DNS queries are logged (repeatable)' }),
  })
  .register(featureSwitch, { flag: 'resolver-query-logs', help: 'log the DNS queries of the --query-log-vpc VPCs (Route 53 Resolver query logging)' });
