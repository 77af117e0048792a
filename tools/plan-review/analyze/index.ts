/**
 * Reads one stack's plan (`terraform show -json`) and picks out what a security reviewer must look at:
 * 1. DANGER: a stateful resource is destroyed or replaced (its data goes with it).
 * 2. Access policies that change (IAM, trust, bucket, key, queue, topic, OpenSearch, Lambda permissions),
 *    as statement-level diffs; security group rules that change.
 * 3. Public-exposure changes: S3 public access blocks, OpenSearch endpoint/VPC/authentication options,
 *    bucket ACLs, Lambda function URLs.
 * The result is data; report.ts renders it.
 */
import { diffPolicies, type PolicyDiff } from './policy-diff';
import { changeKind, type ChangeKind, type JsonObject, type JsonValue, type PlanJson, type ResourceChange } from './plan-json';

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

export interface ChangeCounts {
  add: number;
  change: number;
  replace: number;
  destroy: number;
}

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

export interface PolicyItem {
  readonly address: string;
  readonly type: string;
  /** e.g. "bucket policy", "role trust policy". */
  readonly policyKind: string;
  readonly kind: ChangeKind;
  readonly target?: string;
  readonly diff: PolicyDiff;
  /** Managed policies attached/detached (aws_iam_role_policy_attachment, managed_policy_arns). */
  readonly attachments?: { readonly added: readonly string[]; readonly removed: readonly string[] };
  /** E.g. the policy is known only after apply and was read from the synthesized configuration. */
  readonly notes: readonly string[];
  /**
   * The whole policy before and after (pretty-printed JSON; absent on the side where the policy does
   * not exist), shown beside the statement-level diff. Never set for a sensitive policy.
   */
  readonly documents?: PolicyDocuments;
}

export interface PolicyDocuments {
  readonly before?: string;
  readonly after?: string;
  /** What the documents are when not the policy text itself (default "Policy document"). */
  readonly label?: string;
}

/** A policy text as indented JSON (unchanged when it is not JSON, so the reviewer still sees it). */
export function prettyPolicy(text: string | object): string {
  try {
    return JSON.stringify(typeof text === 'string' ? JSON.parse(text) : text, null, 2);
  } catch {
    return String(text);
  }
}

function documentsOf(before: string | object | undefined, after: string | object | undefined, label?: string): PolicyDocuments {
  return {
    ...(before !== undefined ? { before: prettyPolicy(before) } : {}),
    ...(after !== undefined ? { after: prettyPolicy(after) } : {}),
    ...(label ? { label } : {}),
  };
}

export interface NetworkRuleItem {
  readonly address: string;
  readonly type: string;
  readonly kind: ChangeKind;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** An added ingress rule admits the whole internet (0.0.0.0/0 or ::/0). */
  readonly opensToInternet: boolean;
}

export interface ExposureItem {
  readonly address: string;
  readonly type: string;
  readonly kind: ChangeKind;
  readonly target?: string;
  /** One line per setting: `block_public_policy: true -> false`. */
  readonly details: readonly string[];
  /** The change makes the resource more reachable from outside (a flag turned off, auth removed...). */
  readonly weakens: boolean;
}

export interface StackAnalysis {
  readonly counts: ChangeCounts;
  readonly danger: readonly DangerItem[];
  readonly policies: readonly PolicyItem[];
  readonly network: readonly NetworkRuleItem[];
  readonly exposure: readonly ExposureItem[];
}

/** The synthesized stack (cdk.tf.json), used to show policies whose text is known only after apply. */
export interface SynthesizedConfig {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Record<string, unknown>>>>>;
}

interface PolicyAttribute {
  readonly attr: string;
  readonly policyKind: string;
}

