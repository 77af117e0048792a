/**
 * What the RDS log types share (the reference's siem/utils.py cluster_instance_identifier and
 * convert_underscore_field_into_dot_notation): the DB identifiers from the CloudWatch Logs group and
 * stream, and the log's own fields moved under one object (`mysql_user` -> `mysql.user`).
 */
import { child, type Json } from '../ecs/paths';

/** A path segment naming a Region (the reference's RE_REGION, as a whole segment). */
const REGION_SEGMENT = /(?:^|\/)((?:us|ap|ca|eu|il|me|mx|sa|af|cn)-(?:gov-)?[a-z]+-\d)\//;

/**
 * cloud.region from the object key, and rds.instance_identifier (and rds.cluster_identifier for Aurora) from the log group:
 * `/aws/rds/instance/<db instance>/<log>`, or `/aws/rds/cluster/<cluster>/<log>` whose log stream is
 * `<db instance>[.<suffix>]`.
 */
export function rdsIdentifiers(doc: Json, key: string): void {
  // The exporter's prefix puts the region after the log name (AWSLogs/<acct>/RDS/MySQL/audit/<region>/),
  // where the loader's key reading (AWSLogs/<acct>/<service>/<region>/) does not look.
  const region = REGION_SEGMENT.exec(key);
  if (region) {
    const cloud = child(doc, 'cloud');
    if (cloud.region === undefined) cloud.region = region[1];
  }
  const group = typeof doc['@log_group'] === 'string' ? doc['@log_group'].split('/') : [];
  const stream = doc['@log_stream'];
  let cluster: string | undefined;
  let instance: string | undefined;
  if (group[3] === 'instance') instance = group[4];
  else if (group[3] === 'cluster') {
    cluster = group[4];
    if (typeof stream === 'string') instance = stream.split('.')[0];
  }
  const rds = child(doc, 'rds');
  if (cluster) rds.cluster_identifier = cluster;
  if (instance) rds.instance_identifier = instance;
}

/** Moves the root fields `<prefix>_<name>` to `<prefix>.<name>`; empty values are left out (the reference's del_none). */
export function nestUnder(doc: Json, prefix: string): Json {
  const out = child(doc, prefix);
  const start = `${prefix}_`;
  for (const k of Object.keys(doc)) {
    if (!k.startsWith(start)) continue;
    const v = doc[k];
    doc[k] = undefined;
    if (v !== undefined && v !== null && v !== '') out[k.slice(start.length)] = v;
  }
  return out;
}

/** A failed login: the reference's event fields for it. */
export function failedLogin(doc: Json): void {
  const event = child(doc, 'event');
  event.category = 'authentication';
  event.type = 'start';
  event.action = 'failed';
  event.outcome = 'failure';
}
