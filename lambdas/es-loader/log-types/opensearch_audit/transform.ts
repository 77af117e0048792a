/**
 * Amazon OpenSearch Service audit logs (https://docs.aws.amazon.com/opensearch-service/latest/developerguide/audit-logs.html),
 * one JSON message per CloudWatch Logs event. As the reference (sf_opensearch_audit.py):
 * - event.outcome from audit_category: GRANTED_PRIVILEGES/AUTHENTICATED success, MISSING_PRIVILEGES/
 *   FAILED_LOGIN failure, anything else (INDEX_EVENT, security index attempts...) unknown;
 * - event.category gains `authentication` for logins (FAILED_LOGIN, AUTHENTICATED);
 * - rule.name `ParsingError` when the message names neither a request type, a method nor a category;
 * - the audit fields under `opensearch.` (field_prefix), the message's `@timestamp` as opensearch.timestamp;
 * - user_agent.original from the User-Agent request header (headers are lists of values);
 * - related.hosts (Host header), related.ip (remote address; a Host that is an IP), related.user
 *   (effective and initiating user), the reference's list-form mappings, filled here because the fields
 *   are under `opensearch.` by then.
 */
import { isIP } from 'node:net';
import { child, isPlainObject, type Json } from '../../ecs/paths';
import type { Transform } from '../types';

const SUCCESS = new Set(['GRANTED_PRIVILEGES', 'AUTHENTICATED']);
const FAILURE = new Set(['MISSING_PRIVILEGES', 'FAILED_LOGIN']);
const LOGIN = new Set(['FAILED_LOGIN', 'AUTHENTICATED']);

const uniqueSorted = (a: string[]): string[] => [...new Set(a)].sort();
const first = (v: unknown): unknown => (Array.isArray(v) ? v[0] : v);

export const opensearch_audit: Transform = ({ doc }) => {
  const category = doc.audit_category;
  const headers = isPlainObject(doc.audit_rest_request_headers) ? doc.audit_rest_request_headers : undefined;
  const ua = first(headers?.['User-Agent']);
  if (typeof ua === 'string' && ua !== '') child(doc, 'user_agent').original = ua;

  const orig: Json = {};
  for (const k of Object.keys(doc)) {
    if (!k.startsWith('audit_')) continue;
    orig[k] = doc[k];
    doc[k] = undefined;
  }
  if (doc['@timestamp'] !== undefined) orig.timestamp = doc['@timestamp'];
  doc.opensearch = orig;

  const event = child(doc, 'event');
  event.outcome = typeof category === 'string' && SUCCESS.has(category) ? 'success' : typeof category === 'string' && FAILURE.has(category) ? 'failure' : 'unknown';
  // Lists, as the reference's `[database]` / `[info]` static values.
  event.category = typeof category === 'string' && LOGIN.has(category) ? ['database', 'authentication'] : ['database'];
  event.type = ['info'];
  const related: Json = {};
  const hosts = [first(headers?.Host)].filter((h): h is string => typeof h === 'string' && h !== '');
  if (hosts.length) related.hosts = hosts;
  const ips = uniqueSorted([orig.audit_request_remote_address, ...hosts].filter((v): v is string => typeof v === 'string' && isIP(v) !== 0));
  if (ips.length) related.ip = ips;
  const users = uniqueSorted([orig.audit_request_effective_user, orig.audit_request_initiating_user].filter((v): v is string => typeof v === 'string' && v !== ''));
  if (users.length) related.user = users;
  if (Object.keys(related).length) doc.related = related;
  const rule = child(doc, 'rule');
  if (rule.name === undefined || rule.name === '') rule.name = 'ParsingError';
};
