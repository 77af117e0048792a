/**
 * The IAM documents of a member's Firehose role that delivers into the central bucket (WAF logging,
 * findings export): trust for Firehose of this account only, and write access to the role's own
 * prefixes with the central key only through S3. Plain JSON, so that `terraform plan` shows the exact
 * text and the policy simulation tests evaluate the same object. Also the actions the central bucket
 * grants those roles.
 */

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: Record<string, string | string[]>;
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

/**
 * Object-level and bucket-level S3 actions Firehose needs for an S3 destination
 * (Firehose Developer Guide, "Grant Firehose access to an Amazon S3 destination"). The read actions of
 * that page (GetObject, ListBucket) are left out: Firehose only writes, and the role must not read
 * other accounts' logs. PutObjectAcl is not needed because the bucket enforces bucket-owner ownership.
 */
export const FIREHOSE_S3_OBJECT_ACTIONS = ['s3:AbortMultipartUpload', 's3:PutObject'] as const;
export const FIREHOSE_S3_BUCKET_ACTIONS = ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'] as const;
/** KMS actions S3 performs on the caller's behalf for SSE-KMS uploads (Decrypt for multipart uploads). */
export const FIREHOSE_KMS_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'] as const;

/** Actions the central bucket grants the members' Firehose roles (Amazon Data Firehose developer guide, "Grant Firehose access to an Amazon S3 destination"). */
export const FIREHOSE_OBJECT_ACTIONS = ['s3:AbortMultipartUpload', 's3:PutObject'];
export const FIREHOSE_BUCKET_ACTIONS = ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'];

/** Trust policy: only Firehose acting for this account (Firehose documents `sts:ExternalId` = account id). */
export function firehoseTrustPolicy(accountId: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'FirehoseOfThisAccount',
        Effect: 'Allow',
        Principal: { Service: 'firehose.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': accountId } },
      },
    ],
  };
}

export interface FirehoseWritePolicyProps {
  /** Sid of the statement that allows writing the role's own prefixes. */
  readonly writeSid: string;
  /** The object ARNs (`arn:aws:s3:::<bucket>/<prefix>*`) the role may write: one, or a list. */
  readonly objects: string | readonly string[];
  readonly bucketName: string;
  /**
   * Region of the central bucket. S3 calls KMS from the bucket's Region, so `kms:ViaService` is
   * `s3.<bucket region>.amazonaws.com` whichever Region the Firehose stream runs in.
   */
  readonly bucketRegion: string;
  readonly keyArn: string;
}

/**
 * Inline policy: write (and abort multipart uploads) under the given prefixes only, the two bucket-level
 * calls Firehose makes, and the central key only through S3 in the bucket's Region.
 *
 * The encryption context S3 passes to KMS is the object ARN, or the bucket ARN when the bucket uses an
 * S3 Bucket Key (S3 User Guide, "Reducing the cost of SSE-KMS with Amazon S3 Bucket Keys": policies
 * that match the object ARN do not work with a Bucket Key). Both are allowed; the prefix is enforced
 * by the S3 statements, and without s3:GetObject the role can never decrypt an object it did not write.
 */
export function firehoseWritePolicy(p: FirehoseWritePolicyProps): PolicyDocument {
  const bucketArn = `arn:aws:s3:::${p.bucketName}`;
  const objects = typeof p.objects === 'string' ? [p.objects] : p.objects;
  const key = keyResource(p.keyArn);
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: p.writeSid, Effect: 'Allow', Action: [...FIREHOSE_S3_OBJECT_ACTIONS], Resource: typeof p.objects === 'string' ? p.objects : [...p.objects] },
      { Sid: 'BucketLevelCalls', Effect: 'Allow', Action: [...FIREHOSE_S3_BUCKET_ACTIONS], Resource: bucketArn },
      {
        Sid: 'CentralKeyThroughS3',
        Effect: 'Allow',
        Action: [...FIREHOSE_KMS_ACTIONS],
        Resource: key.resource,
        Condition: {
          StringEquals: { 'kms:ViaService': `s3.${p.bucketRegion}.amazonaws.com` },
          StringLike: { 'kms:EncryptionContext:aws:s3:arn': [...objects, bucketArn] },
          ...key.condition,
        },
      },
    ],
  };
}

/**
 * An IAM policy cannot name a key by its alias ARN (KMS Developer Guide, "Using aliases to control
 * access": the Resource of key operations is the key ARN). Until `security.centralKeyArn` is set, the
 * policy names any key of the security account in that region that carries the central alias
 * (`kms:ResourceAliases`), which grants the same key without knowing its id.
 */
export function keyResource(keyArn: string): { resource: string; condition: Record<string, Record<string, string>> } {
  const alias = /^(arn:[^:]+:kms:[^:]+:\d{12}):(alias\/.+)$/.exec(keyArn);
  if (!alias) return { resource: keyArn, condition: {} };
  return { resource: `${alias[1]}:key/*`, condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': alias[2]! } } };
}

/**
 * The central bucket's grant to the Firehose role `roleName` of the named members: write only into
 * `folders` of their own `AWSLogs/<acct>/` (findings export, CloudWatch Logs export).
 */
export function memberFirehoseBucketStatement(p: { sid: string; members: readonly string[]; bucket: string; roleName: string; folders: readonly string[] }): PolicyStatement {
  return {
    // Members named as principals (not "*"), so S3 Block Public Access never sees the statement as public.
    Sid: p.sid,
    Effect: 'Allow',
    Principal: { AWS: p.members.map((m) => `arn:aws:iam::${m}:root`) },
    Action: [...FIREHOSE_OBJECT_ACTIONS, ...FIREHOSE_BUCKET_ACTIONS],
    Resource: [`arn:aws:s3:::${p.bucket}`, ...p.folders.map((f) => `arn:aws:s3:::${p.bucket}/AWSLogs/\${aws:PrincipalAccount}/${f}/*`)],
    Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::*:role/${p.roleName}` } },
  };
}

/** The central key's grant to the same role: data keys through S3 of the security Region only. */
export function memberFirehoseKeyStatement(p: { sid: string; members: readonly string[]; securityRegion: string; roleName: string }): PolicyStatement {
  return {
    Sid: p.sid,
    Effect: 'Allow',
    Principal: { AWS: '*' },
    Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
    Resource: '*',
    Condition: {
      StringEquals: { 'aws:PrincipalAccount': [...p.members], 'kms:ViaService': `s3.${p.securityRegion}.amazonaws.com` },
      ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::*:role/${p.roleName}` },
    },
  };
}
