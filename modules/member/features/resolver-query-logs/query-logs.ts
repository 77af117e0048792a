/**
 * Route 53 Resolver query logging of the listed VPCs straight into the central log bucket: one query
 * logging configuration per region (a configuration serves only VPCs of its region) whose destination
 * is the bucket ARN, and one association per VPC. Resolver then writes
 * `AWSLogs/<acct>/vpcdnsquerylogs/<vpc-id>/YYYY/MM/DD/...log.gz` (Route 53 Developer Guide, "Resolver
 * query logging" > "AWS resources that you can send Resolver query logs to"), through the vended-logs
 * service delivery.logs.amazonaws.com like VPC Flow Logs.
 */
import { Route53ResolverQueryLogConfig } from '@cdktf/provider-aws/lib/route53-resolver-query-log-config';
import { Route53ResolverQueryLogConfigAssociation } from '@cdktf/provider-aws/lib/route53-resolver-query-log-config-association';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';

export interface MemberResolverQueryLogsProps {
  readonly providerFor: (region: string) => TerraformProvider;
  readonly vpcs: readonly { readonly id: string; readonly region: string }[];
  /** Name of the query logging configuration (the same in every region). */
  readonly configName: string;
  readonly bucketArn: string;
}

export class MemberResolverQueryLogs extends Construct {
  readonly configs = new Map<string, Route53ResolverQueryLogConfig>();
  readonly associations: Route53ResolverQueryLogConfigAssociation[] = [];

  constructor(scope: Construct, id: string, props: MemberResolverQueryLogsProps) {
    super(scope, id);
    for (const vpc of props.vpcs) {
      let config = this.configs.get(vpc.region);
      if (!config) {
        config = new Route53ResolverQueryLogConfig(this, `config-${vpc.region}`, {
          provider: props.providerFor(vpc.region),
          name: props.configName,
          destinationArn: props.bucketArn,
        });
        this.configs.set(vpc.region, config);
      }
      this.associations.push(
        new Route53ResolverQueryLogConfigAssociation(this, vpc.id, {
          provider: props.providerFor(vpc.region),
          resolverQueryLogConfigId: config.id,
          resourceId: vpc.id,
        }),
      );
    }
  }
}
