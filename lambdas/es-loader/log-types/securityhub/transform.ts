/**
 * AWS Security Hub findings (AWS Security Finding Format) as EventBridge delivers them through Firehose:
 * each record is one "Security Hub Findings - Imported" event whose `detail.findings` holds the finding.
 * https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-cwe-event-formats.html
 * https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_AwsSecurityFinding.html
 */
import { child, isPlainObject, type Json } from '../../ecs/paths';
import type { Transform } from '../types';
import { unwrapEventBridge } from '../eventbridge';

/** GuardDuty/Macie finding type `Namespace/Category/ThreatPurpose:ResourceTypeAffected/ThreatFamilyName.DetectionMechanism!Artifact`. */
const TYPE = /^(?<ns>[^/]*)(?:\/(?<cat>[^/]*))?\/(?:(?<purpose>\w*):)?(?<resource>\w*)(?:\/|-|\.)(?<family>[\w&]*)(?:\.(?<mechanism>\w*))?(?:!(?<artifact>\w*))?/;
const OLD_TYPE = /^(?<purpose>\w*):(?<resource>\w*)\/(?<family>[\w&]*)(?:\.(?<mechanism>\w*))?(?:!(?<artifact>\w*))?/;

function splitType(type: string): Record<string, string | undefined> | undefined {
  const m = TYPE.exec(type) ?? OLD_TYPE.exec(type);
  if (!m?.groups) return undefined;
  const g = m.groups;
  return {
    ThreatPurpose: g.purpose || g.cat?.replace(/ /g, ''),
    ResourceTypeAffected: g.resource,
    ThreatFamilyName: g.family,
    DetectionMechanism: g.mechanism,
    Artifact: g.artifact,
  };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export const securityhub: Transform = ({ doc }) => {
  const finding = unwrapEventBridge(doc, { list: 'findings', keepTime: true });
  const pf = isPlainObject(finding.ProductFields) ? finding.ProductFields : {};
  const module = (str(pf['aws/securityhub/ProductName']) ?? str(finding.ProductName) ?? '').toLowerCase();
  const event = child(doc, 'event');
  if (module) event.module = module;
  const rule = child(doc, 'rule');
  const types = Array.isArray(finding.Types) ? (finding.Types as unknown[]).filter((t): t is string => typeof t === 'string') : [];
  if (types.length) rule.id = types;

  let split: Record<string, string | undefined> | undefined;
  if ((module === 'guardduty' || module === 'macie') && types[0]) {
    split = splitType(types[0]);
    if (split) for (const [k, v] of Object.entries(split)) if (v) doc[k] = v;
  }

  if (module.includes('security hub')) {
    if (typeof finding.GeneratorId === 'string') rule.id = finding.GeneratorId;
    const compliance = isPlainObject(finding.Compliance) ? finding.Compliance : {};
    doc.consolidated_controls_view = Boolean(compliance.SecurityControlId);
    doc.consolidated_control_findings = String(finding.GeneratorId ?? '').startsWith('security-control');
  } else if (module.includes('guardduty')) {
    event.category = 'intrusion_detection';
    const action = pf['aws/guardduty/service/action/actionType'];
    const fileFinding = split?.ThreatFamilyName === 'SuspiciousFile' || split?.ThreatFamilyName === 'MaliciousFile';
    let direction: string | undefined;
    if (action === 'NETWORK_CONNECTION') direction = str(pf['aws/guardduty/service/action/networkConnectionAction/connectionDirection'])?.toLowerCase();
    else if (action === 'DNS_REQUEST') direction = 'outbound';
    else if (!fileFinding) direction = 'inbound';
    if (direction) child(doc, 'network').direction = direction;
    if (direction === 'outbound') {
      // The instance is the source of an outbound connection, the remote host its destination.
      const src = doc.source, dst = doc.destination;
      doc.source = dst;
      doc.destination = src;
    }
    if (['Backdoor', 'CryptoCurrency', 'Trojan'].includes(split?.ThreatPurpose ?? '') || fileFinding) event.category = 'malware';
  } else if (module.includes('inspector')) {
    const v1 = pf['aws/inspector/id'];
    let id: string;
    if (typeof v1 === 'string') {
      rule.name = v1;
      id = types[0] ?? '';
    } else {
      id = (types[0] ?? '').split('/CVE')[0]!;
      // Inspector v2 vulnerability: the rule is the CVE (first word of the title).
      if (id.includes('Vulnerabilities')) id = `${id}/${String(finding.Title ?? '').split(/\s+/)[0]}`;
    }
    rule.id = id;
    if (id.includes('Vulnerabilities')) event.category = 'package';
  } else if (module.includes('macie')) {
    event.category = 'intrusion_detection';
  }
  if (typeof rule.name === 'string') rule.name = rule.name.trim().replace(/\.+$/, '');

  // Resources: the EC2 instance, the IAM user or role, and the instance's addresses.
  const relatedIp = new Set<string>();
  const addIps = (v: unknown) => {
    if (Array.isArray(v)) for (const ip of v) if (typeof ip === 'string' && ip) relatedIp.add(ip);
  };
  for (const r of Array.isArray(finding.Resources) ? (finding.Resources as unknown[]) : []) {
    if (!isPlainObject(r)) continue;
    const rid = str(r.Id) ?? '';
    const details = isPlainObject(r.Details) ? r.Details : {};
    if (r.Type === 'AwsEc2Instance') {
      child(child(doc, 'cloud'), 'instance').id = rid.split('/').at(-1);
      const ec2 = isPlainObject(details.AwsEc2Instance) ? details.AwsEc2Instance : undefined;
      if (ec2) {
        addIps(ec2.IpV4Addresses);
        addIps(ec2.IpV6Addresses);
      }
    } else if (r.Type === 'AwsIamAccessKey') {
      const key = isPlainObject(details.AwsIamAccessKey) ? details.AwsIamAccessKey : {};
      let accessKey = rid.split(':').at(-1);
      if (accessKey === 'null') accessKey = str(key.PrincipalId)?.split(':')[0];
      doc.user = { id: accessKey, name: key.PrincipalName };
    } else if (r.Type === 'AwsEc2Volume') {
      const vol = isPlainObject(details.AwsEc2Volume) ? details.AwsEc2Volume : {};
      const att = Array.isArray(vol.Attachments) && isPlainObject(vol.Attachments[0]) ? (vol.Attachments[0] as Json) : undefined;
      if (typeof att?.InstanceId === 'string') child(child(doc, 'cloud'), 'instance').id = att.InstanceId;
    } else if (r.Type === 'AwsIamRole') {
      doc.user = { name: rid.split('/').at(-1) };
    }
  }
  // related.*: the source/destination addresses of GuardDuty findings, the resources' addresses, hosts and users.
  for (const p of ['awsApiCallAction', 'networkConnectionAction', 'kubernetesApiCallAction'])
    for (const v of ['ipAddressV4', 'ipAddressV6']) addIps([pf[`aws/guardduty/service/action/${p}/remoteIpDetails/${v}`]]);
  addIps([pf['aws/guardduty/service/action/networkConnectionAction/localIpDetails/ipAddressV4']]);
  const related: Json = {};
  const instance = (doc.cloud as Json | undefined)?.instance as Json | undefined;
  if (typeof instance?.id === 'string') related.hosts = [instance.id];
  const user = isPlainObject(doc.user) ? doc.user : undefined;
  const users = [user?.id, user?.name].filter((u): u is string => typeof u === 'string' && u !== '');
  if (users.length) related.user = users;
  if (relatedIp.size) related.ip = [...relatedIp];
  if (Object.keys(related).length) doc.related = related;
};
