/**
 * Findings export: Security Hub findings, Inspector findings and Config rules compliance changes of
 * every region of the member, through EventBridge and one Firehose stream per region, into
 * `AWSLogs/<acct>/<source>/` of the central bucket. The Firehose role of each member may write only
 * its own prefixes of the three sources (and its error folder).
 */
import { TerraformOutput } from 'cdktf';
import type { PolicyStatement } from '../../../policies/document';
import { defineMemberFeature, type CentralPolicyContext } from '../feature';
import { memberFirehoseBucketStatement, memberFirehoseKeyStatement } from '../firehose-delivery';
import { MemberFindingsExport } from './findings-export';
import { FINDING_SOURCE_KEYS, FINDING_SOURCES, FINDINGS_ERROR_FOLDER, findingsExportNames, type FindingSource } from './names';
import { findingsExportSchema } from './schema';

export * from './findings-export';
export * from './findings-policies';
export * from './names';
export * from './schema';

type FindingsExportConfig = { readonly securityHub: boolean; readonly inspector: boolean; readonly configRules: boolean };
/** The sources a configuration exports, in the order of FINDING_SOURCES. */
export const exportedSources = (c: FindingsExportConfig): FindingSource[] => FINDING_SOURCE_KEYS.filter((s) => c[s]);

/** Members that export findings (all members when the context does not say). */
const exporting = (ctx: CentralPolicyContext) => ctx.activeMemberAccountIds?.findingsExport ?? ctx.memberAccountIds;

export const findingsExport = defineMemberFeature({
  key: 'findingsExport',
  title: 'Findings export (Security Hub, Inspector, Config rules)',
  schema: findingsExportSchema,
  check: (c) => (c.enabled && exportedSources(c).length === 0 ? [{ field: 'enabled', message: 'securityHub, inspector and configRules are all false; turn one on, or set enabled: false' }] : []),
  isActive: (c) => c.enabled && exportedSources(c).length > 0,
  needsKeyArn: (c) => c.enabled,
  build(ctx, c) {
    const n = findingsExportNames(ctx.prefix);
    new MemberFindingsExport(ctx.scope, 'findings-export', {
      homeProvider: ctx.providerFor(ctx.regions[0]!),
      providerFor: ctx.providerFor,
      prefix: ctx.prefix,
      accountId: ctx.accountId,
      regions: ctx.regions,
      sources: exportedSources(c),
      bucketName: ctx.central.bucketName,
      bucketArn: ctx.central.bucketArn,
      bucketRegion: ctx.central.bucketRegion,
      keyArn: ctx.central.keyArn,
      bufferingIntervalSeconds: c.bufferingIntervalSeconds,
    });
    new TerraformOutput(ctx.scope, 'findings_firehose_role_arn', {
      value: `arn:aws:iam::${ctx.accountId}:role/${n.firehoseRole}`,
      description: 'Role Firehose uses to write findings; the central bucket policy grants it AWSLogs/<acct>/aws.securityhub|aws.inspector2|aws.config/',
    });
  },
  bucketStatements(ctx): PolicyStatement[] {
    const members = exporting(ctx);
    if (members.length === 0) return [];
    const folders = [...FINDING_SOURCE_KEYS.map((s) => FINDING_SOURCES[s].source), FINDINGS_ERROR_FOLDER];
    return [memberFirehoseBucketStatement({ sid: 'MemberFindingsFirehoseRoles', members, bucket: ctx.bucket, roleName: findingsExportNames(ctx.prefix).firehoseRole, folders })];
  },
  keyStatements(ctx): PolicyStatement[] {
    const members = exporting(ctx);
    if (members.length === 0) return [];
    return [memberFirehoseKeyStatement({ sid: 'MemberFindingsFirehoseRoles', members, securityRegion: ctx.securityRegion, roleName: findingsExportNames(ctx.prefix).firehoseRole })];
  },
});
