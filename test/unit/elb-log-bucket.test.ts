/**
 * The SSE-S3 bucket for load-balancer access logs in `central` (modules/elb-log-bucket.ts) and how the
 * loader is wired to it (modules/es-loader.ts `extraLogBuckets`). Its policy decisions are simulated in
 * policy-simulation.test.ts ("ELB log bucket policy").
 */
import { describe, expect, it } from 'vitest';
import { parseOrganization } from '../../accounts/load';
import type { Organization } from '../../accounts/schema';
import { exampleOrganization, parsePolicy, resourcesOf, synthesize, type SynthesizedStack } from '../helpers/synth';

const SECURITY = '222222222222';
const BUCKET = `aes-siem-${SECURITY}-log`;
const ELB_BUCKET = `${BUCKET}-elb`;

/** The example organization with changes to the organization file and to workload-prod's section. */
function variant(file: Record<string, unknown>, prod: Record<string, unknown> = {}): Organization {
  const { members, ...org } = exampleOrganization();
  return parseOrganization(
    { file: 'organization.yaml', data: { ...org, ...file } },
    members.map((m) => ({ file: `members/${m.name}.yaml`, data: m.name === 'workload-prod' ? { ...m, ...prod } : m })),
  );
}

function elbParts(stack: SynthesizedStack) {
  const buckets = Object.entries(resourcesOf(stack, 'aws_s3_bucket')).filter(([, b]) => b.bucket === ELB_BUCKET);
  const ref = buckets[0] ? `\${aws_s3_bucket.${buckets[0][0]}.id}` : undefined;
  const of = (type: string) => Object.values(resourcesOf(stack, type)).filter((r) => r.bucket === ref);
  return { buckets, of };
}

