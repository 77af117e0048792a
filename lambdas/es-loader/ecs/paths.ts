/** Reading and writing dotted paths in plain JSON objects. */

export type Json = Record<string, unknown>;

export function isPlainObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads `a.b.0.c`; numeric segments index arrays. A key that itself contains dots is tried as a whole first. */
export function getPath(obj: unknown, path: readonly string[]): unknown {
  let cur: unknown = obj;
  for (let i = 0; i < path.length; i++) {
    if (cur === null || cur === undefined) return undefined;
    if (Array.isArray(cur)) {
      const idx = Number(path[i]);
      cur = Number.isInteger(idx) ? cur[idx] : undefined;
    } else if (typeof cur === 'object') {
      cur = (cur as Json)[path[i]];
    } else return undefined;
  }
  return cur;
}

const PARTS = new Map<string, string[]>();
/** `a.b.c` -> ['a','b','c'], memoized: field names repeat for every record, and reusing the same
 * (internalized) key strings keeps property access on the fast path. */
export function partsOf(field: string): string[] {
  let p = PARTS.get(field);
  if (!p) {
    p = field.split('.');
    if (PARTS.size < 10_000) PARTS.set(field, p);
  }
  return p;
}

/** Reads an ECS field (`source.ip`) from a nested document. */
export function getField(doc: Json, field: string): unknown {
  return getPath(doc, partsOf(field));
}

/**
 * Writes an ECS field into the nested document, creating objects on the way. A non-object value in the
 * way (a raw field that happens to share an ECS root name) is replaced, since ECS owns those names.
 */
export function setField(doc: Json, field: string, value: unknown): void {
  setParts(doc, partsOf(field), value);
}

export function setParts(doc: Json, parts: readonly string[], value: unknown): void {
  let cur: Json = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = cur[parts[i]];
    if (isPlainObject(next)) cur = next;
    else {
      const created: Json = {};
      cur[parts[i]] = created;
      cur = created;
    }
  }
  cur[parts[parts.length - 1]] = value;
}

export function deleteField(doc: Json, field: string): void {
  const parts = partsOf(field);
  let cur: unknown = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    if (!isPlainObject(cur)) return;
    cur = cur[parts[i]];
  }
  if (isPlainObject(cur)) delete cur[parts[parts.length - 1]];
}

/** The plain object at `doc[key]`, created (or replacing a non-object) when needed. Hot-path helper. */
export function child(doc: Json, key: string): Json {
  const v = doc[key];
  if (isPlainObject(v)) return v;
  const o: Json = {};
  doc[key] = o;
  return o;
}
