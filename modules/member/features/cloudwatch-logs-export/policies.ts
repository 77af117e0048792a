/**
 * IAM documents of the CloudWatch Logs export's two roles, as plain JSON so that `terraform plan`
 * shows the exact text and the simulation tests evaluate the same object.
 */
import { firehoseWritePolicy, type PolicyDocument } from '../firehose-delivery';
import { cwlExportPrefix } from './names';

export { firehoseTrustPolicy as cwlFirehoseTrustPolicy } from '../firehose-delivery';

export interface CwlFirehosePolicyProps {
  readonly accountId: string;
  readonly bucketName: string;
  /** Region of the central bucket: S3 calls KMS from there. */
  readonly bucketRegion: string;
  readonly keyArn: string;
}

/** Write only under `AWSLogs/<acct>/CloudWatchLogs/` (every type and the error folder), with the central key through S3. */
export function cwlFirehoseRolePolicy(p: CwlFirehosePolicyProps): PolicyDocument {
  return firehoseWritePolicy({
    writeSid: 'WriteOwnCloudWatchLogsPrefix',
    objects: `arn:aws:s3:::${p.bucketName}/${cwlExportPrefix(p.accountId)}*`,
    bucketName: p.bucketName,
    bucketRegion: p.bucketRegion,
    keyArn: p.keyArn,
  });
}

/**
 * CloudWatch Logs of this account only, in the regions that have subscribed groups (CloudWatch Logs
 * User Guide, "Subscription filters with Amazon Data Firehose": the confused deputy conditions
 * aws:SourceArn and aws:SourceAccount).
 */
export function cwlSubscriptionTrustPolicy(accountId: string, regions: readonly string[]): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'CloudWatchLogsOfThisAccount',
        Effect: 'Allow',
        Principal: { Service: 'logs.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: { 'aws:SourceAccount': accountId },
          StringLike: { 'aws:SourceArn': regions.map((r) => `arn:aws:logs:${r}:${accountId}:*`) },
        },
      },
    ],
  };
}

/** Put records into the export's streams of those regions, nothing else. */
export function cwlSubscriptionRolePolicy(accountId: string, regions: readonly string[], streamName: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'PutIntoExportStreams',
        Effect: 'Allow',
        Action: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
        Resource: regions.map((r) => `arn:aws:firehose:${r}:${accountId}:deliverystream/${streamName}`),
      },
    ],
  };
}
