/**
 * WAF logging: the listed web ACLs log through Kinesis Data Firehose into `AWSLogs/<acct>/WAF/` of the
 * central bucket; the Firehose role of each member account may write only there.
 */
import { TerraformOutput } from 'cdktf';
import type { PolicyStatement } from '../../../policies/document';
import { defineMemberFeature } from '../feature';
import { FIREHOSE_BUCKET_ACTIONS, FIREHOSE_OBJECT_ACTIONS } from '../firehose-delivery';
import { wafNames } from './names';
import { wafSchema } from './schema';
import { MemberWafLogging, wafTargetOf } from './waf-logging';

export * from './names';
export * from './schema';
export * from './waf-firehose-policy';
export * from './waf-logging';

export const waf = defineMemberFeature({
  key: 'waf',
  title: 'WAF',
  schema: wafSchema,
  check(c, member) {
    const problems: { field: string; message: string }[] = [];
    c.webAcls.forEach((arn, i) => {
      const [, , , aclRegion, aclAccount, scope] = arn.split(':');
      if (aclAccount !== member.accountId) problems.push({ field: `webAcls[${i}]`, message: `belongs to account ${aclAccount}, not to this member (${member.accountId})` });
      const isGlobal = scope?.startsWith('global/');
      if (isGlobal && aclRegion !== 'us-east-1') problems.push({ field: `webAcls[${i}]`, message: 'CloudFront (global) web ACLs live in us-east-1' });
      if (!isGlobal && !member.regions.includes(aclRegion!)) problems.push({ field: `webAcls[${i}]`, message: `is in ${aclRegion}, which is not one of the member's regions (${member.regions.join(', ')})` });
    });
    return problems;
  },
  isActive: (c) => c.enabled && c.webAcls.length > 0,
  // CloudFront logs only to Firehose streams in us-east-1.
  extraRegions: (c) => (c.webAcls.some((a) => wafTargetOf(a).segment === 'global') ? ['us-east-1'] : []),
  needsKeyArn: (c) => c.enabled && c.webAcls.length > 0,
  build(ctx, c) {
    const n = wafNames(ctx.prefix);
    new MemberWafLogging(ctx.scope, 'waf', {
      homeProvider: ctx.providerFor(ctx.regions[0]!),
      providerFor: ctx.providerFor,
      accountId: ctx.accountId,
      roleName: n.firehoseRole,
      streamName: n.deliveryStream,
      bucketName: ctx.central.bucketName,
      bucketArn: ctx.central.bucketArn,
      bucketRegion: ctx.central.bucketRegion,
      keyArn: ctx.central.keyArn,
      webAcls: c.webAcls,
      bufferingSizeMb: c.bufferingSizeMb,
      bufferingIntervalSeconds: c.bufferingIntervalSeconds,
      redactedFields: c.redactedFields,
      keepOnlyActions: c.keepOnlyActions,
    });
    new TerraformOutput(ctx.scope, 'waf_firehose_role_arn', {
      value: `arn:aws:iam::${ctx.accountId}:role/${n.firehoseRole}`,
      description: 'Role Firehose uses to write WAF logs; the central bucket policy grants it AWSLogs/<acct>/WAF/',
    });
  },
  bucketStatements(ctx): PolicyStatement[] {
    if (ctx.memberAccountIds.length === 0) return [];
    return [
      {
        // The member accounts are named as principals (not "*" with a condition): S3 Block Public Access
        // then never sees this statement as public ("The meaning of public", S3 user guide).
        Sid: 'MemberWafFirehoseRoles',
        Effect: 'Allow',
        Principal: { AWS: ctx.memberAccountIds.map((m) => `arn:aws:iam::${m}:root`) },
        Action: [...FIREHOSE_OBJECT_ACTIONS, ...FIREHOSE_BUCKET_ACTIONS],
        Resource: [`arn:aws:s3:::${ctx.bucket}`, `arn:aws:s3:::${ctx.bucket}/AWSLogs/\${aws:PrincipalAccount}/WAF/*`],
        Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::*:role/${wafNames(ctx.prefix).firehoseRole}` } },
      },
    ];
  },
  keyStatements(ctx): PolicyStatement[] {
    if (ctx.memberAccountIds.length === 0) return [];
    return [
      {
        // Members' WAF Firehose roles write through S3 only; with S3 Bucket Keys the encryption context
        // is the bucket ARN (S3 user guide, "Reducing the cost of SSE-KMS with Amazon S3 Bucket Keys").
        Sid: 'MemberWafFirehoseRoles',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:PrincipalAccount': [...ctx.memberAccountIds], 'kms:ViaService': `s3.${ctx.securityRegion}.amazonaws.com` },
          ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::*:role/${wafNames(ctx.prefix).firehoseRole}` },
        },
      },
    ];
  },
});
