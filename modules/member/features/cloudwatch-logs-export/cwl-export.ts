/**
 * CloudWatch Logs export: in each region that has subscribed log groups, one Firehose stream; each
 * log group's subscription filter puts its events into it, and the stream writes them into the central
 * bucket, encrypted with the central key, under a prefix the loader recognizes for the group's type.
 *
 * - CloudWatch Logs sends each subscription message gzip'd. The stream decompresses it (Firehose
 *   Developer Guide, "Decompress CloudWatch Logs"), reads the message's `logGroup` with JQ and
 *   partitions by the group's type (dynamic partitioning: `<family>/<kind>` from `cwlPartitionQuery`),
 *   then gzips the object: the loader's via_cwl reader takes the JSON messages back to back.
 *   Dynamic partitioning needs a buffer of at least 64 MiB.
 * - One role for Firehose and one for CloudWatch Logs, global, created once (policies.ts).
 *
 * The member feature and the central stack's self-logging (the OpenSearch domain's audit logs) both
 * use this construct, each with its own names.
 */
import { CloudwatchLogSubscriptionFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-subscription-filter';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { KinesisFirehoseDeliveryStream } from '@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream';
import type { ITerraformDependable, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import type { CwlLogTypeName } from './log-types';
import { cwlPartitionQuery, cwlStreamPrefixes, type CwlExportNames } from './names';
import { cwlFirehoseRolePolicy, cwlFirehoseTrustPolicy, cwlSubscriptionRolePolicy, cwlSubscriptionTrustPolicy } from './policies';

/** Dynamic partitioning's minimum buffer size (MiB). */
export const CWL_EXPORT_BUFFER_MB = 64;

export interface CwlExportGroup {
  readonly name: string;
  readonly region: string;
  readonly logType: CwlLogTypeName;
  /** Default "": every event. */
  readonly filterPattern?: string;
  /** Terraform dependency of the subscription filter (the log group, when the same stack creates it). */
  readonly dependsOn?: readonly ITerraformDependable[];
}

export interface CwlExportProps {
  readonly names: CwlExportNames;
  /** Provider of the account's home region, for the global roles. */
  readonly homeProvider: TerraformProvider;
  readonly providerFor: (region: string) => TerraformProvider;
  readonly accountId: string;
  readonly groups: readonly CwlExportGroup[];
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly bucketRegion: string;
  readonly keyArn: string;
  /** Default 300 s. */
  readonly bufferingIntervalSeconds?: number;
}

/** The regions that have groups, in the order of their first group. */
export const exportRegions = (groups: readonly { readonly region: string }[]): string[] => [...new Set(groups.map((g) => g.region))];

export class CloudWatchLogsExport extends Construct {
  readonly firehoseRole: IamRole;
  readonly subscriptionRole: IamRole;
  readonly streams = new Map<string, KinesisFirehoseDeliveryStream>();
  readonly filters: CloudwatchLogSubscriptionFilter[] = [];

  constructor(scope: Construct, id: string, props: CwlExportProps) {
    super(scope, id);
    const n = props.names;
    const regions = exportRegions(props.groups);

    this.firehoseRole = new IamRole(this, 'firehose-role', {
      provider: props.homeProvider,
      name: n.firehoseRole,
      description: "Kinesis Data Firehose writes this account's subscribed CloudWatch Logs groups into the central SIEM log bucket",
      assumeRolePolicy: JSON.stringify(cwlFirehoseTrustPolicy(props.accountId)),
    });
    const firehosePolicy = new IamRolePolicy(this, 'firehose-policy', {
      provider: props.homeProvider,
      role: this.firehoseRole.name,
      name: 'write-own-cloudwatch-logs-prefix',
      policy: JSON.stringify(cwlFirehoseRolePolicy({ accountId: props.accountId, bucketName: props.bucketName, bucketRegion: props.bucketRegion, keyArn: props.keyArn })),
    });
    this.subscriptionRole = new IamRole(this, 'subscription-role', {
      provider: props.homeProvider,
      name: n.subscriptionRole,
      description: "CloudWatch Logs puts this account's subscribed log events into the SIEM delivery streams",
      assumeRolePolicy: JSON.stringify(cwlSubscriptionTrustPolicy(props.accountId, regions)),
    });
    const subscriptionPolicy = new IamRolePolicy(this, 'subscription-policy', {
      provider: props.homeProvider,
      role: this.subscriptionRole.name,
      name: 'put-into-export-streams',
      policy: JSON.stringify(cwlSubscriptionRolePolicy(props.accountId, regions, n.deliveryStream)),
    });

    for (const region of regions) {
      const provider = props.providerFor(region);
      const groups = props.groups.filter((g) => g.region === region);
      const { prefix, errorPrefix } = cwlStreamPrefixes(props.accountId, region);
      const stream = new KinesisFirehoseDeliveryStream(this, `stream-${region}`, {
        provider,
        name: n.deliveryStream,
        destination: 'extended_s3',
        // Data at rest inside Firehose (Direct PUT from CloudWatch Logs); the objects in S3 use the central key.
        serverSideEncryption: { enabled: true, keyType: 'AWS_OWNED_CMK' },
        extendedS3Configuration: {
          roleArn: this.firehoseRole.arn,
          bucketArn: props.bucketArn,
          prefix,
          errorOutputPrefix: errorPrefix,
          compressionFormat: 'GZIP',
          bufferingSize: CWL_EXPORT_BUFFER_MB,
          bufferingInterval: props.bufferingIntervalSeconds ?? 300,
          kmsKeyArn: props.keyArn,
          dynamicPartitioningConfiguration: { enabled: true, retryDuration: 300 },
          processingConfiguration: {
            enabled: true,
            processors: [
              { type: 'Decompression', parameters: [{ parameterName: 'CompressionFormat', parameterValue: 'GZIP' }] },
              {
                type: 'MetadataExtraction',
                parameters: [
                  { parameterName: 'MetadataExtractionQuery', parameterValue: cwlPartitionQuery(groups) },
                  { parameterName: 'JsonParsingEngine', parameterValue: 'JQ-1.6' },
                ],
              },
            ],
          },
        },
        // The role's policy must exist before Firehose validates the destination.
        dependsOn: [firehosePolicy],
      });
      this.streams.set(region, stream);

      const ids = new Set<string>();
      for (const g of groups) {
        // Named after the log group, so that removing one group leaves the others' addresses alone.
        let fid = `filter-${region}-${g.name.replace(/[^A-Za-z0-9-]/g, '-')}`;
        while (ids.has(fid)) fid += '-';
        ids.add(fid);
        this.filters.push(
          new CloudwatchLogSubscriptionFilter(this, fid, {
            provider,
            name: n.subscriptionFilter,
            logGroupName: g.name,
            filterPattern: g.filterPattern ?? '',
            destinationArn: stream.arn,
            roleArn: this.subscriptionRole.arn,
            // CloudWatch Logs checks that it may put into the stream when the filter is created.
            dependsOn: [subscriptionPolicy, ...(g.dependsOn ?? [])],
          }),
        );
      }
    }
  }
}
