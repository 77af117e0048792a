/**
 * The reference's basic fields, written on every document of every log type (ecs/normalize.ts):
 * `@log_type`, `@id`, `@log_s3bucket`, `@log_s3key`, `@message` (text formats), `ecs.version`, and
 * `related.ip` / `related.user` / `related.hosts` filled as the list-form mappings of the reference's
 * aws.ini fill them (`related.ip = [${source.ip}, ${destination.ip}]`: every listed field's values,
 * IP literals only for `related.ip`, deduplicated and sorted, as a list). docs/log-types.md lists them.
 */
import type { LogType } from '../config/log-type';
import { isIp } from './fields';
import { getPath, isPlainObject, type Json } from './paths';

/** The `ecs.version` the reference writes (aws.ini `ecs_version`); its dashboards filter on nothing else. */
export const ECS_VERSION = '1.10.0';

/** Our section names whose reference section name differs (the reference's `@log_type` and `event.module`). */
const REFERENCE_NAMES: Readonly<Record<string, string>> = {
  opensearch_metrics: 'index-metrics',
  cloudfront_standard: 'cloudfront-standard',
  cloudfront_realtime: 'cloudfront-realtime',
  config_rules: 'config-rules',
  elasticache_redis_slowlog: 'elasticache-redis-slowlog',
  opensearch_audit: 'opensearch-audit',
  workspaces_event: 'workspaces-event',
  workspaces_inventory: 'workspaces-inventory',
};

/**
 * The reference's log type name for an object of our log type `name`: the same name, except the
 * sections above, and our single `config` type, which the reference splits by key into
 * `config-history` / `config-snapshot` (and `config-rules`). A user's own section keeps its name.
 */
export function referenceLogType(name: string, key: string): string {
  if (name === 'config') {
    if (key.includes('_ConfigSnapshot_')) return 'config-snapshot';
    if (key.includes('_ConfigHistory_')) return 'config-history';
    if (/Config.*Rules/.test(key)) return 'config-rules';
    return 'config-history';
  }
  return Object.hasOwn(REFERENCE_NAMES, name) ? REFERENCE_NAMES[name]! : name;
}

interface RelatedSources {
  ip?: readonly string[];
  user?: readonly string[];
  hosts?: readonly string[];
}

const GD_NW = [
  'service.action.awsApiCallAction.remoteIpDetails',
  'service.action.networkConnectionAction.remoteIpDetails',
  'service.action.portProbeAction.portProbeDetails.0.remoteIpDetails',
  'service.action.kubernetesApiCallAction.remoteIpDetails',
];

/**
 * The reference's `related.*` list-form mappings per log type (aws.ini v2.10.4), keyed by our section name.
 * A field is read from the finished document: an original field by its path, and `${source.ip}` as the
 * ECS field our mapping filled (the reference expands it to the same original fields).
 */
export const RELATED: Readonly<Record<string, RelatedSources>> = {
  vpcflowlogs: { ip: ['srcaddr', 'dstaddr', 'pkt_srcaddr', 'pkt_dstaddr'] },
  cloudtrail: { ip: ['source.ip'] },
  networkfirewall: { ip: ['event.dest_ip', 'event.src_ip'] },
  guardduty: {
    ip: [
      'resource.instanceDetails.networkInterfaces.0.privateIpAddress',
      'service.action.networkConnectionAction.localIpDetails.ipAddressV4',
      'resource.instanceDetails.networkInterfaces.0.publicIp',
      ...GD_NW.map((p) => `${p}.ipAddressV4`),
      ...GD_NW.map((p) => `${p}.ipAddressV6`),
      'service.action.kubernetesApiCallAction.sourceIPs',
    ],
    user: ['resource.accessKeyDetails.userName'],
  },
  inspector: { hosts: ['resources.0.id'], ip: ['resources.0.details.awsEc2Instance.ipV4Addresses'] },
  nlb: { ip: ['source.ip', 'destination.ip'] },
  alb: { ip: ['destination.ip', 'source.ip', 'http_host'] },
  clb: { ip: ['destination.ip', 'source.ip'] },
  s3accesslog: { ip: ['source.ip'] },
  cloudfront_realtime: { ip: ['source.ip'] },
  cloudfront_standard: { ip: ['source.ip'] },
  waf: { ip: ['source.ip'] },
  route53resolver: { ip: ['source.ip'] },
  opensearch_audit: {
    hosts: ['audit_rest_request_headers.Host'],
    ip: ['audit_request_remote_address', 'audit_rest_request_headers.Host'],
    user: ['audit_request_effective_user', 'audit_request_initiating_user'],
  },
  workspaces_event: { ip: ['clientIpAddress'], hosts: ['workspaceId'] },
  workspaces_inventory: { hosts: ['ComputerName', 'WorkspaceId'], ip: ['IpAddress'], user: ['UserName'] },
};

type RelatedWriter = (doc: Json) => void;
const writers = new WeakMap<LogType, RelatedWriter | null>();

/** Adds the values of `v` (a value or a list) to `out` unless blank, already there, or (for `ip`) not an IP literal. */
function collect(v: unknown, ip: boolean, out: string[] | undefined): string[] | undefined {
  if (typeof v === 'string') {
    if (v === '' || v === '-' || (ip && !isIp(v))) return out;
    if (out === undefined) return [v];
    if (!out.includes(v)) out.push(v);
    return out;
  }
  if (v === undefined || v === null || typeof v === 'object' && !Array.isArray(v)) return out;
  if (Array.isArray(v)) {
    for (const e of v) if (!Array.isArray(e)) out = collect(e, ip, out);
    return out;
  }
  return collect(String(v), ip, out);
}

interface RelatedField {
  key: 'ip' | 'user' | 'hosts';
  paths: string[][];
}

/** The log type's `related.*` filler, compiled once per log type; null when the type fills none. */
export function relatedWriter(lt: LogType): RelatedWriter | null {
  let w = writers.get(lt);
  if (w !== undefined) return w;
  const src = Object.hasOwn(RELATED, lt.name) ? RELATED[lt.name]! : undefined;
  const fields: RelatedField[] = [];
  if (src) for (const key of ['ip', 'user', 'hosts'] as const) if (src[key]) fields.push({ key, paths: src[key].map((p) => p.split('.')) });
  w = fields.length === 0 ? null : (doc: Json) => relate(doc, fields);
  writers.set(lt, w);
  return w;
}

function relate(doc: Json, fields: RelatedField[]): void {
  for (let i = 0; i < fields.length; i++) {
    const { key, paths } = fields[i]!;
    const ip = key === 'ip';
    // Values a transform or mapping already put there are kept.
    const existing = isPlainObject(doc.related) ? doc.related[key] : undefined;
    let out = existing === undefined ? undefined : collect(existing, ip, undefined);
    for (let j = 0; j < paths.length; j++) {
      const p = paths[j]!;
      out = collect(p.length === 1 ? doc[p[0]!] : getPath(doc, p), ip, out);
    }
    if (out === undefined) continue;
    if (out.length === 2) {
      if (out[1]! < out[0]!) out.reverse();
    } else if (out.length > 2) out.sort();
    const related = isPlainObject(doc.related) ? doc.related : (doc.related = {});
    related[key] = out;
  }
}
