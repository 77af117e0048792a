/**
 * The Amazon Security Lake subscriber, derived once from `securityLake` in accounts/organization.yaml,
 * and the loader's policy statements for it. Security Lake creates the subscriber's role, queue and
 * queue policy in its own account (Security Lake User Guide, "Creating a subscriber with data access");
 * this project creates nothing there. What the central loader needs is on its own side: permission to
 * consume that queue and to assume that role, and the values in its environment.
 */
import type { Organization } from '../accounts/schema';
import { QUEUE_CONSUMER_ACTIONS } from './log-archive/policies';
import type { PolicyStatement } from './policies/document';

export interface SecurityLakeSettings {
  /** The account where Security Lake runs and the subscriber was created, and the subscriber's Region. */
  readonly accountId: string;
  readonly region: string;
  /** The role Security Lake created for the subscriber; its trust policy requires the external id. */
  readonly subscriberRoleArn: string;
  readonly externalId: string;
  /** The subscriber queue (AmazonSecurityLake-<id>-Main-Queue). */
  readonly queueArn: string;
  readonly queueUrl: string;
  /** Lake bucket names or patterns (`*` = any characters) read with the subscriber role. */
  readonly bucketPatterns: readonly string[];
}

/** Security Lake names its buckets `aws-security-data-lake-<region>-<random>` (Security Lake User Guide, "Managing Regions"). */
export function defaultLakeBucketPatterns(region: string): string[] {
  return [`aws-security-data-lake-${region}-*`];
}

/** `https://sqs.<region>.amazonaws.com/<account>/<name>` of a queue ARN. */
export function queueUrlOf(queueArn: string): string {
  const [, , , region, account, name] = queueArn.split(':');
  return `https://sqs.${region}.amazonaws.com/${account}/${name}`;
}

/** The subscriber settings, or undefined when the organization has no `securityLake`. */
export function securityLakeSettings(org: Pick<Organization, 'securityLake'>): SecurityLakeSettings | undefined {
  const sl = org.securityLake;
  if (!sl) return undefined;
  return {
    accountId: sl.accountId,
    region: sl.region,
    subscriberRoleArn: sl.subscriberRoleArn,
    externalId: sl.externalId,
    queueArn: sl.queue,
    queueUrl: queueUrlOf(sl.queue),
    bucketPatterns: sl.buckets && sl.buckets.length > 0 ? [...sl.buckets] : defaultLakeBucketPatterns(sl.region),
  };
}

/**
 * The central loader's statements: consume the subscriber queue, and assume the subscriber role only
 * with the configured external id (the role's trust policy requires it too; requiring it here as well
 * means a wrong id fails in our account, with our message, before Security Lake's side sees it).
 * Reading the lake objects is the subscriber role's grant, which Security Lake defines.
 */
export function loaderSecurityLakeStatements(s: SecurityLakeSettings): PolicyStatement[] {
  return [
    { Sid: 'ConsumeSecurityLakeQueue', Effect: 'Allow', Action: [...QUEUE_CONSUMER_ACTIONS], Resource: s.queueArn },
    {
      Sid: 'AssumeSecurityLakeSubscriberRole',
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Resource: s.subscriberRoleArn,
      Condition: { StringEquals: { 'sts:ExternalId': s.externalId } },
    },
  ];
}
