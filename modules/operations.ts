/**
 * The operations functions of the central stack and the "SIEM" dashboard:
 *
 * - `<prefix>-es-loader-stopper`: target of the stop-ingestion EventBridge rule (state changes of the
 *   storage alarm and of `stopIngestionAlarms`). Sets the loader's reserved concurrency to 0 on ALARM and
 *   restores it on OK; its state lives in the SSM parameter `/<prefix>/es-loader-stopper/state`.
 * - `<prefix>-geoip-downloader`: every 12 hours, MaxMind GeoLite2 City/ASN into the geo bucket
 *   (`GeoLite2-City.mmdb`, `GeoLite2-ASN.mmdb`, read by the loader). Key from `geoip.*` in config.
 * - `<prefix>-index-metrics-exporter`: hourly, index/shard/node statistics as gzip JSON lines into the
 *   snapshot bucket under `AWSLogs/<account>/OpenSearch/metrics/`, then invokes the loader with the
 *   object's S3 event; the loader indexes them into `metrics-opensearch-index-YYYY-MM`.
 * - `<prefix>-opensearch-configurator`: invoked by Terraform (`aws_lambda_invocation`) whenever the
 *   desired OpenSearch state changes (its hash is in the input): templates, ISM, snapshot repository,
 *   FGAC roles and mappings. It signs as the fine-grained access control master role (the only
 *   principal allowed to change security settings), which it assumes.
 * - CloudWatch dashboard `<prefix>-SIEM`.
 */
import * as path from 'node:path';
import { Construct } from 'constructs';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaInvocation } from '@cdktf/provider-aws/lib/lambda-invocation';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { configuratorSettingsSchema, desiredStateHash, type ConfiguratorSettings } from '../lambdas/opensearch-configurator/desired-state';
import { loaderTemplates } from '../lambdas/opensearch-configurator/loader-templates';
import { GEOIP_EDITIONS, geoIpObjectKey } from '../lambdas/shared/geoip-keys';
import type { CentralStack } from '../stacks/central-stack';
import type { EsLoader } from './es-loader';
import { LOADER_DATA_FILES, notificationQueueName } from './es-loader';
import { arn } from './naming';
import { terraformPolicy, type PolicyStatement } from './policies/document';
import { SiemFunction } from './siem-function';

const LAMBDAS = path.resolve(__dirname, '..', 'lambdas');

export interface OperationsFunctionsProps {
  readonly central: CentralStack;
  readonly loader: EsLoader;
}

/** Schedules, as EventBridge rate expressions. */
export const GEOIP_SCHEDULE = 'rate(12 hours)';
export const METRICS_SCHEDULE = 'rate(1 hour)';
/** Log retention of the operations functions (days). */
export const OPERATIONS_LOG_RETENTION_DAYS = 90;
/** Name of the manual snapshot repository the configurator registers. */
export const SNAPSHOT_REPOSITORY = 'siem-snapshot';

export function stopperStateParameter(prefix: string): string {
  return `/${prefix}/es-loader-stopper/state`;
}
export function metricsKeyPrefix(accountId: string): string {
  return `AWSLogs/${accountId}/OpenSearch/metrics/`;
}
export function dashboardName(prefix: string): string {
  return `${prefix}-SIEM`;
}

/** Inputs of the statement builders (plain strings, so tests can call them directly). */
export interface OperationsArns {
  readonly accountId: string;
  readonly region: string;
  readonly keyArn: string;
  readonly domainArn: string;
  readonly loaderFunctionArn: string;
  readonly alertTopicArn: string;
  readonly stateParameterArn: string;
  readonly geoBucket: string;
  readonly snapshotBucket: string;
  readonly adminRoleArn: string;
  readonly snapshotRoleArn: string;
  readonly licenseKeyParameter?: string;
  readonly licenseKeySecret?: string;
}

const viaS3 = (region: string) => ({ StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } });

export function stopperStatements(a: OperationsArns): PolicyStatement[] {
  return [
    { Sid: 'ThrottleLoader', Effect: 'Allow', Action: ['lambda:GetFunctionConcurrency', 'lambda:PutFunctionConcurrency', 'lambda:DeleteFunctionConcurrency'], Resource: a.loaderFunctionArn },
    // Listing takes no resource; pausing is limited to mappings that invoke the loader (lambda:FunctionArn).
    { Sid: 'ListLoaderMappings', Effect: 'Allow', Action: 'lambda:ListEventSourceMappings', Resource: '*' },
    {
      Sid: 'PauseLoaderMappings',
      Effect: 'Allow',
      Action: 'lambda:UpdateEventSourceMapping',
      Resource: `arn:aws:lambda:${a.region}:${a.accountId}:event-source-mapping:*`,
      Condition: { ArnLike: { 'lambda:FunctionArn': [a.loaderFunctionArn, `${a.loaderFunctionArn}:*`] } },
    },
    { Sid: 'RememberConcurrency', Effect: 'Allow', Action: ['ssm:GetParameter', 'ssm:PutParameter'], Resource: a.stateParameterArn },
    { Sid: 'PublishAlerts', Effect: 'Allow', Action: 'sns:Publish', Resource: a.alertTopicArn },
    // The alert topic is encrypted with the central key: publishers need the key through SNS.
    { Sid: 'EncryptAlerts', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: a.keyArn, Condition: { StringEquals: { 'kms:ViaService': `sns.${a.region}.amazonaws.com` } } },
  ];
}

