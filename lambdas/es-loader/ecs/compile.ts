/**
 * Compiles a log type's ECS mapping (`ecs` + mapping lines + `static_ecs`) into one JavaScript function,
 * once per log type. The generated code reads each candidate original field directly, coerces it to the
 * field's ECS type and builds the nested ECS objects in a fixed order, which keeps V8 on its fast paths:
 * the generic interpreter (loop over mappings, Map of values, path splitting) cost more than the rest
 * of normalization together in the VPC Flow Logs benchmark.
 *
 * Semantics are the same as the ini describes: candidates are tried in order and the first one with a
 * value that fits the field's type wins; `${ecs.field}` candidates are resolved after all plain ones;
 * blank values ("", "-", null, []) count as absent. Only generated identifiers and JSON-quoted
 * strings end up in the code; field names never become code.
 */
import type { LogType } from '../config/log-type';
import { coerceType, isIp } from './fields';
import { getPath, isPlainObject, type Json } from './paths';

export type EcsWriter = (raw: Json, doc: Json) => void;

interface Helpers {
  coerce: typeof coerceType;
  isIp: typeof isIp;
  getPath: typeof getPath;
  put: (doc: Json, key: string, value: unknown) => void;
  statics: unknown[];
  paths: string[][];
}

/** Deep-merges an ECS object into an existing plain object of the same name (a user log field called `source`...). */
function put(doc: Json, key: string, value: unknown): void {
  const existing = doc[key];
  if (isPlainObject(existing) && isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) put(existing, k, v);
  } else doc[key] = value;
}

interface Node {
  children: Map<string, Node>;
  leaf?: string; // variable holding the value
}

const cache = new WeakMap<LogType, EcsWriter>();

export function ecsWriter(lt: LogType): EcsWriter {
  let w = cache.get(lt);
  if (!w) {
    w = compile(lt);
    cache.set(lt, w);
  }
  return w;
}

function compile(lt: LogType): EcsWriter {
  const helpers: Helpers = { coerce: coerceType, isIp, getPath, put, statics: [], paths: [] };
  const lines: string[] = ['let v, c;'];
  const varOf = new Map<string, string>();
  const q = JSON.stringify;
  lt.staticEcs.forEach((s, i) => {
    const name = `s${i}`;
    helpers.statics.push(s.value);
    lines.push(`let ${name} = H.statics[${i}];`);
    varOf.set(s.field, name);
  });
  lt.ecs.forEach((m, i) => {
    const name = `f${i}`;
    lines.push(`let ${name};`);
    varOf.set(m.field, name);
  });
  const blank = 'v === undefined || v === null || v === "" || v === "-" || (Array.isArray(v) && v.length === 0)';
  for (const pass of [false, true]) {
    lt.ecs.forEach((m, i) => {
      if (m.hasRef !== pass) return;
      const name = `f${i}`;
      m.sources.forEach((src, k) => {
        let read: string;
        if (src.kind === 'ecs') read = varOf.get(src.field) ?? 'undefined';
        else if (src.path.length === 1) read = `raw[${q(src.path[0])}]`;
        else {
          helpers.paths.push(src.path);
          read = `H.getPath(raw, H.paths[${helpers.paths.length - 1}])`;
        }
        // The common cases are inlined (a string for a keyword, a number-like for a long, an address
        // string for an ip); the rest goes to coerceType, which gives the same answer for them.
        const coerce =
          m.type === 'keyword'
            ? `c = typeof v === 'string' ? v : H.coerce("keyword", v);`
            : m.type === 'long'
              ? `if (typeof v === 'string' || typeof v === 'number') { c = +v; c = Number.isFinite(c) ? Math.trunc(c) : undefined; } else c = H.coerce("long", v);`
              : m.type === 'ip'
                ? `c = typeof v === 'string' && H.isIp(v) ? v : H.coerce("ip", v);`
                : `c = H.coerce(${q(m.type)}, v);`;
        const attempt = `v = ${read}; if (!(${blank})) { ${coerce} if (c !== undefined) ${name} = c; }`;
        lines.push(k === 0 ? attempt : `if (${name} === undefined) { ${attempt} }`);
      });
    });
  }
  // Build the objects: statics first, then the ecs list, as a tree in order of first appearance.
  const root: Node = { children: new Map() };
  const add = (field: string, variable: string) => {
    let node = root;
    for (const part of field.split('.')) {
      let next = node.children.get(part);
      if (!next) {
        next = { children: new Map() };
        node.children.set(part, next);
      }
      node = next;
    }
    node.leaf = variable;
  };
  lt.staticEcs.forEach((s) => add(s.field, varOf.get(s.field)!));
  lt.ecs.forEach((m) => add(m.field, varOf.get(m.field)!));
  let n = 0;
  const build = (node: Node, target: string, out: string[]) => {
    for (const [key, child] of node.children) {
      if (child.leaf && child.children.size === 0) {
        out.push(`if (${child.leaf} !== undefined) (${target} || (${target} = {}))[${q(key)}] = ${child.leaf};`);
      } else {
        const o = `o${n++}`;
        out.push(`let ${o};`);
        build(child, o, out);
        out.push(`if (${o} !== undefined) (${target} || (${target} = {}))[${q(key)}] = ${o};`);
      }
    }
  };
  for (const [key, child] of root.children) {
    if (child.leaf && child.children.size === 0) {
      lines.push(`if (${child.leaf} !== undefined) { if (doc[${q(key)}] === undefined) doc[${q(key)}] = ${child.leaf}; else H.put(doc, ${q(key)}, ${child.leaf}); }`);
    } else {
      const o = `o${n++}`;
      const body: string[] = [`let ${o};`];
      build(child, o, body);
      lines.push(`{ ${body.join('\n')}\nif (${o} !== undefined) { if (doc[${q(key)}] === undefined) doc[${q(key)}] = ${o}; else H.put(doc, ${q(key)}, ${o}); } }`);
    }
  }
  const fn = new Function('H', `return function ecs_${lt.name.replace(/\W/g, '_')}(raw, doc) {\n${lines.join('\n')}\n};`) as (h: Helpers) => EcsWriter;
  return fn(helpers);
}
