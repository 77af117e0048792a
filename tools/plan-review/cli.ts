/**
 * `npm run plan [-- --offline] [--concurrency N] [stack...]`: synthesizes the app, plans every stack
 * (or those named) and writes `plan-report.md`. Exit code: 0 clean, 2 DANGER (a stateful resource is
 * destroyed or replaced), 1 error (bad option, invalid configuration, or a stack that could not be
 * planned: the message names the stack).
 *
 * Files: `plan-out/<stack>/tfplan` (binary plan), `plan-out/<stack>/plan.json` (`terraform show -json`),
 * `plan-out/<stack>/plan.txt` (Terraform's own plan output) and the report.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { ConfigError, loadOrganization } from '../../accounts/load';
import { buildApp } from '../../stacks/app';
import { hasChanges } from './analyze';
import { exitCodeOf, fitReport, renderNoStackReport, renderReport, EXIT_ERROR, type PlanMode } from './report';
import { changedFiles, ChangedFilesError, describeChangeSet, stacksForFiles } from './changed-stacks';
import { DEFAULT_CONCURRENCY, PlanConfigError, planStacks, readManifest, selectStacks, stackCommands } from './runner';

export interface CliOptions {
  readonly mode: PlanMode;
  readonly stacks: readonly string[];
  readonly concurrency: number;
  readonly synth: boolean;
  readonly synthDir: string;
  readonly outDir: string;
  readonly report: string;
  /** Also write the report shortened for a pull request comment (fitReport) to this file. */
  readonly comment?: string;
  readonly stateFiles: Readonly<Record<string, string>>;
  readonly dryRun: boolean;
  /** Plan only the stacks that files changed since this git ref can affect (plus any named). */
  readonly changedSince?: string;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`must be a whole number >= 1, got "${value}"`);
  return n;
}

function stateOption(value: string, previous: Record<string, string>): Record<string, string> {
  const m = /^([^=]+)=(.+)$/.exec(value);
  if (!m) throw new InvalidArgumentError(`must be <stack>=<state file>, got "${value}"`);
  return { ...previous, [m[1]!]: path.resolve(m[2]!) };
}

/** Parses the command line (without `node script`); throws CommanderError on bad usage. */
export function parseArgs(argv: readonly string[], write: { out: (s: string) => void; err: (s: string) => void } = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }): CliOptions {
  const program = new Command('npm run plan --')
    .description('Synthesize, run terraform init + plan for each stack, and write a security-focused review (plan-report.md).')
    .argument('[stack...]', 'stacks to plan (default: every stack in the synthesized manifest)')
    .option('--offline', 'no AWS: fake credentials, no assume_role, empty local state, -refresh=false', false)
    .option('--concurrency <n>', 'stacks planned at the same time', positiveInt, DEFAULT_CONCURRENCY)
    .option('--no-synth', 'use the existing synthesized app instead of synthesizing first')
    .option('--synth-dir <dir>', 'synthesized app folder', 'cdktf.out')
    .option('--out-dir <dir>', 'working directories, plans and plan JSON per stack', 'plan-out')
    .option('--report <file>', 'Markdown report', 'plan-report.md')
    .option('--comment <file>', 'also write the report shortened to fit a pull request comment (policy documents left out first)')
    .option('--state <stack=file>', 'offline: plan this stack against a state file (repeatable)', stateOption, {} as Record<string, string>)
    .option('--changed-since <ref>', 'plan only the stacks the files changed since <ref> (git merge base) can affect')
    .option('--dry-run', 'print the terraform commands each stack would run, and stop', false)
    .exitOverride()
    .configureOutput({
      writeOut: write.out,
      writeErr: write.err,
      // Commander's "error: unknown option '--offlin'\n(Did you mean --offline?)" as one line.
      outputError: (s, out) => out(`npm run plan: ${s.replace(/^error: /, '').replace(/\s*\n\(Did you mean/, ' (did you mean').trim()}; see npm run plan -- --help\n`),
    });
  program.parse([...argv], { from: 'user' });
  const o = program.opts<{ offline: boolean; concurrency: number; synth: boolean; synthDir: string; outDir: string; report: string; comment?: string; state: Record<string, string>; dryRun: boolean; changedSince?: string }>();
  return {
    mode: o.offline ? 'offline' : 'aws',
    stacks: program.processedArgs[0] as string[],
    concurrency: o.concurrency,
    synth: o.synth,
    synthDir: o.synthDir,
    outDir: o.outDir,
    report: o.report,
    stateFiles: o.state,
    dryRun: o.dryRun,
    ...(o.changedSince ? { changedSince: o.changedSince } : {}),
    ...(o.comment ? { comment: o.comment } : {}),
  };
}

