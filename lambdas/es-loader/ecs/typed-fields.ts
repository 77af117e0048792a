/**
 * Typed original fields (`keyword_fields`, `long_fields`, `double_fields`, `ip_fields` of a log type's
 * ini section): the field model of docs/field-model.md.
 *
 * - A path outside the section's flat_object fields is typed in place: its index family's component
 *   template maps it (ecs/templates.ts) and OpenSearch parses the original value ("4249" -> 4249 in a
 *   long field, "-" left unindexed by ignore_malformed). The document keeps the original text, as the
 *   reference's documents do, and the loader does no work for it.
 * - A path inside a flat_object field (CloudTrail `requestParameters.bucketName`) cannot be typed there:
 *   flat_object owns its whole subtree and answers searches only (no terms buckets, no sum). The loader
 *   copies its values, coerced to the type, to `typed.<path>` (`typed.requestParameters.bucketName`),
 *   which the family's component template maps. The flat_object keeps every shape; the copy never fails
 *   a document (a value that does not fit the type, or an object, is left out of the copy).
 *
 * Paths are dotted paths of the document. A path typed in place names the field as Discover shows it
 * (after the log type's transform); a copied path is read from the original record, before a
 * flat_object value that is not an object is wrapped as `{ value: ... }` (WAF's ruleGroupList arrays).
 * Arrays are walked like OpenSearch flattens them: `ruleGroupList.terminatingRule.ruleId` collects the
 * ruleId of every element of ruleGroupList; a `*` segment says so explicitly, a number picks one element.
 */
import { coerceType, knownEcsFields } from './fields';
import { isPlainObject, type Json } from './paths';

/** Root object of the typed copies in every document that has one. */
export const TYPED_ROOT = 'typed';

export type TypedFieldType = 'keyword' | 'long' | 'double' | 'ip';

/** The ini keys, in the order the loader reads them. */
export const TYPED_FIELD_KEYS = {
  keyword_fields: 'keyword',
  long_fields: 'long',
  double_fields: 'double',
  ip_fields: 'ip',
} as const satisfies Record<string, TypedFieldType>;
export type TypedFieldKey = keyof typeof TYPED_FIELD_KEYS;

export interface TypedField {
  /** The path as written in the ini file. */
  readonly path: string;
  readonly parts: readonly string[];
  readonly type: TypedFieldType;
  /** The flat_object field the path lies in; unset when the path is typed in place. */
  readonly inFlatObject?: string;
  /** The field that carries the typed value in the index: `path`, or `typed.<path without * segments>`. */
  readonly field: string;
}

const SEGMENT = /^[^\s.]+$/;

/**
 * Validates the four keys of one section. `fail(key, message)` reports a problem (it throws the
 * loader's ConfigError naming file, section and key).
 */
export function compileTypedFields(
  values: Partial<Record<TypedFieldKey, string>>,
  flatObject: readonly string[],
  fail: (key: TypedFieldKey, message: string) => never,
): TypedField[] {
  const out: TypedField[] = [];
  const seen = new Map<string, { type: TypedFieldType; key: TypedFieldKey }>();
  for (const key of Object.keys(TYPED_FIELD_KEYS) as TypedFieldKey[]) {
    const type = TYPED_FIELD_KEYS[key];
    for (const path of (values[key] ?? '').split(/[\s,]+/).filter(Boolean)) {
      const parts = path.split('.');
      if (!parts.every((p) => SEGMENT.test(p)) || parts[0] === '*')
        fail(key, `"${path}" is not a field path; list dotted paths separated by spaces, e.g. bytes requestParameters.bucketName`);
      const before = seen.get(path);
      if (before && before.type !== type) fail(key, `"${path}" is also listed in ${before.key}; give each field one type`);
      if (before) continue;
      seen.set(path, { type, key });
      if (parts[0] === TYPED_ROOT) fail(key, `"${path}": ${TYPED_ROOT}.* holds the loader's typed copies; list the original path instead`);
      const flat = flatObject.find((f) => path === f || path.startsWith(`${f}.`));
      if (flat === path) fail(key, `"${path}" is a flat_object field; list the paths inside it that should be typed, e.g. ${path}.<name>`);
      if (!flat) {
        const ecs = knownEcsFields().get(path);
        if (ecs !== undefined && ecs !== type) fail(key, `"${path}" is an ECS field mapped as ${ecs} (ecs/fields.ts); its type cannot be changed here`);
      }
      const field = flat ? `${TYPED_ROOT}.${parts.filter((p) => p !== '*').join('.')}` : path;
      if (!flat && parts.includes('*')) fail(key, `"${path}": a * segment is only needed inside a flat_object field; write the path without it`);
      out.push({ path, parts, type, inFlatObject: flat, field });
    }
  }
  return out;
}

