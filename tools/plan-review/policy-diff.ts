/**
 * Statement-level difference of two IAM-style policy documents (identity, trust, bucket, key, queue,
 * topic and OpenSearch access policies share the grammar). A reviewer sees which statements were added,
 * removed or changed, and for a changed statement which principals, actions, resources and conditions
 * came or went, instead of two JSON blobs.
 *
 * Matching follows the IAM policy grammar (IAM User Guide, "IAM JSON policy elements reference"):
 * - `Action`, `Resource`, `Principal` values and the values of one condition key are sets: order and a
 *   single string vs a one-element array do not matter; action names, condition operators and condition
 *   keys are case-insensitive.
 * - Conditions keep IAM's evaluation ("Condition element" and "Creating a condition with multiple keys or
 *   values"): a statement's condition clauses (operator + key) must all hold, while the values of one
 *   clause are alternatives (any of them; none of them for a negated operator). So a condition is one
 *   clause with its set of values, and a member added to a list shows as a value added to that clause.
 * - `"Principal": "*"` is the same as `{"AWS": "*"}`.
 * - Statements pair up by `Sid` first; statements without a matching Sid pair up when they are identical,
 *   then when they share Effect and principals or actions (an edited statement without Sid), else they
 *   are reported as removed and added.
 */

/** The set-valued elements of a statement; conditions are kept apart as clauses (ConditionClause). */
export type PolicyField = 'Effect' | 'Principal' | 'NotPrincipal' | 'Action' | 'NotAction' | 'Resource' | 'NotResource';
export const POLICY_FIELDS: readonly PolicyField[] = ['Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource'];

/**
 * One condition clause: `"StringEquals": {"aws:SourceAccount": ["A", "B"]}` is operator `StringEquals`,
 * key `aws:SourceAccount`, values `A`, `B` (alternatives). Every clause of a statement must hold.
 */
export interface ConditionClause {
  readonly operator: string;
  readonly key: string;
  /** Sorted, de-duplicated. */
  readonly values: readonly string[];
}

/** A statement reduced to sets of display strings per field, and its condition clauses. */
export interface NormalizedStatement {
  readonly sid?: string;
  /** Field -> sorted, de-duplicated values (principals as `AWS: arn`). */
  readonly fields: Readonly<Partial<Record<PolicyField, readonly string[]>>>;
  /** Sorted by operator and key. */
  readonly conditions: readonly ConditionClause[];
  /** Index in the original document (for stable output order). */
  readonly index: number;
}

