/**
 * VPC Flow Logs, versions 2-5. Field names come from the file's header line (dashes become
 * underscores). https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html
 */
import { child, isPlainObject } from '../../ecs/paths';
import type { Transform } from '../types';

/** IANA protocol numbers that appear in flow logs. https://www.iana.org/assignments/protocol-numbers */
const TRANSPORT: Record<string, string> = {
  '1': 'icmp', '6': 'tcp', '8': 'egp', '17': 'udp', '33': 'dccp', '41': 'ipv6', '42': 'sdrp', '47': 'gre', '50': 'esp', '51': 'ah', '58': 'ipv6-icmp', '132': 'sctp',
};

// Consecutive flow log records mostly share their window: remember the last conversion of each field.
function isoSeconds(v: unknown, last: { raw: string; iso: string }): string | undefined {
  if (typeof v !== 'string') return undefined;
  if (v === last.raw) return last.iso;
  const s = Number(v);
  if (v === '' || !Number.isFinite(s)) return undefined;
  last.raw = v;
  last.iso = new Date(s * 1000).toISOString();
  return last.iso;
}
const lastStart = { raw: '', iso: '' };
const lastEnd = { raw: '', iso: '' };

export const vpcflowlogs: Transform = ({ raw, doc }) => {
  // Direct property access: this runs for every flow log record (see bench/es-loader-parse.ts).
  const event = child(doc, 'event');
  const action = raw.action;
  if (action === 'ACCEPT') event.outcome = 'success';
  else if (action === 'REJECT') event.outcome = 'failure';
  // NODATA (no traffic in the window) and SKIPDATA (records skipped): no action, nothing succeeded or failed.
  else if (raw.log_status === 'NODATA' || raw.log_status === 'SKIPDATA') event.outcome = 'unknown';
  const start = isoSeconds(raw.start, lastStart);
  if (start) event.start = start;
  const end = isoSeconds(raw.end, lastEnd);
  if (end) event.end = end;
  const proto = raw.protocol;
  const transport = typeof proto === 'string' ? TRANSPORT[proto] : undefined;
  const source = doc.source;
  const ip = isPlainObject(source) ? source.ip : undefined;
  // flow-direction (v5): ingress/egress relative to the interface, kept as the field's own values as the
  // reference does and as ECS's network-context guidance uses them (inbound/outbound are relative to a
  // network perimeter, which an interface is not).
  const fd = raw.flow_direction;
  const direction = fd === 'ingress' || fd === 'egress' ? fd : undefined;
  if (transport || typeof ip === 'string' || direction) {
    const network = child(doc, 'network');
    if (transport) network.transport = transport;
    if (typeof ip === 'string') network.type = ip.includes(':') ? 'ipv6' : 'ipv4';
    if (direction) network.direction = direction;
  }
  // pkt-srcaddr/pkt-dstaddr differ from srcaddr/dstaddr only behind a NAT gateway or for EKS pods (v3+).
  // Set to undefined rather than deleted: JSON leaves it out either way, and `delete` would turn every
  // source/destination object into a slow dictionary-mode object.
  for (const side of SIDES) {
    const set = doc[side];
    if (isPlainObject(set) && isPlainObject(set.nat) && set.nat.ip === set.ip) set.nat = undefined;
  }
};

const SIDES = ['source', 'destination'] as const;