/** Synthesizes the organization in accounts/ into `outdir` (what `npm run synth` does). */
export function synthesize(outdir: string): void {
  const org = loadOrganization();
  buildApp(org, { outdir }).synth();
}

export interface Io {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
}

const defaultIo: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

function writeReport(options: CliOptions, report: string): void {
  fs.writeFileSync(options.report, report);
  if (options.comment) fs.writeFileSync(options.comment, fitReport(report));
}

/** The whole command; returns the exit code. */
export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  let options: CliOptions;
  try {
    options = parseArgs(argv, io);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_ERROR;
    throw error;
  }
  try {
    if (options.synth) synthesize(options.synthDir);
    let stacks = options.stacks;
    let scope: string | undefined;
    if (options.changedSince) {
      const all = readManifest(options.synthDir).map((s) => s.name);
      const changes = changedFiles(options.changedSince);
      const compared = describeChangeSet(changes);
      const changed = stacksForFiles(changes.files, all);
      io.err(`[plan] --changed-since ${options.changedSince}: compared ${compared}; ${changes.files.length} file${changes.files.length === 1 ? '' : 's'} changed\n`);
      for (const reason of changed.reasons) io.err(`[plan] changed: ${reason}\n`);
      stacks = all.filter((s) => changed.stacks.includes(s) || options.stacks.includes(s));
      if (stacks.length === 0) {
        const replaced = fs.existsSync(options.report);
        writeReport(options, renderNoStackReport(compared, changed.reasons));
        io.out(`No stack planned: none of the ${changes.files.length} files changed since ${options.changedSince} can change a stack (compared ${compared}). Report: ${options.report}${replaced ? ' (replaces the earlier report)' : ''}\n`);
        return 0;
      }
      scope = `Stacks selected by --changed-since ${options.changedSince}: ${stacks.join(', ')}; compared ${compared}.`;
    }
    if (options.dryRun) {
      for (const s of selectStacks(readManifest(options.synthDir), stacks)) {
        io.out(`# ${s.name} (${options.mode}): in ${path.join(options.outDir, s.name)}, copied from ${path.relative(process.cwd(), s.dir) || s.dir}\n`);
        for (const args of stackCommands(options.mode)) io.out(`terraform ${args.join(' ')}\n`);
      }
      return 0;
    }
    const started = Date.now();
    const results = await planStacks({
      mode: options.mode,
      outdir: options.synthDir,
      workRoot: options.outDir,
      stacks,
      concurrency: options.concurrency,
      stateFiles: options.stateFiles,
      onProgress: (stack, step) => io.err(`[plan] ${stack}: ${step}\n`),
    });
    writeReport(options, renderReport(results, { mode: options.mode, ...(scope ? { scope } : {}) }));
    for (const r of results) {
      if (r.error) io.err(`plan failed for stack ${r.stack} (${r.error.phase}):\n${r.error.message}\n`);
    }
    const code = exitCodeOf(results);
    const lines = results.map((r) => {
      if (!r.analysis) return `  ${r.stack}: ERROR (${r.error?.phase})`;
      const c = r.analysis.counts;
      const what = hasChanges(c) ? `+${c.add} ~${c.change} ±${c.replace} -${c.destroy}` : 'no changes';
      return `  ${r.stack}: ${what}${r.analysis.danger.length ? `, DANGER x${r.analysis.danger.length}` : ''} (${r.seconds.toFixed(1)} s)`;
    });
    io.out(`Planned ${results.length} stack${results.length === 1 ? '' : 's'} (${options.mode}) in ${((Date.now() - started) / 1000).toFixed(1)} s:\n${lines.join('\n')}\nReport: ${options.report}; plans: ${options.outDir}/<stack>/{tfplan,plan.json,plan.txt}\n`);
    if (code === 2) io.out('Exit code 2: the plan destroys or replaces stateful resources (see "DANGER" in the report).\n');
    return code;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof PlanConfigError || error instanceof ChangedFilesError) {
      io.err(`${error.message}\n`);
      return EXIT_ERROR;
    }
    throw error;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`npm run plan: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = EXIT_ERROR;
    },
  );
}
