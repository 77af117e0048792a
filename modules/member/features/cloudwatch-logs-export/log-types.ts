/**
 * The loader's log types that have a CloudWatch Logs form (`via_cwl = True` in
 * lambdas/es-loader/aws.ini), by the name a member file uses (the section's name with dashes, as the
 * reference spells its sections: `linux-secure` is `[linux_secure]`).
 *
 * The loader decides the type of an object from its key alone, so each type gets two key segments
 * `<family>/<kind>` that its section's `s3_key` matches and no earlier section's does: the objects of a
 * log group of type `linux-secure` land under `AWSLogs/<acct>/CloudWatchLogs/Linux/secure/<region>/...`.
 * test/unit/cloudwatch-logs-export.test.ts runs the loader's own key resolution on the full key of every
 * type, and fails when aws.ini gains a via_cwl section this table does not list.
 */

export interface CwlLogType {
  /** The two key segments the type's objects are written under (`Linux`, `secure`). */
  readonly family: string;
  readonly kind: string;
  /**
   * The section's `loggroup` setting: the loader keeps only the events of log groups whose name
   * contains this text, so a log group exported as this type must contain it.
   */
  readonly logGroupContains?: string;
  /** What the type reads, for people (docs, errors). */
  readonly title: string;
}

export const CWL_LOG_TYPES = {
  'linux-secure': { family: 'Linux', kind: 'secure', title: 'Linux /var/log/secure (sshd, sudo, su)' },
  'linux-os-syslog': { family: 'Linux', kind: 'messages', title: 'Linux syslog (/var/log/messages)' },
  'apache-access': { family: 'Apache', kind: 'access', title: 'Apache HTTP Server access log' },
  'apache-error': { family: 'Apache', kind: 'error', title: 'Apache HTTP Server error log' },
  'nginx-access': { family: 'Nginx', kind: 'access', title: 'NGINX access log' },
  'nginx-error': { family: 'Nginx', kind: 'error', title: 'NGINX error log' },
  'opensearch-audit': { family: 'OpenSearch', kind: 'audit', title: 'Amazon OpenSearch Service audit logs' },
  'opensearch-application': { family: 'OpenSearch', kind: 'application', title: 'Amazon OpenSearch Service application (error) logs' },
  'windows-event': { family: 'Windows', kind: 'Event', title: 'Windows event logs as event XML (CloudWatch agent, event_format xml)' },
  'rds-postgresql': { family: 'RDS', kind: 'PostgreSQL', title: 'Amazon RDS / Aurora PostgreSQL log' },
  'rds-mysql-audit': { family: 'RDS', kind: 'MySQL-audit', title: 'Amazon RDS / Aurora MySQL and MariaDB audit log' },
  'rds-mysql-error': { family: 'RDS', kind: 'MySQL-error', title: 'Amazon RDS / Aurora MySQL and MariaDB error log' },
  'rds-mysql-general': { family: 'RDS', kind: 'MySQL-general', title: 'Amazon RDS / Aurora MySQL and MariaDB general log' },
  'rds-mysql-slowquery': { family: 'RDS', kind: 'MySQL-slowquery', title: 'Amazon RDS / Aurora MySQL and MariaDB slow query log' },
  clientvpn: { family: 'ClientVPN', kind: 'connection', title: 'AWS Client VPN connection logs' },
  cloudhsm: { family: 'CloudHSM', kind: 'audit', title: 'AWS CloudHSM audit logs (log group /aws/cloudhsm/<cluster-id>)' },
  'directory-service': { family: 'DirectoryService', kind: 'MicrosoftAD', title: 'AWS Directory Service for Microsoft AD security events (log forwarding)' },
  'elasticache-redis-slowlog-cwl': { family: 'ElastiCache', kind: 'redis-slowlog', title: 'Amazon ElastiCache (Redis OSS) slow log delivered to CloudWatch Logs (JSON)' },
} as const satisfies Record<string, CwlLogType>;

export type CwlLogTypeName = keyof typeof CWL_LOG_TYPES;
export const CWL_LOG_TYPE_NAMES = Object.keys(CWL_LOG_TYPES) as CwlLogTypeName[];

/** The loader section of a type name (`linux-secure` -> `linux_secure`). */
export const loaderSection = (type: CwlLogTypeName): string => type.replaceAll('-', '_');

/** The closest type name to a misspelt one (at most a third of its letters changed), for "did you mean". */
export function closestLogType(given: string): CwlLogTypeName | undefined {
  let best: { name: CwlLogTypeName; d: number } | undefined;
  const g = given.toLowerCase().replaceAll('_', '-');
  for (const name of CWL_LOG_TYPE_NAMES) {
    const d = distance(g, name);
    if (d <= Math.max(1, Math.floor(name.length / 3)) && (!best || d < best.d)) best = { name, d };
  }
  return best?.name;
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}
