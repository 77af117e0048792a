/**
 * VPC Flow Logs, versions 2-5. Field names come from the file's header line (dashes become
 * underscores). https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html
 */
import { getField, isPlainObject, setField } from '../../ecs/paths';
import type { Transform } from '../types';

/** IANA protocol numbers that appear in flow logs. https://www.iana.org/assignments/protocol-numbers */
const TRANSPORT: Record<string, string> = { '1': 'icmp', '6': 'tcp', '17': 'udp', '47': 'gre', '50': 'esp', '51': 'ah', '58': 'ipv6-icmp', '132': 'sctp' };

export const vpcflowlogs: Transform = ({ raw, doc }) => {
  const action = raw.action;
  if (action === 'ACCEPT') setField(doc, 'event.outcome', 'success');
  else if (action === 'REJECT') setField(doc, 'event.outcome', 'failure');
  const proto = raw.protocol;
  if (typeof proto === 'string' && TRANSPORT[proto]) setField(doc, 'network.transport', TRANSPORT[proto]);
  const ip = getField(doc, 'source.ip');
  if (typeof ip === 'string') setField(doc, 'network.type', ip.includes(':') ? 'ipv6' : 'ipv4');
  // flow-direction (v5): ingress/egress relative to the interface.
  if (raw.flow_direction === 'ingress') setField(doc, 'network.direction', 'inbound');
  else if (raw.flow_direction === 'egress') setField(doc, 'network.direction', 'outbound');
  // pkt-srcaddr/pkt-dstaddr differ from srcaddr/dstaddr only behind a NAT gateway or for EKS pods (v3+).
  for (const side of ['source', 'destination'] as const) {
    const set = doc[side];
    if (isPlainObject(set) && isPlainObject(set.nat) && set.nat.ip === set.ip) {
      delete set.nat;
    }
  }
  for (const [field, name] of [['event.start', 'start'], ['event.end', 'end']] as const) {
    const s = Number(raw[name]);
    if (Number.isFinite(s) && raw[name] !== '-') setField(doc, field, new Date(s * 1000).toISOString());
  }
};
