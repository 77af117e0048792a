/**
 * What a panel needs from the field model, and where a field's type comes from: the loader's index
 * templates (explicit mappings, `flat_object` families), else the dynamic mapping OpenSearch gives an
 * unmapped field of a document (the templates map unmapped strings to keyword; numbers become long
 * or float). Used by the unit test against the templates and the log types' expected documents; the
 * integration test asks the real OpenSearch (`_field_caps`) instead.
 */
import type { BucketSpec, DashboardSpec, MetricSpec } from './spec';

export type AggregationNeed = 'terms' | 'cardinality' | 'numeric' | 'date';

export const NUMERIC_TYPES = ['long', 'integer', 'short', 'byte', 'double', 'float', 'half_float', 'scaled_float', 'unsigned_long'];
/** Types a terms or cardinality aggregation can use (not text, flat_object, geo_point or object). */
export const TERMS_TYPES = ['keyword', 'ip', 'boolean', 'date', 'constant_keyword', ...NUMERIC_TYPES];

export function accepts(need: AggregationNeed, type: string): boolean {
  switch (need) {
    case 'terms':
    case 'cardinality':
      return TERMS_TYPES.includes(type);
    case 'numeric':
      return NUMERIC_TYPES.includes(type);
    case 'date':
      return type === 'date';
  }
}

export interface FieldUse {
  readonly field: string;
  readonly need: AggregationNeed;
  /** `count`, `sum`, `terms`...: the aggregation as the panel names it. */
  readonly aggregation: string;
}

function metricUse(m: MetricSpec): FieldUse[] {
  if (m.type === 'count') return [];
  return [{ field: m.field, need: m.type === 'cardinality' ? 'cardinality' : 'numeric', aggregation: m.type }];
}

function bucketUse(b: BucketSpec): FieldUse[] {
  if (b.type === 'terms') return [{ field: b.field, need: 'terms', aggregation: 'terms' }];
  if (b.type === 'date_histogram') return [{ field: b.field ?? '@timestamp', need: 'date', aggregation: 'date_histogram' }];
  return [];
}

/** Every field the panels of a dashboard aggregate, with what the aggregation needs. */
export function fieldUses(spec: DashboardSpec): { panel: string; use: FieldUse }[] {
  return spec.panels.flatMap((p) => [...(p.metrics ?? []).flatMap(metricUse), ...(p.buckets ?? []).flatMap(bucketUse)].map((use) => ({ panel: p.title, use })));
}

type Props = Record<string, { type?: string; properties?: Props; fields?: Props }>;

function mergeProps(a: Props, b: Props): Props {
  const out: Props = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] = cur?.properties && v.properties ? { ...cur, ...v, properties: mergeProps(cur.properties, v.properties) } : v;
  }
  return out;
}

export interface TemplateLike {
  readonly kind?: string;
  readonly name: string;
  readonly body: Record<string, unknown>;
}

const propsOf = (body: Record<string, unknown>): Props => ((body.template as { mappings?: { properties?: Props } } | undefined)?.mappings?.properties ?? {}) as Props;

/** The mapped properties of each index family (index template name) whose indices an index pattern matches. */
export function familyMappings(templates: readonly TemplateLike[], indexPattern: string): Map<string, Props> {
  const byName = new Map(templates.map((t) => [t.name, t]));
  const re = new RegExp(`^${indexPattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\-]/g, '\\$&')).join('.*')}$`);
  const out = new Map<string, Props>();
  for (const t of templates) {
    const patterns = t.body.index_patterns as string[] | undefined;
    if (!patterns) continue;
    // An index of the family, e.g. log-aws-cloudtrail-2026-11.
    if (!patterns.some((p) => re.test(p.replace(/\*/g, '2026-11')))) continue;
    let props: Props = {};
    for (const c of (t.body.composed_of as string[] | undefined) ?? []) props = mergeProps(props, propsOf(byName.get(c)?.body ?? {}));
    out.set(t.name, mergeProps(props, propsOf(t.body)));
  }
  return out;
}

/**
 * The mapping type of a dotted field: its explicit mapping, `flat_object` when it lies inside a
 * flat_object field (such sub-fields answer searches but give no buckets), or undefined when unmapped.
 */
export function mappedType(props: Props, field: string): string | undefined {
  const parts = field.split('.');
  let cur: Props | undefined = props;
  for (let i = 0; i < parts.length; i++) {
    const node: Props[string] | undefined = cur?.[parts[i]];
    if (!node) {
      // A multi-field (`x.keyword`) of the previous leaf is looked up by the caller's full path only.
      return undefined;
    }
    if (node.type === 'flat_object') return 'flat_object';
    if (i === parts.length - 1) return node.type ?? (node.properties ? 'object' : undefined);
    if (node.fields && i === parts.length - 2 && node.fields[parts[i + 1]]) return node.fields[parts[i + 1]].type;
    cur = node.properties;
  }
  return undefined;
}

/** Values of a dotted path in a document (arrays are walked, as OpenSearch does). */
export function valuesAt(doc: unknown, field: string): unknown[] {
  let cur: unknown[] = [doc];
  for (const p of field.split('.')) {
    const next: unknown[] = [];
    for (const c of cur) {
      for (const x of Array.isArray(c) ? c : [c]) {
        if (x && typeof x === 'object' && !Array.isArray(x) && p in (x as Record<string, unknown>)) next.push((x as Record<string, unknown>)[p]);
      }
    }
    cur = next;
  }
  return cur.flatMap((v) => (Array.isArray(v) ? v : [v])).filter((v) => v !== null && v !== undefined);
}

/** The type OpenSearch's dynamic mapping gives a value under the loader's templates (strings_as_keyword, no date or numeric detection). */
export function dynamicType(value: unknown): string {
  if (typeof value === 'string') return 'keyword';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'long' : 'float';
  return 'object';
}
