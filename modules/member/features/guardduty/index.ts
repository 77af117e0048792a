/**
 * GuardDuty findings export into `AWSLogs/<acct>/GuardDuty/` of the central bucket, in every region of
 * the member, encrypted with the central key.
 */
import type { PolicyStatement } from '../../../policies/document';
import { defineMemberFeature } from '../feature';
import { MemberGuardDuty } from './guardduty';
import { guardDutySchema } from './schema';

export * from './guardduty';
export * from './schema';

export const guardDuty = defineMemberFeature({
  key: 'guardduty',
  title: 'GuardDuty',
  schema: guardDutySchema,
  check: (c, member) =>
    Object.keys(c.detectorIds)
      .filter((r) => !member.regions.includes(r))
      .map((r) => ({ field: `detectorIds.${r}`, message: `${r} is not one of the member's regions (${member.regions.join(', ')})` })),
  isActive: (c) => c.enabled,
  needsKeyArn: (c) => c.enabled,
  build(ctx, c) {
    new MemberGuardDuty(ctx.scope, 'guardduty', {
      providerFor: ctx.providerFor,
      regions: ctx.regions,
      detectorIds: c.detectorIds,
      publishingFrequency: c.publishingFrequency,
      bucketArn: ctx.central.bucketArn,
      keyArn: ctx.central.keyArn,
    });
  },
  logDeliveryServices: ['guardduty.amazonaws.com'],
  keyStatements(ctx): PolicyStatement[] {
    if (ctx.memberAccountIds.length === 0) return [];
    return [
      {
        // GuardDuty publishing destination (GuardDuty user guide, "Exporting findings").
        Sid: 'GuardDutyExport',
        Effect: 'Allow',
        Principal: { Service: 'guardduty.amazonaws.com' },
        Action: 'kms:GenerateDataKey',
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceAccount': [...ctx.memberAccountIds] },
          // Policy variables are resolved in string conditions (IAM user guide, "Policy variables").
          StringLike: { 'aws:SourceArn': 'arn:aws:guardduty:*:${aws:SourceAccount}:detector/*' },
        },
      },
    ];
  },
});
