/**
 * The reference's names of our log types where they differ (its `@log_type`, `event.module` and section
 * names): ecs/basic.ts writes them, config/ini-files.ts accepts them as section names of a user.ini.
 */
/** Our section names whose reference section name differs (the reference's `@log_type` and `event.module`). */
export const REFERENCE_NAMES: Readonly<Record<string, string>> = {
  opensearch_metrics: 'index-metrics',
  cloudfront_standard: 'cloudfront-standard',
  cloudfront_realtime: 'cloudfront-realtime',
  config_rules: 'config-rules',
  elasticache_redis_slowlog: 'elasticache-redis-slowlog',
  opensearch_audit: 'opensearch-audit',
  workspaces_event: 'workspaces-event',
  workspaces_inventory: 'workspaces-inventory',
  linux_secure: 'linux-secure',
  linux_os_syslog: 'linux-os-syslog',
  apache_access: 'apache-access',
  apache_error: 'apache-error',
  nginx_access: 'nginx-access',
  nginx_error: 'nginx-error',
  windows_event: 'windows-event',
  apache_ecs: 'apache-ecs',
  cloudhsm_cwl: 'cloudhsm-cwl',
  directory_service: 'directory-service',
  fsx_win: 'fsx-win',
  ocsf_json: 'ocsf-json',
  rds_postgresql: 'rds-postgresql',
  rds_mysql_audit: 'rds-mysql-audit',
  rds_mysql_general: 'rds-mysql-general',
  rds_mysql_error: 'rds-mysql-error',
  rds_mysql_slowquery: 'rds-mysql-slowquery',
};
