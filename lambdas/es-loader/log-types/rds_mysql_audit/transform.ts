/**
 * Audit logs of Amazon RDS for MySQL / MariaDB (MariaDB Audit Plugin) and Aurora MySQL (advanced auditing):
 * `timestamp,serverhost,username,host,connectionid,queryid,operation,database,object,retcode`
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Auditing.html).
 * As the reference's siem/sf_rds_mysql_audit.py:
 * - the columns under `mysql.`; an Aurora time in epoch microseconds becomes epoch seconds (a number);
 * - rds.query: the object without its quotes, its escapes (\' \n \\ ...) decoded;
 * - CONNECT / FAILED_CONNECT / DISCONNECT: event.category authentication, event.type start/end,
 *   event.action authorized / failed / disconnected;
 * - rds.cluster_identifier / rds.instance_identifier from the log group and stream.
 * Deliberate difference (docs/log-types.md): event.outcome is success for retcode 0 and failure for any
 * other code; the reference compares the text "0" with the number 0 and writes failure for every record.
 */
import { child } from '../../ecs/paths';
import { nestUnder, rdsIdentifiers } from '../rds';
import type { Transform } from '../types';

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', f: '\f', v: '\v', a: '\x07', '\\': '\\', "'": "'", '"': '"' };

/** Python's unicode-escape decoding of the ASCII escapes the audit plugin writes; other characters stay as they are. */
export function unescapeAuditObject(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|[0-7]{1,3}|.)/gs, (all, e: string) => {
    if (e.length > 1 && (e[0] === 'x' || e[0] === 'u')) return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]+$/.test(e) && !(e === '0')) return String.fromCharCode(parseInt(e, 8));
    return SIMPLE_ESCAPES[e] ?? all;
  });
}

const ACTIONS: Readonly<Record<string, { type: string; action: string }>> = {
  FAILED_CONNECT: { type: 'start', action: 'failed' },
  CONNECT: { type: 'start', action: 'authorized' },
  DISCONNECT: { type: 'end', action: 'disconnected' },
};

export const rds_mysql_audit: Transform = ({ doc, key }) => {
  rdsIdentifiers(doc, key);
  const ts = doc.mysql_timestamp;
  if (typeof ts === 'string' && /^\d+$/.test(ts) && Number(ts) > 1e15) doc.mysql_timestamp = Number(ts) / 1e6;
  const rds = child(doc, 'rds');
  if (typeof doc.mysql_object === 'string') {
    const query = unescapeAuditObject(doc.mysql_object.replace(/;+$/, '')).slice(1, -1);
    if (query === '') rds.query = undefined;
    else rds.query = query;
  }
  const op = typeof doc.mysql_operation === 'string' ? ACTIONS[doc.mysql_operation] : undefined;
  const event = child(doc, 'event');
  if (op) {
    event.category = 'authentication';
    event.type = op.type;
    event.action = op.action;
  }
  if (typeof doc.mysql_retcode === 'string' && doc.mysql_retcode !== '') event.outcome = doc.mysql_retcode === '0' ? 'success' : 'failure';
  nestUnder(doc, 'mysql');
};
