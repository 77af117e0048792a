/**
 * Plans synthesized stacks: for each stack, in its own working directory `<workRoot>/<stack>/`,
 * `terraform init` (its own backend), `terraform plan -out=tfplan`, `terraform show -json tfplan >
 * plan.json`, then the analysis. Stacks run in parallel, at most `concurrency` at a time; one failing
 * stack does not stop the others.
 *
 * Modes:
 * - `aws`: the stack as synthesized: the provider assumes the stack's deploy role with the credentials
 *   in the environment, the state comes from the stack's backend (S3 per stack, or local).
 * - `offline`: rewritten by tools/terraform/offline.ts (fake credentials, no assume_role, local empty
 *   state, `-refresh=false`), so no AWS call is made. A state file may be supplied per stack (e.g. one
 *   pulled with `terraform state pull`, or a test fixture) to plan against existing resources.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { prepareOfflineStack, prepareStack, terraform, TerraformError, writeCliConfig, type TerraformResult } from '../terraform/offline';
import { analyzePlan, type SynthesizedConfig } from './analyze';
import type { PlanJson } from './plan-json';
import type { PlanMode, StackPlanResult } from './report';

export const DEFAULT_CONCURRENCY = 2;

export class PlanConfigError extends Error {
  override readonly name = 'PlanConfigError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export interface SynthesizedStack {
  readonly name: string;
  /** Absolute path of the stack folder holding cdk.tf.json. */
  readonly dir: string;
  readonly warnings: readonly string[];
}

interface Manifest {
  readonly stacks: Record<string, { readonly workingDirectory: string; readonly annotations?: readonly { level: string; message: string }[] }>;
}

