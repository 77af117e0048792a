/**
 * NGINX error logs through CloudWatch Logs, as the reference's siem/sf_nginx_error.py: the client,
 * request, host and referrer nginx appends to the message become source.*, http.*, url.* and
 * related.ip; nginx.error.connection_id; the host and scheme fields of log-types/apache_access/web.ts.
 */
import { isIP } from 'node:net';
import { child } from '../../ecs/paths';
import { hostFields, requestFields, scheme } from '../apache_access/web';
import type { Transform } from '../types';

const MESSAGE = new RegExp(
  String.raw`client: (?<client_ip>[0-9a-f.:]+), server: (-|(?<server>[^ ]*?))` +
    String.raw`(?:, request: "((?<request_method>[^ ]+) (?<request_path>[^ ]+) HTTP/(?<request_version>[^ ]+)|(?<request_raw>.*?))")?` +
    String.raw`(?:, upstream: "(?<upstream>.+?)")?` +
    String.raw`(?:, host: "(?<host>[^ ]+?)")?` +
    String.raw`(?:, referrer: "(?<referrer>[^ ]+?)")?$`,
);
const RAW = ['connection_id', 'datetime', 'message', 'process_id', 'thread_id', 'severity'];

export const nginx_error: Transform = ({ doc, key }) => {
  hostFields(doc, key, typeof doc.hostname === 'string' ? doc.hostname : undefined);
  const g = typeof doc.message === 'string' ? MESSAGE.exec(doc.message)?.groups : undefined;
  if (g) {
    if (g.host) {
      // host: "name" or "name:port" (the reference writes the latter to top-level domain/port: docs/log-types.md)
      const hp = g.host.split(':');
      if (hp.length <= 2) child(doc, 'url').domain = hp[0];
      if (hp.length === 2 && /^\d+$/.test(hp[1]!)) child(doc, 'url').port = Number(hp[1]);
    }
    requestFields(doc, g.request_method, g.request_path, g.request_version, g.request_raw);
    if (g.client_ip && isIP(g.client_ip)) {
      const source = child(doc, 'source');
      source.ip = g.client_ip;
      source.address = g.client_ip;
      child(doc, 'related').ip = [g.client_ip];
    }
    if (g.referrer) child(child(doc, 'http'), 'request').referrer = g.referrer;
  }
  scheme(doc, 'error');
  if (typeof doc.connection_id === 'string' && doc.connection_id) child(child(doc, 'nginx'), 'error').connection_id = doc.connection_id;
  for (const f of RAW) doc[f] = undefined;
};
