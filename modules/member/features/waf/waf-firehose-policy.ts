/**
 * IAM documents of the role Kinesis Data Firehose assumes to write a member's WAF logs into the
 * central bucket (the shared Firehose delivery documents of ../firehose-delivery.ts, with WAF's prefix).
 */
import { firehoseTrustPolicy, firehoseWritePolicy, type PolicyDocument } from '../firehose-delivery';
import { wafLogPrefix } from './names';

export interface WafFirehosePolicyProps {
  readonly memberAccountId: string;
  readonly bucketName: string;
  readonly keyArn: string;
  /** Region of the central bucket (S3 calls KMS from there). */
  readonly bucketRegion: string;
}

/** Trust policy: only Firehose acting for this account. */
export const wafFirehoseTrustPolicy = firehoseTrustPolicy;

/** Inline policy: write under `AWSLogs/<acct>/WAF/` only, with the central key only through S3. */
export function wafFirehoseRolePolicy(props: WafFirehosePolicyProps): PolicyDocument {
  return firehoseWritePolicy({
    writeSid: 'WriteOwnWafPrefix',
    objects: `arn:aws:s3:::${props.bucketName}/${wafLogPrefix(props.memberAccountId)}*`,
    bucketName: props.bucketName,
    bucketRegion: props.bucketRegion,
    keyArn: props.keyArn,
  });
}

/** Name of the role's inline policy. */
export const wafFirehosePolicyName = 'write-own-waf-prefix';
