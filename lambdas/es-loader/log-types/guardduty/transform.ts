/**
 * GuardDuty findings exported to S3 (one finding per JSON line).
 * https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_finding-format.html
 */
import { getField, getPath, setField } from '../../ecs/paths';
import type { Transform } from '../types';

export const guardduty: Transform = ({ raw, doc }) => {
  // For an outbound connection the instance is the source and the remote host the destination.
  const direction = getPath(raw, ['service', 'action', 'networkConnectionAction', 'connectionDirection']);
  if (direction === 'INBOUND') setField(doc, 'network.direction', 'inbound');
  else if (direction === 'OUTBOUND') {
    setField(doc, 'network.direction', 'outbound');
    const src = doc.source, dst = doc.destination;
    if (src !== undefined || dst !== undefined) {
      if (dst === undefined) delete doc.source;
      else doc.source = dst;
      if (src === undefined) delete doc.destination;
      else doc.destination = src;
    }
  }
  const type = getField(doc, 'rule.name');
  if (typeof type === 'string') {
    // Finding type: ThreatPurpose:ResourceTypeAffected/ThreatFamilyName.DetectionMechanism!Artifact
    const purpose = type.split(':')[0];
    if (purpose) setField(doc, 'rule.category', purpose);
  }
};
