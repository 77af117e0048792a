/**
 * Findings export: in each region of the member, EventBridge rules for the chosen sources (Security Hub
 * findings, Inspector findings, Config rules compliance changes) put their events into one Firehose
 * stream, which writes them into the central bucket, encrypted with the central key.
 *
 * - Dynamic partitioning (Firehose Developer Guide, "Dynamic partitioning") takes the source and the
 *   detail type from each event with JQ and writes `AWSLogs/<acct>/<source>/<Detail_Type>/<region>/
 *   YYYY/MM/DD/`, the reference's exporter layout; the loader's securityhub, inspector and config_rules
 *   sections recognize those keys. It needs a buffer of at least 64 MiB.
 * - A newline after each record makes the objects JSON lines (EventBridge events carry none).
 * - One role for Firehose and one for EventBridge, global, created once; see findings-policies.ts.
 */
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { KinesisFirehoseDeliveryStream } from '@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { findingsEventsRolePolicy, findingsEventsTrustPolicy, findingsFirehoseRolePolicy, findingsFirehoseTrustPolicy } from './findings-policies';
import { FINDING_SOURCES, findingsExportNames, findingsStreamPrefixes, PARTITION_QUERY, type FindingSource } from './names';

/** Dynamic partitioning's minimum buffer size (MiB). */
export const DYNAMIC_PARTITIONING_BUFFER_MB = 64;

export interface MemberFindingsExportProps {
  readonly homeProvider: TerraformProvider;
  readonly providerFor: (region: string) => TerraformProvider;
  readonly prefix: string;
  readonly accountId: string;
  readonly regions: readonly string[];
  readonly sources: readonly FindingSource[];
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly bucketRegion: string;
  readonly keyArn: string;
  /** Default 300 s. */
  readonly bufferingIntervalSeconds?: number;
}

export class MemberFindingsExport extends Construct {
  readonly firehoseRole: IamRole;
  readonly eventsRole: IamRole;
  readonly streams = new Map<string, KinesisFirehoseDeliveryStream>();
  readonly rules: CloudwatchEventRule[] = [];

  constructor(scope: Construct, id: string, props: MemberFindingsExportProps) {
    super(scope, id);
    const n = findingsExportNames(props.prefix);
    this.firehoseRole = new IamRole(this, 'firehose-role', {
      provider: props.homeProvider,
      name: n.firehoseRole,
      description: "Kinesis Data Firehose writes this account's findings into the central SIEM log bucket",
      assumeRolePolicy: JSON.stringify(findingsFirehoseTrustPolicy(props.accountId)),
    });
    const firehosePolicy = new IamRolePolicy(this, 'firehose-policy', {
      provider: props.homeProvider,
      role: this.firehoseRole.name,
      name: 'write-own-findings-prefixes',
      policy: JSON.stringify(
        findingsFirehoseRolePolicy({ accountId: props.accountId, bucketName: props.bucketName, bucketRegion: props.bucketRegion, keyArn: props.keyArn, sources: props.sources }),
      ),
    });
    this.eventsRole = new IamRole(this, 'events-role', {
      provider: props.homeProvider,
      name: n.eventsRole,
      description: "EventBridge puts this account's findings events into the findings delivery streams",
      assumeRolePolicy: JSON.stringify(findingsEventsTrustPolicy(props.accountId)),
    });
    new IamRolePolicy(this, 'events-policy', {
      provider: props.homeProvider,
      role: this.eventsRole.name,
      name: 'put-into-findings-streams',
      policy: JSON.stringify(findingsEventsRolePolicy(props.accountId, props.regions, n.deliveryStream)),
    });

    for (const region of props.regions) {
      const provider = props.providerFor(region);
      const { prefix, errorPrefix } = findingsStreamPrefixes(props.accountId, region);
      const stream = new KinesisFirehoseDeliveryStream(this, `stream-${region}`, {
        provider,
        name: n.deliveryStream,
        destination: 'extended_s3',
        // Data at rest inside Firehose (Direct PUT from EventBridge); the objects in S3 use the central key.
        serverSideEncryption: { enabled: true, keyType: 'AWS_OWNED_CMK' },
        extendedS3Configuration: {
          roleArn: this.firehoseRole.arn,
          bucketArn: props.bucketArn,
          prefix,
          errorOutputPrefix: errorPrefix,
          compressionFormat: 'GZIP',
          bufferingSize: DYNAMIC_PARTITIONING_BUFFER_MB,
          bufferingInterval: props.bufferingIntervalSeconds ?? 300,
          kmsKeyArn: props.keyArn,
          dynamicPartitioningConfiguration: { enabled: true, retryDuration: 300 },
          processingConfiguration: {
            enabled: true,
            processors: [
              {
                type: 'MetadataExtraction',
                parameters: [
                  { parameterName: 'MetadataExtractionQuery', parameterValue: PARTITION_QUERY },
                  { parameterName: 'JsonParsingEngine', parameterValue: 'JQ-1.6' },
                ],
              },
              { type: 'AppendDelimiterToRecord', parameters: [{ parameterName: 'Delimiter', parameterValue: '\\n' }] },
            ],
          },
        },
        // The role's policy must exist before Firehose validates the destination.
        dependsOn: [firehosePolicy],
      });
      this.streams.set(region, stream);

      for (const source of props.sources) {
        const s = FINDING_SOURCES[source];
        const rule = new CloudwatchEventRule(this, `rule-${region}-${source}`, {
          provider,
          name: n.rule(source),
          description: `${s.detailType} events into the ${n.deliveryStream} delivery stream (SIEM)`,
          eventPattern: JSON.stringify({ source: [s.source], 'detail-type': [s.detailType] }),
        });
        this.rules.push(rule);
        new CloudwatchEventTarget(this, `target-${region}-${source}`, {
          provider,
          rule: rule.name,
          targetId: 'findings-firehose',
          arn: stream.arn,
          roleArn: this.eventsRole.arn,
        });
      }
    }
  }
}
