/**
 * Amazon Inspector (v2) findings as EventBridge delivers them through Firehose ("Inspector2 Finding").
 * https://docs.aws.amazon.com/inspector/latest/user/eventbridge-integration.html
 * https://docs.aws.amazon.com/inspector/v2/APIReference/API_Finding.html
 */
import { child, getPath, isPlainObject, type Json } from '../../ecs/paths';
import { unwrapEventBridge } from '../eventbridge';
import type { Transform } from '../types';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export const inspector: Transform = ({ doc }) => {
  const f = unwrapEventBridge(doc, { prefix: 'inspector' });
  const resource = Array.isArray(f.resources) && isPlainObject(f.resources[0]) ? (f.resources[0] as Json) : {};
  const type = str(f.type) ?? '';
  const vuln = child(doc, 'vulnerability');
  // vulnerability.category: the finding type, the platform and the resource type (sorted, no repeats).
  const category = [type, getPath(resource, ['details', 'awsEc2Instance', 'platform']), getPath(resource, ['details', 'awsEcrContainerImage', 'platform']), resource.type]
    .filter((c): c is string => typeof c === 'string' && c !== '');
  vuln.category = [...new Set(category)].sort();
  const details = isPlainObject(f.packageVulnerabilityDetails) ? f.packageVulnerabilityDetails : {};
  const refs = Array.isArray(details.referenceUrls) ? (details.referenceUrls as unknown[]).filter((u): u is string => typeof u === 'string') : [];
  if (refs.length) vuln.reference = refs;
  else if (str(details.sourceUrl)) vuln.reference = details.sourceUrl;

  const related: Json = {};
  if (resource.type === 'AWS_EC2_INSTANCE') {
    if (str(resource.id)) related.hosts = [resource.id];
    const ips = getPath(resource, ['details', 'awsEc2Instance', 'ipV4Addresses']);
    if (Array.isArray(ips) && ips.length) related.ip = ips;
  } else {
    // Only an EC2 instance is a host: an image, a Lambda function or a repository is not.
    const cloud = child(doc, 'cloud');
    if (isPlainObject(cloud.instance)) cloud.instance = undefined;
  }
  if (Object.keys(related).length) doc.related = related;

  const rule = child(doc, 'rule');
  if (type.includes('PACKAGE_VULNERABILITY')) rule.id = `PACKAGE_VULNERABILITY_${String(vuln.id)}`;
  else if (type.includes('NETWORK_REACHABILITY')) {
    const n = isPlainObject(f.networkReachabilityDetails) ? f.networkReachabilityDetails : {};
    const range = isPlainObject(n.openPortRange) ? n.openPortRange : {};
    rule.id = `NETWORK_REACHABILITY_${String(n.protocol)}_${String(range.begin)}_${String(range.end)}`;
  }
  const remediation = getPath(f, ['remediation', 'recommendation', 'text']);
  if (str(f.description) && typeof remediation === 'string') vuln.description = `${f.description as string}\n\nRemediation: ${remediation}`;
};
