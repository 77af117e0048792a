/**
 * Amazon RDS for PostgreSQL / Aurora PostgreSQL logs with the RDS log_line_prefix `%t:%r:%u@%d:[%p]:`
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_LogAccess.Concepts.PostgreSQL.html).
 * As the reference's siem/sf_rds_postgresql.py:
 * - the entry's fields under `postgresql.` (timestamp, source_address, source_port, user, database, pid,
 *   log_level, message), rds.cluster_identifier / rds.instance_identifier from the log group and stream;
 * - STATEMENT entries: the statement as rds.query;
 * - FATAL "password authentication failed": a failed login; LOG "connection authorized": a successful one
 *   (event.category authentication, event.type start, event.action failed/authorized, event.outcome);
 * - LOG "disconnection: session time: h:mm:ss.fff": postgresql.session_time_seconds;
 * - LOG "statement: ..." (log_statement): rds.query, postgresql.query_step execute;
 * - LOG "duration: N ms [parse|bind|execute <name>: statement]" (log_min_duration_statement):
 *   postgresql.duration_ms, rds.query_time (seconds), postgresql.query_step and rds.query.
 * Deliberate differences (docs/log-types.md): a statement of several lines is kept whole (the reference
 * keeps its first line), the session time counts an hour as 3600 s (the reference 1440 s), and a
 * duration also gives event.duration (nanoseconds).
 */
import { child } from '../../ecs/paths';
import { failedLogin, nestUnder, rdsIdentifiers } from '../rds';
import type { Transform } from '../types';

const AUTH_FAILED = /authentication failed/;
const AUTH_SUCCESS = /connection authorized/;
const SESSION_TIME = /^disconnection: session time: (\d+):(\d{2}):([\d.]+)/;
const STATEMENT = /^statement:\s+(\w[\s\S]*)/;
const DURATION = /^duration:\s+(?<duration>[\d.]+)\s+ms(\s*(?<step>parse|bind|execute)?.*?:\s+(?<statement>[\s\S]*))?/;

export const rds_postgresql: Transform = ({ doc, key }) => {
  const pg = nestUnder(doc, 'postgresql');
  rdsIdentifiers(doc, key);
  const rds = child(doc, 'rds');
  const level = pg.log_level;
  const message = typeof pg.message === 'string' ? pg.message : '';
  if (level === 'STATEMENT') {
    rds.query = message;
    return;
  }
  if (level === 'FATAL') {
    if (AUTH_FAILED.test(message)) failedLogin(doc);
    return;
  }
  if (level !== 'LOG') return;
  if (AUTH_SUCCESS.test(message)) {
    const event = child(doc, 'event');
    event.category = 'authentication';
    event.type = 'start';
    event.action = 'authorized';
    event.outcome = 'success';
    return;
  }
  const session = SESSION_TIME.exec(message);
  if (session) {
    pg.session_time_seconds = Number(session[1]) * 3600 + Number(session[2]) * 60 + Number(session[3]);
    return;
  }
  const statement = STATEMENT.exec(message);
  if (statement) {
    rds.query = statement[1].replace(/;+$/, '');
    pg.query_step = 'execute';
    return;
  }
  const duration = DURATION.exec(message);
  if (!duration) return;
  const ms = Number(duration.groups!.duration);
  if (!Number.isFinite(ms)) return;
  pg.duration_ms = ms;
  rds.query_time = ms / 1000;
  child(doc, 'event').duration = Math.round(ms * 1e6);
  const step = duration.groups!.step;
  pg.query_step = step ?? 'execute';
  if (step) rds.query = duration.groups!.statement;
};
