/**
 * What the reference's web-server transforms (siem/sf_apache_*.py, sf_nginx_*.py) share: the request
 * line split into http.* and url.* (siem/utils.py extract_url_http_fields_from_http_request),
 * cloud.instance.id from a log stream named after the instance, service.name from
 * `/web-site-name=<name>/` in the key, url.scheme from the log group, event.outcome from the status.
 */
import { isIP } from 'node:net';
import { child, type Json } from '../../ecs/paths';

const INSTANCE_ID = /(?:\W|_|^)(i-(?:[0-9a-z]{8}|[0-9a-z]{17}))(?:\W|_|$)/;
const SERVICE_NAME = /\/web-site-name=([^/]*?)\//;
const NOT_FRAGMENT = /[&(){}@_;<>\s]/;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Python's urllib.parse.unquote: %XX sequences decoded as UTF-8, anything else left as it is. */
function unquote(s: string): string {
  try {
    return decodeURIComponent(s.replace(/%(?![0-9a-fA-F]{2})/g, '%25'));
  } catch {
    return s;
  }
}

/** http.version, http.request.method, url.original/domain/port/path/query/fragment/extension of a request line. */
export function requestFields(doc: Json, method?: string, path?: string, version?: string, raw?: string): void {
  const url = child(doc, 'url');
  if (version) child(doc, 'http').version = version;
  if (method) child(child(doc, 'http'), 'request').method = method;
  if (raw) url.original = raw;
  else if (method && path && version) url.original = path;
  if (raw !== undefined && path === undefined) return; // the reference's url.path stays empty: left out
  let p = path ?? '';
  if (p === '') return;
  if (p.startsWith('/')) {
    // a path
  } else if (p.startsWith('http://') || p.startsWith('https://')) {
    const parts = p.split('/');
    const authority = parts[2] ?? '';
    p = '/' + parts.slice(3).join('/');
    const hp = authority.split(':');
    if (hp.length <= 2 && hp[0]) {
      url.domain = hp[0];
      if (hp.length === 2 && /^\d+$/.test(hp[1]!)) url.port = Number(hp[1]);
    }
  } else if (method?.toLowerCase() === 'connect') {
    const hp = p.split(':');
    if (hp.length === 2) {
      url.domain = hp[0];
      if (/^\d+$/.test(hp[1]!)) url.port = Number(hp[1]);
      return;
    }
  }
  if (p.includes('%')) {
    p = unquote(p);
    if (p.includes('%')) p = unquote(p);
  }
  const hash = p.split('#');
  if (hash.length === 2 && !NOT_FRAGMENT.test(hash[1]!)) {
    if (hash[1]) url.fragment = hash[1];
    p = hash[0]!;
  }
  const q = p.indexOf('?');
  const urlPath = q < 0 ? p : p.slice(0, q);
  if (urlPath) url.path = urlPath;
  if (q >= 0 && p.length > q + 1) url.query = p.slice(q + 1);
  const file = urlPath.split('/').pop()!.split('.');
  if (file.length > 1 && file.at(-1) && !file.at(-1)!.includes('\\')) url.extension = file.at(-1);
}

/** cloud.instance.id and related.hosts ([hostname,] instance id) from the log stream; service.name from the key. */
export function hostFields(doc: Json, key: string, hostname?: string): void {
  const stream = doc['@log_stream'];
  const m = typeof stream === 'string' ? INSTANCE_ID.exec(stream) : null;
  if (m) {
    child(child(doc, 'cloud'), 'instance').id = m[1];
    child(doc, 'related').hosts = hostname ? [hostname, m[1]] : [m[1]];
  }
  const s = SERVICE_NAME.exec(key);
  if (s?.[1]) child(doc, 'service').name = s[1];
}

/** url.scheme: https for a log group whose name contains "ssl", http for one that contains `plain`. */
export function scheme(doc: Json, plain: string): void {
  const group = str(doc['@log_group']);
  if (group?.includes('ssl')) child(doc, 'url').scheme = 'https';
  else if (group?.includes(plain)) child(doc, 'url').scheme = 'http';
}

/** event.outcome from the response status: success below 400, failure from 400, else unknown. */
export function outcome(doc: Json, status: unknown): void {
  const n = typeof status === 'number' ? status : typeof status === 'string' && /^\d+$/.test(status) ? Number(status) : undefined;
  child(doc, 'event').outcome = n ? (n < 400 ? 'success' : 'failure') : 'unknown';
}

/** The addresses of an X-Forwarded-For value (the reference's parse_xff: IP literals only). */
export function parseXff(xff: string): string[] {
  return xff.split(',').map((s) => s.trim()).filter((s) => isIP(s) !== 0);
}

/** Access logs: the request, host, scheme, outcome, X-Forwarded-For; the raw fields the reference deletes are left out. */
export function accessLog(doc: Json, key: string, rawFields: readonly string[]): void {
  hostFields(doc, key);
  requestFields(doc, str(doc.request_method), str(doc.request_path), str(doc.request_version), str(doc.request_raw));
  scheme(doc, 'access');
  outcome(doc, doc.response_status);
  const xff = str(doc.xff);
  if (xff) {
    const ips = parseXff(xff);
    child(child(child(doc, 'http'), 'request'), 'header').x_forwarded_for = ips;
    const related = child(doc, 'related');
    const source = (doc.source as Json | undefined)?.ip;
    related.ip = [...new Set([...(typeof source === 'string' ? [source] : []), ...ips])].sort();
  }
  for (const f of rawFields) doc[f] = undefined;
}