export interface FieldChange {
  readonly field: PolicyField;
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

/**
 * A condition clause of a changed statement: added (`before` empty), removed (`after` empty), or with
 * values that came or went.
 */
export interface ConditionChange {
  readonly operator: string;
  readonly key: string;
  readonly before: readonly string[];
  readonly after: readonly string[];
}

export interface StatementChange {
  readonly kind: 'added' | 'removed' | 'changed';
  /** The statement's Sid (after the change for `changed`, if both have one). */
  readonly sid?: string;
  /** The statement as it is after the change (`added`, `changed`) or was before (`removed`). */
  readonly statement: NormalizedStatement;
  /** For `changed`: what differs field by field. */
  readonly fieldChanges?: readonly FieldChange[];
  /** For `changed`: the condition clauses that were added, removed or got other values. */
  readonly conditionChanges?: readonly ConditionChange[];
}

export interface PolicyDiff {
  readonly changes: readonly StatementChange[];
  readonly unchanged: number;
  /** Set when a document was not a policy (invalid JSON or no Statement); the diff is then empty. */
  readonly problem?: string;
}

export class PolicyParseError extends Error {
  override readonly name = 'PolicyParseError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function asList(value: Json | undefined): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
}

const uniqSorted = (values: readonly string[]): string[] => [...new Set(values)].sort();

function principals(value: Json | undefined): string[] {
  if (value === undefined || value === null) return [];
  if (value === '*') return ['AWS: *'];
  if (typeof value !== 'object' || Array.isArray(value)) return asList(value).map((v) => `?: ${v}`);
  const out: string[] = [];
  for (const [kind, ids] of Object.entries(value)) for (const id of asList(ids)) out.push(`${kind}: ${id}`);
  return uniqSorted(out);
}

/** Identity of a clause: operators and keys are case-insensitive. */
const clauseId = (c: { operator: string; key: string }) => `${c.operator.toLowerCase()} ${c.key.toLowerCase()}`;

function conditions(value: Json | undefined): ConditionClause[] {
  if (value === undefined || value === null) return [];
  if (typeof value !== 'object' || Array.isArray(value)) return [{ operator: '(not an object)', key: '', values: [JSON.stringify(value)] }];
  const byId = new Map<string, { operator: string; key: string; values: string[] }>();
  const add = (operator: string, key: string, values: string[]) => {
    const id = clauseId({ operator, key });
    const clause = byId.get(id) ?? { operator, key, values: [] };
    clause.values.push(...values);
    byId.set(id, clause);
  };
  for (const [operator, block] of Object.entries(value)) {
    if (block === null || typeof block !== 'object' || Array.isArray(block)) add(operator, '', [JSON.stringify(block)]);
    else for (const [key, values] of Object.entries(block)) add(operator, key, asList(values));
  }
  return [...byId.values()].map((c) => ({ ...c, values: uniqSorted(c.values) })).sort((x, y) => (clauseId(x) < clauseId(y) ? -1 : clauseId(x) > clauseId(y) ? 1 : 0));
}

/** Parses a policy document (text or object) into normalized statements; throws PolicyParseError. */
export function normalizePolicy(policy: string | object): NormalizedStatement[] {
  let doc: Json;
  try {
    doc = (typeof policy === 'string' ? JSON.parse(policy) : policy) as Json;
  } catch (error) {
    throw new PolicyParseError(`not a JSON policy document: ${(error as Error).message}`, { cause: error });
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc) || !('Statement' in doc)) {
    throw new PolicyParseError('not a policy document: no "Statement" element');
  }
  const raw = doc.Statement;
  const statements = Array.isArray(raw) ? raw : [raw];
  return statements.map((s, index) => {
    if (s === null || typeof s !== 'object' || Array.isArray(s)) throw new PolicyParseError(`statement ${index} is not an object`);
    const fields: Partial<Record<PolicyField, string[]>> = {};
    const set = (field: PolicyField, values: string[]) => {
      if (values.length > 0) fields[field] = values;
    };
    set('Effect', asList(s.Effect));
    set('Principal', principals(s.Principal));
    set('NotPrincipal', principals(s.NotPrincipal));
    set('Action', uniqSorted(asList(s.Action)));
    set('NotAction', uniqSorted(asList(s.NotAction)));
    set('Resource', uniqSorted(asList(s.Resource)));
    set('NotResource', uniqSorted(asList(s.NotResource)));
    const sid = typeof s.Sid === 'string' && s.Sid !== '' ? s.Sid : undefined;
    return { sid, fields, conditions: conditions(s.Condition), index };
  });
}

/** Comparison form of one value: action names are case-insensitive. */
function valueKey(field: PolicyField, value: string): string {
  if (field === 'Action' || field === 'NotAction') return value.toLowerCase();
  return value;
}

function comparable(field: PolicyField, values: readonly string[] | undefined): string[] {
  return uniqSorted((values ?? []).map((v) => valueKey(field, v)));
}

function contentKey(s: NormalizedStatement): string {
  return JSON.stringify([POLICY_FIELDS.map((f) => comparable(f, s.fields[f])), s.conditions.map((c) => [clauseId(c), c.values])]);
}

