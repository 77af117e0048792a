import { Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { parseOrganization } from '../accounts/load';
import type { Organization } from '../accounts/schema';
import { CentralStack } from '../stacks/central-stack';
import { decide, type Policy } from '../test/helpers/iam';
import { exampleOrganization, parsePolicy } from '../test/helpers/synth';

type Resources = Record<string, Record<string, Record<string, any>>>;

const base = exampleOrganization();
function withLoader(loader: Record<string, unknown>): Organization {
  const { members, ...file } = base;
  return parseOrganization({ file: 'organization.yaml', data: { ...file, loader: { ...file.loader, ...loader } } }, members.map((m) => ({ file: `members/${m.name}.yaml`, data: m })));
}

const cache = new Map<string, Resources>();
function synthCentral(trigger: 'sqs' | 's3'): Resources {
  let r = cache.get(trigger);
  if (!r) {
    const stack = new CentralStack(Testing.app(), 'central', { org: trigger === 'sqs' ? base : withLoader({ trigger: 's3' }) });
    r = (JSON.parse(Testing.synth(stack)) as { resource: Resources }).resource;
    cache.set(trigger, r);
  }
  return r;
}
const all = (r: Resources, type: string) => Object.values(r[type] ?? {});
const one = (r: Resources, type: string, pred: (x: Record<string, any>) => boolean) => {
  const m = all(r, type).filter(pred);
  if (m.length !== 1) throw new Error(`expected one ${type}, found ${m.length}`);
  return m[0]!;
};
const loaderFn = (r: Resources) => one(r, 'aws_lambda_function', (f) => f.function_name === 'aes-siem-es-loader');
const loaderPolicy = (r: Resources): Policy => parsePolicy(one(r, 'aws_iam_role_policy', (p) => p.name === 'aes-siem-es-loader-policy').policy);

const ROLE = 'arn:aws:iam::222222222222:role/aes-siem-es-loader-role';
const KEY_TOKEN = '${aws_kms_key.key.arn}';

describe('Module: EsLoader', () => {
  it('creates the function: Node.js 22 on arm64, config memory/timeout/reserved concurrency, environment', () => {
    const fn = loaderFn(synthCentral('sqs'));
    expect(fn).toMatchObject({
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      handler: 'index.handler',
      memory_size: 2048,
      timeout: 600,
      reserved_concurrent_executions: 10,
      role: expect.stringContaining('aws_iam_role.'),
    });
    // Other modules (Control Tower) may add variables; these are the loader's own.
    expect(fn.environment.variables).toMatchObject({
      OPENSEARCH_ENDPOINT: expect.stringMatching(/^\$\{aws_opensearch_domain\..*\.endpoint\}$/),
      OPENSEARCH_AUTH: 'sigv4',
      SPLIT_QUEUE_URL: 'https://sqs.ap-northeast-1.amazonaws.com/222222222222/aes-siem-sqs-splitted-logs',
      DLQ_URL: 'https://sqs.ap-northeast-1.amazonaws.com/222222222222/aes-siem-dlq',
      GEOIP_BUCKET: 'aes-siem-222222222222-geo',
      SPLIT_SIZE: '100000',
      POWERTOOLS_SERVICE_NAME: 'es-loader',
      POWERTOOLS_METRICS_NAMESPACE: 'SIEM/es-loader',
    });
    const role = one(synthCentral('sqs'), 'aws_iam_role', (x) => x.name === 'aes-siem-es-loader-role');
    expect(role).toBeDefined();
    const lg = one(synthCentral('sqs'), 'aws_cloudwatch_log_group', (x) => x.name === '/aws/lambda/aes-siem-es-loader');
    expect(lg).toMatchObject({ retention_in_days: 90, kms_key_id: KEY_TOKEN });
  });

  it('takes memory, timeout and reserved concurrency from accounts/', () => {
    const stack = new CentralStack(Testing.app(), 'central', { org: withLoader({ memoryMb: 1024, timeoutSeconds: 300, reservedConcurrency: 4 }) });
    const r = (JSON.parse(Testing.synth(stack)) as { resource: Resources }).resource;
    expect(loaderFn(r)).toMatchObject({ memory_size: 1024, timeout: 300, reserved_concurrent_executions: 4 });
    // The notification queue's visibility timeout follows the function timeout (six times, Lambda's guidance).
    expect(one(r, 'aws_sqs_queue', (q) => q.name === 'aes-siem-s3-notification').visibility_timeout_seconds).toBe(1800);
  });

  describe('trigger: sqs', () => {
    const r = () => synthCentral('sqs');

    it('has an encrypted notification queue that redrives to the DLQ', () => {
      expect(one(r(), 'aws_sqs_queue', (q) => q.name === 'aes-siem-s3-notification')).toMatchObject({
        kms_master_key_id: KEY_TOKEN,
        visibility_timeout_seconds: 3600,
        redrive_policy: JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:ap-northeast-1:222222222222:aes-siem-dlq', maxReceiveCount: 3 }),
      });
    });

    it('lets only S3 deliveries from the log bucket of the security account into the queue', async () => {
      const policy = parsePolicy(one(r(), 'aws_sqs_queue_policy', (p) => String(p.policy).includes('aes-siem-s3-notification')).policy);
      const queue = 'arn:aws:sqs:ap-northeast-1:222222222222:aes-siem-s3-notification';
      const req = (sourceArn: string, sourceAccount: string, secure = true) =>
        decide({ caller: { service: 's3.amazonaws.com', sourceAccount, sourceArn }, action: 'sqs:SendMessage', resource: queue, resourceAccount: '222222222222', resourcePolicy: policy, secureTransport: secure });
      expect(await req('arn:aws:s3:::aes-siem-222222222222-log', '222222222222')).toBe('Allowed');
      expect(await req('arn:aws:s3:::someone-elses-bucket', '222222222222')).toBe('ImplicitlyDenied');
      expect(await req('arn:aws:s3:::aes-siem-222222222222-log', '999999999999')).toBe('ImplicitlyDenied');
      expect(await req('arn:aws:s3:::aes-siem-222222222222-log', '222222222222', false)).toBe('ExplicitlyDenied');
    });

    it('notifies the queue of every created object, and maps it with partial batch responses', () => {
      // The log bucket's (the example organization also has the ELB log bucket: test/unit/elb-log-bucket.test.ts).
      const n = all(r(), 'aws_s3_bucket_notification').filter((x) => /^\$\{aws_s3_bucket\.log-bucket/.test(x.bucket));
      expect(n).toHaveLength(1);
      expect(n[0]).toMatchObject({
        bucket: expect.stringMatching(/^\$\{aws_s3_bucket\.log-bucket.*\.id\}$/),
        queue: [{ id: 'es-loader', queue_arn: expect.stringMatching(/^\$\{aws_sqs_queue\.es-loader_notification-queue.*\.arn\}$/), events: ['s3:ObjectCreated:*'] }],
        depends_on: [expect.stringMatching(/^aws_sqs_queue_policy\.es-loader_notification-queue-policy/)],
      });
      expect(n[0]!.lambda_function).toBeUndefined();
      const mapping = one(r(), 'aws_lambda_event_source_mapping', (m) => /notification-queue/.test(m.event_source_arn));
      // Three SQS mappings (notifications, split ranges, Control Tower) share the reserved concurrency of 10.
      expect(mapping).toMatchObject({ batch_size: 10, function_response_types: ['ReportBatchItemFailures'], scaling_config: { maximum_concurrency: 3 } });
      const total = all(r(), 'aws_lambda_event_source_mapping').reduce((sum, m) => sum + m.scaling_config.maximum_concurrency, 0);
      expect(total).toBeLessThanOrEqual(10);
      // The stopper pauses every mapping; a deploy must not resume them behind its back.
      for (const m of all(r(), 'aws_lambda_event_source_mapping')) expect(m.lifecycle).toEqual({ ignore_changes: ['enabled'] });
      expect(all(r(), 'aws_lambda_permission').filter((p) => p.principal === 's3.amazonaws.com')).toHaveLength(0);
    });
  });

  describe('trigger: s3', () => {
    const r = () => synthCentral('s3');

    it('lets the log bucket invoke the function directly, and sends failed async events to the DLQ', () => {
      expect(all(r(), 'aws_sqs_queue').map((q) => q.name)).not.toContain('aes-siem-s3-notification');
      const permission = one(r(), 'aws_lambda_permission', (p) => p.principal === 's3.amazonaws.com' && p.statement_id === 'LogBucketNotifications');
      expect(permission).toMatchObject({ action: 'lambda:InvokeFunction', source_arn: 'arn:aws:s3:::aes-siem-222222222222-log', source_account: '222222222222' });
      // The log bucket's (the example organization also has the ELB log bucket: test/unit/elb-log-bucket.test.ts).
      const n = all(r(), 'aws_s3_bucket_notification').filter((x) => /^\$\{aws_s3_bucket\.log-bucket/.test(x.bucket));
      expect(n).toHaveLength(1);
      expect(n[0]).toMatchObject({ lambda_function: [{ id: 'es-loader', events: ['s3:ObjectCreated:*'], lambda_function_arn: expect.stringMatching(/aws_lambda_function\..*\.arn/) }] });
      expect(n[0]!.queue).toBeUndefined();
      expect(one(r(), 'aws_lambda_function_event_invoke_config', () => true)).toMatchObject({
        maximum_retry_attempts: 2,
        destination_config: { on_failure: { destination: 'arn:aws:sqs:ap-northeast-1:222222222222:aes-siem-dlq' } },
      });
    });

    it('does not let the role consume a notification queue that does not exist', () => {
      const consume = loaderPolicy(r()).Statement.find((s) => s.Sid === 'ConsumeTriggerQueues');
      expect(consume.Resource).toEqual(['arn:aws:sqs:ap-northeast-1:222222222222:aes-siem-sqs-splitted-logs']);
    });
  });

  it('consumes the split queue one range at a time with partial batch responses', () => {
    const m = one(synthCentral('sqs'), 'aws_lambda_event_source_mapping', (x) => /split-queue/.test(x.event_source_arn));
    expect(m).toMatchObject({ batch_size: 1, function_response_types: ['ReportBatchItemFailures'], function_name: expect.stringMatching(/aws_lambda_function\..*\.arn/) });
  });

  it('alarms on loader errors and on messages in the DLQ, to the alert topic', () => {
    const topic = 'arn:aws:sns:ap-northeast-1:222222222222:aes-siem-alert';
    expect(one(synthCentral('sqs'), 'aws_cloudwatch_metric_alarm', (a) => a.alarm_name === 'aes-siem-es-loader-errors')).toMatchObject({
      namespace: 'AWS/Lambda',
      metric_name: 'Errors',
      dimensions: { FunctionName: 'aes-siem-es-loader' },
      alarm_actions: [topic],
    });
    expect(one(synthCentral('sqs'), 'aws_cloudwatch_metric_alarm', (a) => a.alarm_name === 'aes-siem-dlq-not-empty')).toMatchObject({
      namespace: 'AWS/SQS',
      metric_name: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: 'aes-siem-dlq' },
      threshold: 1,
      comparison_operator: 'GreaterThanOrEqualToThreshold',
      alarm_actions: [topic],
    });
  });

  describe('role (least privilege, simulated)', () => {
    const cases: Array<[string, string, 'Allowed' | 'ImplicitlyDenied']> = [
      ['s3:GetObject', 'arn:aws:s3:::aes-siem-222222222222-log/AWSLogs/444444444444/CloudTrail/ap-northeast-1/2026/11/20/x.json.gz', 'Allowed'],
      ['s3:GetObject', 'arn:aws:s3:::aes-siem-222222222222-geo/GeoLite2-City.mmdb', 'Allowed'],
      ['s3:ListBucket', 'arn:aws:s3:::aes-siem-222222222222-log', 'Allowed'],
      ['s3:PutObject', 'arn:aws:s3:::aes-siem-222222222222-log/AWSLogs/x', 'ImplicitlyDenied'],
      ['s3:DeleteObject', 'arn:aws:s3:::aes-siem-222222222222-log/AWSLogs/x', 'ImplicitlyDenied'],
      ['s3:GetObject', 'arn:aws:s3:::aes-siem-222222222222-snapshot/x', 'ImplicitlyDenied'],
      ['sqs:SendMessage', 'arn:aws:sqs:ap-northeast-1:222222222222:aes-siem-sqs-splitted-logs', 'Allowed'],
      ['sqs:SendMessage', 'arn:aws:sqs:ap-northeast-1:222222222222:aes-siem-dlq', 'Allowed'],
      ['sqs:ReceiveMessage', 'arn:aws:sqs:ap-northeast-1:222222222222:aes-siem-sqs-splitted-logs', 'Allowed'],
      ['sqs:DeleteMessage', 'arn:aws:sqs:ap-northeast-1:222222222222:aes-siem-s3-notification', 'Allowed'],
      ['sqs:ReceiveMessage', 'arn:aws:sqs:ap-northeast-1:222222222222:aes-siem-dlq', 'ImplicitlyDenied'],
      ['sqs:PurgeQueue', 'arn:aws:sqs:ap-northeast-1:222222222222:aes-siem-dlq', 'ImplicitlyDenied'],
      ['es:ESHttpPost', 'arn:aws:es:ap-northeast-1:222222222222:domain/aes-siem/_bulk', 'Allowed'],
      ['es:ESHttpPut', 'arn:aws:es:ap-northeast-1:222222222222:domain/aes-siem/_index_template/log-aws-cloudtrail', 'Allowed'],
      ['es:ESHttpHead', 'arn:aws:es:ap-northeast-1:222222222222:domain/aes-siem/_index_template/log-aws-cloudtrail', 'Allowed'],
      ['es:ESHttpDelete', 'arn:aws:es:ap-northeast-1:222222222222:domain/aes-siem/log-aws-cloudtrail-2026-11', 'ImplicitlyDenied'],
      ['es:DeleteDomain', 'arn:aws:es:ap-northeast-1:222222222222:domain/aes-siem', 'ImplicitlyDenied'],
      ['kms:Decrypt', 'KEY', 'Allowed'],
      ['kms:GenerateDataKey', 'KEY', 'Allowed'],
      ['kms:Encrypt', 'KEY', 'ImplicitlyDenied'],
      ['kms:ScheduleKeyDeletion', 'KEY', 'ImplicitlyDenied'],
    ];
    it.each(cases)('%s on %s: %s', async (action, resource, expected) => {
      const policy = loaderPolicy(synthCentral('sqs'));
      // The key ARN is a token until apply; substitute one ARN for it, consistently.
      const keyArn = 'arn:aws:kms:ap-northeast-1:222222222222:key/11111111-2222-3333-4444-555555555555';
      const concrete = JSON.parse(JSON.stringify(policy).replaceAll(KEY_TOKEN, keyArn).replace(/\$\{aws_opensearch_domain\.[^}]+\.arn\}/g, 'arn:aws:es:ap-northeast-1:222222222222:domain/aes-siem')) as Policy;
      // KMS needs the key policy too; its AccountAdministration statement delegates to IAM.
      const keyPolicy = parsePolicy(all(synthCentral('sqs'), 'aws_kms_key')[0]!.policy);
      const decision = await decide({
        caller: { roleArn: ROLE, identityPolicies: [concrete] },
        action,
        resource: resource === 'KEY' ? keyArn : resource,
        resourceAccount: '222222222222',
        ...(resource === 'KEY' ? { resourcePolicy: keyPolicy } : {}),
      });
      expect(decision).toBe(expected);
    });
  });
});
