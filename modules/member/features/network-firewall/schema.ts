/** `networkFirewall:` of a member file: ALERT and FLOW logs of the listed Network Firewall firewalls (off by default). */
import { z } from 'zod';
import { featureSwitch, listOption } from '../schema-kit';

export const NETWORK_FIREWALL_ARN = /^arn:aws[\w-]*:network-firewall:([a-z0-9-]+):(\d{12}):firewall\/[A-Za-z0-9-]{1,128}$/;

export const networkFirewallSchema = z
  .strictObject({
    /** Default false: flow logs of a busy firewall are large and billed by volume. */
    enabled: z.boolean().default(false),
    firewalls: z
      .array(
        z.string().regex(NETWORK_FIREWALL_ARN, {
          error: (iss) => `must be a Network Firewall firewall ARN (arn:aws:network-firewall:<region>:<account>:firewall/<name>), got ${JSON.stringify(iss.input)}`,
        }),
      )
      .default([])
      .register(listOption, { flag: 'network-firewall', value: 'arn', help: 'Network Firewall firewall ARN whose ALERT and FLOW logs are sent (repeatable)' }),
    /** Default both: the loader's networkfirewall type reads alert and flow records. */
    logTypes: z
      .array(z.enum(['ALERT', 'FLOW']))
      .min(1, { error: 'names no log type; turn the feature off instead (enabled: false)' })
      .default(['ALERT', 'FLOW']),
  })
  .register(featureSwitch, { flag: 'network-firewall-logs', help: 'send the ALERT and FLOW logs of the --network-firewall firewalls' });
