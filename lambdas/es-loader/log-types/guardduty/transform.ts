/**
 * GuardDuty findings exported to S3 (one finding per JSON line).
 * https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-format.html
 * Fields as the reference's sf_guardduty.py sets them: the finding type split into its parts at the
 * document root, severitylabel, network.direction, and event.category malware.
 */
import { getPath, setField } from '../../ecs/paths';
import type { Transform } from '../types';

/** ThreatPurpose:ResourceTypeAffected/ThreatFamilyName.DetectionMechanism!Artifact
 * https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-format.html */
const TYPE = /^(?<ThreatPurpose>\w*):(?<ResourceTypeAffected>\w*)\/(?<ThreatFamilyName>[\w&]*)(?:\.(?<DetectionMechanism>\w*))?(?:!(?<Artifact>\w*))?/;

const MALWARE_PURPOSES = new Set(['Backdoor', 'CryptoCurrency', 'Trojan']);
const FILE_FAMILIES = new Set(['SuspiciousFile', 'MaliciousFile']);

/** The console's severity levels; GuardDuty added Critical (9.0-10.0), where the reference crashes. */
function severityLabel(severity: number): string {
  if (severity <= 3.9) return 'low';
  if (severity <= 6.9) return 'medium';
  if (severity <= 8.9) return 'high';
  return 'critical';
}

export const guardduty: Transform = ({ raw, doc }) => {
  const severity = Number(raw.severity);
  if (raw.severity !== undefined && raw.severity !== null && Number.isFinite(severity)) doc.severitylabel = severityLabel(severity);

  const type = typeof raw.type === 'string' ? raw.type : '';
  const parts = TYPE.exec(type)?.groups ?? {};
  for (const [name, value] of Object.entries(parts)) if (value) doc[name] = value;
  const family = parts.ThreatFamilyName ?? '';

  // rule.name is the title; the reference strips a trailing period.
  const title = getPath(doc, ['rule', 'name']);
  if (typeof title === 'string') setField(doc, 'rule.name', title.trim().replace(/\.+$/, ''));

  // Direction: a connection's own; DNS requests leave the instance; file findings have none; every
  // other action (port probe, API call, Kubernetes API call, RDS login) reaches the resource.
  const actionType = getPath(raw, ['service', 'action', 'actionType']);
  let direction: string | undefined;
  if (actionType === 'NETWORK_CONNECTION') {
    const d = getPath(raw, ['service', 'action', 'networkConnectionAction', 'connectionDirection']);
    direction = typeof d === 'string' ? d.toLowerCase() : undefined;
  } else if (actionType === 'DNS_REQUEST') direction = 'outbound';
  else if (!FILE_FAMILIES.has(family)) direction = 'inbound';
  if (direction) setField(doc, 'network.direction', direction);

  // Outbound: the instance (mapped as destination) is the source, the remote host the destination.
  if (direction === 'outbound') {
    const src = doc.source, dst = doc.destination;
    if (dst === undefined) delete doc.source;
    else doc.source = dst;
    if (src === undefined) delete doc.destination;
    else doc.destination = src;
  }

  if (MALWARE_PURPOSES.has(parts.ThreatPurpose ?? '') || FILE_FAMILIES.has(family)) setField(doc, 'event.category', 'malware');
};
