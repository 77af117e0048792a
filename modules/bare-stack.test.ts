/**
 * Every construct of modules/ on a bare TerraformStack, with narrow props of its own: no central
 * stack, no organization. Props left out take their documented defaults; props a construct cannot
 * build are refused with the construct's path and the prop.
 */
import * as path from 'node:path';
import { Testing, TerraformStack } from 'cdktf';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { describe, expect, it } from 'vitest';
import { openSearchSchema } from '../accounts/schema';
import { ctOrganization } from '../test/unit/log-archive-helpers';
import { parsePolicy } from '../test/helpers/synth';
import { addDomainAlarms, metricAlarm } from './alarms';
import { ControlTowerIngestion, ControlTowerRegionError } from './control-tower-ingestion';
import { EsLoader } from './es-loader';
import { BucketNotificationModeError, ControlTowerNotifications, ControlTowerQueue, ControlTowerReaderRole, controlTowerSettings, type ControlTowerSettings } from './log-archive';
import { SiemDomain } from './opensearch-domain';
import { GeoIpDownloaderFunction, IndexMetricsExporterFunction, LoaderStopperFunction, OpenSearchConfiguratorFunction, Operations, SiemDashboard } from './operations';
import { accountProvider } from './provider';
import { SecureBucket } from './secure-bucket';
import { SiemFunction } from './siem-function';
import { InvalidPropsError } from './validations';

type Resources = Record<string, Record<string, Record<string, any>>>;
const ACCT = '222222222222';
const REGION = 'ap-northeast-1';
const KEY = `arn:aws:kms:${REGION}:${ACCT}:key/11111111-2222-3333-4444-555555555555`;
const TOPIC = `arn:aws:sns:${REGION}:${ACCT}:t-alert`;

function bareStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), 't');
  accountProvider(stack, 'aws', { accountId: ACCT, region: REGION });
  return stack;
}
const resources = (stack: TerraformStack): Resources => (JSON.parse(Testing.synth(stack)) as { resource: Resources }).resource;
const all = (r: Resources, type: string) => Object.values(r[type] ?? {});
const one = (r: Resources, type: string, pred: (x: Record<string, any>) => boolean = () => true) => {
  const m = all(r, type).filter(pred);
  if (m.length !== 1) throw new Error(`expected one ${type}, found ${m.length}`);
  return m[0]!;
};

/** A loader with only its required props. */
function loader(stack: TerraformStack, extra: Partial<ConstructorParameters<typeof EsLoader>[2]> = {}): EsLoader {
  return new EsLoader(stack, 'loader', {
    prefix: 't',
    accountId: ACCT,
    region: REGION,
    keyArn: KEY,
    domain: { arn: `arn:aws:es:${REGION}:${ACCT}:domain/t`, endpoint: 'search-t.example' },
    logBucket: { name: 't-log', resourceId: 't-log' },
    geoBucketName: 't-geo',
    splitQueue: { name: 't-split', resourceArn: `arn:aws:sqs:${REGION}:${ACCT}:t-split` },
    dlqName: 't-dlq',
    alertTopicArn: TOPIC,
    ...extra,
  });
}

function domain(stack: TerraformStack, settings: Record<string, unknown> = {}): SiemDomain {
  return new SiemDomain(stack, 'domain', {
    domainName: 't',
    accountId: ACCT,
    region: REGION,
    settings: openSearchSchema.parse(settings),
    kmsKeyArn: KEY,
    snapshotBucket: 't-snapshot',
    snapshotRoleName: 't-snapshot-role',
    adminRoleName: 't-admin',
  });
}

