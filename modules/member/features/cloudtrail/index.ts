/**
 * CloudTrail: the member's multi-region account trail into `AWSLogs/<acct>/CloudTrail/` of the central
 * bucket, encrypted with the central key.
 */
import { TerraformOutput } from 'cdktf';
import type { PolicyStatement } from '../../../policies/document';
import { defineMemberFeature } from '../feature';
import { cloudTrailSchema } from './schema';
import { MemberTrail } from './trail';

export * from './schema';
export * from './trail';

export const cloudTrailNames = (prefix: string) => ({
  /** The account trail. */
  trail: `${prefix}-trail`,
});

export const cloudTrail = defineMemberFeature({
  key: 'cloudtrail',
  title: 'CloudTrail',
  schema: cloudTrailSchema,
  isActive: (c) => c.enabled,
  needsKeyArn: (c) => c.enabled,
  build(ctx, c) {
    const trail = new MemberTrail(ctx.scope, 'cloudtrail', {
      provider: ctx.providerFor(ctx.regions[0]!),
      trailName: cloudTrailNames(ctx.prefix).trail,
      bucketName: ctx.central.bucketName,
      keyArn: ctx.central.keyArn,
      dataEvents: c.dataEvents,
    });
    new TerraformOutput(ctx.scope, 'trail_arn', { value: trail.trail.arn, description: 'ARN of the account trail' });
  },
  logDeliveryServices: ['cloudtrail.amazonaws.com'],
  keyStatements(ctx): PolicyStatement[] {
    // The organization trail (management account) encrypts every account's events with the key too.
    const management = ctx.managementAccountId;
    const trailAccounts = management && ctx.organizationId ? [...ctx.memberAccountIds, management] : [...ctx.memberAccountIds];
    if (trailAccounts.length === 0) return [];
    return [
      {
        Sid: 'CloudTrailEncryptLogs',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:GenerateDataKey*',
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceAccount': trailAccounts },
          StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws:cloudtrail:*:${aws:SourceAccount}:trail/*' },
        },
      },
      {
        Sid: 'CloudTrailDescribeKey',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:DescribeKey',
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceAccount': trailAccounts } },
      },
    ];
  },
});
