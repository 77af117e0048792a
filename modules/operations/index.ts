/**
 * The operations of the central stack: the operations functions (one file each; the IoC downloader
 * only when enabled), how they are triggered, and the "SIEM" dashboard. This construct only wires them
 * together:
 *
 * - the stopper (stopper.ts) is the target of the stop-ingestion rule; its state parameter is created
 *   here with "running" and owned by the function afterwards;
 * - the GeoIP downloader (geoip-downloader.ts), the IoC downloader (ioc-downloader.ts, only when
 *   enabled) and the index metrics exporter (index-metrics-exporter.ts) run on EventBridge schedules;
 *   the loader may read the exports;
 * - the configurator (opensearch-configurator.ts) is invoked by Terraform whenever the desired
 *   OpenSearch state changes, as the domain's master role, which gets the permissions it needs here;
 * - the dashboard (dashboard.ts).
 */
import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaInvocation } from '@cdktf/provider-aws/lib/lambda-invocation';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import type { ConfiguratorSettings } from '../../lambdas/opensearch-configurator/desired-state';
import { desiredStateHash } from '../../lambdas/opensearch-configurator/desired-state';
import { loaderTemplates } from '../../lambdas/opensearch-configurator/loader-templates';
import { notificationQueueName, type EsLoader } from '../es-loader';
import type { SiemDomain } from '../opensearch-domain';
import { terraformPolicy } from '../policies/document';
import type { SiemFunction, SiemFunctionProps } from '../siem-function';
import { dashboardName, SiemDashboard } from './dashboard';
import { GEOIP_SCHEDULE, GeoIpDownloaderFunction, type LicenseKeySource } from './geoip-downloader';
import { IocDownloaderFunction, iocSchedule, type IocDownloaderSettings } from './ioc-downloader';
import { IndexMetricsExporterFunction, METRICS_SCHEDULE, readMetricsExportsStatements } from './index-metrics-exporter';
import { adminRoleStatements, configuratorSettings, OpenSearchConfiguratorFunction, type ConfiguratorLogin, type ConfiguratorSettingsProps } from './opensearch-configurator';
import type { ITerraformDependable } from 'cdktf';
import { LoaderStopperFunction, stopperStateParameter } from './stopper';

export { dashboardBody, dashboardName, SiemDashboard, type DashboardInputs } from './dashboard';
export { OPERATIONS_LOG_RETENTION_DAYS } from './common';
export { GEOIP_SCHEDULE, geoipStatements, GeoIpDownloaderFunction } from './geoip-downloader';
export { IocDownloaderFunction, iocSchedule, iocStatements, type IocDownloaderSettings } from './ioc-downloader';
export { IndexMetricsExporterFunction, METRICS_SCHEDULE, metricsExporterStatements, metricsKeyPrefix } from './index-metrics-exporter';
export { ALERT_CHANNEL_ID, adminRoleStatements, configuratorSettings, configuratorStatements, OpenSearchConfiguratorFunction, SNAPSHOT_REPOSITORY, type ConfiguratorLogin } from './opensearch-configurator';
export { LoaderStopperFunction, stopperStatements, stopperStateParameter } from './stopper';

