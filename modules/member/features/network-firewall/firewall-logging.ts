/**
 * Network Firewall logging of the listed firewalls straight into the central log bucket: one logging
 * configuration per firewall, one S3 destination per log type, no prefix. Network Firewall then writes
 * `AWSLogs/<acct>/network-firewall/<alert|flow>/<region>/<firewall>/YYYY/MM/DD/HH/
 * <acct>_network-firewall_<alert|flow>_<region>_<firewall>_<YYYYMMDDTHHmmZ>_<hash>.log.gz`
 * (Network Firewall Developer Guide, "Logging to Amazon S3"), which the loader's `networkfirewall`
 * section recognizes by `_network-firewall_`. The writer is the vended-logs service
 * delivery.logs.amazonaws.com, as for VPC Flow Logs.
 *
 * A firewall has one logging configuration: an existing one (made in the console) must be removed or
 * imported before this stack can create its own.
 */
import { NetworkfirewallLoggingConfiguration } from '@cdktf/provider-aws/lib/networkfirewall-logging-configuration';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';

export interface MemberNetworkFirewallLoggingProps {
  readonly providerFor: (region: string) => TerraformProvider;
  /** Firewall ARNs (each in one of the member's regions). */
  readonly firewalls: readonly string[];
  readonly logTypes: readonly ('ALERT' | 'FLOW')[];
  /** Name of the central log bucket. */
  readonly bucketName: string;
}

/** `arn:aws:network-firewall:<region>:<acct>:firewall/<name>` -> region and name. */
export function firewallOf(arn: string): { region: string; name: string } {
  const parts = arn.split(':');
  const name = parts[5]?.split('/')[1];
  if (parts.length !== 6 || !parts[3] || !name) throw new Error(`not a Network Firewall firewall ARN: ${arn}`);
  return { region: parts[3], name };
}

export class MemberNetworkFirewallLogging extends Construct {
  readonly configurations: NetworkfirewallLoggingConfiguration[] = [];

  constructor(scope: Construct, id: string, props: MemberNetworkFirewallLoggingProps) {
    super(scope, id);
    for (const arn of props.firewalls) {
      const { region, name } = firewallOf(arn);
      this.configurations.push(
        new NetworkfirewallLoggingConfiguration(this, `${region}-${name}`, {
          provider: props.providerFor(region),
          firewallArn: arn,
          loggingConfiguration: {
            logDestinationConfig: props.logTypes.map((logType) => ({ logType, logDestinationType: 'S3', logDestination: { bucketName: props.bucketName } })),
          },
        }),
      );
    }
  }
}
