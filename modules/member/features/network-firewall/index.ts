/**
 * Network Firewall logging: ALERT and FLOW logs of the listed firewalls into
 * `AWSLogs/<acct>/network-firewall/` of the central bucket. The writer is the vended-logs service, like
 * VPC Flow Logs', so the shared log delivery statement of the bucket policy
 * (`AWSLogs/${aws:SourceAccount}/*`) and the vended-logs key statement already allow it: the feature
 * adds no statement of its own (test/unit/policy-simulation.test.ts proves A's own prefix allowed and
 * B's denied).
 */
import { defineMemberFeature, VENDED_LOGS_SERVICE, vendedLogsKeyStatement } from '../feature';
import type { FeatureProblem } from '../schema-kit';
import { firewallOf, MemberNetworkFirewallLogging } from './firewall-logging';
import { networkFirewallSchema } from './schema';

export * from './firewall-logging';
export * from './schema';

export const networkFirewall = defineMemberFeature({
  key: 'networkFirewall',
  title: 'Network Firewall logs',
  schema: networkFirewallSchema,
  check(c, member) {
    const problems: FeatureProblem[] = [];
    c.firewalls.forEach((arn, i) => {
      const account = arn.split(':')[4];
      const { region } = firewallOf(arn);
      if (account !== member.accountId) problems.push({ field: `firewalls[${i}]`, message: `belongs to account ${account}, not to this member (${member.accountId})` });
      if (!member.regions.includes(region)) problems.push({ field: `firewalls[${i}]`, message: `is in ${region}, which is not one of the member's regions (${member.regions.join(', ')})` });
    });
    if (new Set(c.firewalls).size !== c.firewalls.length) problems.push({ field: 'firewalls', message: 'lists a firewall more than once' });
    if (new Set(c.logTypes).size !== c.logTypes.length) problems.push({ field: 'logTypes', message: 'lists a log type more than once' });
    return problems;
  },
  isActive: (c) => c.enabled && c.firewalls.length > 0,
  build(ctx, c) {
    new MemberNetworkFirewallLogging(ctx.scope, 'network-firewall', {
      providerFor: ctx.providerFor,
      firewalls: c.firewalls,
      logTypes: c.logTypes,
      bucketName: ctx.central.bucketName,
    });
  },
  logDeliveryServices: [VENDED_LOGS_SERVICE],
  keyStatements: vendedLogsKeyStatement,
});