describe('central: the ELB log bucket', () => {
  const stack = synthesize(exampleOrganization()).stacks.central!;
  const { buckets, of } = elbParts(stack);

  it('exists once, encrypted with SSE-S3 (the only encryption ALB and CLB access logs accept), no Bucket Key', () => {
    expect(buckets).toHaveLength(1);
    expect(of('aws_s3_bucket_server_side_encryption_configuration').map((e) => e.rule)).toEqual([[{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }]]);
  });

  it('blocks public access, disables ACLs, keeps versions and follows the log bucket lifecycle', () => {
    expect(of('aws_s3_bucket_public_access_block')).toEqual([
      expect.objectContaining({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true }),
    ]);
    expect(of('aws_s3_bucket_ownership_controls').map((o) => o.rule)).toEqual([{ object_ownership: 'BucketOwnerEnforced' }]);
    expect(of('aws_s3_bucket_versioning').map((v) => v.versioning_configuration)).toEqual([{ status: 'Enabled' }]);
    const logBucketId = Object.entries(resourcesOf(stack, 'aws_s3_bucket')).find(([, b]) => b.bucket === BUCKET)![0];
    const logLifecycle = Object.values(resourcesOf(stack, 'aws_s3_bucket_lifecycle_configuration')).find((l) => l.bucket === `\${aws_s3_bucket.${logBucketId}.id}`)!;
    expect(of('aws_s3_bucket_lifecycle_configuration').map((l) => l.rule)).toEqual([logLifecycle.rule]);
    expect(logLifecycle.rule[0].transition).toEqual([
      { days: 90, storage_class: 'STANDARD_IA' },
      { days: 365, storage_class: 'GLACIER' },
    ]);
  });

  it('notifies the loader queue of access logs only (not of ELBAccessLogTestFile), and the queue policy admits both buckets', () => {
    const [queueId] = Object.entries(resourcesOf(stack, 'aws_sqs_queue')).find(([, q]) => q.name === 'aes-siem-s3-notification')!;
    const queueArn = `\${aws_sqs_queue.${queueId}.arn}`;
    expect(of('aws_s3_bucket_notification').map((n) => n.queue)).toEqual([
      [
        { id: 'es-loader-1', filter_suffix: '.log.gz', queue_arn: queueArn, events: ['s3:ObjectCreated:*'] },
        { id: 'es-loader-2', filter_suffix: '.log', queue_arn: queueArn, events: ['s3:ObjectCreated:*'] },
      ],
    ]);
    // The log bucket's notification is unchanged: every key.
    const logBucketId = Object.entries(resourcesOf(stack, 'aws_s3_bucket')).find(([, b]) => b.bucket === BUCKET)![0];
    expect(Object.values(resourcesOf(stack, 'aws_s3_bucket_notification')).find((n) => n.bucket === `\${aws_s3_bucket.${logBucketId}.id}`)!.queue).toEqual([{ id: 'es-loader', queue_arn: queueArn, events: ['s3:ObjectCreated:*'] }]);
    const queuePolicy = Object.values(resourcesOf(stack, 'aws_sqs_queue_policy')).map((q) => parsePolicy(q.policy)).find((p) => p.Statement[0].Sid === 'LogBucketNotifications')!;
    expect(queuePolicy.Statement[0].Condition).toEqual({ ArnEquals: { 'aws:SourceArn': [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${ELB_BUCKET}`] }, StringEquals: { 'aws:SourceAccount': SECURITY } });
  });

  it("lets the loader's role read and list it", () => {
    const loader = Object.values(resourcesOf(stack, 'aws_iam_role_policy')).map((p) => parsePolicy(p.policy)).find((p) => p.Statement.some((s: any) => s.Sid === 'ReadLogs'))!;
    expect(loader.Statement.filter((s: any) => /OtherLogBuckets/.test(s.Sid))).toEqual([
      { Sid: 'ReadOtherLogBuckets', Effect: 'Allow', Action: 's3:GetObject', Resource: [`arn:aws:s3:::${ELB_BUCKET}/*`] },
      { Sid: 'ListOtherLogBuckets', Effect: 'Allow', Action: 's3:ListBucket', Resource: [`arn:aws:s3:::${ELB_BUCKET}`] },
    ]);
  });

  it('is output for the operators', () => {
    expect((stack.json as any).output.elb_log_bucket.value).toBe(ELB_BUCKET);
  });

  it('with loader.trigger s3, the bucket invokes the loader like the log bucket, with its own permission', () => {
    const s3 = synthesize(variant({ loader: { trigger: 's3' } })).stacks.central!;
    const parts = elbParts(s3);
    expect(parts.of('aws_s3_bucket_notification').map((n) => n.lambda_function.map((f: any) => [f.filter_suffix, f.events]))).toEqual([
      [
        ['.log.gz', ['s3:ObjectCreated:*']],
        ['.log', ['s3:ObjectCreated:*']],
      ],
    ]);
    expect(Object.values(resourcesOf(s3, 'aws_lambda_permission')).filter((p) => p.principal === 's3.amazonaws.com').map((p) => [p.statement_id, p.source_arn]).sort()).toEqual([
      ['LogBucketNotifications', `arn:aws:s3:::${BUCKET}`],
      [`LogBucketNotifications-${ELB_BUCKET}`, `arn:aws:s3:::${ELB_BUCKET}`],
    ]);
  });

  it('is not created while no member turns elbAccessLogs on, and the loader is wired as before', () => {
    const off = synthesize(variant({}, { elbAccessLogs: { enabled: false } })).stacks.central!;
    expect(elbParts(off).buckets).toEqual([]);
    expect((off.json as any).output.elb_log_bucket).toBeUndefined();
    const queuePolicy = Object.values(resourcesOf(off, 'aws_sqs_queue_policy')).map((q) => parsePolicy(q.policy)).find((p) => p.Statement[0].Sid === 'LogBucketNotifications')!;
    expect(queuePolicy.Statement[0].Condition.ArnEquals).toEqual({ 'aws:SourceArn': `arn:aws:s3:::${BUCKET}` });
  });
});
