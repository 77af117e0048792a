/**
 * VPC Flow Logs of the listed VPCs, delivered straight to the central log bucket. The destination is
 * the bucket ARN without a folder, so keys are `AWSLogs/<acct>/vpcflowlogs/<region>/YYYY/MM/DD/...`
 * (VPC User Guide, "Publish flow logs to Amazon S3" > "Flow log files"), the layout es-loader expects.
 */
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { FLOW_LOG_FORMAT_TERRAFORM } from './flow-log-format';

export interface MemberFlowLogsProps {
  readonly providerFor: (region: string) => TerraformProvider;
  readonly vpcs: readonly { readonly id: string; readonly region: string }[];
  readonly bucketArn: string;
  /** Default `ALL`. */
  readonly trafficType?: 'ALL' | 'ACCEPT' | 'REJECT';
  /** Seconds, 60 or 600; default 600. */
  readonly maxAggregationInterval?: 60 | 600;
  /** Partition the files per hour instead of per day; default false. */
  readonly perHourPartition?: boolean;
}

export class MemberFlowLogs extends Construct {
  readonly flowLogs: FlowLog[];

  constructor(scope: Construct, id: string, props: MemberFlowLogsProps) {
    super(scope, id);
    this.flowLogs = props.vpcs.map(
      (vpc) =>
        new FlowLog(this, vpc.id, {
          provider: props.providerFor(vpc.region),
          vpcId: vpc.id,
          logDestinationType: 's3',
          logDestination: props.bucketArn,
          trafficType: props.trafficType ?? 'ALL',
          logFormat: FLOW_LOG_FORMAT_TERRAFORM,
          maxAggregationInterval: props.maxAggregationInterval ?? 600,
          // es-loader reads plain-text (gzip) files in the AWSLogs layout; Parquet and Hive-style
          // partitions would change both the content and the keys.
          destinationOptions: { fileFormat: 'plain-text', hiveCompatiblePartitions: false, perHourPartition: props.perHourPartition ?? false },
        }),
    );
  }
}
