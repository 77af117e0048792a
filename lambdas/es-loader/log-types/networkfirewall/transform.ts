/**
 * AWS Network Firewall logs (Suricata EVE records under `event`).
 * https://docs.aws.amazon.com/network-firewall/latest/developerguide/firewall-logging.html
 */
import { child, getPath } from '../../ecs/paths';
import type { Transform } from '../types';

/** <acct>_network-firewall_<alert|flow|tls>_<region>_<firewall>_<time>_<hash>.log.gz */
const KEY_REGION = /_network-firewall_[a-z]+_([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d)_/;

export const networkfirewall: Transform = ({ raw, doc, key }) => {
  const region = KEY_REGION.exec(key);
  if (region) child(doc, 'cloud').region = region[1];
  // event.proto: TCP, UDP, ICMP, IPv6-ICMP
  const proto = getPath(raw, ['event', 'proto']);
  if (typeof proto === 'string') child(doc, 'network').transport = proto.toLowerCase();
  // An alert record is an intrusion detection alert; flow and TLS records stay network events.
  if (getPath(raw, ['event', 'event_type']) === 'alert') {
    const event = child(doc, 'event');
    event.kind = 'alert';
    event.category = 'intrusion_detection';
  }
};