function fieldChanges(before: NormalizedStatement, after: NormalizedStatement): FieldChange[] {
  const out: FieldChange[] = [];
  for (const field of POLICY_FIELDS) {
    const b = before.fields[field] ?? [];
    const a = after.fields[field] ?? [];
    const bc = new Set(b.map((v) => valueKey(field, v)));
    const ac = new Set(a.map((v) => valueKey(field, v)));
    const added = a.filter((v) => !bc.has(valueKey(field, v)));
    const removed = b.filter((v) => !ac.has(valueKey(field, v)));
    if (added.length > 0 || removed.length > 0) out.push({ field, added, removed });
  }
  return out;
}

function conditionChanges(before: NormalizedStatement, after: NormalizedStatement): ConditionChange[] {
  const b = new Map(before.conditions.map((c) => [clauseId(c), c]));
  const a = new Map(after.conditions.map((c) => [clauseId(c), c]));
  const out: ConditionChange[] = [];
  for (const id of [...new Set([...b.keys(), ...a.keys()])].sort()) {
    const x = b.get(id);
    const y = a.get(id);
    if (x && y && JSON.stringify(x.values) === JSON.stringify(y.values)) continue;
    const { operator, key } = y ?? x!;
    out.push({ operator, key, before: x?.values ?? [], after: y?.values ?? [] });
  }
  return out;
}

const sameField = (field: PolicyField, x: NormalizedStatement, y: NormalizedStatement) =>
  JSON.stringify(comparable(field, x.fields[field])) === JSON.stringify(comparable(field, y.fields[field]));

/**
 * Differences between two policies. `before`/`after` undefined means the policy is created/deleted
 * (every statement is added/removed).
 */
export function diffPolicies(before: string | object | undefined, after: string | object | undefined): PolicyDiff {
  let b: NormalizedStatement[];
  let a: NormalizedStatement[];
  try {
    b = before === undefined ? [] : normalizePolicy(before);
    a = after === undefined ? [] : normalizePolicy(after);
  } catch (error) {
    if (error instanceof PolicyParseError) return { changes: [], unchanged: 0, problem: error.message };
    throw error;
  }
  const restB = new Set(b);
  const restA = new Set(a);
  const changes: StatementChange[] = [];
  let unchanged = 0;

  // 1. Identical statements (with or without the same Sid) are unchanged.
  for (const x of [...restB]) {
    const key = contentKey(x);
    const same = [...restA].find((y) => contentKey(y) === key && y.sid === x.sid) ?? [...restA].find((y) => contentKey(y) === key);
    if (same) {
      restB.delete(x);
      restA.delete(same);
      unchanged++;
    }
  }
  // 2. Same Sid, different content: changed.
  for (const x of [...restB]) {
    if (!x.sid) continue;
    const y = [...restA].find((s) => s.sid === x.sid);
    if (y) {
      restB.delete(x);
      restA.delete(y);
      changes.push({ kind: 'changed', sid: y.sid, statement: y, fieldChanges: fieldChanges(x, y), conditionChanges: conditionChanges(x, y) });
    }
  }
  // 3. Statements without Sid edited in place: same Effect and the same principals or the same actions.
  for (const x of [...restB]) {
    if (x.sid) continue;
    const y = [...restA].find((s) => !s.sid && sameField('Effect', x, s) && ((x.fields.Principal && sameField('Principal', x, s)) || (x.fields.Action && sameField('Action', x, s))));
    if (y) {
      restB.delete(x);
      restA.delete(y);
      changes.push({ kind: 'changed', statement: y, fieldChanges: fieldChanges(x, y), conditionChanges: conditionChanges(x, y) });
    }
  }
  for (const x of restB) changes.push({ kind: 'removed', sid: x.sid, statement: x });
  for (const y of restA) changes.push({ kind: 'added', sid: y.sid, statement: y });
  const order = { removed: 0, changed: 1, added: 2 } as const;
  changes.sort((p, q) => order[p.kind] - order[q.kind] || p.statement.index - q.statement.index);
  return { changes, unchanged };
}