/** Collects the scalar values at `parts` from `v`, walking arrays as OpenSearch flattens them. */
function collect(v: unknown, parts: readonly string[], i: number, out: unknown[]): void {
  if (v === undefined || v === null) return;
  if (Array.isArray(v)) {
    const seg = parts[i];
    if (seg === '*') for (const e of v) collect(e, parts, i + 1, out);
    else if (seg !== undefined && /^\d+$/.test(seg)) collect(v[Number(seg)], parts, i + 1, out);
    else for (const e of v) collect(e, parts, i, out);
    return;
  }
  if (i === parts.length) {
    if (typeof v !== 'object') out.push(v);
    return;
  }
  if (parts[i] === '*') return collect(v, parts, i + 1, out);
  if (isPlainObject(v)) collect(v[parts[i]], parts, i + 1, out);
}

function coerceOne(type: TypedFieldType, v: unknown): unknown {
  if (type === 'keyword') return typeof v === 'string' ? (v === '' ? undefined : v) : String(v);
  return coerceType(type, v);
}

type CopyWriter = (doc: Json) => void;
const writers = new WeakMap<readonly TypedField[], CopyWriter | null>();

interface Copy {
  readonly type: TypedFieldType;
  /** The path below its flat_object field. */
  readonly rest: readonly string[];
  /** No `*` or index segment: walked with plain property reads until an array shows up. */
  readonly plain: boolean;
  /** Below `typed`. */
  readonly target: readonly string[];
}

/** Writes `value` at `target` below the document's `typed` object (created on first use). */
function put(doc: Json, typed: Json | undefined, target: readonly string[], value: unknown): Json {
  if (!typed) {
    const existing = doc[TYPED_ROOT];
    typed = isPlainObject(existing) ? existing : (doc[TYPED_ROOT] = {});
  }
  let cur = typed;
  for (let i = 0; i < target.length - 1; i++) {
    const next = cur[target[i]];
    cur = isPlainObject(next) ? next : (cur[target[i]] = {});
  }
  cur[target[target.length - 1]] = value;
  return typed;
}

/**
 * The function that writes a document's typed copies (`typed.*`), or undefined when the log type has
 * none. Built once per log type. Hot path (every CloudTrail record): copies are grouped by their
 * flat_object field, so an absent or null object (`responseElements: null`) costs one read, and a path
 * is walked with plain property reads; only a path that meets an array takes the general walk.
 */
export function typedCopyWriter(fields: readonly TypedField[]): CopyWriter | undefined {
  let w = writers.get(fields);
  if (w === undefined) {
    const groups = new Map<string, { root: readonly string[]; copies: Copy[] }>();
    for (const f of fields) {
      if (f.inFlatObject === undefined) continue;
      const root = f.inFlatObject.split('.');
      const g = groups.get(f.inFlatObject) ?? { root, copies: [] };
      const rest = f.parts.slice(root.length);
      g.copies.push({ type: f.type, rest, plain: rest.every((x) => x !== '*' && !/^\d+$/.test(x)), target: f.field.split('.').slice(1) });
      groups.set(f.inFlatObject, g);
    }
    const list = [...groups.values()];
    const values: unknown[] = [];
    w = list.length === 0
      ? null
      : (doc: Json) => {
          let typed: Json | undefined;
          for (const g of list) {
            let base: unknown = doc;
            for (let i = 0; i < g.root.length && base !== undefined; i++) base = isPlainObject(base) ? base[g.root[i]] : undefined;
            if (base === null || typeof base !== 'object') continue;
            for (const c of g.copies) {
              let v: unknown = base;
              let i = 0;
              if (c.plain) {
                while (i < c.rest.length && v !== null && typeof v === 'object' && !Array.isArray(v)) v = (v as Json)[c.rest[i++]];
                if (v === undefined || v === null) continue;
                if (i === c.rest.length && typeof v !== 'object') {
                  const x = coerceOne(c.type, v);
                  if (x !== undefined) typed = put(doc, typed, c.target, x);
                  continue;
                }
                if (!Array.isArray(v)) continue;
              }
              values.length = 0;
              collect(v, c.rest, i, values);
              const kept: unknown[] = [];
              for (const x of values) {
                const y = coerceOne(c.type, x);
                if (y !== undefined) kept.push(y);
              }
              if (kept.length > 0) typed = put(doc, typed, c.target, kept.length === 1 ? kept[0] : kept);
            }
          }
        };
    writers.set(fields, w);
  }
  return w ?? undefined;
}
