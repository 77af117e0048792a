/**
 * Who writes load-balancer access logs into S3 (Elastic Load Balancing user guides, "Enable access logs
 * for your Application Load Balancer" / "... Classic Load Balancer" / "... Network Load Balancer"):
 *
 * - ALB and CLB in a Region available before August 2022: the Region's own Elastic Load Balancing
 *   account, as an AWS account principal (`arn:aws:iam::<elb-account>:root`), table below.
 * - ALB and CLB in a Region launched since: the service principal
 *   `logdelivery.elasticloadbalancing.amazonaws.com`.
 * - NLB (TLS listeners): the vended-logs service `delivery.logs.amazonaws.com`, which sets
 *   aws:SourceAccount and aws:SourceArn (`arn:aws:logs:<region>:<acct>:*`).
 *
 * ALB and CLB access logs can only be written to buckets encrypted with SSE-S3 (NLB: SSE-S3 or SSE-KMS
 * with a customer managed key), hence a bucket of their own beside the SSE-KMS central log bucket.
 */

/** Elastic Load Balancing account of each Region available before August 2022 (commercial partition). */
export const ELB_REGIONAL_ACCOUNTS: Readonly<Record<string, string>> = {
  'us-east-1': '127311923021',
  'us-east-2': '033677994240',
  'us-west-1': '027434742980',
  'us-west-2': '797873946194',
  'af-south-1': '098369216593',
  'ap-east-1': '754344448648',
  'ap-southeast-3': '589379963580',
  'ap-south-1': '718504428378',
  'ap-northeast-3': '383597477331',
  'ap-northeast-2': '600734575887',
  'ap-southeast-1': '114774131450',
  'ap-southeast-2': '783225319266',
  'ap-northeast-1': '582318560864',
  'ca-central-1': '985666609251',
  'eu-central-1': '054676820928',
  'eu-west-1': '156460612806',
  'eu-west-2': '652711504416',
  'eu-south-1': '635631232127',
  'eu-west-3': '009996457667',
  'eu-north-1': '897822967062',
  'me-south-1': '076674570225',
  'sa-east-1': '507241528517',
};

/** ALB/CLB delivery principal of the Regions launched since August 2022 (and accepted in the older ones too). */
export const ELB_LOG_DELIVERY_SERVICE = 'logdelivery.elasticloadbalancing.amazonaws.com';

/** The ELB accounts of the given Regions, sorted and without repeats; newer Regions have none. */
export function elbRegionalAccounts(regions: readonly string[]): string[] {
  return [...new Set(regions.map((r) => ELB_REGIONAL_ACCOUNTS[r]).filter((a): a is string => a !== undefined))].sort();
}

/**
 * The central bucket for load-balancer access logs: the central log bucket's name with `-elb`
 * (`<prefix>-<security account>-log-elb`). Derived from the log bucket's name so that member stacks,
 * which know the central bucket, know this one too.
 */
export function elbLogBucketName(logBucket: string): string {
  return `${logBucket}-elb`;
}
