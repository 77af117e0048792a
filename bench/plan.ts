/**
 * `npm run bench:plan [-- --runs 3 --concurrency 1,2 --write]`
 *
 * Times the whole `npm run plan -- --offline` for the example organization (accounts/): synthesis, then
 * terraform init + plan + show for every stack, and the report. Each run is a fresh process with fresh
 * cdktf.out and plan-out folders, as in CI (no .terraform reused). Prints each run and the medians per
 * concurrency; `--write` replaces this benchmark's section of docs/benchmarks.md (between its markers).
 */
import { spawnSync } from 'node:child_process';
import { median, sectionMarkers, writeSection } from './report';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';

const ROOT = path.resolve(__dirname, '..');
const { start: START, end: END } = sectionMarkers('plan');

interface Run {
  readonly concurrency: number;
  readonly wallMs: number;
  /** Terraform part as the CLI reports it ("Planned N stacks (offline) in X s"). */
  readonly planMs: number;
  readonly stacks: { readonly name: string; readonly add: number; readonly seconds: number }[];
  readonly exitCode: number;
}

const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function once(concurrency: number): Run {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-bench-plan-'));
  const args = ['tools/plan-review/cli.ts', '--offline', '--concurrency', String(concurrency), '--synth-dir', path.join(dir, 'cdktf.out'), '--out-dir', path.join(dir, 'plan-out'), '--report', path.join(dir, 'plan-report.md')];
  const t0 = performance.now();
  const r = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const wallMs = performance.now() - t0;
  fs.rmSync(dir, { recursive: true, force: true });
  if (r.status !== 0 && r.status !== 2) throw new Error(`npm run plan -- --offline failed (exit ${r.status}):\n${r.stderr}\n${r.stdout}`);
  const planned = /Planned \d+ stacks? \(offline\) in ([\d.]+) s/.exec(r.stdout);
  const stacks = [...r.stdout.matchAll(/^ {2}(\S+): \+(\d+) ~\d+ ±\d+ -\d+.*\(([\d.]+) s\)$/gm)].map((m) => ({ name: m[1]!, add: Number(m[2]), seconds: Number(m[3]) }));
  return { concurrency, wallMs, planMs: planned ? Number(planned[1]) * 1000 : NaN, stacks, exitCode: r.status ?? -1 };
}

function main(): void {
  const program = new Command('bench:plan')
    .option('--runs <n>', 'runs per concurrency', (v) => Number.parseInt(v, 10), 3)
    .option('--concurrency <list>', 'comma-separated concurrency values', '2')
    .option('--write', 'replace this benchmark\'s section of docs/benchmarks.md', false)
    .parse();
  const o = program.opts<{ runs: number; concurrency: string; write: boolean }>();
  const levels = o.concurrency.split(',').map((c) => Number.parseInt(c, 10));
  const results: Run[] = [];
  const loads: number[] = [];
  // Interleaved (1, 2, 1, 2, ...) so that changing machine load affects every concurrency alike.
  for (let i = 1; i <= o.runs; i++) {
    for (const c of levels) {
      const run = once(c);
      loads.push(os.loadavg()[0]!);
      results.push(run);
      process.stdout.write(`concurrency ${c}, run ${i}/${o.runs}: wall ${sec(run.wallMs)} (terraform ${sec(run.planMs)}), ${run.stacks.map((s) => `${s.name} ${s.seconds.toFixed(1)} s`).join(', ')}\n`);
    }
  }
  const first = results[0]!;
  const resources = first.stacks.reduce((n, s) => n + s.add, 0);
  const rows = levels.map((c) => {
    const rs = results.filter((r) => r.concurrency === c);
    const perStack = median(rs.flatMap((r) => r.stacks.map((s) => s.seconds * 1000)));
    return `| ${c} | ${rs.length} | ${sec(median(rs.map((r) => r.wallMs)))} | ${sec(median(rs.map((r) => r.wallMs - r.planMs)))} | ${sec(median(rs.map((r) => r.planMs)))} | ${sec(perStack)} |`;
  });
  const section = [
    START,
    '## Offline plan of the example organization (`npm run bench:plan`)',
    '',
    `What: the whole \`npm run plan -- --offline\` (synthesis, then \`terraform init\`, \`plan\` and \`show -json\` for each stack, and the report) of the example organization in accounts/: ${first.stacks.length} stacks (${first.stacks.map((s) => s.name).join(', ')}), ${resources} resources, empty state. Each run is a fresh process with fresh \`cdktf.out/\` and \`plan-out/\`, as in CI.`,
    '',
    '| concurrency | runs | median wall | median synthesis + start | median terraform (all stacks) | median per stack |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `Runs (wall): ${levels.map((c) => `concurrency ${c}: ${results.filter((r) => r.concurrency === c).map((r) => sec(r.wallMs)).join(', ')}`).join('; ')}. Machine: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}, Terraform from PATH with the AWS provider 5.100.0 from the filesystem mirror; 1-minute load average ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)} during the runs (other work was running, so wall times are pessimistic). Measured ${new Date().toISOString().slice(0, 16)}Z.`,
    '',
    `Per stack at concurrency ${levels[0]} (median of the runs, resources in brackets): ${first.stacks
      .map((s) => `${s.name} ${(median(results.filter((r) => r.concurrency === levels[0]).map((r) => r.stacks.find((x) => x.name === s.name)?.seconds ?? NaN)) ).toFixed(1)} s (${s.add})`)
      .join(', ')}.`,
    '',
    'Where the time goes: mostly in Terraform starting the AWS provider plugin (a 700 MB binary that loads the schema of every resource type), which happens for `init`, `plan` and `show` of every stack, so a stack\'s time grows only slowly with its number of resources (see the per-stack figures). Synthesis (with esbuild bundling the Lambda code) is the rest.',
    END,
  ].join('\n');
  process.stdout.write(`\n${section}\n`);
  if (o.write) {
    process.stdout.write(`Wrote ${path.relative(ROOT, writeSection('plan', section))}\n`);
  }
}

main();
