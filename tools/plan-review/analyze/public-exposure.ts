/**
 * Public-exposure changes: S3 public access blocks, OpenSearch endpoint (VPC or public), HTTPS
 * enforcement and fine-grained access control, bucket ACLs, Lambda function URLs.
 */
import { changeKind, type ChangeKind, type JsonObject, type JsonValue, type ResourceChange } from '../plan-json';
import { isObject, show, targetOf, type Context } from './resource';

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

/** Settings that decide who can reach a resource from outside, and whether the change weakens them. */
export function detectPublicExposure(rc: ResourceChange, ctx: Context): ExposureItem[] {
  const item = exposureItem(rc, ctx);
  return item ? [item] : [];
}
