import { top, type DashboardSpec } from '../spec';

const bytes = { type: 'sum', field: 'bytes', label: 'Bytes' } as const;

/** The reference's "VPC Flow Logs custom" dashboard: the fields of flow log versions 3 to 5. */
export const vpcflowlogsCustom: DashboardSpec = {
  name: 'vpcflowlogs-custom',
  title: 'VPC Flow Logs Custom (v3-v5 fields)',
  description: 'Flow logs with custom formats: direction, traffic path, packet-level addresses behind NAT and transit gateways, TCP flags, zones, subnets and instances.',
  indexPattern: 'log-aws-vpcflowlogs-*',
  searchColumns: ['interface_id', 'flow_direction', 'traffic_path', 'pkt_srcaddr', 'srcaddr', 'dstaddr', 'pkt_dstaddr', 'tcp_flags', 'event.action'],
  panels: [
    { title: 'VPCFlowLogsCustom - Bytes by flow direction', kind: 'pie', metrics: [bytes], buckets: [{ type: 'terms', field: 'flow_direction', size: 2 }] },
    // 1 same VPC, 2 internet or gateway endpoint, 3 virtual private gateway, 4 intra-region peering, 5 inter-region peering, 6 local gateway, 7 gateway VPC endpoint (Nitro), 8 internet gateway (VPC flow logs user guide, "traffic-path").
    { title: 'VPCFlowLogsCustom - Bytes by traffic path', kind: 'pie', metrics: [bytes], buckets: [{ type: 'terms', field: 'traffic_path', size: 10 }] },
    top('VPCFlowLogsCustom - Original source (pkt-srcaddr)', 'pkt_srcaddr', 20),
    top('VPCFlowLogsCustom - Original destination (pkt-dstaddr)', 'pkt_dstaddr', 20),
    // 2 = SYN only: connection attempts that got no answer (port scans).
    { title: 'VPCFlowLogsCustom - SYN without answer by source', kind: 'table', buckets: [{ type: 'terms', field: 'srcaddr', size: 20 }], query: 'tcp_flags:2' },
    top('VPCFlowLogsCustom - TCP flags', 'tcp_flags', 10, 'pie'),
    { title: 'VPCFlowLogsCustom - Bytes by availability zone', kind: 'histogram', metrics: [bytes], buckets: [{ type: 'terms', field: 'az_id', size: 10 }] },
    { title: 'VPCFlowLogsCustom - Bytes by subnet', kind: 'table', metrics: [bytes], buckets: [{ type: 'terms', field: 'subnet_id', size: 20 }] },
    { title: 'VPCFlowLogsCustom - Bytes by instance', kind: 'table', metrics: [bytes], buckets: [{ type: 'terms', field: 'instance_id', size: 20 }] },
  ],
};