/** Where each resource type keeps a policy document. */
export const POLICY_ATTRIBUTES: Readonly<Record<string, readonly PolicyAttribute[]>> = {
  aws_iam_role: [{ attr: 'assume_role_policy', policyKind: 'role trust policy' }],
  aws_iam_policy: [{ attr: 'policy', policyKind: 'IAM policy' }],
  aws_iam_role_policy: [{ attr: 'policy', policyKind: 'role inline policy' }],
  aws_iam_user_policy: [{ attr: 'policy', policyKind: 'user inline policy' }],
  aws_iam_group_policy: [{ attr: 'policy', policyKind: 'group inline policy' }],
  aws_s3_bucket_policy: [{ attr: 'policy', policyKind: 'bucket policy' }],
  aws_s3_bucket: [{ attr: 'policy', policyKind: 'bucket policy' }],
  aws_kms_key: [{ attr: 'policy', policyKind: 'key policy' }],
  aws_kms_key_policy: [{ attr: 'policy', policyKind: 'key policy' }],
  aws_sqs_queue_policy: [{ attr: 'policy', policyKind: 'queue policy' }],
  aws_sqs_queue: [{ attr: 'policy', policyKind: 'queue policy' }],
  aws_sns_topic_policy: [{ attr: 'policy', policyKind: 'topic policy' }],
  aws_sns_topic: [{ attr: 'policy', policyKind: 'topic policy' }],
  aws_opensearch_domain: [{ attr: 'access_policies', policyKind: 'OpenSearch access policy' }],
  aws_opensearch_domain_policy: [{ attr: 'access_policies', policyKind: 'OpenSearch access policy' }],
  aws_elasticsearch_domain: [{ attr: 'access_policies', policyKind: 'domain access policy' }],
  aws_elasticsearch_domain_policy: [{ attr: 'access_policies', policyKind: 'domain access policy' }],
  aws_cloudwatch_log_resource_policy: [{ attr: 'policy_document', policyKind: 'CloudWatch Logs resource policy' }],
  aws_cloudwatch_event_bus_policy: [{ attr: 'policy', policyKind: 'event bus policy' }],
  aws_secretsmanager_secret_policy: [{ attr: 'policy', policyKind: 'secret policy' }],
  aws_ecr_repository_policy: [{ attr: 'policy', policyKind: 'repository policy' }],
  aws_glue_resource_policy: [{ attr: 'policy', policyKind: 'Glue resource policy' }],
};

const IDENTITY_ATTRIBUTES = ['bucket', 'name', 'policy_name', 'domain_name', 'role', 'queue_url', 'function_name', 'alarm_name', 'description', 'arn'];
/** Types whose `name` alone is ambiguous: an inline policy is named within its role. */
const QUALIFIED_IDENTITY: Readonly<Record<string, readonly [string, string]>> = {
  aws_iam_role_policy: ['role', 'name'],
  aws_iam_user_policy: ['user', 'name'],
  aws_iam_group_policy: ['group', 'name'],
};

function isObject(v: JsonValue | undefined): v is JsonObject {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);
}

function unknownAt(afterUnknown: JsonValue | undefined, attr: string): boolean {
  return isObject(afterUnknown) && afterUnknown[attr] === true;
}

/**
 * Whether a value under `path` is sensitive on either side. The report is posted on pull requests, so a
 * sensitive value is never printed (terraform show -json writes them in clear, marked in *_sensitive).
 */
function sensitiveAt(rc: ResourceChange, path: readonly (string | number)[]): boolean {
  for (const marks of [rc.change.before_sensitive, rc.change.after_sensitive]) {
    let cur: JsonValue | undefined = marks;
    for (const p of path) {
      if (cur === true) return true;
      if (cur === null || cur === undefined || typeof cur !== 'object') break;
      cur = (cur as Record<string | number, JsonValue>)[p as never];
    }
    if (cur === true) return true;
  }
  return false;
}

/** Lets a resource be named by the resource it refers to when its own name is known only after apply. */
interface Context {
  readonly config?: SynthesizedConfig;
  readonly byAddress: ReadonlyMap<string, ResourceChange>;
}

