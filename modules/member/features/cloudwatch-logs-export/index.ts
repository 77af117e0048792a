/**
 * CloudWatch Logs export: the member's CloudWatch Logs groups named in its file (Linux, Apache, NGINX,
 * OpenSearch audit, Client VPN, ...), each with the loader's type of its events, subscribed to one
 * Firehose stream per region that writes into `AWSLogs/<acct>/CloudWatchLogs/<family>/<kind>/<region>/`
 * of the central bucket, where the loader recognizes the type from the key. The Firehose role of each
 * member may write only its own `AWSLogs/<acct>/CloudWatchLogs/`.
 */
import { TerraformOutput } from 'cdktf';
import type { PolicyStatement } from '../../../policies/document';
import { defineMemberFeature, type CentralPolicyContext } from '../feature';
import { memberFirehoseBucketStatement, memberFirehoseKeyStatement } from '../firehose-delivery';
import type { FeatureProblem } from '../schema-kit';
import { CloudWatchLogsExport } from './cwl-export';
import { CWL_LOG_TYPES } from './log-types';
import { CWL_EXPORT_FOLDER, cwlExportNames, cwlPartitionQuery, MAX_QUERY_LENGTH } from './names';
import { cloudwatchLogsExportSchema } from './schema';

export * from './cwl-export';
export * from './log-types';
export * from './names';
export * from './policies';
export * from './schema';

/** Members that export log groups (all members when the context does not say). */
const exporting = (ctx: CentralPolicyContext) => ctx.activeMemberAccountIds?.cloudwatchLogsExport ?? ctx.memberAccountIds;

export const cloudwatchLogsExport = defineMemberFeature({
  key: 'cloudwatchLogsExport',
  title: 'CloudWatch Logs export (Linux, Windows, web servers, databases, ... through Firehose)',
  schema: cloudwatchLogsExportSchema,
  check(c, member) {
    const problems: FeatureProblem[] = [];
    const seen = new Set<string>();
    c.logGroups.forEach((g, i) => {
      if (!member.regions.includes(g.region)) problems.push({ field: `logGroups[${i}].region`, message: `${g.region} is not one of the member's regions (${member.regions.join(', ')})` });
      const contains = (CWL_LOG_TYPES[g.logType] as { logGroupContains?: string }).logGroupContains;
      if (contains !== undefined && !g.name.includes(contains)) {
        problems.push({ field: `logGroups[${i}].name`, message: `the loader keeps only ${g.logType} events of log groups whose name contains "${contains}" (aws.ini loggroup); rename the group or choose another logType` });
      }
      const key = `${g.region} ${g.name}`;
      if (seen.has(key)) problems.push({ field: `logGroups[${i}]`, message: `lists log group ${g.name} of ${g.region} a second time (a group has one type)` });
      seen.add(key);
    });
    for (const region of new Set(c.logGroups.map((g) => g.region))) {
      const length = cwlPartitionQuery(c.logGroups.filter((g) => g.region === region)).length;
      if (length > MAX_QUERY_LENGTH) {
        problems.push({ field: 'logGroups', message: `the log groups of ${region} make a Firehose partitioning query of ${length} characters, above Firehose's limit of ${MAX_QUERY_LENGTH}; export fewer groups of that region` });
      }
    }
    return problems;
  },
  isActive: (c) => c.enabled && c.logGroups.length > 0,
  needsKeyArn: (c) => c.enabled,
  build(ctx, c) {
    const n = cwlExportNames(ctx.prefix);
    new CloudWatchLogsExport(ctx.scope, 'cloudwatch-logs-export', {
      names: n,
      homeProvider: ctx.providerFor(ctx.regions[0]!),
      providerFor: ctx.providerFor,
      accountId: ctx.accountId,
      groups: c.logGroups,
      bucketName: ctx.central.bucketName,
      bucketArn: ctx.central.bucketArn,
      bucketRegion: ctx.central.bucketRegion,
      keyArn: ctx.central.keyArn,
      bufferingIntervalSeconds: c.bufferingIntervalSeconds,
    });
    new TerraformOutput(ctx.scope, 'cwl_firehose_role_arn', {
      value: `arn:aws:iam::${ctx.accountId}:role/${n.firehoseRole}`,
      description: `Role Firehose uses to write the subscribed CloudWatch Logs groups; the central bucket policy grants it AWSLogs/<acct>/${CWL_EXPORT_FOLDER}/`,
    });
  },
  bucketStatements(ctx): PolicyStatement[] {
    const members = exporting(ctx);
    if (members.length === 0) return [];
    return [memberFirehoseBucketStatement({ sid: 'MemberCwlFirehoseRoles', members, bucket: ctx.bucket, roleName: cwlExportNames(ctx.prefix).firehoseRole, folders: [CWL_EXPORT_FOLDER] })];
  },
  keyStatements(ctx): PolicyStatement[] {
    const members = exporting(ctx);
    if (members.length === 0) return [];
    return [memberFirehoseKeyStatement({ sid: 'MemberCwlFirehoseRoles', members, securityRegion: ctx.securityRegion, roleName: cwlExportNames(ctx.prefix).firehoseRole })];
  },
});
