/**
 * The reference's basic fields, written on every document of every log type (ecs/normalize.ts):
 * `@log_type`, `@id`, `@log_s3bucket`, `@log_s3key`, `@message` (text formats), `ecs.version`, and
 * `related.ip` / `related.user` / `related.hosts` filled as the list-form mappings of the reference's
 * aws.ini fill them (`related.ip = [${source.ip}, ${destination.ip}]`: every listed field's values,
 * IP literals only for `related.ip`, deduplicated and sorted, as a list). docs/log-types.md lists them.
 */
import type { LogType } from '../config/log-type';
import type { ListMapping } from '../config/reference-grammar';
import { REFERENCE_NAMES } from '../config/reference-names';
import { isIp } from './fields';
import { getPath, isPlainObject, type Json } from './paths';

/** The `ecs.version` the reference writes (aws.ini `ecs_version`); its dashboards filter on nothing else. */
export const ECS_VERSION = '1.10.0';


/**
 * The reference's log type name for an object of our log type `name`: the same name, except the
 * sections above, and our single `config` type, which the reference splits by key into
 * `config-history` / `config-snapshot` (and `config-rules`). A user's own section keeps its name.
 */
export function referenceLogType(name: string, key: string, lt?: Pick<LogType, 'staticEcs'>): string {
  // A section may name its own @log_type (`static_ecs = @log_type`, `@log_type = apache`), as the reference's user.ini samples do.
  const own = lt?.staticEcs.find((s) => s.field === '@log_type');
  if (own !== undefined && typeof own.value === 'string') return own.value;
  if (name === 'config') {
    if (key.includes('_ConfigSnapshot_')) return 'config-snapshot';
    if (key.includes('_ConfigHistory_')) return 'config-history';
    if (/Config.*Rules/.test(key)) return 'config-rules';
    return 'config-history';
  }
  return Object.hasOwn(REFERENCE_NAMES, name) ? REFERENCE_NAMES[name]! : name;
}

type ListWriter = (doc: Json) => void;
const writers = new WeakMap<LogType, ListWriter | null>();

/** Adds the values of `v` (a value or a list) to `out` unless blank, already there, or (for `ip`) not an IP literal. */
function collect(v: unknown, ip: boolean, out: string[] | undefined): string[] | undefined {
  if (typeof v === 'string') {
    if (v === '' || v === '-' || (ip && !isIp(v))) return out;
    if (out === undefined) return [v];
    if (!out.includes(v)) out.push(v);
    return out;
  }
  if (v === undefined || v === null || typeof v === 'object' && !Array.isArray(v)) return out;
  if (Array.isArray(v)) {
    for (const e of v) if (!Array.isArray(e)) out = collect(e, ip, out);
    return out;
  }
  return collect(String(v), ip, out);
}

function read(doc: Json, p: string[]): unknown {
  return p.length === 1 ? doc[p[0]!] : getPath(doc, p);
}

/**
 * The log type's list-form mapping lines (`related.ip = [${source.ip}, ${destination.ip}]`, aws.ini and
 * user.ini) as one filler, compiled once per log type; null when the type has none. It runs on the
 * finished document (after the transform): `${x}` reads the ECS field x, a plain element its original field.
 */
export function relatedWriter(lt: LogType): ListWriter | null {
  let w = writers.get(lt);
  if (w !== undefined) return w;
  const mappings = lt.listMappings ?? [];
  w = mappings.length === 0 ? null : (doc: Json) => fillLists(doc, mappings);
  writers.set(lt, w);
  return w;
}

function fillLists(doc: Json, mappings: readonly ListMapping[]): void {
  for (let i = 0; i < mappings.length; i++) {
    const m = mappings[i]!;
    const ip = m.ipOnly;
    // Values a transform or mapping already put there are kept.
    const existing = read(doc, m.path);
    let out = existing === undefined ? undefined : collect(existing, ip, undefined);
    for (const el of m.elements) {
      if (el.kind === 'ecs') out = collect(read(doc, el.path), ip, out);
      else
        for (const c of el.candidates) {
          const v = read(doc, c);
          if (v === undefined || v === null || v === '') continue;
          out = collect(v, ip, out);
          break;
        }
    }
    if (out === undefined) continue;
    if (out.length === 2) {
      if (out[1]! < out[0]!) out.reverse();
    } else if (out.length > 2) out.sort();
    let parent = doc;
    for (let j = 0; j < m.path.length - 1; j++) {
      const k = m.path[j]!;
      const next = parent[k];
      parent = isPlainObject(next) ? next : (parent[k] = {});
    }
    parent[m.path[m.path.length - 1]!] = out;
  }
}
