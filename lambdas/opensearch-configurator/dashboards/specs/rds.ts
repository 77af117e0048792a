import { accountAndRegion, trend, type DashboardSpec, type PanelSpec } from '../spec';

/**
 * RDS and Aurora logs (log-aws-rds-postgresql-*, log-aws-rds-mysql-*), answering the reference's RDS
 * Summary panels: logins by outcome and user, sources, databases, errors by level and message, slow
 * statements (PostgreSQL log_min_duration_statement and the MySQL slow query log), lock waits and DDL.
 */
const AUTH = 'event.category:authentication';
const FAILED_LOGIN = 'event.category:authentication AND event.outcome:failure';
/** Slow statements: PostgreSQL durations and MySQL slow query blocks. */
const SLOW = 'postgresql.duration_ms:* OR event.module:slowquery';
/** PostgreSQL "process N still waiting for ShareLock ..." / deadlocks, and MySQL slow queries that waited for locks. */
const LOCKS = 'postgresql.message:*lock* OR mysql.lock_time:>0 OR rds.message:*deadlock*';

/** A statement starting with `verb`, in any of the cases people write SQL in (rds.query is a keyword). */
const verb = (v: string): string => `rds.query:(${v.toUpperCase()}* OR ${v.toLowerCase()}* OR ${v[0]}${v.slice(1).toLowerCase()}*)`;
const verbs = (...vs: string[]) => vs.map((v) => ({ label: v, query: verb(v) }));

/** The reference's error levels: PostgreSQL PANIC/FATAL/ERROR/WARNING, MySQL System/Error/Warning. */
const LEVELS = [
  { label: 'PostgreSQL PANIC', query: 'event.module:rds-postgresql AND log.level:PANIC' },
  { label: 'PostgreSQL FATAL', query: 'event.module:rds-postgresql AND log.level:FATAL' },
  { label: 'PostgreSQL ERROR', query: 'event.module:rds-postgresql AND log.level:ERROR' },
  { label: 'PostgreSQL WARNING', query: 'event.module:rds-postgresql AND log.level:WARNING' },
  { label: 'MySQL System', query: 'event.module:error AND log.level:System' },
  { label: 'MySQL Error', query: 'event.module:error AND log.level:(Error OR ERROR)' },
  { label: 'MySQL Warning', query: 'event.module:error AND log.level:(Warning OR Warn)' },
];
const ERRORS = LEVELS.map((l) => `(${l.query})`).join(' OR ');

const table = (title: string, buckets: PanelSpec['buckets'], query?: string, metrics?: PanelSpec['metrics'], width?: number): PanelSpec => ({ title, kind: 'table', buckets, query, metrics, width });

export const rds: DashboardSpec = {
  name: 'rds',
  title: 'RDS Summary (PostgreSQL, MySQL, MariaDB, Aurora)',
  description:
    'Amazon RDS and Aurora database logs: logins succeeded and failed by user and source, databases and instances, error log entries by level and message, slow statements by duration and type, lock waits, and DDL (CREATE, DROP, ALTER, GRANT ...) from the audit, general and PostgreSQL logs.',
  indexPattern: 'log-aws-rds-*',
  searchColumns: ['event.module', 'event.category', 'log.level', 'rds.instance_identifier', 'rds.database_name', 'user.name', 'source.address', 'rds.query', 'rds.message'],
  panels: [
    ...accountAndRegion('RDS'),
    { title: 'RDS - Logins', kind: 'metric', query: AUTH, width: 12, height: 8 },
    { title: 'RDS - Failed logins', kind: 'metric', query: FAILED_LOGIN, width: 12, height: 8 },
    { title: 'RDS - Slow statements', kind: 'metric', query: SLOW, width: 12, height: 8 },
    { title: 'RDS - Error log entries', kind: 'metric', query: ERRORS, width: 12, height: 8 },
    trend('RDS - Log entries over time by log', 'event.module', 10, 'histogram'),
    { title: 'RDS - Instance and cluster', kind: 'table', buckets: [{ type: 'terms', field: 'rds.instance_identifier', size: 20 }, { type: 'terms', field: 'rds.cluster_identifier', size: 5 }] },
    { title: 'RDS - Database name', kind: 'table', buckets: [{ type: 'terms', field: 'rds.database_name', size: 15 }] },
    { title: 'RDS - Source address by event category', kind: 'pie', buckets: [{ type: 'terms', field: 'event.category', size: 5 }, { type: 'terms', field: 'source.address', size: 20 }] },
    table('RDS - Login results by user', [{ type: 'terms', field: 'event.outcome', size: 5 }, { type: 'terms', field: 'user.name', size: 20 }], AUTH),
    { ...trend('RDS - Logins over time by outcome', 'event.outcome', 5, 'histogram'), query: AUTH },
    table('RDS - Failed logins by source IP and user', [{ type: 'terms', field: 'source.ip', size: 20 }, { type: 'terms', field: 'user.name', size: 10 }], FAILED_LOGIN),
    table('RDS - Failed logins by instance', [{ type: 'terms', field: 'rds.instance_identifier', size: 20 }, { type: 'terms', field: 'user.name', size: 10 }], FAILED_LOGIN),
    { title: 'RDS - Error log level', kind: 'pie', buckets: [{ type: 'filters', filters: LEVELS }] },
    table('RDS - Error messages', [{ type: 'filters', filters: LEVELS }, { type: 'terms', field: 'rds.message', size: 20 }], undefined, undefined, 48),
    {
      title: 'RDS - Slow statements over time by type',
      kind: 'histogram',
      buckets: [{ type: 'date_histogram' }, { type: 'filters', filters: verbs('SELECT', 'INSERT', 'UPDATE', 'DELETE') }],
      query: SLOW,
    },
    table('RDS - Slowest statements', [{ type: 'terms', field: 'rds.query', size: 20 }, { type: 'terms', field: 'rds.instance_identifier', size: 5 }], SLOW, [{ type: 'max', field: 'rds.query_time', label: 'Max query time (s)' }, { type: 'count' }], 48),
    table('RDS - Slow statements by user', [{ type: 'terms', field: 'user.name', size: 20 }], SLOW, [{ type: 'sum', field: 'rds.query_time', label: 'Total query time (s)' }, { type: 'count' }]),
    table('RDS - Lock waits', [{ type: 'terms', field: 'rds.instance_identifier', size: 20 }, { type: 'terms', field: 'event.module', size: 5 }], LOCKS, [{ type: 'count' }, { type: 'max', field: 'mysql.lock_time', label: 'Max MySQL lock time (s)' }]),
    table('RDS - DDL statements', [{ type: 'filters', filters: verbs('CREATE', 'DROP', 'ALTER', 'TRUNCATE', 'RENAME', 'GRANT', 'REVOKE') }, { type: 'terms', field: 'rds.instance_identifier', size: 10 }, { type: 'terms', field: 'user.name', size: 10 }]),
    table('RDS - DDL statement text', [{ type: 'terms', field: 'rds.query', size: 20 }, { type: 'terms', field: 'user.name', size: 5 }], verbs('CREATE', 'DROP', 'ALTER', 'TRUNCATE', 'RENAME', 'GRANT', 'REVOKE').map((f) => `(${f.query})`).join(' OR '), undefined, 48),
    { title: 'RDS - MySQL audit operations', kind: 'pie', buckets: [{ type: 'terms', field: 'mysql.operation', size: 10 }], query: 'event.module:audit' },
  ],
};
