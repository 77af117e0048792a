/**
 * Access policies that change: IAM policies, role trust and inline policies, managed policy attachments,
 * bucket, key, queue, topic and OpenSearch access policies, other resource policies and Lambda
 * permissions, each as a statement-level diff (policy-diff.ts) beside the whole policy before and after.
 */
import { diffPolicies, type PolicyDiff } from '../policy-diff';
import { changeKind, type ChangeKind, type JsonObject, type JsonValue, type ResourceChange } from '../plan-json';
import { configAttr, isObject, sensitiveAt, targetOf, unknownAt, type Context } from './resource';

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

/** Terraform's template text from cdk.tf.json with `${ref}` made readable and `$${` unescaped. */
export function policyFromConfig(raw: string): string {
  return raw.replace(/(^|[^$])\$\{([^}]+)\}/g, (_m, pre: string, ref: string) => `${pre}<known after apply: ${ref}>`).replace(/\$\$\{/g, '${');
}

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

/** Access policies that change, as statement-level diffs with the whole documents. */
export function detectAccessPolicyChanges(rc: ResourceChange, ctx: Context): PolicyItem[] {
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
