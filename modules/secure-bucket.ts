/**
 * An S3 bucket with the project's baseline: SSE-KMS by default with an S3 Bucket Key, versioning, all
 * public access blocked, ACLs disabled (BucketOwnerEnforced), a policy that at least denies non-TLS
 * requests, optional lifecycle and Object Lock.
 */
import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration, type S3BucketLifecycleConfigurationRule } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketObjectLockConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { policySize, terraformPolicy, type PolicyStatement } from './policies/document';
import { InvalidPropsError } from './validations';

export interface SecureBucketProps {
  readonly bucketName: string;
  /**
   * Default encryption key. Omitted: SSE-S3 (AES256), only for buckets whose writers cannot use KMS
   * (load-balancer access logs: modules/elb-log-bucket.ts).
   */
  readonly kmsKeyArn?: string;
  /** The whole bucket policy; must include the TLS-only deny (see policies/central.ts). */
  readonly policyStatements: readonly PolicyStatement[];
  readonly lifecycle?: {
    readonly transitionToInfrequentAccessDays?: number;
    readonly transitionToGlacierDays?: number;
    readonly expirationDays?: number;
    /** Days old versions are kept after being overwritten or deleted. Default 30. */
    readonly noncurrentVersionExpirationDays?: number;
  };
  readonly objectLock?: { readonly mode: 'GOVERNANCE' | 'COMPLIANCE'; readonly days: number };
}

/** S3's limit on the size of a bucket policy. */
export const BUCKET_POLICY_MAX_BYTES = 20 * 1024;

export class SecureBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly bucketName: string;
  readonly arn: string;
  readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    const { lifecycle } = props;
    // The organization's log bucket is checked for these earlier (accounts/rules.ts); they guard the construct used on its own.
    if (lifecycle?.transitionToGlacierDays !== undefined && lifecycle.transitionToInfrequentAccessDays !== undefined && lifecycle.transitionToGlacierDays < lifecycle.transitionToInfrequentAccessDays + 30) {
      throw new InvalidPropsError(
        this,
        'lifecycle.transitionToGlacierDays',
        `${lifecycle.transitionToGlacierDays} is less than 30 days after lifecycle.transitionToInfrequentAccessDays (${lifecycle.transitionToInfrequentAccessDays}); S3 bills Standard-IA for 30 days at least`,
      );
    }
    if (lifecycle?.expirationDays !== undefined && props.objectLock && lifecycle.expirationDays < props.objectLock.days) {
      throw new InvalidPropsError(this, 'lifecycle.expirationDays', `${lifecycle.expirationDays} is shorter than objectLock.days (${props.objectLock.days}); objects could not expire`);
    }

    this.bucketName = props.bucketName;
    this.arn = `arn:aws:s3:::${props.bucketName}`;
    this.bucket = new S3Bucket(this, 'bucket', {
      bucket: props.bucketName,
      objectLockEnabled: props.objectLock ? true : undefined,
      forceDestroy: false,
    });

    new S3BucketOwnershipControls(this, 'ownership', {
      bucket: this.bucket.id,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    const publicAccess = new S3BucketPublicAccessBlock(this, 'public-access', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: this.bucket.id,
      rule: [
        props.kmsKeyArn === undefined
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true },
      ],
    });
    const versioning = new S3BucketVersioningA(this, 'versioning', {
      bucket: this.bucket.id,
      versioningConfiguration: { status: 'Enabled' },
    });

    if (lifecycle) {
      const transitions: NonNullable<S3BucketLifecycleConfigurationRule['transition']> = [];
      if (lifecycle.transitionToInfrequentAccessDays !== undefined) transitions.push({ days: lifecycle.transitionToInfrequentAccessDays, storageClass: 'STANDARD_IA' });
      if (lifecycle.transitionToGlacierDays !== undefined) transitions.push({ days: lifecycle.transitionToGlacierDays, storageClass: 'GLACIER' });
      new S3BucketLifecycleConfiguration(this, 'lifecycle', {
        bucket: this.bucket.id,
        rule: [
          {
            id: 'logs-lifecycle',
            status: 'Enabled',
            filter: [{ prefix: '' }],
            transition: transitions.length > 0 ? transitions : undefined,
            expiration: lifecycle.expirationDays !== undefined ? [{ days: lifecycle.expirationDays }] : undefined,
            noncurrentVersionExpiration: [{ noncurrentDays: lifecycle.noncurrentVersionExpirationDays ?? 30 }],
            abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
          },
        ],
        dependsOn: [versioning],
      });
    }

    if (props.objectLock) {
      new S3BucketObjectLockConfigurationA(this, 'object-lock', {
        bucket: this.bucket.id,
        rule: { defaultRetention: { mode: props.objectLock.mode, days: props.objectLock.days } },
        dependsOn: [versioning],
      });
    }

    const policyText = terraformPolicy(props.policyStatements);
    // Checked at synth so that a growing organization fails here, not half-way through an apply.
    // (Unresolved tokens are short placeholders; the ARN they stand for adds under 100 bytes.)
    if (policySize(policyText) > BUCKET_POLICY_MAX_BYTES) {
      throw new InvalidPropsError(
        this,
        'policyStatements',
        `the policy of bucket ${props.bucketName} is ${policySize(policyText)} bytes, above S3's limit of ${BUCKET_POLICY_MAX_BYTES}; ` +
          'it grows with the number of member accounts (see modules/policies/central.ts)',
      );
    }
    this.policy = new S3BucketPolicy(this, 'policy', {
      bucket: this.bucket.id,
      policy: policyText,
      // S3 rejects a policy that grants to "*" while the public access block is being created.
      dependsOn: [publicAccess],
    });
  }
}