function targetOf(rc: ResourceChange, ctx?: Context): string | undefined {
  const referenced = (attr: string): string | undefined => {
    const raw = ctx ? configAttr(ctx.config, rc, attr) : undefined;
    const ref = typeof raw === 'string' ? /^\$\{([\w-]+\.[\w-]+)\.[\w-]+\}$/.exec(raw) : null;
    const other = ref ? ctx!.byAddress.get(ref[1]!) : undefined;
    return other && other !== rc ? ownTarget(other) : undefined;
  };
  const qualified = QUALIFIED_IDENTITY[rc.type];
  if (qualified) {
    const side = rc.change.after ?? rc.change.before;
    const owner = side?.[qualified[0]];
    const name = side?.[qualified[1]];
    const ownerName = typeof owner === 'string' && owner ? owner : referenced(qualified[0]);
    if (typeof name === 'string' && name) return ownerName ? `${ownerName}/${name}` : name;
  }
  const own = ownTarget(rc);
  if (own !== undefined) return own;
  // e.g. aws_s3_bucket_policy.bucket = "${aws_s3_bucket.log-bucket_38F5EEF0.id}": name it by that bucket.
  for (const attr of IDENTITY_ATTRIBUTES) {
    const viaRef = referenced(attr);
    if (viaRef) return viaRef;
  }
  return undefined;
}

function ownTarget(rc: ResourceChange): string | undefined {
  for (const side of [rc.change.after, rc.change.before]) {
    if (!side) continue;
    for (const attr of IDENTITY_ATTRIBUTES) {
      const v = side[attr];
      if (typeof v === 'string' && v !== '') return v;
    }
  }
  return undefined;
}

function show(value: JsonValue | undefined): string {
  if (value === undefined) return '(known after apply)';
  if (value === null) return 'null';
  return JSON.stringify(value);
}

function valueAt(obj: JsonValue | undefined, path: readonly (string | number)[]): JsonValue | undefined {
  let cur: JsonValue | undefined = obj;
  for (const p of path) {
    if (cur === null || cur === undefined || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, JsonValue>)[p as never];
  }
  return cur;
}

/** Terraform's template text from cdk.tf.json with `${ref}` made readable and `$${` unescaped. */
export function policyFromConfig(raw: string): string {
  return raw.replace(/(^|[^$])\$\{([^}]+)\}/g, (_m, pre: string, ref: string) => `${pre}<known after apply: ${ref}>`).replace(/\$\$\{/g, '${');
}

function configAttr(config: SynthesizedConfig | undefined, rc: ResourceChange, attr: string): unknown {
  if (!config || rc.module_address) return undefined;
  return config.resource?.[rc.type]?.[rc.name]?.[attr];
}

// ---- 1. DANGER ------------------------------------------------------------------------------------

function dangerOf(rc: ResourceChange): DangerItem | undefined {
  const loss = STATEFUL_TYPES[rc.type];
  const kind = changeKind(rc.change.actions);
  if (!loss || (kind !== 'replace' && kind !== 'delete')) return undefined;
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
  return { address: rc.address, type: rc.type, kind, target: targetOf(rc), loss, causes };
}

// ---- 2. Policies ----------------------------------------------------------------------------------

function policyText(value: JsonValue | undefined): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value;
  return undefined;
}

const LAMBDA_PERMISSION_ARGUMENTS = ['statement_id', 'action', 'function_name', 'qualifier', 'principal', 'source_arn', 'source_account', 'principal_org_id', 'function_url_auth_type'] as const;