export interface OperationsProps {
  /** Resource-name prefix: `/<prefix>/es-loader-stopper/state`, dashboard `<prefix>-SIEM`. */
  readonly prefix: string;
  /** Names of the four functions always deployed (modules/naming.ts); the IoC downloader's is in `iocDownloader`. */
  readonly functionNames: {
    readonly stopper: string;
    readonly geoip: string;
    readonly metricsExporter: string;
    readonly configurator: string;
  };
  readonly accountId: string;
  readonly region: string;
  /** The central key (log groups, objects the functions write, the alert topic). */
  readonly keyArn: string;
  readonly alertTopicArn: string;
  /** The loader the stopper pauses, the exporter notifies and the configurator maps in OpenSearch. */
  readonly loader: EsLoader;
  /** Rule matching the alarms that stop ingestion; the stopper is its target. */
  readonly stopIngestionRule: CloudwatchEventRule;
  /** Name of the storage alarm (shown on the dashboard). */
  readonly storageAlarmName: string;
  /** The domain: endpoint, master role, snapshot role. */
  readonly domain: SiemDomain;
  readonly domainName: string;
  readonly snapshotBucket: string;
  readonly geoBucket: string;
  /** Queues shown on the dashboard besides the loader's notification queue. */
  readonly splitQueueName: string;
  readonly dlqName: string;
  /** Index lifecycle the configurator installs. */
  readonly indexLifecycle: { readonly indexRetentionDays: number; readonly warmAfterDays?: number; readonly coldAfterDays?: number };
  /** IAM roles with read-only access to the logs in OpenSearch. Default none. */
  readonly analystRoleArns?: readonly string[];
  /** Where the MaxMind license key is kept. Default: none (GeoIP enrichment is off). */
  readonly geoipLicenseKey?: LicenseKeySource;
  /**
   * The IoC downloader `functionName`, run every `intervalHours`, with what it reads. Default: none
   * (no function and no schedule: threat intelligence is off).
   */
  readonly iocDownloader?: IocDownloaderSettings & { readonly functionName: string; readonly intervalHours: number };
  /** The domain's subnets when it lives in a VPC (the functions that call OpenSearch run there). Default: no VPC. */
  readonly vpc?: SiemFunctionProps['vpc'];
  /** Dashboards login mapped by the configurator (modules/dashboards-login.ts). Default: nobody but IAM roles. */
  readonly login?: ConfiguratorLogin;
  /** The SNS channel and monitors the configurator installs (modules/alert-publishing.ts). Default: none. */
  readonly alerting?: ConfiguratorSettingsProps['alerting'];
  /** Resources the configurator's run waits for (the break-glass secret, the alerting role, Cognito roles). */
  readonly configuratorDependsOn?: readonly ITerraformDependable[];
}

export class Operations extends Construct {
  readonly stopper: LoaderStopperFunction;
  readonly geoip: GeoIpDownloaderFunction;
  /** Only when `iocDownloader` is given. */
  readonly ioc?: IocDownloaderFunction;
  readonly metricsExporter: IndexMetricsExporterFunction;
  readonly configurator: OpenSearchConfiguratorFunction;
  readonly stopperState: SsmParameter;
  readonly configuratorInvocation: LambdaInvocation;
  readonly configuratorSettings: ConfiguratorSettings;
  readonly dashboard: SiemDashboard;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    const { accountId, region, loader, domain } = props;
    const names = props.functionNames;
    const common = { accountId, region, keyArn: props.keyArn, alertTopicArn: props.alertTopicArn };
    const stateParameter = stopperStateParameter(props.prefix);

    // ---- Stopper ---------------------------------------------------------------------------------
    // Created by Terraform with "running"; the function owns the value afterwards.
    this.stopperState = new SsmParameter(this, 'stopper-state', {
      name: stateParameter,
      type: 'String',
      value: JSON.stringify({ stopped: false }),
      description: `State of ${names.stopper}: the loader's reserved concurrency to restore and the alarms holding ingestion stopped`,
      lifecycle: { ignoreChanges: ['value'] },
    });
    this.stopper = new LoaderStopperFunction(this, 'stopper', {
      ...common,
      functionName: names.stopper,
      loaderFunctionName: loader.functionName,
      loaderFunctionArn: loader.functionArn,
      stateParameterName: stateParameter,
      defaultConcurrency: loader.reservedConcurrency > 0 ? loader.reservedConcurrency : 10,
    });
    this.invokeOn('stopper', props.stopIngestionRule, this.stopper);

    // ---- GeoIP downloader ------------------------------------------------------------------------
    this.geoip = new GeoIpDownloaderFunction(this, 'geoip', { ...common, functionName: names.geoip, geoBucket: props.geoBucket, licenseKey: props.geoipLicenseKey });
    this.invokeOn('geoip', new CloudwatchEventRule(this, 'geoip-schedule', { name: `${names.geoip}-schedule`, description: `Runs ${names.geoip} every 12 hours`, scheduleExpression: GEOIP_SCHEDULE }), this.geoip);

