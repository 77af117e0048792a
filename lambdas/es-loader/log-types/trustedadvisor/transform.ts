/**
 * AWS Trusted Advisor check results, as the reference's exporter Lambda writes them: per check, one
 * object with the whole result, then one per flagged resource (`result.flaggedResource`, numbered).
 * https://docs.aws.amazon.com/awssupport/latest/APIReference/API_TrustedAdvisorCheckResult.html
 */
import { isIP } from 'node:net';
import { child, isPlainObject, type Json } from '../../ecs/paths';
import type { Transform } from '../types';

const ALERT = new Set(['warning', 'error']);
const DATABASE = new Set(['rds', 'dynamodb', 's3', 'ebs', 'redshift', 'elasticache']);
const NETWORK = new Set(['vpc', 'route53', 'elasticloadbalancing', 'network-acl', 'subnet', 'security-group']);

/** The AWS service and ARN parts of a flagged resource, from the columns the check's metadata names. */
function serviceOf(columns: unknown[], values: unknown[]): { service: string; arn: string[] } {
  let service = '';
  let arn = '';
  const at = (name: string) => {
    const i = columns.indexOf(name);
    return i >= 0 && typeof values[i] === 'string' ? (values[i] as string) : undefined;
  };
  const s = at('Service');
  if (s !== undefined) service = s.toLowerCase();
  arn = at('Workload ARN') ?? at('Resource') ?? arn;
  const parts = arn.split(':');
  if (parts.length > 2) service = parts[2]!.toLowerCase();
  return { service, arn: parts };
}

export const trustedadvisor: Transform = ({ doc }) => {
  const orig: Json = {};
  for (const k of ['requestid', 'creation_date', 'account', 'check', 'check_ja', 'result', 'refreshable']) {
    if (doc[k] !== undefined) orig[k] = doc[k];
    doc[k] = undefined;
  }
  doc.trustedadvisor = orig;
  const check = isPlainObject(orig.check) ? orig.check : {};
  const result = isPlainObject(orig.result) ? orig.result : {};
  const event = child(doc, 'event');
  if (ALERT.has(String(result.status))) event.kind = 'alert';
  const flagged = isPlainObject(result.flaggedResource) ? result.flaggedResource : undefined;
  if (!flagged) return;
  event.kind = ALERT.has(String(flagged.status)) ? 'alert' : 'event';
  const values = Array.isArray(flagged.metadata) ? (flagged.metadata as unknown[]) : undefined;
  if (!values) return;
  const cloud = child(doc, 'cloud');
  let service = 'trustedadvisor';
  let arn: string[] = [];
  if (Array.isArray(check.metadata)) ({ service, arn } = serviceOf(check.metadata as unknown[], values));
  if (service) cloud.service = { name: service };
  // arn:partition:service:region:account:resource-type/resource-id
  if (arn.length > 5 && service === 'ec2') {
    const [type, id] = arn[5]!.split('/');
    if (id !== undefined) {
      service = type === 'instance' ? 'ec2' : type!;
      if (type === 'instance') cloud.instance = { id };
      cloud.service = { name: service };
    }
  }
  if (DATABASE.has(service)) event.category = 'database';
  else if (service === 'iam' || service === 'cloudtrail') event.category = 'iam';
  else if (NETWORK.has(service)) event.category = 'network';

  const related: Json = {};
  // The last metadata value that is an IP address (the reference keeps one).
  for (const v of values) if (typeof v === 'string' && isIP(v)) related.ip = [v];
  const instance = isPlainObject(cloud.instance) ? cloud.instance.id : undefined;
  if (typeof instance === 'string') related.hosts = [instance];
  if (Object.keys(related).length) doc.related = related;
};