function lambdaPermissionStatement(v: JsonObject | null): object | undefined {
  if (!v) return undefined;
  const principal = String(v.principal ?? '');
  const condition: Record<string, Record<string, string>> = {};
  if (typeof v.source_arn === 'string') condition.ArnLike = { 'AWS:SourceArn': v.source_arn };
  if (typeof v.source_account === 'string') (condition.StringEquals ??= {})['AWS:SourceAccount'] = v.source_account;
  if (typeof v.principal_org_id === 'string') (condition.StringEquals ??= {})['aws:PrincipalOrgID'] = v.principal_org_id;
  if (typeof v.event_source_token === 'string') (condition.StringEquals ??= {})['lambda:EventSourceToken'] = '(set)';
  const qualifier = typeof v.qualifier === 'string' && v.qualifier ? `:${v.qualifier}` : '';
  return {
    Statement: [
      {
        Sid: typeof v.statement_id === 'string' ? v.statement_id : undefined,
        Effect: 'Allow',
        Principal: principal === '*' ? '*' : principal.endsWith('.amazonaws.com') ? { Service: principal } : { AWS: principal },
        Action: v.action ?? 'lambda:InvokeFunction',
        Resource: `${String(v.function_name ?? '(function)')}${qualifier}`,
        ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
      },
    ],
  };
}

function policyItems(rc: ResourceChange, ctx: Context): PolicyItem[] {
  const config = ctx.config;
  const kind = changeKind(rc.change.actions);
  if (kind === 'no-op' || kind === 'read' || kind === 'forget') return [];
  const before = kind === 'create' ? null : rc.change.before;
  const after = kind === 'delete' ? null : rc.change.after;
  const target = targetOf(rc, ctx);
  const items: PolicyItem[] = [];
  const base = { address: rc.address, type: rc.type, kind, target };

  for (const { attr, policyKind } of POLICY_ATTRIBUTES[rc.type] ?? []) {
    const notes: string[] = [];
    if (sensitiveAt(rc, [attr])) {
      items.push({ ...base, policyKind, diff: { changes: [], unchanged: 0 }, notes: ['The policy is marked sensitive; it is not shown here. Review it in the plan.'] });
      continue;
    }
    const b = policyText(before?.[attr]);
    let a = policyText(after?.[attr]);
    if (after && a === undefined && unknownAt(rc.change.after_unknown, attr)) {
      const raw = configAttr(config, rc, attr);
      // Not in the configuration: a computed copy (e.g. aws_s3_bucket.policy when aws_s3_bucket_policy
      // manages the policy); the resource that sets it is reported instead.
      if (raw === undefined && config) continue;
      if (typeof raw === 'string') {
        a = policyFromConfig(raw);
        notes.push('The policy refers to values known only after apply; shown from the synthesized configuration with those values marked.');
      } else {
        notes.push('The policy is known only after apply; review it in the synthesized stack.');
        items.push({ ...base, policyKind, diff: { changes: [], unchanged: 0 }, notes });
        continue;
      }
    }
    if (b === undefined && a === undefined) continue;
    const diff = diffPolicies(b, a);
    if (diff.changes.length === 0 && !diff.problem) continue;
    items.push({ ...base, policyKind, diff, notes, documents: documentsOf(b, a) });
  }

  if (rc.type === 'aws_iam_role') {
    // Inline policies of the role (the `inline_policy` blocks), matched by name.
    const inline = (side: JsonObject | null) => {
      const map = new Map<string, string>();
      const list = side?.inline_policy;
      if (Array.isArray(list)) for (const p of list) if (isObject(p) && typeof p.name === 'string' && typeof p.policy === 'string' && p.policy) map.set(p.name, p.policy);
      return map;
    };
    const bi = inline(before);
    const ai = inline(after);
    for (const name of [...new Set([...bi.keys(), ...ai.keys()])].sort()) {
      const diff = diffPolicies(bi.get(name), ai.get(name));
      if (diff.changes.length > 0 || diff.problem) items.push({ ...base, policyKind: `role inline policy "${name}"`, diff, notes: [], documents: documentsOf(bi.get(name), ai.get(name)) });
    }
    const managed = (side: JsonObject | null) => (Array.isArray(side?.managed_policy_arns) ? (side!.managed_policy_arns as JsonValue[]).map(String) : []);
    const bm = managed(before);
    const am = managed(after);
    const added = am.filter((x) => !bm.includes(x));
    const removed = bm.filter((x) => !am.includes(x));
    if (added.length + removed.length > 0) items.push({ ...base, policyKind: 'managed policies of the role', diff: { changes: [], unchanged: 0 }, attachments: { added, removed }, notes: [] });
  }

  if (rc.type === 'aws_iam_role_policy_attachment' || rc.type === 'aws_iam_user_policy_attachment' || rc.type === 'aws_iam_group_policy_attachment') {
    const b = typeof before?.policy_arn === 'string' ? [before.policy_arn] : [];
    const a = typeof after?.policy_arn === 'string' ? [after.policy_arn] : [];
    const who = String(after?.role ?? after?.user ?? after?.group ?? before?.role ?? before?.user ?? before?.group ?? '');
    const added = a.filter((x) => !b.includes(x));
    const removed = b.filter((x) => !a.includes(x));
    if (added.length + removed.length > 0) items.push({ ...base, target: who || target, policyKind: 'managed policy attachment', diff: { changes: [], unchanged: 0 }, attachments: { added, removed }, notes: [] });
  }

  if (rc.type === 'aws_lambda_permission') {
    const diff = diffPolicies(lambdaPermissionStatement(before), lambdaPermissionStatement(after));
    // The source is the resource's arguments, from which the statement above is built.
    const args = (side: JsonObject | null) => (side ? Object.fromEntries(LAMBDA_PERMISSION_ARGUMENTS.filter((k) => side[k] !== undefined && side[k] !== null).map((k) => [k, side[k]!])) : undefined);
    const documents = sensitiveAt(rc, []) ? undefined : documentsOf(args(before), args(after), 'Permission arguments');
    if (diff.changes.length > 0) items.push({ ...base, target: String(after?.function_name ?? before?.function_name ?? target ?? ''), policyKind: 'Lambda resource policy (permission)', diff, notes: [], ...(documents ? { documents } : {}) });
  }
  return items;
}