    // ---- IoC downloader (only when enabled) -------------------------------------------------------
    if (props.iocDownloader) {
      const { functionName, intervalHours, ...settings } = props.iocDownloader;
      this.ioc = new IocDownloaderFunction(this, 'ioc', { ...common, ...settings, functionName, geoBucket: props.geoBucket });
      const every = intervalHours === 1 ? 'every hour' : `every ${intervalHours} hours`;
      this.invokeOn('ioc', new CloudwatchEventRule(this, 'ioc-schedule', { name: `${functionName}-schedule`, description: `Runs ${functionName} ${every}`, scheduleExpression: iocSchedule(intervalHours) }), this.ioc);
    }

    // ---- Index metrics exporter ------------------------------------------------------------------
    this.metricsExporter = new IndexMetricsExporterFunction(this, 'metrics-exporter', {
      ...common,
      functionName: names.metricsExporter,
      vpc: props.vpc,
      domainName: props.domainName,
      domainArn: domain.domainArn,
      domainEndpoint: domain.domain.endpoint,
      snapshotBucket: props.snapshotBucket,
      loaderFunctionName: loader.functionName,
      loaderFunctionArn: loader.functionArn,
    });
    this.invokeOn(
      'metrics-exporter',
      new CloudwatchEventRule(this, 'metrics-schedule', { name: `${names.metricsExporter}-schedule`, description: `Runs ${names.metricsExporter} every hour`, scheduleExpression: METRICS_SCHEDULE }),
      this.metricsExporter,
    );
    // The loader reads the exports it is told about (the exporter invokes it with the object's S3 event).
    loader.addStatements('read-metrics-exports', readMetricsExportsStatements(props.snapshotBucket, accountId));

    // ---- OpenSearch configurator -----------------------------------------------------------------
    this.configurator = new OpenSearchConfiguratorFunction(this, 'configurator', {
      ...common,
      functionName: names.configurator,
      vpc: props.vpc,
      domainEndpoint: domain.domain.endpoint,
      adminRoleArn: domain.adminRoleArn,
      breakGlassSecretName: props.login?.breakGlass?.secretName,
      dashboardsBackupBucket: props.snapshotBucket,
    });
    const adminPolicy = new IamRolePolicy(this, 'admin-role-policy', {
      name: `${domain.adminRoleName}-configure`,
      role: domain.adminRole.name,
      policy: terraformPolicy(adminRoleStatements({ domainArn: domain.domainArn, snapshotRoleArn: domain.snapshotRoleArn, snsRoleArn: props.alerting?.snsRoleArn })),
    });
    this.configuratorSettings = configuratorSettings({
      region,
      ...props.indexLifecycle,
      snapshotBucket: props.snapshotBucket,
      snapshotRoleArn: domain.snapshotRoleArn,
      loaderRoleArn: loader.roleArn,
      monitorRoleArn: this.metricsExporter.roleArn,
      adminRoleArn: domain.adminRoleArn,
      analystRoleArns: props.analystRoleArns,
      login: props.login,
      alerting: props.alerting,
    });
    const hash = desiredStateHash(this.configuratorSettings, loaderTemplates());
    // Replaced (so invoked again) whenever the input changes, i.e. whenever the desired state does.
    this.configuratorInvocation = new LambdaInvocation(this, 'configurator-run', {
      functionName: this.configurator.fn.functionName,
      input: JSON.stringify({ desiredStateHash: hash, settings: this.configuratorSettings }),
      dependsOn: [adminPolicy, this.configurator.fn, domain.domain, ...(domain.samlOptions ? [domain.samlOptions] : []), ...(props.configuratorDependsOn ?? [])],
    });

    // ---- Dashboard -------------------------------------------------------------------------------
    this.dashboard = new SiemDashboard(this, 'dashboard', {
      dashboardName: dashboardName(props.prefix),
      region,
      accountId,
      domain: props.domainName,
      loaderFunction: loader.functionName,
      queues: [props.splitQueueName, ...(loader.notificationQueue ? [notificationQueueName(props.prefix)] : []), props.dlqName],
      storageAlarmArn: `arn:aws:cloudwatch:${region}:${accountId}:alarm:${props.storageAlarmName}`,
    });
  }

  /** EventBridge rule -> function, with the permission for EventBridge to invoke it. */
  private invokeOn(id: string, rule: CloudwatchEventRule, fn: SiemFunction): void {
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
