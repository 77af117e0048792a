import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Relative imports (type-only ones too) of every module of the loader, tests excluded. */
function importGraph(root: string): Map<string, string[]> {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) files.push(p);
    }
  };
  walk(root);
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const deps: string[] = [];
    for (const m of readFileSync(f, 'utf8').matchAll(/(?:import|export)\s[^'";]*?from\s+'(\.[^']+)'/g)) {
      const p = resolve(dirname(f), m[1]!);
      if (existsSync(`${p}.ts`)) deps.push(`${p}.ts`);
      else if (existsSync(join(p, 'index.ts'))) deps.push(join(p, 'index.ts'));
    }
    graph.set(relative(root, f), deps.map((d) => relative(root, d)));
  }
  return graph;
}

function cycles(graph: Map<string, string[]>): string[] {
  const found: string[] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (n: string) => {
    if (path.includes(n)) {
      found.push([...path.slice(path.indexOf(n)), n].join(' -> '));
      return;
    }
    if (done.has(n)) return;
    path.push(n);
    for (const d of graph.get(n) ?? []) visit(d);
    path.pop();
    done.add(n);
  };
  for (const n of [...graph.keys()].sort()) visit(n);
  return found;
}

describe('es-loader modules', () => {
  it('import each other without cycles (S3 client strategies compose through storage/strategy.ts)', () => {
    const graph = importGraph(__dirname);
    expect(graph.get('storage/control-tower.ts')).not.toContain('storage/clients.ts');
    expect(cycles(graph)).toEqual([]);
  });
});
