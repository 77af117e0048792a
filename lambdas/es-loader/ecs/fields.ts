/**
 * ECS field types used by the loader, for two jobs: coercing mapped values into the type OpenSearch
 * expects (so a port "443" becomes 443 and "-" disappears instead of failing the document), and
 * building the index templates (ecs/templates.ts). Field names follow Elastic Common Schema 8.x.
 * A field that is not listed here is a keyword.
 */

export type EcsType = 'keyword' | 'long' | 'integer' | 'float' | 'double' | 'ip' | 'date' | 'geo_point' | 'boolean' | 'text' | 'flat_object';

const KEYWORDS = `
cloud.account.id cloud.availability_zone cloud.instance.id cloud.provider cloud.region cloud.service.name
destination.address destination.domain destination.geo.city_name destination.geo.continent_name destination.geo.country_iso_code
destination.geo.country_name destination.geo.region_name destination.geo.timezone destination.as.organization.name
source.address source.domain source.geo.city_name source.geo.continent_name source.geo.country_iso_code source.geo.country_name
source.geo.region_name source.geo.timezone source.as.organization.name
dns.question.name dns.question.type dns.question.class dns.response_code
error.code event.action event.category event.dataset event.id event.kind event.module event.outcome event.provider event.type
event.original
http.request.method http.request.referrer http.request.id http.version
network.direction network.protocol network.transport network.type network.community_id
observer.name observer.type observer.vendor observer.product
rule.id rule.name rule.ruleset rule.category rule.uuid
url.domain url.path url.query url.scheme url.full url.original url.extension url.fragment
user.id user.name user.domain user.email
user_agent.original user_agent.name user_agent.version user_agent.os.name user_agent.os.full user_agent.device.name
related.ip related.user related.hosts
host.hostname host.name process.name
ecs.version tags
threat.matched.providers threat.matched.indicators threat.matched.names threat.matched.types
@log_type @log_s3bucket @log_s3key @id
aws.s3.bucket aws.s3.key
`;

const TYPED: Record<string, EcsType> = {
  '@timestamp': 'date',
  '@message': 'text',
  'event.ingested': 'date',
  'event.created': 'date',
  'event.start': 'date',
  'event.end': 'date',
  'event.duration': 'long',
  'event.severity': 'float',
  'event.risk_score': 'float',
  'event.risk_score_norm': 'float',
  'source.ip': 'ip',
  'source.nat.ip': 'ip',
  'destination.ip': 'ip',
  'destination.nat.ip': 'ip',
  'client.ip': 'ip',
  'server.ip': 'ip',
  'host.ip': 'ip',
  'related.ip': 'ip',
  'source.port': 'long',
  'destination.port': 'long',
  'source.nat.port': 'long',
  'destination.nat.port': 'long',
  'url.port': 'long',
  'source.bytes': 'long',
  'source.packets': 'long',
  'destination.bytes': 'long',
  'destination.packets': 'long',
  'network.bytes': 'long',
  'network.packets': 'long',
  'network.iana_number': 'keyword',
  'http.request.bytes': 'long',
  'http.response.bytes': 'long',
  'http.response.status_code': 'long',
  'process.pid': 'long',
  'source.geo.location': 'geo_point',
  'destination.geo.location': 'geo_point',
  'source.as.number': 'long',
  'destination.as.number': 'long',
  'error.message': 'text',
};

const FIELD_TYPES = new Map<string, EcsType>();
for (const f of KEYWORDS.split(/\s+/).filter(Boolean)) FIELD_TYPES.set(f, 'keyword');
for (const [f, t] of Object.entries(TYPED)) FIELD_TYPES.set(f, t);

export function ecsType(field: string): EcsType {
  return FIELD_TYPES.get(field) ?? 'keyword';
}

export function knownEcsFields(): ReadonlyMap<string, EcsType> {
  return FIELD_TYPES;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-fA-F:.]+$/;

/** Dotted-quad check without a regular expression (hot path: two addresses per flow log record). */
function isIpv4(s: string): boolean {
  let parts = 0;
  let n = 0;
  let digits = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || n > 255 || (digits > 1 && s.charCodeAt(i - digits) === 48)) return false;
      parts++;
      n = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      n = n * 10 + (c - 48);
      if (++digits > 3) return false;
    } else return false;
  }
  return parts === 4;
}

/** Is `s` an IPv4 or IPv6 address literal (zone ids and brackets are not accepted)? */
export function isIp(s: string): boolean {
  if (s.length <= 15 && !s.includes(':')) return isIpv4(s);
  if (IPV4.test(s)) return true;
  return s.includes(':') && IPV6.test(s) && s.length <= 45;
}

/** Missing-value markers written by AWS logs ("-" in VPC Flow Logs and S3/ELB access logs). */
function isBlank(v: unknown): boolean {
  return v === undefined || v === null || v === '' || v === '-';
}

/**
 * Coerces a mapped value to the field's ECS type. Returns undefined when the value cannot be expressed in
 * that type, so the field is left out rather than the whole document being rejected by OpenSearch.
 */
export function coerce(field: string, value: unknown): unknown {
  return coerceType(ecsType(field), value);
}

export function coerceType(type: EcsType, value: unknown): unknown {
  if (isBlank(value)) return undefined;
  if (Array.isArray(value)) {
    const out = value.map((v) => coerceType(type, v)).filter((v) => v !== undefined);
    return out.length === 0 ? undefined : out.length === 1 ? out[0] : out;
  }
  switch (type) {
    case 'long':
    case 'integer': {
      const n = typeof value === 'number' ? value : Number(value);
      return Number.isFinite(n) ? Math.trunc(n) : undefined;
    }
    case 'float':
    case 'double': {
      const n = typeof value === 'number' ? value : Number(value);
      return Number.isFinite(n) ? n : undefined;
    }
    case 'ip': {
      const s = String(value).trim();
      return isIp(s) ? s : undefined;
    }
    case 'keyword':
    case 'text':
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
    default:
      return value;
  }
}