// ---- Security group rules -------------------------------------------------------------------------

const OPEN_CIDRS = ['0.0.0.0/0', '::/0'];

function ruleText(direction: string, r: JsonObject): { text: string; open: boolean } {
  const protocol = String(r.ip_protocol ?? r.protocol ?? 'all');
  const from = r.from_port ?? null;
  const to = r.to_port ?? null;
  const ports = protocol === '-1' || protocol === 'all' ? 'all ports' : from === to ? `port ${String(from)}` : `ports ${String(from)}-${String(to)}`;
  const peers: string[] = [];
  const list = (v: JsonValue | undefined) => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : []);
  peers.push(...list(r.cidr_blocks), ...list(r.ipv6_cidr_blocks), ...list(r.cidr_ipv4), ...list(r.cidr_ipv6));
  peers.push(...list(r.prefix_list_ids), ...list(r.prefix_list_id));
  peers.push(...list(r.security_groups), ...list(r.source_security_group_id), ...list(r.referenced_security_group_id));
  if (r.self === true) peers.push('self');
  const open = direction === 'ingress' && peers.some((p) => OPEN_CIDRS.includes(p));
  return { text: `${direction} ${protocol === '-1' ? 'all protocols' : protocol} ${ports} ${direction === 'ingress' ? 'from' : 'to'} ${peers.join(', ') || '(none)'}`, open };
}

