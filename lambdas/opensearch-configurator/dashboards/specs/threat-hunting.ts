import { type DashboardSpec } from '../spec';

/**
 * Across every log index, the fields the loader fills for every family (related.*, threat.matched.*
 * from the IoC database, docs/threat-intel.md): a starting point for a hunt that pivots on an IP, a
 * user or a host whatever service logged it.
 */
export const threatHunting: DashboardSpec = {
  name: 'threat-hunting',
  title: 'Threat Hunting',
  description: 'All logs: IoC matches by provider and indicator, and the IPs, users and hosts seen across services, by log family.',
  indexPattern: 'log-*',
  searchColumns: ['event.module', 'cloud.account.id', 'related.ip', 'related.user', 'related.hosts', 'threat.matched.providers', 'threat.matched.indicators'],
  panels: [
    { title: 'ThreatHunting - IoC matches by provider', kind: 'pie', buckets: [{ type: 'terms', field: 'threat.matched.providers', size: 10 }] },
    { title: 'ThreatHunting - Matched indicators by log family', kind: 'table', buckets: [{ type: 'terms', field: 'threat.matched.indicators', size: 50 }, { type: 'terms', field: 'event.module', size: 10 }] },
    { title: 'ThreatHunting - IPs across log families', kind: 'table', metrics: [{ type: 'cardinality', field: 'event.module', label: 'Log families' }], buckets: [{ type: 'terms', field: 'related.ip', size: 50 }], width: 16 },
    { title: 'ThreatHunting - Users across log families', kind: 'table', metrics: [{ type: 'cardinality', field: 'event.module', label: 'Log families' }], buckets: [{ type: 'terms', field: 'related.user', size: 50 }], width: 16 },
    { title: 'ThreatHunting - Hosts across log families', kind: 'table', metrics: [{ type: 'cardinality', field: 'event.module', label: 'Log families' }], buckets: [{ type: 'terms', field: 'related.hosts', size: 50 }], width: 16 },
    { title: 'ThreatHunting - Alerts by log family over time', kind: 'histogram', buckets: [{ type: 'date_histogram' }, { type: 'terms', field: 'event.module', size: 10 }], query: 'event.kind:alert', width: 48 },
  ],
};
