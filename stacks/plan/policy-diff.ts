/**
 * Statement-level difference of two IAM-style policy documents (identity, trust, bucket, key, queue,
 * topic and OpenSearch access policies share the grammar). A reviewer sees which statements were added,
 * removed or changed, and for a changed statement which principals, actions, resources and conditions
 * came or went, instead of two JSON blobs.
 *
 * Matching follows the IAM policy grammar (IAM User Guide, "IAM JSON policy elements reference"):
 * - `Action`, `Resource`, `Principal` values and condition values are sets: order and a single string vs a
 *   one-element array do not matter; action names are case-insensitive. A condition is compared value by
 *   value (`StringEquals aws:SourceAccount = 111122223333`), so a member added to a list shows as one value.
 * - `"Principal": "*"` is the same as `{"AWS": "*"}`.
 * - Statements pair up by `Sid` first; statements without a matching Sid pair up when they are identical,
 *   then when they share Effect and principals or actions (an edited statement without Sid), else they
 *   are reported as removed and added.
 */

export type PolicyField = 'Effect' | 'Principal' | 'NotPrincipal' | 'Action' | 'NotAction' | 'Resource' | 'NotResource' | 'Condition';
export const POLICY_FIELDS: readonly PolicyField[] = ['Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'];

/** A statement reduced to sets of display strings per field. */
export interface NormalizedStatement {
  readonly sid?: string;
  /** Field -> sorted, de-duplicated values (principals as `AWS: arn`, conditions as `Op key = value`). */
  readonly fields: Readonly<Partial<Record<PolicyField, readonly string[]>>>;
  /** Index in the original document (for stable output order). */
  readonly index: number;
}

export interface FieldChange {
  readonly field: PolicyField;
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

export interface StatementChange {
  readonly kind: 'added' | 'removed' | 'changed';
  /** The statement's Sid (after the change for `changed`, if both have one). */
  readonly sid?: string;
  /** The statement as it is after the change (`added`, `changed`) or was before (`removed`). */
  readonly statement: NormalizedStatement;
  /** For `changed`: what differs field by field. */
  readonly fieldChanges?: readonly FieldChange[];
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

function conditions(value: Json | undefined): string[] {
  if (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) return value === undefined || value === null ? [] : [JSON.stringify(value)];
  const out: string[] = [];
  for (const [operator, block] of Object.entries(value)) {
    if (block === null || typeof block !== 'object' || Array.isArray(block)) {
      out.push(`${operator} ${JSON.stringify(block)}`);
      continue;
    }
    // One entry per value: adding an account to a list shows as that one value added.
    for (const [key, values] of Object.entries(block)) for (const v of asList(values)) out.push(`${operator} ${key} = ${v}`);
  }
  return uniqSorted(out);
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
    set('Condition', conditions(s.Condition));
    const sid = typeof s.Sid === 'string' && s.Sid !== '' ? s.Sid : undefined;
    return { sid, fields, index };
  });
}

/** Comparison form of one value: action names and condition operators/keys are case-insensitive. */
function valueKey(field: PolicyField, value: string): string {
  if (field === 'Action' || field === 'NotAction') return value.toLowerCase();
  if (field === 'Condition') return value.replace(/^(\S+ \S+)/, (m) => m.toLowerCase());
  return value;
}

function comparable(field: PolicyField, values: readonly string[] | undefined): string[] {
  return uniqSorted((values ?? []).map((v) => valueKey(field, v)));
}

function contentKey(s: NormalizedStatement): string {
  return JSON.stringify(POLICY_FIELDS.map((f) => comparable(f, s.fields[f])));
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
      changes.push({ kind: 'changed', sid: y.sid, statement: y, fieldChanges: fieldChanges(x, y) });
    }
  }
  // 3. Statements without Sid edited in place: same Effect and the same principals or the same actions.
  for (const x of [...restB]) {
    if (x.sid) continue;
    const y = [...restA].find((s) => !s.sid && sameField('Effect', x, s) && ((x.fields.Principal && sameField('Principal', x, s)) || (x.fields.Action && sameField('Action', x, s))));
    if (y) {
      restB.delete(x);
      restA.delete(y);
      changes.push({ kind: 'changed', statement: y, fieldChanges: fieldChanges(x, y) });
    }
  }
  for (const x of restB) changes.push({ kind: 'removed', sid: x.sid, statement: x });
  for (const y of restA) changes.push({ kind: 'added', sid: y.sid, statement: y });
  const order = { removed: 0, changed: 1, added: 2 } as const;
  changes.sort((p, q) => order[p.kind] - order[q.kind] || p.statement.index - q.statement.index);
  return { changes, unchanged };
}