export function geoipStatements(a: OperationsArns): PolicyStatement[] {
  const statements: PolicyStatement[] = [
    // HeadObject of a missing key answers 404 (not 403) only with ListBucket: the downloader needs to tell "not yet uploaded".
    { Sid: 'ListGeoBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: arn.bucket(a.geoBucket) },
    { Sid: 'WriteGeoDatabases', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: GEOIP_EDITIONS.map((e) => arn.objects(a.geoBucket, geoIpObjectKey(e))) },
    { Sid: 'EncryptGeoDatabases', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: a.keyArn, Condition: viaS3(a.region) },
  ];
  if (a.licenseKeyParameter) {
    const name = a.licenseKeyParameter.replace(/^\//, '');
    // A SecureString encrypted with the AWS managed key aws/ssm needs no KMS statement (its key policy allows use through SSM).
    statements.push({ Sid: 'ReadLicenseKey', Effect: 'Allow', Action: 'ssm:GetParameter', Resource: `arn:aws:ssm:${a.region}:${a.accountId}:parameter/${name}` });
  }
  if (a.licenseKeySecret) {
    // Secrets Manager appends a hyphen and six random characters to the secret's ARN.
    statements.push({ Sid: 'ReadLicenseKey', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: `arn:aws:secretsmanager:${a.region}:${a.accountId}:secret:${a.licenseKeySecret}-??????` });
  }
  return statements;
}

export function metricsExporterStatements(a: OperationsArns): PolicyStatement[] {
  return [
    { Sid: 'ReadClusterStatistics', Effect: 'Allow', Action: 'es:ESHttpGet', Resource: [`${a.domainArn}/_cat/indices`, `${a.domainArn}/_cat/shards`, `${a.domainArn}/_nodes/stats/*`] },
    { Sid: 'WriteMetrics', Effect: 'Allow', Action: 's3:PutObject', Resource: arn.objects(a.snapshotBucket, `${metricsKeyPrefix(a.accountId)}*`) },
    { Sid: 'EncryptMetrics', Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: a.keyArn, Condition: viaS3(a.region) },
    { Sid: 'NotifyLoader', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: a.loaderFunctionArn },
  ];
}

export function configuratorStatements(a: OperationsArns): PolicyStatement[] {
  return [{ Sid: 'ActAsOpenSearchAdmin', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: a.adminRoleArn }];
}

/** What the fine-grained access control master role needs in IAM for the configurator's requests. */
export function adminRoleStatements(a: OperationsArns): PolicyStatement[] {
  return [
    { Sid: 'OpenSearchHttp', Effect: 'Allow', Action: ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPut', 'es:ESHttpPost', 'es:ESHttpDelete', 'es:ESHttpPatch'], Resource: `${a.domainArn}/*` },
    // Registering the manual snapshot repository passes the snapshot role to OpenSearch
    // (OpenSearch Service developer guide, "Registering a manual snapshot repository").
    { Sid: 'PassSnapshotRole', Effect: 'Allow', Action: 'iam:PassRole', Resource: a.snapshotRoleArn },
  ];
}

export class OperationsFunctions extends Construct {
  readonly stopper: SiemFunction;
  readonly geoip: SiemFunction;
  readonly metricsExporter: SiemFunction;
  readonly configurator: SiemFunction;
  readonly stopperState: SsmParameter;
  readonly configuratorInvocation: LambdaInvocation;
  readonly configuratorSettings: ConfiguratorSettings;
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: OperationsFunctionsProps) {
    super(scope, id);
    const c = props.central;
    const { org, names: n, accountId, region } = c;
    const stateParameter = stopperStateParameter(n.prefix);
    const a: OperationsArns = {
      accountId,
      region,
      keyArn: c.keyArn,
      domainArn: c.domainArn,
      loaderFunctionArn: props.loader.functionArn,
      alertTopicArn: c.alertTopicArn,
      stateParameterArn: `arn:aws:ssm:${region}:${accountId}:parameter${stateParameter}`,
      geoBucket: n.geoBucket,
      snapshotBucket: n.snapshotBucket,
      adminRoleArn: c.domain.adminRoleArn,
      snapshotRoleArn: c.domain.snapshotRoleArn,
      licenseKeyParameter: org.geoip.licenseKeyParameter,
      licenseKeySecret: org.geoip.licenseKeySecret,
    };
    const os = org.opensearch;
    for (const [field, days] of [['warmAfterDays', os.warmAfterDays], ['coldAfterDays', os.coldAfterDays]] as const) {
      if (days !== undefined && days >= os.indexRetentionDays) {
        throw new Error(`opensearch.${field} (${days}) must be less than opensearch.indexRetentionDays (${os.indexRetentionDays}) in accounts/organization.yaml: indices are deleted before they would move`);
      }
    }
    if (os.coldAfterDays !== undefined && os.warmAfterDays === undefined) {
      // "You can only migrate indexes to cold storage from UltraWarm" (OpenSearch Service developer guide, "Cold storage").
      throw new Error('opensearch.coldAfterDays needs opensearch.warmAfterDays in accounts/organization.yaml: OpenSearch Service moves indices to cold storage only from UltraWarm');
    }
    if (org.geoip.licenseKeyParameter && org.geoip.licenseKeySecret) {
      throw new Error('geoip.licenseKeyParameter and geoip.licenseKeySecret are both set in accounts/organization.yaml; keep one (the parameter would win)');
    }
    const common = { logRetentionDays: OPERATIONS_LOG_RETENTION_DAYS, logKmsKeyArn: c.keyArn, alarmTopicArn: c.alertTopicArn, accountId, region };

    // ---- Stopper ---------------------------------------------------------------------------------
    // Created by Terraform with "running"; the function owns the value afterwards.
    this.stopperState = new SsmParameter(this, 'stopper-state', {
      name: stateParameter,
      type: 'String',
      value: JSON.stringify({ stopped: false }),
      description: `State of ${n.stopperFunction}: the loader's reserved concurrency to restore and the alarms holding ingestion stopped`,
      lifecycle: { ignoreChanges: ['value'] },
    });
    this.stopper = new SiemFunction(this, 'stopper', {
      ...common,
      functionName: n.stopperFunction,
      entry: path.join(LAMBDAS, 'es-loader-stopper', 'index.ts'),
      description: 'SIEM: stops the es-loader (reserved concurrency 0) while a stop-ingestion alarm is in ALARM, restores it on OK',
      memoryMb: 256,
      timeoutSeconds: 30,
      // One at a time: state updates in SSM never race.
      reservedConcurrency: 1,
      environment: {
        LOADER_FUNCTION_NAME: n.loaderFunction,
        STATE_PARAMETER_NAME: stateParameter,
        ALERT_TOPIC_ARN: c.alertTopicArn,
        DEFAULT_CONCURRENCY: String(org.loader.reservedConcurrency > 0 ? org.loader.reservedConcurrency : 10),
      },
      statements: stopperStatements(a),
    });
    this.schedule('stopper', c.stopIngestionRule, this.stopper);

    // ---- GeoIP downloader ------------------------------------------------------------------------
    this.geoip = new SiemFunction(this, 'geoip', {
      ...common,
      functionName: n.geoipFunction,
      entry: path.join(LAMBDAS, 'geoip-downloader', 'index.ts'),
      description: 'SIEM: downloads MaxMind GeoLite2 City/ASN into the geo bucket when they changed',
      memoryMb: 1024,
      timeoutSeconds: 300,
      environment: {
        GEO_BUCKET: n.geoBucket,
        ...(org.geoip.licenseKeyParameter ? { GEOIP_LICENSE_PARAMETER: org.geoip.licenseKeyParameter } : {}),
        ...(org.geoip.licenseKeySecret ? { GEOIP_LICENSE_SECRET: org.geoip.licenseKeySecret } : {}),
      },
      statements: geoipStatements(a),
    });
    this.schedule('geoip', new CloudwatchEventRule(this, 'geoip-schedule', { name: `${n.geoipFunction}-schedule`, description: `Runs ${n.geoipFunction} every 12 hours`, scheduleExpression: GEOIP_SCHEDULE }), this.geoip);

    // ---- Index metrics exporter ------------------------------------------------------------------
    this.metricsExporter = new SiemFunction(this, 'metrics-exporter', {
      ...common,
      vpc: c.functionVpc,
      functionName: n.metricsExporterFunction,
      entry: path.join(LAMBDAS, 'index-metrics-exporter', 'index.ts'),
      description: 'SIEM: hourly index/shard/node statistics of OpenSearch into the snapshot bucket (loaded into metrics-opensearch-index-*)',
      memoryMb: 256,
      timeoutSeconds: 120,
      environment: {
        OPENSEARCH_ENDPOINT: c.domainEndpoint,
        OPENSEARCH_AUTH: 'sigv4',
        SNAPSHOT_BUCKET: n.snapshotBucket,
        ACCOUNT_ID: accountId,
        DOMAIN_NAME: n.domain,
        LOADER_FUNCTION_NAME: n.loaderFunction,
      },
      statements: metricsExporterStatements(a),
    });
    this.schedule(
      'metrics-exporter',
      new CloudwatchEventRule(this, 'metrics-schedule', { name: `${n.metricsExporterFunction}-schedule`, description: `Runs ${n.metricsExporterFunction} every hour`, scheduleExpression: METRICS_SCHEDULE }),
      this.metricsExporter,
    );
    // The loader reads the exports it is told about (the exporter invokes it with the object's S3 event).
    props.loader.addStatements('read-metrics-exports', [{ Sid: 'ReadMetricsExports', Effect: 'Allow', Action: 's3:GetObject', Resource: arn.objects(n.snapshotBucket, `${metricsKeyPrefix(accountId)}*`) }]);

    // ---- OpenSearch configurator -----------------------------------------------------------------
    this.configurator = new SiemFunction(this, 'configurator', {
      ...common,
      vpc: c.functionVpc,
      functionName: n.configuratorFunction,
      entry: path.join(LAMBDAS, 'opensearch-configurator', 'index.ts'),
      description: 'SIEM: index templates, ISM policies, snapshot repository and FGAC roles of OpenSearch (run by terraform apply)',
      memoryMb: 512,
      timeoutSeconds: 300,
      environment: { OPENSEARCH_ENDPOINT: c.domainEndpoint, OPENSEARCH_AUTH: 'sigv4', OPENSEARCH_ROLE_ARN: c.domain.adminRoleArn },
      statements: configuratorStatements(a),
      // The templates come from the loader's ini files, read at run time next to the bundle.
      extraFiles: LOADER_DATA_FILES.map((f) => ({ from: path.join(LAMBDAS, 'es-loader', f), to: f })),
    });
    const adminPolicy = new IamRolePolicy(this, 'admin-role-policy', {
      name: `${n.opensearchAdminRole}-configure`,
      role: c.domain.adminRole.name,
      policy: terraformPolicy(adminRoleStatements(a)),
    });
    this.configuratorSettings = configuratorSettingsSchema.parse({
      indexRetentionDays: org.opensearch.indexRetentionDays,
      warmAfterDays: org.opensearch.warmAfterDays,
      coldAfterDays: org.opensearch.coldAfterDays,
      snapshot: { repository: SNAPSHOT_REPOSITORY, bucket: n.snapshotBucket, region, roleArn: c.domain.snapshotRoleArn },
      security: {
        loaderRoleArns: [props.loader.roleArn],
        monitorRoleArns: [this.metricsExporter.roleArn],
        analystBackendRoles: [...org.opensearch.analystRoleArns],
        adminBackendRoles: [c.domain.adminRoleArn],
      },
    });
    const hash = desiredStateHash(this.configuratorSettings, loaderTemplates());
    // Replaced (so invoked again) whenever the input changes, i.e. whenever the desired state does.
    this.configuratorInvocation = new LambdaInvocation(this, 'configurator-run', {
      functionName: this.configurator.fn.functionName,
      input: JSON.stringify({ desiredStateHash: hash, settings: this.configuratorSettings }),
      dependsOn: [adminPolicy, this.configurator.fn, c.domain.domain],
    });

    // ---- Dashboard -------------------------------------------------------------------------------
    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: dashboardName(n.prefix),
      dashboardBody: JSON.stringify(
        dashboardBody({
          region,
          accountId,
          domain: n.domain,
          loaderFunction: n.loaderFunction,
          queues: [n.splitQueue, ...(props.loader.notificationQueue ? [notificationQueueName(n.prefix)] : []), n.dlq],
          storageAlarmArn: `arn:aws:cloudwatch:${region}:${accountId}:alarm:${n.storageAlarm}`,
        }),
      ),
    });
  }

  /** EventBridge rule -> function, with the permission for EventBridge to invoke it. */
  private schedule(id: string, rule: CloudwatchEventRule, fn: SiemFunction): void {
    new CloudwatchEventTarget(this, `${id}-target`, { rule: rule.name, arn: fn.fn.arn, targetId: fn.fn.functionName });
    new LambdaPermission(this, `${id}-invoke`, {
      statementId: 'EventBridgeInvoke',
      action: 'lambda:InvokeFunction',
      functionName: fn.fn.functionName,
      principal: 'events.amazonaws.com',
      sourceArn: rule.arn,
    });
  }
}

