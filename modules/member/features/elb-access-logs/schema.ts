/** `elbAccessLogs:` of a member file: the member's load balancers log into the central ELB log bucket (off by default). */
import { z } from 'zod';
import { featureSwitch } from '../schema-kit';

export const elbAccessLogsSchema = z
  .strictObject({
    /**
     * Default false. On: the central ELB log bucket accepts this account's access logs under
     * `AWSLogs/<acct>/`, and the member stack outputs the bucket to configure on the load balancers
     * (which stay the user's; this project does not change them).
     */
    enabled: z.boolean().default(false),
  })
  .register(featureSwitch, { flag: 'elb-access-logs', help: "accept this account's load-balancer access logs in the central ELB log bucket (the load balancers are configured by you)" });
