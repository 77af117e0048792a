/**
 * `<prefix>-index-metrics-exporter`: hourly, index/shard/node statistics as gzip JSON lines into the
 * snapshot bucket under `AWSLogs/<account>/OpenSearch/metrics/`, then invokes the loader with the
 * object's S3 event; the loader indexes them into `metrics-opensearch-index-YYYY-MM`.
 */
import * as path from 'node:path';
import type { Construct } from 'constructs';
import { exporterEnvironment } from '../../lambdas/index-metrics-exporter/exporter';
import { arn } from '../naming';
import type { PolicyStatement } from '../policies/document';
import { SiemFunction, type SiemFunctionProps } from '../siem-function';
import { commonFunctionProps, LAMBDAS_DIR, viaS3, type OperationsFunctionProps } from './common';

/** Schedule, as an EventBridge rate expression. */
export const METRICS_SCHEDULE = 'rate(1 hour)';

export function metricsKeyPrefix(accountId: string): string {
  return `AWSLogs/${accountId}/OpenSearch/metrics/`;
}

export interface MetricsExporterStatementsProps {
  readonly accountId: string;
  readonly region: string;
  readonly keyArn: string;
  readonly domainArn: string;
  readonly snapshotBucket: string;
  readonly loaderFunctionArn: string;
}

export function metricsExporterStatements(a: MetricsExporterStatementsProps): PolicyStatement[] {
  return [
    { Sid: 'ReadClusterStatistics', Effect: 'Allow', Action: 'es:ESHttpGet', Resource: [`${a.domainArn}/_cat/indices`, `${a.domainArn}/_cat/shards`, `${a.domainArn}/_nodes/stats/*`] },
    { Sid: 'WriteMetrics', Effect: 'Allow', Action: 's3:PutObject', Resource: arn.objects(a.snapshotBucket, `${metricsKeyPrefix(a.accountId)}*`) },
    { Sid: 'EncryptMetrics', Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: a.keyArn, Condition: viaS3(a.region) },
    { Sid: 'NotifyLoader', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: a.loaderFunctionArn },
  ];
}

/** What the loader needs to read the exports it is told about. */
export function readMetricsExportsStatements(snapshotBucket: string, accountId: string): PolicyStatement[] {
  return [{ Sid: 'ReadMetricsExports', Effect: 'Allow', Action: 's3:GetObject', Resource: arn.objects(snapshotBucket, `${metricsKeyPrefix(accountId)}*`) }];
}

export interface IndexMetricsExporterFunctionProps extends OperationsFunctionProps {
  readonly domainName: string;
  readonly domainArn: string;
  /** The domain endpoint (may be a token). */
  readonly domainEndpoint: string;
  readonly snapshotBucket: string;
  readonly loaderFunctionName: string;
  readonly loaderFunctionArn: string;
  /** The domain's subnets when it lives in a VPC. Default: no VPC. */
  readonly vpc?: SiemFunctionProps['vpc'];
}

export class IndexMetricsExporterFunction extends SiemFunction {
  constructor(scope: Construct, id: string, props: IndexMetricsExporterFunctionProps) {
    super(scope, id, {
      ...commonFunctionProps(props),
      vpc: props.vpc,
      entry: path.join(LAMBDAS_DIR, 'index-metrics-exporter', 'index.ts'),
      description: 'SIEM: hourly index/shard/node statistics of OpenSearch into the snapshot bucket (loaded into metrics-opensearch-index-*)',
      memoryMb: 256,
      timeoutSeconds: 120,
      environment: exporterEnvironment({
        opensearchEndpoint: props.domainEndpoint,
        snapshotBucket: props.snapshotBucket,
        accountId: props.accountId,
        domainName: props.domainName,
        loaderFunctionName: props.loaderFunctionName,
      }),
      statements: metricsExporterStatements({
        accountId: props.accountId,
        region: props.region,
        keyArn: props.keyArn,
        domainArn: props.domainArn,
        snapshotBucket: props.snapshotBucket,
        loaderFunctionArn: props.loaderFunctionArn,
      }),
    });
  }
}
