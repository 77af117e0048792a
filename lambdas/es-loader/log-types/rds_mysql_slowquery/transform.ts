/**
 * Slow query logs of Amazon RDS for MySQL / MariaDB and Aurora MySQL: one block per log event
 * (`# Time:` line (optional), `# User@Host:`, `# Query_time: .. Lock_time: ..`, then `use db;`,
 * `SET timestamp=..;` and the statement). As the reference's siem/sf_rds_mysql_slowquery.py:
 * - rds.query_time from Query_time (seconds); rds.database_name from a leading `use <db>;`;
 * - rds.query: the block from its first line that starts with neither `use` nor `set`, without the final `;`;
 * - the fields under `mysql.`, rds.cluster_identifier / rds.instance_identifier from the log group and stream.
 * Besides the reference (docs/log-types.md): event.duration, the query time in nanoseconds.
 */
import { child } from '../../ecs/paths';
import { nestUnder, rdsIdentifiers } from '../rds';
import type { Transform } from '../types';

const DATABASE = /^use ([^ ]*?);/;
const QUERY = /^(?!(use|set))[\s\S]*/im;

export const rds_mysql_slowquery: Transform = ({ doc, key }) => {
  rdsIdentifiers(doc, key);
  const rds = child(doc, 'rds');
  const time = doc.mysql_query_time;
  if (typeof time === 'string' && time !== '') {
    rds.query_time = time;
    const seconds = Number(time);
    if (Number.isFinite(seconds)) child(doc, 'event').duration = Math.round(seconds * 1e9);
  }
  const text = typeof doc.mysql_query === 'string' ? doc.mysql_query : '';
  const db = DATABASE.exec(text);
  if (db) rds.database_name = db[1];
  const query = QUERY.exec(text);
  if (query) rds.query = query[0].replace(/;+$/, '');
  nestUnder(doc, 'mysql');
};
