/** Names and key prefixes of the WAF feature. */
import { accountLogPrefix } from '../feature';

export const wafNames = (prefix: string) => ({
  /** The role Firehose uses to write WAF logs into the central bucket (one per member account). */
  firehoseRole: `${prefix}-waf-firehose`,
  /** The delivery stream of a region segment; WAF logs only to streams named `aws-waf-logs-*`. */
  deliveryStream: (segment: string) => `aws-waf-logs-${prefix}-${segment}`,
});

/** WAF logs of one member, all regions: `AWSLogs/<acct>/WAF/`. */
export function wafLogPrefix(accountId: string): string {
  return `${accountLogPrefix(accountId)}WAF/`;
}
