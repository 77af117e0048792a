/**
 * CloudWatch alarms of the SIEM, all built by one helper from an options object, so every alarm
 * notifies the alert topic on ALARM and on OK in the same way: the OpenSearch domain alarms of the
 * central stack (below), the DLQ alarm of the loader (es-loader.ts) and the errors alarm of every
 * function (siem-function.ts).
 */
import type { ITerraformDependable } from 'cdktf';
import type { Construct } from 'constructs';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';

export interface MetricAlarmOptions {
  readonly alarmName: string;
  /** What happened and where to look; it is the first line of the alert e-mail. */
  readonly description: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly statistic: 'Sum' | 'Maximum' | 'Minimum' | 'Average';
  /** Default `GreaterThanOrEqualToThreshold`. */
  readonly comparison?: 'GreaterThanOrEqualToThreshold' | 'LessThanOrEqualToThreshold';
  readonly threshold: number;
  /** Seconds per evaluation period. Default 300. */
  readonly periodSeconds?: number;
  /** Periods in a row before the alarm fires. Default 1. */
  readonly evaluationPeriods?: number;
  /** Default `notBreaching`: no data (an idle function, an empty queue) is fine. */
  readonly treatMissingData?: 'notBreaching' | 'missing';
  /** Topic notified on ALARM and on OK. */
  readonly topicArn: string;
  readonly dependsOn?: ITerraformDependable[];
}

/** One metric alarm that notifies `topicArn` when it fires and when it recovers. */
export function metricAlarm(scope: Construct, id: string, o: MetricAlarmOptions): CloudwatchMetricAlarm {
  return new CloudwatchMetricAlarm(scope, id, {
    alarmName: o.alarmName,
    alarmDescription: o.description,
    namespace: o.namespace,
    metricName: o.metricName,
    dimensions: { ...o.dimensions },
    statistic: o.statistic,
    comparisonOperator: o.comparison ?? 'GreaterThanOrEqualToThreshold',
    threshold: o.threshold,
    period: o.periodSeconds ?? 300,
    evaluationPeriods: o.evaluationPeriods ?? 1,
    treatMissingData: o.treatMissingData ?? 'notBreaching',
    alarmActions: [o.topicArn],
    okActions: [o.topicArn],
    dependsOn: o.dependsOn,
  });
}

/** The storage alarm's threshold and window, as in the reference: FreeStorageSpace <= 200 MB for 30 minutes. */
export const FREE_STORAGE_THRESHOLD_MB = 200;
export const FREE_STORAGE_WINDOW_MINUTES = 30;

export interface DomainAlarmsProps {
  /** The resource-name prefix (`aes-siem`): alarms are named `<prefix>-<What>Alarm`. */
  readonly prefix: string;
  readonly domainName: string;
  /** Account of the domain (the `ClientId` dimension of AWS/ES metrics). */
  readonly accountId: string;
  /** Name of the storage alarm, whose state changes stop and resume ingestion. */
  readonly storageAlarmName: string;
  readonly topicArn: string;
  /** The alert topic resource: the alarms are created after it (CloudWatch checks the action). */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The domain's health alarms: free storage (the stopper's trigger), cluster status red, JVM memory
 * pressure and automated snapshot failures, created in `scope` under their own ids. Missing data stays
 * "missing" here: a domain that stops reporting is not healthy.
 */
export function addDomainAlarms(scope: Construct, p: DomainAlarmsProps): { readonly storage: CloudwatchMetricAlarm } {
  const common = {
    namespace: 'AWS/ES',
    dimensions: { DomainName: p.domainName, ClientId: p.accountId },
    treatMissingData: 'missing' as const,
    topicArn: p.topicArn,
    dependsOn: p.dependsOn,
  };
  const storage = metricAlarm(scope, 'storage-alarm', {
    ...common,
    alarmName: p.storageAlarmName,
    description: `Free storage of ${p.domainName} has stayed at or below ${FREE_STORAGE_THRESHOLD_MB} MB for ${FREE_STORAGE_WINDOW_MINUTES} minutes; ingestion is stopped until it recovers`,
    metricName: 'FreeStorageSpace',
    statistic: 'Sum',
    comparison: 'LessThanOrEqualToThreshold',
    threshold: FREE_STORAGE_THRESHOLD_MB,
    periodSeconds: 300,
    evaluationPeriods: FREE_STORAGE_WINDOW_MINUTES / 5,
  });
  metricAlarm(scope, 'cluster-red-alarm', {
    ...common,
    alarmName: `${p.prefix}-ClusterStatusRedAlarm`,
    description: `At least one primary shard of ${p.domainName} is unassigned`,
    metricName: 'ClusterStatus.red',
    statistic: 'Maximum',
    threshold: 1,
    periodSeconds: 60,
  });
  metricAlarm(scope, 'jvm-pressure-alarm', {
    ...common,
    alarmName: `${p.prefix}-JVMMemoryPressureHighAlarm`,
    description: `JVM memory pressure of ${p.domainName} has stayed at or above 80% for 15 minutes`,
    metricName: 'JVMMemoryPressure',
    statistic: 'Maximum',
    threshold: 80,
    periodSeconds: 300,
    evaluationPeriods: 3,
  });
  metricAlarm(scope, 'snapshot-failure-alarm', {
    ...common,
    alarmName: `${p.prefix}-AutomatedSnapshotFailureAlarm`,
    description: `An automated snapshot of ${p.domainName} failed`,
    metricName: 'AutomatedSnapshotFailure',
    statistic: 'Maximum',
    threshold: 1,
    periodSeconds: 60,
  });
  return { storage };
}
