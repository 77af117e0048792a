/** Names, key prefixes and Firehose partitioning of the CloudWatch Logs export. */
import { accountLogPrefix } from '../feature';
import { CWL_LOG_TYPES, type CwlLogTypeName } from './log-types';

/** The names of one export's resources; the member feature and the central stack's self-logging each have theirs. */
export interface CwlExportNames {
  /** The role Firehose uses to write into the central bucket (global, one per account). */
  readonly firehoseRole: string;
  /** The role CloudWatch Logs uses to put the subscribed events into the streams (global). */
  readonly subscriptionRole: string;
  /** The delivery stream of each region. */
  readonly deliveryStream: string;
  /** The subscription filter on each log group. */
  readonly subscriptionFilter: string;
}

export const cwlExportNames = (prefix: string): CwlExportNames => ({
  firehoseRole: `${prefix}-cwl-firehose`,
  subscriptionRole: `${prefix}-cwl-subscription`,
  deliveryStream: `${prefix}-cwl-export`,
  subscriptionFilter: `${prefix}-siem`,
});

/** The folder of an account's exported log groups: every type's objects and Firehose's errors are under it. */
export const CWL_EXPORT_FOLDER = 'CloudWatchLogs';

/** `AWSLogs/<acct>/CloudWatchLogs/`: all an export writes, and all its role may write. */
export function cwlExportPrefix(accountId: string): string {
  return `${accountLogPrefix(accountId)}${CWL_EXPORT_FOLDER}/`;
}

/** Where the objects of one type and region land (before the date): `AWSLogs/<acct>/CloudWatchLogs/Linux/secure/<region>/`. */
export function cwlTypePrefix(accountId: string, type: CwlLogTypeName, region: string): string {
  const t = CWL_LOG_TYPES[type];
  return `${cwlExportPrefix(accountId)}${t.family}/${t.kind}/${region}/`;
}

const DATE = '!{timestamp:yyyy}/!{timestamp:MM}/!{timestamp:dd}/';

/**
 * Firehose prefixes of the stream of a region. The type's two segments come from the record (its log
 * group, through `cwlPartitionQuery`); the account and region are literal, so a record can only land
 * under the account's own folder, which is also all the role and the bucket policy allow.
 */
export function cwlStreamPrefixes(accountId: string, region: string): { prefix: string; errorPrefix: string } {
  return {
    prefix: `${cwlExportPrefix(accountId)}!{partitionKeyFromQuery:family}/!{partitionKeyFromQuery:kind}/${region}/${DATE}`,
    errorPrefix: `${cwlExportPrefix(accountId)}error/!{firehose:error-output-type}/${region}/${DATE}`,
  };
}

/** Firehose's limit on a processor parameter value (API ProcessorParameter: 1-5120 characters). */
export const MAX_QUERY_LENGTH = 5120;

/**
 * The JQ query of the stream's metadata extraction: the decompressed subscription message's
 * `logGroup` looked up in the region's table of log groups. A message of a log group not in the table
 * (and CloudWatch Logs' CONTROL_MESSAGE, whose log group is empty) gets no partition key and goes to
 * the error prefix.
 */
export function cwlPartitionQuery(groups: readonly { readonly name: string; readonly logType: CwlLogTypeName }[]): string {
  const table = Object.fromEntries(groups.map((g) => [g.name, [CWL_LOG_TYPES[g.logType].family, CWL_LOG_TYPES[g.logType].kind]]));
  return `${JSON.stringify(table)}[.logGroup] as $t | {family: $t[0], kind: $t[1]}`;
}

/** The central stack's self-logging (the OpenSearch domain's audit logs) uses the same construct with these names. */
export const domainLogsExportNames = (prefix: string): CwlExportNames => ({
  firehoseRole: `${prefix}-domain-logs-firehose`,
  subscriptionRole: `${prefix}-domain-logs-subscription`,
  deliveryStream: `${prefix}-domain-logs`,
  subscriptionFilter: `${prefix}-siem`,
});
