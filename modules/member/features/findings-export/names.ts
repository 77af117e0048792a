/** Names, event sources and key prefixes of the findings export. */
import { accountLogPrefix } from '../feature';

export const findingsExportNames = (prefix: string) => ({
  /** The role Firehose uses to write findings into the central bucket (one per member account). */
  firehoseRole: `${prefix}-findings-firehose`,
  /** The role EventBridge uses to put events into the delivery streams. */
  eventsRole: `${prefix}-findings-events`,
  /** The delivery stream of each region. */
  deliveryStream: `${prefix}-findings`,
  /** The EventBridge rule of a source. */
  rule: (source: FindingSource) => `${prefix}-${FINDING_SOURCES[source].rule}`,
});

/**
 * The EventBridge events of each source (Security Hub User Guide, "EventBridge event formats";
 * Inspector User Guide, "Creating custom responses to findings with EventBridge"; Config Developer
 * Guide, "Example events for AWS Config rules"). The event's `source` is the key segment the
 * dynamic partitioning writes (as the reference's exporter: `<source>/<detail-type with _>/`), which
 * the loader's securityhub, inspector and config_rules sections recognize.
 */
export const FINDING_SOURCES = {
  securityHub: { source: 'aws.securityhub', detailType: 'Security Hub Findings - Imported', rule: 'securityhub-findings' },
  inspector: { source: 'aws.inspector2', detailType: 'Inspector2 Finding', rule: 'inspector-findings' },
  configRules: { source: 'aws.config', detailType: 'Config Rules Compliance Change', rule: 'config-rules-compliance' },
} as const;
export type FindingSource = keyof typeof FINDING_SOURCES;
export const FINDING_SOURCE_KEYS = Object.keys(FINDING_SOURCES) as FindingSource[];

/** Folder of Firehose's error output (records it could not partition or deliver). */
export const FINDINGS_ERROR_FOLDER = 'FindingsExport/error';

/** Key prefixes of one member: one per event source, and the error folder. */
export function findingsPrefixes(accountId: string, sources: readonly FindingSource[] = FINDING_SOURCE_KEYS): string[] {
  return [...sources.map((s) => `${accountLogPrefix(accountId)}${FINDING_SOURCES[s].source}/`), `${accountLogPrefix(accountId)}${FINDINGS_ERROR_FOLDER}/`];
}

/**
 * Firehose prefixes of the stream of a region: `AWSLogs/<acct>/<source>/<Detail_Type>/<region>/YYYY/MM/DD/`.
 * The account and region are literal (never taken from the record), so a record can only land under
 * the member's own prefix; the source and detail type come from the record and are bounded by the
 * role's and the bucket's policies to the three sources.
 */
export function findingsStreamPrefixes(accountId: string, region: string): { prefix: string; errorPrefix: string } {
  const date = '!{timestamp:yyyy}/!{timestamp:MM}/!{timestamp:dd}/';
  return {
    prefix: `${accountLogPrefix(accountId)}!{partitionKeyFromQuery:service}/!{partitionKeyFromQuery:detailtype}/${region}/${date}`,
    errorPrefix: `${accountLogPrefix(accountId)}${FINDINGS_ERROR_FOLDER}/!{firehose:error-output-type}/${region}/${date}`,
  };
}

/** Firehose's JQ metadata extraction: the partition keys of an EventBridge event. */
export const PARTITION_QUERY = '{service: .source, detailtype: (."detail-type" | gsub(" "; "_"))}';