function networkItem(rc: ResourceChange): NetworkRuleItem | undefined {
  const kind = changeKind(rc.change.actions);
  if (kind === 'no-op' || kind === 'read' || kind === 'forget') return undefined;
  const before = kind === 'create' ? null : rc.change.before;
  const after = kind === 'delete' ? null : rc.change.after;
  const rules = (side: JsonObject | null): { text: string; open: boolean }[] => {
    if (!side) return [];
    switch (rc.type) {
      case 'aws_security_group_rule':
        return [ruleText(String(side.type ?? 'ingress'), side)];
      case 'aws_vpc_security_group_ingress_rule':
        return [ruleText('ingress', side)];
      case 'aws_vpc_security_group_egress_rule':
        return [ruleText('egress', side)];
      case 'aws_security_group': {
        const out: { text: string; open: boolean }[] = [];
        for (const dir of ['ingress', 'egress'] as const) {
          const list = side[dir];
          if (Array.isArray(list)) for (const r of list) if (isObject(r)) out.push(ruleText(dir, r));
        }
        return out;
      }
      default:
        return [];
    }
  };
  if (!['aws_security_group_rule', 'aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule', 'aws_security_group'].includes(rc.type)) return undefined;
  const b = rules(before);
  const a = rules(after);
  const added = a.filter((x) => !b.some((y) => y.text === x.text));
  const removed = b.filter((x) => !a.some((y) => y.text === x.text));
  if (added.length + removed.length === 0) return undefined;
  return { address: rc.address, type: rc.type, kind, added: added.map((x) => x.text), removed: removed.map((x) => x.text), opensToInternet: added.some((x) => x.open) };
}

// ---- 3. Public exposure ---------------------------------------------------------------------------

const PAB_FLAGS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];

function firstBlock(side: JsonObject | null, attr: string): JsonObject | undefined {
  const v = side?.[attr];
  if (Array.isArray(v) && isObject(v[0])) return v[0];
  return isObject(v) ? v : undefined;
}