describe('Constructs on a bare TerraformStack', () => {
  it('EsLoader: defaults of every setting (sqs trigger, 2048 MB, 600 s, concurrency 10, split 100000)', () => {
    const stack = bareStack();
    const l = loader(stack);
    const r = resources(stack);
    const fn = one(r, 'aws_lambda_function');
    expect(fn).toMatchObject({ function_name: 't-es-loader', memory_size: 2048, timeout: 600, reserved_concurrent_executions: 10 });
    expect(fn.environment.variables).toMatchObject({ SPLIT_QUEUE_URL: `https://sqs.${REGION}.amazonaws.com/${ACCT}/t-split`, SPLIT_SIZE: '100000', OPENSEARCH_ENDPOINT: 'search-t.example' });
    expect(one(r, 'aws_iam_role').name).toBe('t-es-loader-role');
    expect(one(r, 'aws_sqs_queue').name).toBe('t-s3-notification');
    // Two SQS mappings (notifications, split ranges) share the reserved concurrency of 10.
    expect(all(r, 'aws_lambda_event_source_mapping').map((m) => m.scaling_config.maximum_concurrency)).toEqual([5, 5]);
    expect(l.mappingConcurrency).toBe(5);
    expect(one(r, 'aws_cloudwatch_metric_alarm', (a) => a.alarm_name === 't-dlq-not-empty')).toMatchObject({ alarm_actions: [TOPIC], ok_actions: [TOPIC] });
  });

  it('EsLoader: s3 trigger and a share for another construct\'s mapping', () => {
    const stack = bareStack();
    const l = loader(stack, { settings: { trigger: 's3', reservedConcurrency: 9 }, additionalQueueMappings: 1 });
    const r = resources(stack);
    expect(all(r, 'aws_sqs_queue')).toEqual([]);
    expect(one(r, 'aws_lambda_permission').principal).toBe('s3.amazonaws.com');
    expect(l.mappingConcurrency).toBe(4);
  });

  it('ControlTowerIngestion: maps the loader onto the Control Tower queue, and refuses a queue in another Region naming the prop', () => {
    const settings = controlTowerSettings(ctOrganization()) as ControlTowerSettings;
    const stack = bareStack();
    new ControlTowerIngestion(stack, 'ct', { settings, loader: loader(stack) });
    const r = resources(stack);
    expect(one(r, 'aws_lambda_event_source_mapping', (m) => m.event_source_arn === settings.queueArn)).toMatchObject({ batch_size: 10, function_response_types: ['ReportBatchItemFailures'] });
    expect(one(r, 'aws_lambda_function').environment.variables).toMatchObject({ CT_ROLE_ARN: settings.readerRoleArn, CT_REGION: REGION });

    const create = () => {
      const other = bareStack();
      return new ControlTowerIngestion(other, 'ct', { settings: { ...settings, region: 'us-east-1' }, loader: loader(other) });
    };
    expect(create).toThrow(ControlTowerRegionError);
    expect(create).toThrow('t/ct: settings.region: us-east-1 is not the Region of the loader (ap-northeast-1); Lambda consumes SQS queues only in its own Region');
  });

  it('log-archive constructs: queue, reader role and notifications; direct notifications the construct may not write are refused naming the prop', () => {
    const settings = controlTowerSettings(ctOrganization()) as ControlTowerSettings;
    const stack = bareStack();
    const q = new ControlTowerQueue(stack, 'queue', { settings });
    new ControlTowerReaderRole(stack, 'reader', { settings });
    new ControlTowerNotifications(stack, 'notify', { settings, queueArn: q.queue.arn, dlqArn: q.dlq.arn, queuePolicy: q.queuePolicy });
    const r = resources(stack);
    expect(all(r, 'aws_sqs_queue').map((x) => x.name).sort()).toEqual(['aes-siem-ct', 'aes-siem-ct-dlq']);
    expect(one(r, 'aws_iam_role').name).toBe('ct-role-for-siem');
    expect(all(r, 'aws_s3_bucket_notification')).toHaveLength(2);

    const create = () => new ControlTowerNotifications(bareStack(), 'notify', { settings: { ...settings, notificationMode: 'direct', manageBucketNotifications: false }, queueArn: 'q', dlqArn: 'd', queuePolicy: q.queuePolicy });
    expect(create).toThrow(BucketNotificationModeError);
    expect(create).toThrow(/^t\/notify: settings\.manageBucketNotifications: is false but settings\.notificationMode is "direct"/);
  });

  it('SiemDomain: the schema defaults make a one-node public domain; combinations OpenSearch would reject name the prop', () => {
    const stack = bareStack();
    domain(stack);
    expect(one(resources(stack), 'aws_opensearch_domain').cluster_config).toEqual({ instance_type: 'r6g.large.search', instance_count: 1, dedicated_master_enabled: false, zone_awareness_enabled: false });
    expect(() => domain(bareStack(), { instanceCount: 3, zoneAwareness: { availabilityZoneCount: 2 } })).toThrow(InvalidPropsError);
    expect(() => domain(bareStack(), { instanceCount: 3, zoneAwareness: { availabilityZoneCount: 2 } })).toThrow('t/domain: settings.instanceCount: 3 is not a multiple of settings.zoneAwareness.availabilityZoneCount (2)');
    expect(() => domain(bareStack(), { network: { mode: 'vpc', subnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'], securityGroupIds: ['sg-0a1b2c3d4e5f60001'] } })).toThrow(
      't/domain: settings.network.subnetIds: lists 2 subnets; give one per zone (1)',
    );
    expect(() => domain(bareStack(), { ultraWarm: { instanceType: 'ultrawarm1.medium.search', count: 2 } })).toThrow('t/domain: settings.ultraWarm: UltraWarm needs settings.dedicatedMaster');
    expect(() => domain(bareStack(), { coldAfterDays: 90 })).toThrow('t/domain: settings.coldAfterDays: cold storage needs settings.ultraWarm');
  });

  it('SecureBucket: baseline without lifecycle; a lifecycle S3 or Object Lock would defeat names the prop', () => {
    const stack = bareStack();
    new SecureBucket(stack, 'bucket', { bucketName: 't-data', kmsKeyArn: KEY, policyStatements: [] });
    const r = resources(stack);
    expect(one(r, 'aws_s3_bucket').bucket).toBe('t-data');
    expect(all(r, 'aws_s3_bucket_lifecycle_configuration')).toEqual([]);
    const bucket = (p: Partial<ConstructorParameters<typeof SecureBucket>[2]>) => () => new SecureBucket(bareStack(), 'bucket', { bucketName: 't-data', kmsKeyArn: KEY, policyStatements: [], ...p });
    expect(bucket({ lifecycle: { transitionToInfrequentAccessDays: 90, transitionToGlacierDays: 100 } })).toThrow(
      't/bucket: lifecycle.transitionToGlacierDays: 100 is less than 30 days after lifecycle.transitionToInfrequentAccessDays (90); S3 bills Standard-IA for 30 days at least',
    );
    expect(bucket({ lifecycle: { expirationDays: 30 }, objectLock: { mode: 'GOVERNANCE', days: 60 } })).toThrow('t/bucket: lifecycle.expirationDays: 30 is shorter than objectLock.days (60); objects could not expire');
  });

  it('SiemFunction: defaults 256 MB, 60 s, no reserved concurrency, no alarm without a topic; a name Lambda refuses names the prop', () => {
    const stack = bareStack();
    const entry = path.resolve(__dirname, '../lambdas/geoip-downloader/index.ts');
    new SiemFunction(stack, 'fn', { functionName: 't-fn', entry, description: 'd', statements: [], logRetentionDays: 7, accountId: ACCT, region: REGION });
    const r = resources(stack);
    expect(one(r, 'aws_lambda_function')).toMatchObject({ memory_size: 256, timeout: 60 });
    expect(one(r, 'aws_lambda_function').reserved_concurrent_executions).toBeUndefined();
    expect(all(r, 'aws_cloudwatch_metric_alarm')).toEqual([]);
    expect(() => new SiemFunction(bareStack(), 'fn', { functionName: 'f'.repeat(65), roleName: 'r', entry, description: 'd', statements: [], logRetentionDays: 7, accountId: ACCT, region: REGION })).toThrow(
      `t/fn: functionName: ${'f'.repeat(65)} is longer than Lambda's 64 characters; shorten the prefix`,
    );
  });

  it('alarms: one options object; defaults >= threshold, 300 s, one period, missing data not breaching, ALARM and OK to the topic', () => {
    const stack = bareStack();
    metricAlarm(stack, 'a', { alarmName: 't-a', description: 'd', namespace: 'N', metricName: 'M', dimensions: { D: 'v' }, statistic: 'Sum', threshold: 1, topicArn: TOPIC });
    addDomainAlarms(stack, { prefix: 't', domainName: 't', accountId: ACCT, storageAlarmName: 't-storage', topicArn: TOPIC });
    const r = resources(stack);
    expect(one(r, 'aws_cloudwatch_metric_alarm', (a) => a.alarm_name === 't-a')).toEqual({
      alarm_name: 't-a',
      alarm_description: 'd',
      namespace: 'N',
      metric_name: 'M',
      dimensions: { D: 'v' },
      statistic: 'Sum',
      comparison_operator: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      period: 300,
      evaluation_periods: 1,
      treat_missing_data: 'notBreaching',
      alarm_actions: [TOPIC],
      ok_actions: [TOPIC],
    });
    expect(all(r, 'aws_cloudwatch_metric_alarm').map((a) => a.alarm_name).sort()).toEqual(['t-AutomatedSnapshotFailureAlarm', 't-ClusterStatusRedAlarm', 't-JVMMemoryPressureHighAlarm', 't-a', 't-storage']);
    expect(one(r, 'aws_cloudwatch_metric_alarm', (a) => a.alarm_name === 't-storage')).toMatchObject({ threshold: 200, comparison_operator: 'LessThanOrEqualToThreshold', treat_missing_data: 'missing' });
  });

  it('Operations and each operations function: narrow props, nothing from a stack', () => {
    const stack = bareStack();
    const l = loader(stack);
    const rule = new CloudwatchEventRule(stack, 'rule', { name: 't-stop', eventPattern: '{}' });
    new Operations(stack, 'ops', {
      prefix: 't',
      functionNames: { stopper: 't-stopper', geoip: 't-geoip', metricsExporter: 't-metrics', configurator: 't-configurator' },
      accountId: ACCT,
      region: REGION,
      keyArn: KEY,
      alertTopicArn: TOPIC,
      loader: l,
      stopIngestionRule: rule,
      storageAlarmName: 't-storage',
      domain: domain(stack),
      domainName: 't',
      snapshotBucket: 't-snapshot',
      geoBucket: 't-geo',
      splitQueueName: 't-split',
      dlqName: 't-dlq',
      indexLifecycle: { indexRetentionDays: 30 },
      geoipLicenseKey: { secret: 'maxmind' },
    });
    const r = resources(stack);
    expect(all(r, 'aws_lambda_function').map((f) => f.function_name).sort()).toEqual(['t-configurator', 't-es-loader', 't-geoip', 't-metrics', 't-stopper']);
    expect(one(r, 'aws_lambda_function', (f) => f.function_name === 't-geoip').environment.variables).toEqual({ GEO_BUCKET: 't-geo', GEOIP_LICENSE_SECRET: 'maxmind' });
    expect(one(r, 'aws_ssm_parameter').name).toBe('/t/es-loader-stopper/state');
    expect(JSON.parse(one(r, 'aws_lambda_invocation').input).settings.indexRetentionDays).toBe(30);
    expect(one(r, 'aws_cloudwatch_dashboard').dashboard_name).toBe('t-SIEM');

    // Each function on its own.
    const alone = bareStack();
    const common = { accountId: ACCT, region: REGION, keyArn: KEY, alertTopicArn: TOPIC };
    new LoaderStopperFunction(alone, 'stopper', { ...common, functionName: 't-stopper', loaderFunctionName: 't-es-loader', loaderFunctionArn: 'arn:aws:lambda:x', stateParameterName: '/t/state', defaultConcurrency: 4 });
    new GeoIpDownloaderFunction(alone, 'geoip', { ...common, functionName: 't-geoip', geoBucket: 't-geo' });
    new IndexMetricsExporterFunction(alone, 'metrics', { ...common, functionName: 't-metrics', domainName: 't', domainArn: 'arn:aws:es:x', domainEndpoint: 'e', snapshotBucket: 't-snap', loaderFunctionName: 't-es-loader', loaderFunctionArn: 'arn:aws:lambda:x' });
    new OpenSearchConfiguratorFunction(alone, 'configurator', { ...common, functionName: 't-configurator', domainEndpoint: 'e', adminRoleArn: `arn:aws:iam::${ACCT}:role/t-admin` });
    new SiemDashboard(alone, 'dashboard', { dashboardName: 't-SIEM', region: REGION, accountId: ACCT, domain: 't', loaderFunction: 't-es-loader', queues: ['t-dlq'], storageAlarmArn: 'arn:aws:cloudwatch:x' });
    const a = resources(alone);
    const env = (name: string) => one(a, 'aws_lambda_function', (f) => f.function_name === name).environment?.variables;
    expect(env('t-stopper')).toEqual({ LOADER_FUNCTION_NAME: 't-es-loader', STATE_PARAMETER_NAME: '/t/state', ALERT_TOPIC_ARN: TOPIC, DEFAULT_CONCURRENCY: '4' });
    expect(env('t-geoip')).toEqual({ GEO_BUCKET: 't-geo' });
    expect(env('t-metrics')).toEqual({ OPENSEARCH_ENDPOINT: 'e', OPENSEARCH_AUTH: 'sigv4', SNAPSHOT_BUCKET: 't-snap', ACCOUNT_ID: ACCT, DOMAIN_NAME: 't', LOADER_FUNCTION_NAME: 't-es-loader' });
    expect(env('t-configurator')).toEqual({ OPENSEARCH_ENDPOINT: 'e', OPENSEARCH_AUTH: 'sigv4', OPENSEARCH_ROLE_ARN: `arn:aws:iam::${ACCT}:role/t-admin` });
    expect(parsePolicy(one(a, 'aws_iam_role_policy', (p) => p.name === 't-geoip-policy').policy).Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['WriteOwnLogs', 'ListGeoBucket', 'WriteGeoDatabases', 'WriteAwsEdgeRanges', 'EncryptGeoDatabases']);
    expect(one(a, 'aws_cloudwatch_dashboard').dashboard_name).toBe('t-SIEM');
  });
});