/** The stacks listed in `<outdir>/manifest.json`, in manifest order. */
export function readManifest(outdir: string): SynthesizedStack[] {
  const file = path.join(outdir, 'manifest.json');
  if (!fs.existsSync(file)) throw new PlanConfigError(`${file} not found: synthesize first (npm run synth) or let npm run plan synthesize`);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
  } catch (error) {
    throw new PlanConfigError(`${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return Object.entries(manifest.stacks ?? {}).map(([name, s]) => ({
    name,
    dir: path.resolve(outdir, s.workingDirectory),
    warnings: (s.annotations ?? []).filter((a) => a.level.endsWith('warn')).map((a) => a.message),
  }));
}

/** The requested stacks (all when none named); an unknown name is an error listing the known ones. */
export function selectStacks(all: readonly SynthesizedStack[], requested: readonly string[] | undefined): SynthesizedStack[] {
  if (!requested || requested.length === 0) return [...all];
  const known = new Map(all.map((s) => [s.name, s]));
  const unknown = requested.filter((r) => !known.has(r));
  if (unknown.length > 0) {
    throw new PlanConfigError(`unknown stack${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}; the synthesized stacks are: ${all.map((s) => s.name).join(', ')}`);
  }
  return [...new Set(requested)].map((r) => known.get(r)!);
}

/** `terraform init` arguments. `-reconfigure`: a reused working directory never tries to migrate state. */
export function initArgs(): string[] {
  return ['init', '-input=false', '-no-color', '-reconfigure'];
}

/**
 * `terraform plan` arguments. Offline: no refresh (it would call AWS) and no lock (the state is a private
 * copy). Against AWS: refresh and lock as usual, waiting for a lock held by a deploy instead of failing.
 */
export function planArgs(mode: PlanMode): string[] {
  return mode === 'offline'
    ? ['plan', '-input=false', '-no-color', '-lock=false', '-refresh=false', '-out=tfplan']
    : ['plan', '-input=false', '-no-color', '-lock-timeout=300s', '-out=tfplan'];
}

export function showArgs(): string[] {
  return ['show', '-json', '-no-color', 'tfplan'];
}

/** The Terraform command lines run for one stack, in order (documentation and tests). */
export function stackCommands(mode: PlanMode): string[][] {
  return [initArgs(), planArgs(mode), showArgs()];
}

export interface PlanRunOptions {
  readonly mode: PlanMode;
  /** The synthesized app (cdktf.out). */
  readonly outdir: string;
  /** Where each stack's working directory, tfplan and plan.json go (plan-out). */
  readonly workRoot: string;
  readonly stacks?: readonly string[];
  readonly concurrency?: number;
  /** Offline only: stack -> state file to plan against instead of an empty state. */
  readonly stateFiles?: Readonly<Record<string, string>>;
  /** Extra environment for Terraform (e.g. TF_LOG). */
  readonly env?: NodeJS.ProcessEnv;
  readonly onProgress?: (stack: string, step: string) => void;
}

export interface StackPlanOutcome extends StackPlanResult {
  readonly workDir: string;
  /** Paths of the saved binary plan, its JSON and Terraform's human-readable plan output. */
  readonly files?: { readonly tfplan: string; readonly json: string; readonly text: string };
  readonly seconds: number;
}

/** The last lines of Terraform's error output: its diagnostics are at the end. */
function errorText(result: TerraformResult): string {
  const text = (result.stderr.trim() || result.stdout.trim()).split('\n');
  return [`$ ${result.command}`, ...text.slice(-60)].join('\n');
}

async function planOne(stack: SynthesizedStack, options: PlanRunOptions): Promise<StackPlanOutcome> {
  const started = Date.now();
  const workDir = path.resolve(options.workRoot, stack.name);
  const seconds = () => (Date.now() - started) / 1000;
  let phase = 'prepare';
  try {
    for (const stale of ['tfplan', 'plan.json', 'plan.txt']) fs.rmSync(path.join(workDir, stale), { force: true });
    if (options.mode === 'offline') {
      prepareOfflineStack(stack.dir, workDir);
      const state = path.join(workDir, 'terraform.tfstate');
      fs.rmSync(state, { force: true });
      const seed = options.stateFiles?.[stack.name];
      if (seed) {
        if (!fs.existsSync(seed)) throw new PlanConfigError(`state file ${seed} for stack ${stack.name} not found`);
        fs.copyFileSync(seed, state);
      }
    } else {
      prepareStack(stack.dir, workDir);
    }
    const opts = { cliConfigFile: writeCliConfig(workDir), env: options.env };
    phase = 'init';
    options.onProgress?.(stack.name, 'init');
    await terraform(initArgs(), workDir, opts);
    phase = 'plan';
    options.onProgress?.(stack.name, 'plan');
    const plan = await terraform(planArgs(options.mode), workDir, opts);
    const text = path.join(workDir, 'plan.txt');
    fs.writeFileSync(text, plan.stdout);
    phase = 'show';
    const show = await terraform(showArgs(), workDir, opts);
    const json = path.join(workDir, 'plan.json');
    fs.writeFileSync(json, show.stdout);
    phase = 'analyze';
    const planJson = JSON.parse(show.stdout) as PlanJson;
    const config = JSON.parse(fs.readFileSync(path.join(workDir, 'cdk.tf.json'), 'utf8')) as SynthesizedConfig;
    const analysis = analyzePlan(planJson, config);
    options.onProgress?.(stack.name, 'done');
    return { stack: stack.name, analysis, warnings: stack.warnings, workDir, files: { tfplan: path.join(workDir, 'tfplan'), json, text }, seconds: seconds() };
  } catch (error) {
    const message = error instanceof TerraformError ? errorText(error.result) : error instanceof Error ? error.message : String(error);
    options.onProgress?.(stack.name, `failed (${phase})`);
    return { stack: stack.name, error: { phase, message }, warnings: stack.warnings, workDir, seconds: seconds() };
  }
}

/** Runs `fn` over `items` with at most `limit` in flight; results keep the items' order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** Plans the selected stacks of a synthesized app. Throws PlanConfigError for bad options only. */
export async function planStacks(options: PlanRunOptions): Promise<StackPlanOutcome[]> {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new PlanConfigError(`concurrency must be a whole number >= 1, got ${concurrency}`);
  if (options.mode !== 'offline' && options.stateFiles && Object.keys(options.stateFiles).length > 0) {
    throw new PlanConfigError('a state file can only be given in offline mode (against AWS the state comes from the stack\'s backend)');
  }
  const stacks = selectStacks(readManifest(options.outdir), options.stacks);
  for (const name of Object.keys(options.stateFiles ?? {})) {
    if (!stacks.some((s) => s.name === name)) throw new PlanConfigError(`a state file was given for stack "${name}", which is not planned (planned: ${stacks.map((s) => s.name).join(', ')})`);
  }
  fs.mkdirSync(options.workRoot, { recursive: true });
  return mapBounded(stacks, concurrency, (s) => planOne(s, options));
}
