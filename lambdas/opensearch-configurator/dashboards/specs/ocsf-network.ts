import { accountAndRegion, top, type DashboardSpec, type PanelSpec } from '../spec';

/**
 * OCSF network activity (Security Lake and OCSF JSON, index log-ocsf-network-*: category 4, VPC Flow
 * Logs as Network Activity and Route 53 as DNS Activity). The questions of the reference's "OCSF
 * NetworkActivity Summary" (traffic and refused flows over time and by source country, account,
 * Region), plus top talkers, ports, blocked sources and DNS queries.
 */
const FLOW = 'class_uid:4001';
const REFUSED = `${FLOW} AND (disposition:Blocked OR activity_name:Refuse)`;
const DNS = 'class_uid:4003';
const network = (p: PanelSpec): PanelSpec => ({ ...p, query: p.query ?? 'category_uid:4' });

export const ocsfNetwork: DashboardSpec = {
  name: 'ocsf-network',
  title: 'OCSF Network Activity Summary',
  description:
    'Amazon Security Lake / OCSF network activity (category 4: VPC flows and DNS queries): flows and refused flows over time and by source country, top talkers by bytes, destination ports, blocked sources, DNS queries and response codes, by AWS account and Region.',
  indexPattern: 'log-ocsf-*',
  searchColumns: ['class_name', 'activity_name', 'disposition', 'source.ip', 'source.port', 'destination.ip', 'destination.port', 'traffic.bytes', 'query.hostname'],
  panels: [
    ...accountAndRegion('OCSF Network').map(network),
    network({ title: 'OCSF Network - Flows', kind: 'metric', query: FLOW, width: 12, height: 8 }),
    network({ title: 'OCSF Network - Refused flows', kind: 'metric', query: REFUSED, width: 12, height: 8 }),
    network({ title: 'OCSF Network - Bytes', kind: 'metric', metrics: [{ type: 'sum', field: 'traffic.bytes' }], query: FLOW, width: 12, height: 8 }),
    network({ title: 'OCSF Network - DNS queries', kind: 'metric', query: DNS, width: 12, height: 8 }),
    network({
      title: 'OCSF Network - Traffic and refused flows over time',
      kind: 'line',
      buckets: [{ type: 'date_histogram' }, { type: 'filters', filters: [{ label: 'All flows', query: FLOW }, { label: 'Refused', query: REFUSED }] }],
      width: 48,
    }),
    network({ ...top('OCSF Network - Flow source country', 'source.geo.country_iso_code', 30), query: FLOW }),
    network({ ...top('OCSF Network - Refused flow source country', 'source.geo.country_iso_code', 30), query: REFUSED }),
    network({ title: 'OCSF Network - Top talkers by bytes', kind: 'table', metrics: [{ type: 'sum', field: 'traffic.bytes', label: 'Bytes' }, { type: 'sum', field: 'traffic.packets', label: 'Packets' }], buckets: [{ type: 'terms', field: 'source.ip', size: 20 }, { type: 'terms', field: 'destination.ip', size: 5 }], query: FLOW }),
    network({ ...top('OCSF Network - Destination ports', 'destination.port', 20, 'pie'), query: FLOW }),
    network({ title: 'OCSF Network - Refused flows by source IP and port', kind: 'table', buckets: [{ type: 'terms', field: 'source.ip', size: 30 }, { type: 'terms', field: 'destination.port', size: 10 }], query: REFUSED }),
    network({ ...top('OCSF Network - Disposition', 'disposition', 5, 'pie'), query: FLOW }),
    network({ title: 'OCSF Network - Flows by EC2 instance', kind: 'table', buckets: [{ type: 'terms', field: 'cloud.instance.id', size: 20 }], query: FLOW }),
    network({ ...top('OCSF Network - DNS query names', 'query.hostname', 30), query: DNS }),
    network({ ...top('OCSF Network - DNS response codes', 'rcode', 10, 'pie'), query: DNS }),
  ],
};
