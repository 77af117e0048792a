import { accountAndRegion, top, type DashboardSpec } from '../spec';

export const networkfirewall: DashboardSpec = {
  name: 'networkfirewall',
  title: 'Network Firewall Summary',
  description: 'AWS Network Firewall alert and flow logs: alerts by signature and action, flows, bytes and top talkers.',
  indexPattern: 'log-aws-networkfirewall-*',
  searchColumns: ['firewall_name', 'event.event_type', 'source.ip', 'source.port', 'destination.ip', 'destination.port', 'event.alert.signature', 'event.alert.action'],
  panels: [
    ...accountAndRegion('NetworkFirewall'),
    top('NetworkFirewall - Event type', 'event.event_type', 5, 'pie'),
    { title: 'NetworkFirewall - Alerts by signature', kind: 'table', buckets: [{ type: 'terms', field: 'event.alert.signature', size: 20 }, { type: 'terms', field: 'event.alert.action', size: 3 }], query: 'event.event_type:alert' },
    { title: 'NetworkFirewall - Alert action', kind: 'pie', buckets: [{ type: 'terms', field: 'event.alert.action', size: 3 }], query: 'event.event_type:alert' },
    { title: 'NetworkFirewall - Alerts over time by severity', kind: 'histogram', buckets: [{ type: 'date_histogram' }, { type: 'terms', field: 'event.alert.severity', size: 5 }], query: 'event.event_type:alert' },
    { title: 'NetworkFirewall - Top talkers (bytes)', kind: 'table', metrics: [{ type: 'sum', field: 'network.bytes' }, { type: 'sum', field: 'network.packets' }], buckets: [{ type: 'terms', field: 'source.ip', size: 10 }], query: 'event.event_type:netflow' },
    top('NetworkFirewall - Destination port', 'destination.port', 10, 'pie'),
    top('NetworkFirewall - Firewall', 'firewall_name', 10),
  ],
};
