import { accountAndRegion, top, type DashboardSpec } from '../spec';

const packets = { type: 'sum', field: 'source.packets', label: 'Packets' } as const;
const bytes = { type: 'sum', field: 'source.bytes', label: 'Bytes' } as const;

export const vpcflowlogs: DashboardSpec = {
  name: 'vpcflowlogs',
  title: 'VPC Flow Logs Summary',
  description: 'Accepted and rejected traffic: top talkers by packets and bytes, rejected sources, ports and protocols.',
  indexPattern: 'log-aws-vpcflowlogs-*',
  searchColumns: ['cloud.account.id', 'interface_id', 'source.ip', 'source.port', 'destination.ip', 'destination.port', 'network.transport', 'event.action', 'network.bytes'],
  panels: [
    ...accountAndRegion('VPCFlowLogs'),
    { title: 'VPCFlowLogs - Accepted packets over time', kind: 'line', metrics: [packets], buckets: [{ type: 'date_histogram' }], query: 'event.action:ACCEPT' },
    { title: 'VPCFlowLogs - Rejected packets over time', kind: 'line', metrics: [packets], buckets: [{ type: 'date_histogram' }], query: 'event.action:REJECT' },
    { title: 'VPCFlowLogs - Top talkers, accepted (packets)', kind: 'table', metrics: [packets, bytes], buckets: [{ type: 'terms', field: 'source.ip', size: 10 }], query: 'event.action:ACCEPT' },
    { title: 'VPCFlowLogs - Rejected sources (packets)', kind: 'table', metrics: [packets], buckets: [{ type: 'terms', field: 'source.ip', size: 10 }], query: 'event.action:REJECT' },
    { title: 'VPCFlowLogs - Rejected destination ports', kind: 'pie', buckets: [{ type: 'terms', field: 'destination.port', size: 10 }], query: 'event.action:REJECT' },
    { title: 'VPCFlowLogs - Bytes by destination', kind: 'table', metrics: [{ type: 'sum', field: 'bytes', label: 'Bytes (bytes column)' }], buckets: [{ type: 'terms', field: 'destination.ip', size: 10 }] },
    { title: 'VPCFlowLogs - Source countries (packets)', kind: 'table', metrics: [packets], buckets: [{ type: 'terms', field: 'source.geo.country_iso_code', size: 20 }] },
    top('VPCFlowLogs - Protocol', 'network.transport', 5, 'pie'),
    top('VPCFlowLogs - Action', 'event.action', 5, 'pie'),
    { title: 'VPCFlowLogs - Top 5 sources over time', kind: 'line', buckets: [{ type: 'date_histogram' }, { type: 'terms', field: 'source.ip', size: 5 }] },
  ],
};
