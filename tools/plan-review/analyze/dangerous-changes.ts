/**
 * Destroys and replacements of resources that hold data or an audit trail (DANGER: the only finding
 * that changes the exit code).
 */
import { changeKind, type ResourceChange } from '../plan-json';
import { sensitiveAt, show, targetOf, unknownAt, valueAt } from './resource';

/**
 * Resource types that hold data (or whose replacement loses data or an audit trail), with what is lost.
 * A destroy or replace of any of these is DANGER.
 */
export const STATEFUL_TYPES: Readonly<Record<string, string>> = {
  aws_s3_bucket: 'the bucket and every object in it (logs, snapshots) are deleted',
  aws_kms_key: 'the key is scheduled for deletion; everything encrypted with it becomes unreadable',
  aws_opensearch_domain: 'the domain and all its indices, dashboards and security configuration are deleted',
  aws_elasticsearch_domain: 'the domain and all its indices are deleted',
  aws_sqs_queue: 'messages waiting in the queue are lost',
  aws_cloudtrail: 'the trail stops; API activity in between is not logged',
  aws_cloudwatch_log_group: 'the log group and its log events are deleted',
  aws_kinesis_firehose_delivery_stream: 'buffered records are lost and delivery stops until the new stream exists',
  aws_guardduty_detector: 'GuardDuty findings and their history are deleted',
  aws_kinesis_stream: 'records in the stream are lost',
  aws_dynamodb_table: 'the table and its items are deleted',
  aws_secretsmanager_secret: 'the secret value is deleted',
  aws_efs_file_system: 'the file system and its files are deleted',
  aws_db_instance: 'the database is deleted',
  aws_rds_cluster: 'the database cluster is deleted',
  aws_ebs_volume: 'the volume and its data are deleted',
  aws_backup_vault: 'recovery points in the vault are deleted',
};

export interface DangerItem {
  readonly address: string;
  readonly type: string;
  readonly kind: 'replace' | 'delete';
  /** The resource's name as AWS knows it (bucket name, key description...), when known. */
  readonly target?: string;
  /** What is lost. */
  readonly loss: string;
  /** Why Terraform destroys it: the attributes forcing replacement (with before -> after) or the reason. */
  readonly causes: readonly string[];
}

/** DANGER: a stateful resource destroyed or replaced, with what is lost and why Terraform does it. */
export function detectDangerousChanges(rc: ResourceChange): DangerItem[] {
  const loss = STATEFUL_TYPES[rc.type];
  const kind = changeKind(rc.change.actions);
  if (!loss || (kind !== 'replace' && kind !== 'delete')) return [];
  const causes: string[] = [];
  if (kind === 'replace') {
    for (const p of rc.change.replace_paths ?? []) {
      if (sensitiveAt(rc, p)) {
        causes.push(`\`${p.join('.')}\` (sensitive) changed and forces replacement`);
        continue;
      }
      const before = valueAt(rc.change.before ?? undefined, p);
      const after = unknownAt(rc.change.after_unknown, String(p[0])) ? undefined : valueAt(rc.change.after ?? undefined, p);
      causes.push(`\`${p.join('.')}\`: ${show(before)} -> ${show(after)} forces replacement`);
    }
    if (rc.action_reason === 'replace_because_tainted') causes.push('the resource is tainted');
    if (rc.action_reason === 'replace_by_request') causes.push('replacement was requested (-replace)');
    if (causes.length === 0) causes.push(rc.action_reason ?? 'the provider cannot update it in place');
  } else {
    const reasons: Record<string, string> = {
      delete_because_no_resource_config: 'it was removed from the configuration',
      delete_because_no_module: 'its module was removed from the configuration',
      delete_because_wrong_repetition: 'count/for_each changed shape',
      delete_because_count_index: 'its count index is no longer in range',
      delete_because_each_key: 'its for_each key is no longer present',
    };
    causes.push(reasons[rc.action_reason ?? ''] ?? 'it is destroyed');
  }
  return [{ address: rc.address, type: rc.type, kind, target: targetOf(rc), loss, causes }];
}
