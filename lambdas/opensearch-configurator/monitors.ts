/**
 * The example alerting monitors the configurator installs when `opensearch.alerting.monitors` names
 * them (docs/alerting.md shows each definition exactly as sent). Query-level monitors of the Alerting
 * plugin (https://docs.opensearch.org/latest/observing-your-data/alerting/api/), notifying the SNS
 * channel that publishes to `<prefix>-alert` through the OpenSearch SNS role.
 *
 * They read ECS fields the loader writes for every source (`event.action`, `user.name`,
 * `source.geo.country_iso_code`, `event.severity`), so they do not depend on a log type's raw fields.
 */

export const MONITOR_NAMES = ['console-login-new-country', 'root-account-use', 'guardduty-high-finding', 'waf-block-spike'] as const;
export type MonitorName = (typeof MONITOR_NAMES)[number];

/** WAF blocks in 10 minutes above which `waf-block-spike` fires. */
export const WAF_BLOCK_SPIKE_THRESHOLD = 1000;

interface MonitorSpec {
  readonly title: string;
  readonly indices: readonly string[];
  readonly intervalMinutes: number;
  readonly query: Record<string, unknown>;
  /** Painless condition over `ctx.results[0]`. */
  readonly condition: string;
  /** Alerting severity, 1 (highest) to 5. */
  readonly severity: '1' | '2' | '3';
  readonly message: string;
}

const lastMinutes = (m: number) => ({ range: { '@timestamp': { gte: `{{period_end}}||-${m}m`, lte: '{{period_end}}', format: 'epoch_millis' } } });

const SPECS: Record<MonitorName, MonitorSpec> = {
  // A successful console login whose country had not been seen for that user in the 30 days before:
  // per user and country, every login of the 30 days falls in the last hour.
  'console-login-new-country': {
    title: 'Console login from a new country',
    indices: ['log-aws-cloudtrail-*'],
    intervalMinutes: 60,
    query: {
      size: 0,
      query: { bool: { filter: [{ term: { 'event.action': 'ConsoleLogin' } }, { term: { 'event.outcome': 'success' } }, { range: { '@timestamp': { gte: '{{period_end}}||-30d', lte: '{{period_end}}', format: 'epoch_millis' } } }] } },
      aggs: {
        users: {
          terms: { field: 'user.name', size: 500 },
          aggs: { countries: { terms: { field: 'source.geo.country_iso_code', size: 50 }, aggs: { recent: { filter: lastMinutes(60) } } } },
        },
      },
    },
    condition:
      'for (def u : ctx.results[0].aggregations.users.buckets) { for (def c : u.countries.buckets) { if (c.recent.doc_count > 0 && c.recent.doc_count == c.doc_count && u.countries.buckets.size() > 1) { return true; } } } return false;',
    severity: '2',
    message: 'A user logged in to the AWS console from a country not seen for them in the last 30 days. Search log-aws-cloudtrail-* for event.action:ConsoleLogin in the last hour.',
  },
  'root-account-use': {
    title: 'Root account use',
    indices: ['log-aws-cloudtrail-*'],
    intervalMinutes: 10,
    query: { size: 5, query: { bool: { filter: [{ term: { 'user.name': 'root' } }, lastMinutes(10)] } } },
    condition: 'ctx.results[0].hits.total.value > 0',
    severity: '1',
    message: 'The root user of an account was used in the last 10 minutes. Search log-aws-cloudtrail-* for user.name:root.',
  },
  // GuardDuty severities: High 7.0-8.9, Critical 9.0-10.0 (GuardDuty user guide, "Severity levels").
  'guardduty-high-finding': {
    title: 'GuardDuty High or Critical finding',
    indices: ['log-aws-guardduty-*'],
    intervalMinutes: 10,
    query: { size: 5, query: { bool: { filter: [{ range: { 'event.severity': { gte: 7 } } }, lastMinutes(10)] } } },
    condition: 'ctx.results[0].hits.total.value > 0',
    severity: '1',
    message: 'GuardDuty reported a finding of severity 7 or more in the last 10 minutes. Search log-aws-guardduty-* for event.severity >= 7.',
  },
  'waf-block-spike': {
    title: 'WAF block spike',
    indices: ['log-aws-waf-*'],
    intervalMinutes: 10,
    query: { size: 0, query: { bool: { filter: [{ term: { 'event.action': 'BLOCK' } }, lastMinutes(10)] } } },
    condition: `ctx.results[0].hits.total.value > ${WAF_BLOCK_SPIKE_THRESHOLD}`,
    severity: '3',
    message: `WAF blocked more than ${WAF_BLOCK_SPIKE_THRESHOLD} requests in the last 10 minutes. Search log-aws-waf-* for event.action:BLOCK.`,
  },
};

/** Monitor names in OpenSearch start with this, so that the configurator finds its own. */
export const MONITOR_TITLE_PREFIX = 'SIEM: ';

/** The monitor as the configurator sends it to `POST _plugins/_alerting/monitors` (without its `ui_metadata` hash). */
export function monitorDefinition(name: MonitorName, channelId: string): Record<string, unknown> {
  const s = SPECS[name];
  return {
    type: 'monitor',
    monitor_type: 'query_level_monitor',
    name: `${MONITOR_TITLE_PREFIX}${s.title}`,
    enabled: true,
    schedule: { period: { interval: s.intervalMinutes, unit: 'MINUTES' } },
    inputs: [{ search: { indices: [...s.indices], query: s.query } }],
    triggers: [
      {
        query_level_trigger: {
          name: s.title,
          severity: s.severity,
          condition: { script: { source: s.condition, lang: 'painless' } },
          actions: [
            {
              name: `${s.title}: notify the alert topic`,
              destination_id: channelId,
              subject_template: { source: `[SIEM] ${s.title}`, lang: 'mustache' },
              message_template: { source: `${s.message}\nMonitor {{ctx.monitor.name}}, period ending {{ctx.periodEnd}}.`, lang: 'mustache' },
              throttle_enabled: true,
              throttle: { value: 60, unit: 'MINUTES' },
            },
          ],
        },
      },
    ],
  };
}
