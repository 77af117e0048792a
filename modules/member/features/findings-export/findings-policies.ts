/**
 * IAM documents of the findings export's two roles in a member account, as plain JSON so that
 * `terraform plan` shows the exact text and the simulation tests evaluate the same object.
 */
import { firehoseTrustPolicy, firehoseWritePolicy, type PolicyDocument } from '../firehose-delivery';
import { findingsPrefixes, type FindingSource } from './names';

/** Firehose acting for this account only (Firehose documents `sts:ExternalId` = the account id). */
export const findingsFirehoseTrustPolicy = firehoseTrustPolicy;

export interface FindingsFirehosePolicyProps {
  readonly accountId: string;
  readonly bucketName: string;
  /** Region of the central bucket: S3 calls KMS from there. */
  readonly bucketRegion: string;
  readonly keyArn: string;
  readonly sources: readonly FindingSource[];
}

/**
 * Write (and abort multipart uploads) only under the member's own prefixes of the exported sources
 * and the error folder; the bucket-level calls Firehose makes; the central key only through S3 (the
 * encryption context is the object ARN, or the bucket ARN with an S3 Bucket Key, as for WAF).
 */
export function findingsFirehoseRolePolicy(p: FindingsFirehosePolicyProps): PolicyDocument {
  return firehoseWritePolicy({
    writeSid: 'WriteOwnFindingsPrefixes',
    objects: findingsPrefixes(p.accountId, p.sources).map((k) => `arn:aws:s3:::${p.bucketName}/${k}*`),
    bucketName: p.bucketName,
    bucketRegion: p.bucketRegion,
    keyArn: p.keyArn,
  });
}

/** EventBridge acting for this account only. */
export function findingsEventsTrustPolicy(accountId: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: 'EventBridgeOfThisAccount', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': accountId } } }],
  };
}

/** Put records into the findings streams of the member's regions, nothing else. */
export function findingsEventsRolePolicy(accountId: string, regions: readonly string[], streamName: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'PutIntoFindingsStreams',
        Effect: 'Allow',
        Action: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
        Resource: regions.map((r) => `arn:aws:firehose:${r}:${accountId}:deliverystream/${streamName}`),
      },
    ],
  };
}
