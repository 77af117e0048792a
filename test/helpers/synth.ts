/**
 * Synthesizes an organization into a temporary folder and reads the result back, the way
 * `npm run synth` writes it. Results are cached per organization object within a test file.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadOrganization } from '../../accounts/load';
import type { Organization } from '../../accounts/schema';
import { buildApp } from '../../stacks/app';

export interface TfResourceMap {
  [type: string]: { [name: string]: Record<string, any> };
}
export interface SynthesizedStack {
  readonly name: string;
  readonly dir: string;
  readonly json: { resource: TfResourceMap; provider: { aws: Record<string, any>[] }; data?: unknown; output?: Record<string, unknown>; terraform?: Record<string, any> };
}
export interface SynthesizedApp {
  readonly outdir: string;
  readonly stacks: Record<string, SynthesizedStack>;
}

const cache = new WeakMap<Organization, SynthesizedApp>();

export function exampleOrganization(): Organization {
  return loadOrganization(path.resolve(__dirname, '../../accounts'));
}

export function synthesize(org: Organization = exampleOrganization()): SynthesizedApp {
  const cached = cache.get(org);
  if (cached) return cached;
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-synth-'));
  buildApp(org, { outdir }).synth();
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, { synthesizedStackPath: string; workingDirectory: string }> };
  const stacks: Record<string, SynthesizedStack> = {};
  for (const [name, s] of Object.entries(manifest.stacks)) {
    const file = path.join(outdir, s.synthesizedStackPath);
    stacks[name] = { name, dir: path.dirname(file), json: JSON.parse(fs.readFileSync(file, 'utf8')) };
  }
  const result = { outdir, stacks };
  cache.set(org, result);
  return result;
}

/** All resources of a type in a stack, by their Terraform name. */
export function resourcesOf(stack: SynthesizedStack, type: string): Record<string, Record<string, any>> {
  return stack.json.resource[type] ?? {};
}

/** The single resource of a type whose property `key` equals `value`. */
export function findResource(stack: SynthesizedStack, type: string, predicate: (r: Record<string, any>) => boolean): Record<string, any> {
  const matches = Object.values(resourcesOf(stack, type)).filter(predicate);
  if (matches.length !== 1) throw new Error(`expected exactly one ${type} matching in ${stack.name}, found ${matches.length}`);
  return matches[0]!;
}

/** A policy as AWS receives it: Terraform's `$${` escape turned back into `${`. */
export function parsePolicy(text: string): { Version: string; Statement: any[] } {
  return JSON.parse(text.replace(/\$\$\{/g, '${'));
}