/** The loader's EMF namespace (lambdas/es-loader/runtime/observability.ts). */
export const LOADER_METRICS_NAMESPACE = 'SIEM/es-loader';

export interface DashboardInputs {
  readonly region: string;
  readonly accountId: string;
  readonly domain: string;
  readonly loaderFunction: string;
  /** Queue names, the DLQ last. */
  readonly queues: readonly string[];
  readonly storageAlarmArn: string;
}

/** CloudWatch dashboard body (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html). */
export function dashboardBody(d: DashboardInputs): { widgets: Record<string, unknown>[] } {
  const widgets: Record<string, unknown>[] = [];
  let y = 0;
  const row = (items: { title: string; metrics: unknown[]; stat?: string; yAxis?: Record<string, unknown> }[]) => {
    const width = 24 / items.length;
    items.forEach((w, i) =>
      widgets.push({
        type: 'metric',
        x: i * width,
        y,
        width,
        height: 6,
        properties: { title: w.title, region: d.region, view: 'timeSeries', stacked: false, period: 300, stat: w.stat ?? 'Sum', metrics: w.metrics, ...(w.yAxis ? { yAxis: w.yAxis } : {}) },
      }),
    );
    y += 6;
  };
  const fn = d.loaderFunction;
  const lambda = (metric: string, stat: string, label: string) => ['AWS/Lambda', metric, 'FunctionName', fn, { stat, label }];
  // The loader's EMF metrics carry a LogType dimension (and Powertools' service dimension): sum over all.
  const records = (metric: string, id: string) => ({ expression: `SUM(SEARCH('{${LOADER_METRICS_NAMESPACE}} MetricName="${metric}"', 'Sum', 300))`, id, label: metric });
  const es = (metric: string, stat: string, label = metric) => ['AWS/ES', metric, 'DomainName', d.domain, 'ClientId', d.accountId, { stat, label }];

  widgets.push({ type: 'text', x: 0, y, width: 24, height: 1, properties: { markdown: `## SIEM: es-loader \`${fn}\`, OpenSearch domain \`${d.domain}\`` } });
  y += 1;
  row([
    { title: 'es-loader invocations, errors, throttles', metrics: [lambda('Invocations', 'Sum', 'Invocations'), lambda('Errors', 'Sum', 'Errors'), lambda('Throttles', 'Sum', 'Throttles')] },
    { title: 'es-loader duration (ms)', metrics: [lambda('Duration', 'Average', 'Average'), lambda('Duration', 'p99', 'p99'), lambda('Duration', 'Maximum', 'Maximum')] },
    { title: 'es-loader concurrent executions', metrics: [lambda('ConcurrentExecutions', 'Maximum', 'ConcurrentExecutions')], stat: 'Maximum' },
  ]);
  row([
    { title: 'Records read / indexed / failed / skipped', metrics: [records('RecordsRead', 'read'), records('RecordsIndexed', 'indexed'), records('RecordsFailed', 'failed'), records('RecordsSkipped', 'skipped')] },
    { title: 'Ingestion lag, S3 event to indexed (ms)', metrics: [{ expression: `MAX(SEARCH('{${LOADER_METRICS_NAMESPACE}} MetricName="IngestionLag"', 'Maximum', 300))`, id: 'lag', label: 'IngestionLag (max)' }], stat: 'Maximum' },
  ]);
  row([
    { title: 'Queue depth (messages visible)', metrics: d.queues.map((q) => ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', q, { stat: 'Maximum', label: q }]), stat: 'Maximum' },
    { title: 'Age of oldest message (s)', metrics: d.queues.map((q) => ['AWS/SQS', 'ApproximateAgeOfOldestMessage', 'QueueName', q, { stat: 'Maximum', label: q }]), stat: 'Maximum' },
  ]);
  row([
    { title: 'OpenSearch free storage (MB)', metrics: [es('FreeStorageSpace', 'Minimum')], stat: 'Minimum' },
    { title: 'OpenSearch cluster status', metrics: [es('ClusterStatus.red', 'Maximum', 'red'), es('ClusterStatus.yellow', 'Maximum', 'yellow')], stat: 'Maximum' },
    { title: 'OpenSearch JVM memory pressure (%)', metrics: [es('JVMMemoryPressure', 'Maximum')], stat: 'Maximum', yAxis: { left: { min: 0, max: 100 } } },
  ]);
  row([
    { title: 'OpenSearch indexing rate (ops/min)', metrics: [es('IndexingRate', 'Average')], stat: 'Average' },
    { title: 'OpenSearch indexing latency (ms)', metrics: [es('IndexingLatency', 'Average')], stat: 'Average' },
  ]);
  widgets.push({ type: 'alarm', x: 0, y, width: 24, height: 3, properties: { title: 'Ingestion stop alarm', alarms: [d.storageAlarmArn] } });
  return { widgets };
}