function exposureItem(rc: ResourceChange, ctx: Context): ExposureItem | undefined {
  const kind = changeKind(rc.change.actions);
  if (kind === 'no-op' || kind === 'read' || kind === 'forget') return undefined;
  const before = kind === 'create' ? null : rc.change.before;
  const after = kind === 'delete' ? null : rc.change.after;
  const base = { address: rc.address, type: rc.type, kind, target: targetOf(rc, ctx) };

  if (rc.type === 'aws_s3_bucket_public_access_block' || rc.type === 'aws_s3_account_public_access_block') {
    const details: string[] = [];
    let weakens = false;
    for (const flag of PAB_FLAGS) {
      const b = before ? before[flag] === true : undefined;
      const a = after ? after[flag] === true : undefined;
      if (kind === 'delete') {
        if (b) details.push(`${flag}: true -> (block removed)`);
        weakens ||= b === true;
      } else if (kind === 'create') {
        if (!a) details.push(`${flag}: false`);
        weakens ||= !a;
      } else if (b !== a) {
        details.push(`${flag}: ${String(b)} -> ${String(a)}`);
        weakens ||= b === true && !a;
      }
    }
    return details.length > 0 || kind === 'delete' ? { ...base, details: details.length ? details : ['public access block removed'], weakens: weakens || kind === 'delete' } : undefined;
  }

  if (rc.type === 'aws_opensearch_domain' || rc.type === 'aws_elasticsearch_domain') {
    const details: string[] = [];
    let weakens = false;
    const vpc = (side: JsonObject | null) => {
      const v = firstBlock(side, 'vpc_options');
      const subnets = Array.isArray(v?.subnet_ids) ? v!.subnet_ids : [];
      return subnets.length > 0 ? `VPC (subnets ${subnets.map(String).join(', ')}; security groups ${Array.isArray(v?.security_group_ids) ? v!.security_group_ids.map(String).join(', ') : '?'})` : 'public (internet-reachable; access decided by the access policy and fine-grained access control)';
    };
    const endpoint = (side: JsonObject | null) => {
      const e = firstBlock(side, 'domain_endpoint_options');
      return e ? `enforce_https=${String(e.enforce_https)}, tls_security_policy=${String(e.tls_security_policy)}` : 'default (HTTPS not enforced)';
    };
    const auth = (side: JsonObject | null) => {
      const s = firstBlock(side, 'advanced_security_options');
      if (!s || s.enabled !== true) return 'fine-grained access control off';
      return `fine-grained access control on${s.anonymous_auth_enabled === true ? ', ANONYMOUS AUTH ENABLED' : ''}${s.internal_user_database_enabled === true ? ', internal user database' : ''}`;
    };
    if (kind === 'create') {
      details.push(`endpoint: ${vpc(after)}`, `endpoint options: ${endpoint(after)}`, `authentication: ${auth(after)}`);
      const s = firstBlock(after, 'advanced_security_options');
      weakens = s?.anonymous_auth_enabled === true;
    } else {
      for (const [label, fn] of [['endpoint', vpc], ['endpoint options', endpoint], ['authentication', auth]] as const) {
        const b = before ? fn(before) : '(none)';
        const a = after ? fn(after) : '(domain deleted)';
        if (b !== a) details.push(`${label}: ${b} -> ${a}`);
      }
      const bv = firstBlock(before, 'vpc_options');
      const av = firstBlock(after, 'vpc_options');
      const hadVpc = Array.isArray(bv?.subnet_ids) && bv!.subnet_ids.length > 0;
      const hasVpc = Array.isArray(av?.subnet_ids) && av!.subnet_ids.length > 0;
      const be = firstBlock(before, 'domain_endpoint_options');
      const ae = firstBlock(after, 'domain_endpoint_options');
      const bs = firstBlock(before, 'advanced_security_options');
      const as = firstBlock(after, 'advanced_security_options');
      weakens = Boolean(after) && ((hadVpc && !hasVpc) || (be?.enforce_https === true && ae?.enforce_https !== true) || (bs?.enabled === true && as?.enabled !== true) || (bs?.anonymous_auth_enabled !== true && as?.anonymous_auth_enabled === true));
    }
    return details.length > 0 ? { ...base, details, weakens } : undefined;
  }

  if (rc.type === 'aws_s3_bucket_acl') {
    const b = before?.acl;
    const a = after?.acl;
    if (b === a) return undefined;
    const isPublic = (v: JsonValue | undefined) => typeof v === 'string' && /public|authenticated-read/.test(v);
    return { ...base, details: [`acl: ${show(b ?? null)} -> ${show(a ?? null)}`], weakens: isPublic(a) && !isPublic(b) };
  }

  if (rc.type === 'aws_lambda_function_url') {
    const b = before?.authorization_type;
    const a = after?.authorization_type;
    if (b === a && kind !== 'create') return undefined;
    return { ...base, details: [`authorization_type: ${show(b ?? null)} -> ${show(a ?? null)}`], weakens: a === 'NONE' && b !== 'NONE' };
  }
  return undefined;
}

// ---- The stack ------------------------------------------------------------------------------------

export function analyzePlan(plan: PlanJson, config?: SynthesizedConfig): StackAnalysis {
  const counts: ChangeCounts = { add: 0, change: 0, replace: 0, destroy: 0 };
  const danger: DangerItem[] = [];
  const policies: PolicyItem[] = [];
  const network: NetworkRuleItem[] = [];
  const exposure: ExposureItem[] = [];
  const ctx: Context = { config, byAddress: new Map((plan.resource_changes ?? []).map((rc) => [rc.address, rc])) };
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode !== 'managed') continue;
    const kind = changeKind(rc.change.actions);
    if (kind === 'create') counts.add++;
    else if (kind === 'update') counts.change++;
    else if (kind === 'replace') counts.replace++;
    else if (kind === 'delete') counts.destroy++;
    else continue;
    const d = dangerOf(rc);
    if (d) danger.push(d);
    policies.push(...policyItems(rc, ctx));
    const n = networkItem(rc);
    if (n) network.push(n);
    const e = exposureItem(rc, ctx);
    if (e) exposure.push(e);
  }
  return { counts, danger, policies, network, exposure };
}

export function hasChanges(counts: ChangeCounts): boolean {
  return counts.add + counts.change + counts.replace + counts.destroy > 0;
}
