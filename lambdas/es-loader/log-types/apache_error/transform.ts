/**
 * Apache error logs through CloudWatch Logs, as the reference's siem/sf_apache_error.py: the referer
 * named in the message as http.request.referrer, event.type info/error from the level, the host and
 * scheme fields of log-types/apache_access/web.ts; the parsed raw fields are left out.
 */
import { child } from '../../ecs/paths';
import { hostFields, scheme } from '../apache_access/web';
import type { Transform } from '../types';

const REFERER = /referer:\s*(http[^ ]*)/;
const ERROR_LEVELS = new Set(['emerg', 'alert', 'crit', 'error', 'warn']);
const RAW = ['client_ip', 'client_port', 'datetime', 'debug_message', 'log_level', 'message', 'message_code', 'module', 'pid', 'tid'];

export const apache_error: Transform = ({ doc, key }) => {
  hostFields(doc, key, typeof doc.hostname === 'string' ? doc.hostname : undefined);
  const m = typeof doc.message === 'string' ? REFERER.exec(doc.message) : null;
  if (m) child(child(doc, 'http'), 'request').referrer = m[1];
  scheme(doc, 'error');
  if (doc.log_level === 'info') child(doc, 'event').type = 'info';
  else if (typeof doc.log_level === 'string' && ERROR_LEVELS.has(doc.log_level)) child(doc, 'event').type = 'error';
  for (const f of RAW) doc[f] = undefined;
};
