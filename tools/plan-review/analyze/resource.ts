/**
 * What every detector needs to read a resource change: its sides, sensitive and unknown marks, and the
 * name a reviewer knows it by (found through the resource it refers to when its own is known only after
 * apply).
 */
import type { JsonObject, JsonValue, ResourceChange } from '../plan-json';

/** The synthesized stack (cdk.tf.json), used to show policies whose text is known only after apply. */
export interface SynthesizedConfig {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Record<string, unknown>>>>>;
}

const IDENTITY_ATTRIBUTES = ['bucket', 'name', 'policy_name', 'domain_name', 'role', 'queue_url', 'function_name', 'alarm_name', 'description', 'arn'];
/** Types whose `name` alone is ambiguous: an inline policy is named within its role. */
const QUALIFIED_IDENTITY: Readonly<Record<string, readonly [string, string]>> = {
  aws_iam_role_policy: ['role', 'name'],
  aws_iam_user_policy: ['user', 'name'],
  aws_iam_group_policy: ['group', 'name'],
};

export function isObject(v: JsonValue | undefined): v is JsonObject {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);
}

export function unknownAt(afterUnknown: JsonValue | undefined, attr: string): boolean {
  return isObject(afterUnknown) && afterUnknown[attr] === true;
}

/**
 * Whether a value under `path` is sensitive on either side. The report is posted on pull requests, so a
 * sensitive value is never printed (terraform show -json writes them in clear, marked in *_sensitive).
 */
export function sensitiveAt(rc: ResourceChange, path: readonly (string | number)[]): boolean {
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
export interface Context {
  readonly config?: SynthesizedConfig;
  readonly byAddress: ReadonlyMap<string, ResourceChange>;
}

export function targetOf(rc: ResourceChange, ctx?: Context): string | undefined {
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

export function ownTarget(rc: ResourceChange): string | undefined {
  for (const side of [rc.change.after, rc.change.before]) {
    if (!side) continue;
    for (const attr of IDENTITY_ATTRIBUTES) {
      const v = side[attr];
      if (typeof v === 'string' && v !== '') return v;
    }
  }
  return undefined;
}

export function show(value: JsonValue | undefined): string {
  if (value === undefined) return '(known after apply)';
  if (value === null) return 'null';
  return JSON.stringify(value);
}

export function valueAt(obj: JsonValue | undefined, path: readonly (string | number)[]): JsonValue | undefined {
  let cur: JsonValue | undefined = obj;
  for (const p of path) {
    if (cur === null || cur === undefined || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, JsonValue>)[p as never];
  }
  return cur;
}

export function configAttr(config: SynthesizedConfig | undefined, rc: ResourceChange, attr: string): unknown {
  if (!config || rc.module_address) return undefined;
  return config.resource?.[rc.type]?.[rc.name]?.[attr];
}
