/**
 * AWS Config configuration history and snapshot files (`configurationItems`).
 * https://docs.aws.amazon.com/config/latest/developerguide/config-item-table.html
 * The instance, IAM principal and addresses of an item as the reference's sf_config_snapshot.py finds
 * them (cloud.instance.id, user.*, related.*). A deleted item's `configuration` is null: nothing to read
 * there, the item still loads (the reference fails on the whole file).
 */
import { child, deleteField, getField, isPlainObject, setField, type Json } from '../../ecs/paths';
import type { Transform } from '../types';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Private and public addresses of an interface's `privateIpAddresses`. */
function nicAddresses(addresses: unknown): string[] {
  const out: string[] = [];
  for (const a of list(addresses)) {
    if (!isPlainObject(a)) continue;
    const priv = str(a.privateIpAddress);
    if (priv) out.push(priv);
    const pub = isPlainObject(a.association) ? str(a.association.publicIp) : undefined;
    if (pub) out.push(pub);
  }
  return out;
}

function addresses(type: string, configuration: Json, resourceName: string | undefined): string[] {
  switch (type) {
    case 'AWS::EC2::EIP':
      return [resourceName, str(configuration.privateIpAddress)].filter((v): v is string => v !== undefined);
    case 'AWS::EC2::Instance':
      return list(configuration.networkInterfaces).flatMap((eni) => (isPlainObject(eni) ? nicAddresses(eni.privateIpAddresses) : []));
    case 'AWS::EC2::NetworkInterface':
      return nicAddresses(configuration.privateIpAddresses);
    case 'AWS::EC2::NatGateway': {
      const first = list(configuration.natGatewayAddresses)[0];
      return isPlainObject(first) ? [str(first.privateIp), str(first.publicIp)].filter((v): v is string => v !== undefined) : [];
    }
    case 'AWS::SSM::ManagedInstanceInventory': {
      const network = configuration['AWS:Network'];
      const content = isPlainObject(network) ? network.Content : undefined;
      // Inventory content is an object keyed by index, or a list.
      const entries = Array.isArray(content) ? content : isPlainObject(content) ? Object.values(content) : [];
      return entries.flatMap((c) => (isPlainObject(c) ? [str(c.IPV6), str(c.IPV4)].filter((v): v is string => v !== undefined) : []));
    }
    default:
      return [];
  }
}

export const config: Transform = ({ raw, doc, key }) => {
  // Config writes "Not Applicable", "Regional" or "Multiple Availability Zones" where there is no single zone.
  const az = getField(doc, 'cloud.availability_zone');
  if (typeof az === 'string' && !/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/.test(az)) deleteField(doc, 'cloud.availability_zone');
  // The reference's two log types, told apart by the file name.
  setField(doc, 'event.module', key.includes('_ConfigSnapshot_') ? 'config-snapshot' : 'config-history');

  const type = str(raw.resourceType) ?? '';
  const id = str(raw.resourceId) ?? '';
  const name = str(raw.resourceName);
  // ResourceCompliance items name their target as <type>/<id>.
  const [targetType, targetId] = type === 'AWS::Config::ResourceCompliance' && id.split('/').length === 2 ? id.split('/') : [];

  let instance: string | undefined;
  if (type === 'AWS::EC2::Instance' || type === 'AWS::SSM::ManagedInstanceInventory') instance = id;
  else if (type === 'AWS::SSM::AssociationCompliance' || type === 'AWS::SSM::PatchCompliance') instance = id.split('/').at(-1);
  else if (targetType === 'AWS::EC2::Instance') instance = targetId;
  if (instance) setField(doc, 'cloud.instance.id', instance);

  let user: { id?: string; name?: string } | undefined;
  if (type === 'AWS::IAM::User' || type === 'AWS::IAM::Role') user = { id: id || undefined, name };
  else if (targetType === 'AWS::IAM::Role' || targetType === 'AWS::IAM::User') user = { id: targetId };
  if (user) {
    if (user.id) setField(doc, 'user.id', user.id);
    if (user.name) setField(doc, 'user.name', user.name);
  }

  const configuration = raw.configuration;
  // A JSON-string configuration was wrapped by flat_object ({value}); only an object has addresses.
  const ips = isPlainObject(configuration) && !('value' in configuration && Object.keys(configuration).length === 1)
    ? [...new Set(addresses(type, configuration, name))].sort()
    : [];

  const users = user ? [user.name, user.id].filter((v): v is string => v !== undefined && v !== '') : [];
  if (instance || users.length || ips.length) {
    const related = child(doc, 'related');
    if (instance) related.hosts = [instance];
    if (users.length) related.user = users;
    if (ips.length) related.ip = ips;
  }
};
