/**
 * The architecture rules of docs/architecture.md, checked over the real import graph of the sources:
 * constructs never reach into stacks, nothing imports in a circle, Lambda code never reaches
 * infrastructure code, and what is shipped (the Lambda bundles and the `siem-load` bin) uses only
 * packages that `npm ci --omit=dev` installs.
 *
 * For the package rule only imports that exist at run time count: `import type` and `export type` are
 * erased by the compiler (a handler may name the `aws-lambda` event types from a dev package). For the
 * layering and cycle rules every import counts, types included: a type import couples two files as
 * much as a value import does.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
/** Source folders of the project (tests are leaves: nothing imports them, so they cannot close a cycle). */
const SOURCE_DIRS = ['accounts', 'stacks', 'modules', 'lambdas', 'tools', 'bench'];

interface FileImports {
  /** Project files imported at run time (relative paths from ROOT). */
  readonly local: string[];
  /** Project files imported in any way, types included (a type import still couples the two files). */
  readonly anyLocal: string[];
  /** Bare package names imported at run time. */
  readonly packages: string[];
  /** Relative specifiers that name no file (each would hide an edge of the graph). */
  readonly unresolved?: string[];
}

function isTest(path: string): boolean {
  return /\.test\.ts$/.test(path) || /(^|\/)testing\.ts$/.test(path) || /(^|\/)fixtures\//.test(path);
}

function sourceFiles(): string[] {
  const out: string[] = existsSync(join(ROOT, 'main.ts')) ? ['main.ts'] : [];
  const walk = (dir: string): void => {
    if (!existsSync(join(ROOT, dir))) return;
    for (const name of readdirSync(join(ROOT, dir))) {
      const path = `${dir}/${name}`;
      if (name === 'node_modules') continue;
      if (statSync(join(ROOT, path)).isDirectory()) walk(path);
      else if (path.endsWith('.ts') && !path.endsWith('.d.ts') && !isTest(path)) out.push(path);
    }
  };
  SOURCE_DIRS.forEach(walk);
  return out.sort();
}

function resolveLocal(from: string, specifier: string): string | undefined {
  const base = resolve(ROOT, dirname(from), specifier);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return relative(ROOT, candidate);
  }
  return undefined;
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const cache = new Map<string, FileImports>();

/** The run-time imports of one file: import/export declarations that are not type-only, import() and require(). */
function importsOf(path: string): FileImports {
  const cached = cache.get(path);
  if (cached) return cached;
  const source = ts.createSourceFile(path, readFileSync(join(ROOT, path), 'utf8'), ts.ScriptTarget.ES2022, true);
  const specifiers: string[] = [];
  const typeSpecifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((element) => element.isTypeOnly)));
      (typeOnly ? typeSpecifiers : specifiers).push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      (node.isTypeOnly ? typeSpecifiers : specifiers).push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
      node.arguments.length === 1 &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      specifiers.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  const local: string[] = [];
  const packages: string[] = [];
  const unresolved: string[] = [];
  for (const specifier of specifiers) {
    if (specifier.startsWith('.')) {
      const target = resolveLocal(path, specifier);
      if (!target) unresolved.push(specifier);
      // JSON and other assets are leaves; only TypeScript files carry further imports.
      if (target?.endsWith('.ts')) local.push(target);
    } else if (!specifier.startsWith('node:') && !builtinModules.includes(specifier)) {
      packages.push(packageName(specifier));
    }
  }
  const anyLocal = [...local];
  for (const specifier of typeSpecifiers) {
    const target = specifier.startsWith('.') ? resolveLocal(path, specifier) : undefined;
    if (specifier.startsWith('.') && !target) unresolved.push(specifier);
    if (target?.endsWith('.ts')) anyLocal.push(target);
  }
  const result = { local: [...new Set(local)], anyLocal: [...new Set(anyLocal)], packages: [...new Set(packages)], unresolved };
  cache.set(path, result);
  return result;
}

/** Every cycle of the graph, each as the list of files that form it (Tarjan's strongly connected components). */
function cycles(files: readonly string[]): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const strongConnect = (v: string): void => {
    indices.set(v, index);
    low.set(v, index);
    index += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of importsOf(v).anyLocal) {
      if (!indices.has(w)) {
        strongConnect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, indices.get(w)!));
      }
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || importsOf(v).anyLocal.includes(v)) found.push(component.sort());
    }
  };
  for (const file of files) if (!indices.has(file)) strongConnect(file);
  return found;
}

/** Files reachable from an entry through run-time imports. */
function reachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    queue.push(...importsOf(file).local);
  }
  return seen;
}

const files = sourceFiles();
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  bin: Record<string, string>;
};

describe('Architecture: the import graph', () => {
  it('reads the project: every source folder has files and imports resolve', () => {
    expect(files.length).toBeGreaterThan(100);
    for (const dir of ['accounts', 'stacks', 'modules', 'lambdas']) expect(files.some((f) => f.startsWith(`${dir}/`))).toBe(true);
    // A specifier that resolves to nothing would hide an edge: every relative import must resolve.
    const unresolved = files.flatMap((file) => (importsOf(file).unresolved ?? []).map((spec) => `${file}: ${spec}`));
    expect(unresolved).toEqual([]);
    expect(importsOf('lambdas/es-loader/index.ts').local).toContain('lambdas/es-loader/handler.ts');
  });

  it('no construct in modules/ imports a stack, not even its type', () => {
    const offenders = files
      .filter((f) => f.startsWith('modules/'))
      .flatMap((f) => importsOf(f).anyLocal.filter((t) => t.startsWith('stacks/')).map((t) => `${f} -> ${t}`));
    expect(offenders).toEqual([]);
  });

  it('Lambda code never imports infrastructure (stacks/, modules/, accounts/) or tools', () => {
    const offenders = files
      .filter((f) => f.startsWith('lambdas/'))
      .flatMap((f) =>
        importsOf(f)
          .local.filter((t) => /^(stacks|modules|accounts|tools|bench)\//.test(t) || t === 'main.ts')
          .map((t) => `${f} -> ${t}`),
      );
    expect(offenders).toEqual([]);
  });

  it('nothing imports in a circle (type imports included)', () => {
    expect(cycles(files)).toEqual([]);
  });

  it('finds a cycle when there is one (the checker itself can fail)', () => {
    cache.set('x/a.ts', { local: ['x/b.ts'], anyLocal: ['x/b.ts'], packages: [] });
    cache.set('x/b.ts', { local: [], anyLocal: ['x/a.ts'], packages: [] });
    try {
      expect(cycles(['x/a.ts'])).toEqual([['x/a.ts', 'x/b.ts']]);
    } finally {
      cache.delete('x/a.ts');
      cache.delete('x/b.ts');
    }
  });

  const entries = [
    ...files.filter((f) => /^lambdas\/[^/]+\/index\.ts$/.test(f)),
    // The siem-load bin runs the CLI module with tsx-free node after `npm ci --omit=dev` too.
    'lambdas/es-loader/cli.ts',
  ];

  it.each(entries)('shipped code reached from %s uses only runtime dependencies', (entry) => {
    const devOnly = new Set(Object.keys(pkg.devDependencies).filter((name) => !(name in pkg.dependencies)));
    const used = [...reachable(entry)].flatMap((file) => importsOf(file).packages.map((name) => ({ file, name })));
    expect(used.length).toBeGreaterThan(0);
    const offenders = used.filter(({ name }) => devOnly.has(name) || !(name in pkg.dependencies));
    expect(offenders.map(({ file, name }) => `${file} imports ${name}`)).toEqual([]);
  });
});
