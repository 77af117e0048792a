/**
 * A small stack for the plan report tests: the central log bucket, its public access block and its
 * policy, named like the real central stack (modules/naming.ts) and planned by the real runner against
 * the hand-written state in fixtures/plan-state/log-bucket-state.json (the "deployed" version).
 * Addresses are pinned with overrideLogicalId so the state file can name them.
 */
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { App, TerraformStack } from 'cdktf';
import * as path from 'node:path';
import { arn, names } from '../../modules/naming';
import { terraformPolicy, type PolicyStatement } from '../../modules/policies/document';
import { accountProvider } from '../../modules/provider';

export const SECURITY_ACCOUNT = '222222222222';
export const FIXTURE_STATE = path.join(__dirname, 'fixtures', 'plan-state', 'log-bucket-state.json');

/** The log bucket policy as deployed (and as recorded in the state fixture). */
export function deployedStatements(bucket: string): PolicyStatement[] {
  return [
    {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [arn.bucket(bucket), arn.objects(bucket)],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
    {
      Sid: 'MemberLogDelivery',
      Effect: 'Allow',
      Principal: { Service: ['cloudtrail.amazonaws.com', 'delivery.logs.amazonaws.com'] },
      Action: ['s3:PutObject', 's3:GetBucketAcl'],
      Resource: [arn.bucket(bucket), arn.objects(bucket, 'AWSLogs/${aws:SourceAccount}/*')],
      Condition: { StringEquals: { 'aws:SourceAccount': ['444444444444', '555555555555'] } },
    },
    {
      Sid: 'LegacyAuditRead',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::999999999999:role/legacy-auditor' },
      Action: 's3:GetObject',
      Resource: arn.objects(bucket),
    },
  ];
}

export interface FixtureOptions {
  readonly prefix?: string;
  readonly statements?: (bucket: string) => PolicyStatement[];
}

/** Synthesizes the fixture app (one stack, `central`) into `outdir`. */
export function synthFixture(outdir: string, options: FixtureOptions = {}): void {
  const org = { prefix: options.prefix ?? 'aes-siem', security: { accountId: SECURITY_ACCOUNT, region: 'ap-northeast-1' }, opensearch: {} };
  const bucketName = names(org as Parameters<typeof names>[0]).logBucket;
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'central');
  accountProvider(stack, 'aws', { accountId: SECURITY_ACCOUNT, region: 'ap-northeast-1' });
  const bucket = new S3Bucket(stack, 'log-bucket', { bucket: bucketName });
  bucket.overrideLogicalId('log_bucket');
  const pab = new S3BucketPublicAccessBlock(stack, 'log-bucket-pab', {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  pab.overrideLogicalId('log_bucket_pab');
  const policy = new S3BucketPolicy(stack, 'log-bucket-policy', {
    bucket: bucket.id,
    policy: terraformPolicy((options.statements ?? deployedStatements)(bucketName)),
    dependsOn: [pab],
  });
  policy.overrideLogicalId('log_bucket_policy');
  app.synth();
}
