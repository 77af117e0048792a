/**
 * CloudWatch dashboard `<prefix>-SIEM`: loader invocations, errors, throttles, duration and
 * concurrency; records read/indexed/failed; queue depth and age; OpenSearch storage, status, JVM
 * pressure and indexing; the ingestion stop alarm.
 */
import { Construct } from 'constructs';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { LOADER_METRICS_NAMESPACE } from '../../lambdas/shared/metrics';

export function dashboardName(prefix: string): string {
  return `${prefix}-SIEM`;
}


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

export interface SiemDashboardProps extends DashboardInputs {
  /** The dashboard's name (`dashboardName(prefix)`). */
  readonly dashboardName: string;
}

export class SiemDashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: SiemDashboardProps) {
    super(scope, id);
    const { dashboardName: name, ...inputs } = props;
    // Id "Default": the resource keeps the Terraform name it had before this construct wrapped it.
    this.dashboard = new CloudwatchDashboard(this, 'Default', { dashboardName: name, dashboardBody: JSON.stringify(dashboardBody(inputs)) });
  }
}
