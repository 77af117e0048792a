/**
 * ELB access logs: ALB and CLB write access logs only to SSE-S3 buckets, and the central log bucket is
 * SSE-KMS; so the central account keeps a second, SSE-S3 bucket for load-balancer logs
 * (modules/elb-log-bucket.ts) with the same `AWSLogs/<acct>/` isolation, read by the same loader.
 *
 * The feature creates nothing in the member account: the load balancers are the user's. It lists the
 * member in that bucket's policy and outputs the bucket (and the empty prefix) to set on them.
 */
import { TerraformOutput } from 'cdktf';
import { defineMemberFeature } from '../feature';
import { elbLogBucketName } from './elb-accounts';
import { elbAccessLogsSchema } from './schema';

export * from './elb-accounts';
export * from './schema';

export const elbAccessLogs = defineMemberFeature({
  key: 'elbAccessLogs',
  title: 'ELB access logs',
  schema: elbAccessLogsSchema,
  isActive: (c) => c.enabled,
  build(ctx) {
    const bucket = elbLogBucketName(ctx.central.bucketName);
    new TerraformOutput(ctx.scope, 'elb_access_logs_bucket', {
      value: bucket,
      description: `Set this bucket with an empty prefix as the access-log destination of this account's load balancers (ALB, CLB, NLB); logs land in ${bucket}/AWSLogs/${ctx.accountId}/elasticloadbalancing/`,
    });
    new TerraformOutput(ctx.scope, 'elb_access_logs_prefix', {
      value: '',
      description: 'Leave the prefix empty: the bucket refuses keys under a custom prefix (they could name another account)',
    });
  },
});
