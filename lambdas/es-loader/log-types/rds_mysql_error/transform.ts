/**
 * Error logs of Amazon RDS for MySQL / MariaDB and Aurora MySQL: `time thread_id [level] message` (5.7),
 * `time thread_id [level] [MY-nnnnnn] [subsystem] message` (8.0), and `yymmdd hh:mm:ss message` lines of
 * the audit plugin. As the reference's siem/sf_rds_mysql_error.py:
 * - "Access denied for user 'u'@'h'": a failed login (event.category authentication, event.type start,
 *   event.action failed, event.outcome failure), user.name, source.address, and source.ip when h is an IP;
 * - "Unknown database 'd'": a failed login too, rds.database_name;
 * - the fields under `mysql.`, rds.cluster_identifier / rds.instance_identifier from the log group and stream.
 * Deliberate difference (docs/log-types.md): the MySQL 8.0 form, whose message starts with
 * `[MY-nnnnnn] [Server] `, is recognised too (the reference matches only the 5.7 form).
 */
import { isIP } from 'node:net';
import { child } from '../../ecs/paths';
import { failedLogin, nestUnder, rdsIdentifiers } from '../rds';
import type { Transform } from '../types';

const CODE_PREFIX = '^(?:\\[MY-\\d+\\] \\[\\w+\\] )?';
const AUTH_FAILED = new RegExp(`${CODE_PREFIX}Access denied for user '([^']*)'@'([^']*)'`);
const UNKNOWN_DB = new RegExp(`${CODE_PREFIX}Unknown database '([^']*)'`);

export const rds_mysql_error: Transform = ({ doc, key }) => {
  rdsIdentifiers(doc, key);
  const message = typeof doc.mysql_message === 'string' ? doc.mysql_message : '';
  const denied = AUTH_FAILED.exec(message);
  if (denied) {
    failedLogin(doc);
    const [, user, host] = denied;
    doc.mysql_username = user;
    child(doc, 'user').name = user;
    doc.mysql_host = host;
    const source = child(doc, 'source');
    source.address = host;
    if (isIP(host)) source.ip = host;
  }
  const unknown = UNKNOWN_DB.exec(message);
  if (unknown) {
    failedLogin(doc);
    doc.mysql_database = unknown[1];
    child(doc, 'rds').database_name = unknown[1];
  }
  nestUnder(doc, 'mysql');
};
