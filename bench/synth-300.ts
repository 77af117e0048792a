/**
 * `npm run bench:synth [-- --runs 5 --members 300 --write]`
 *
 * Times the synthesis of an organization with 300 member accounts (every member feature on, see
 * `generatedOrganization`), the way `npm run synth` does it: each run is a fresh Node process that
 * builds the app and writes every stack's Terraform JSON. Prints each run and the medians; `--write`
 * replaces this benchmark's section of docs/benchmarks.md (between its markers) with the result.
 * Goal: median wall time under 60 s on the project's 2-core machine.
 */
import { spawnSync } from 'node:child_process';
import { median, sectionMarkers, writeSection } from './report';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';

const ROOT = path.resolve(__dirname, '..');
const { start: START, end: END } = sectionMarkers('synth-300');

interface ChildTiming {
  readonly members: number;
  readonly stacks: number;
  readonly resources: number;
  readonly buildMs: number;
  readonly synthMs: number;
  readonly cpuMs: number;
}

/** One run, inside the child process: generate, build, synthesize, count. */
async function child(members: number, outdir: string): Promise<void> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const { exampleOrganization } = await import('../test/helpers/synth');
  const { generatedOrganization } = await import('../test/unit/member-helpers');
  const { buildApp } = await import('../stacks/app');
  const org = generatedOrganization(members, exampleOrganization());
  const app = buildApp(org, { outdir });
  const t1 = performance.now();
  app.synth();
  const t2 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, { synthesizedStackPath: string }> };
  let resources = 0;
  for (const s of Object.values(manifest.stacks)) {
    const json = JSON.parse(fs.readFileSync(path.join(outdir, s.synthesizedStackPath), 'utf8')) as { resource?: Record<string, object> };
    resources += Object.values(json.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
  }
  const timing: ChildTiming = { members, stacks: Object.keys(manifest.stacks).length, resources, buildMs: t1 - t0, synthMs: t2 - t1, cpuMs: (cpu.user + cpu.system) / 1000 };
  process.stdout.write(`${JSON.stringify(timing)}\n`);
}

const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function parent(runs: number, members: number, write: boolean): void {
  const tsx = path.join(ROOT, 'node_modules/.bin/tsx');
  const results: (ChildTiming & { wallMs: number })[] = [];
  for (let i = 1; i <= runs; i++) {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-bench-synth-'));
    const t0 = performance.now();
    const r = spawnSync(tsx, [__filename, '--child', outdir, '--members', String(members)], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const wallMs = performance.now() - t0;
    fs.rmSync(outdir, { recursive: true, force: true });
    if (r.status !== 0) throw new Error(`run ${i} failed (exit ${r.status}):\n${r.stderr}`);
    const timing = JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildTiming;
    results.push({ ...timing, wallMs });
    process.stdout.write(`run ${i}/${runs}: wall ${sec(wallMs)} (build ${sec(timing.buildMs)}, synth ${sec(timing.synthMs)}, CPU ${sec(timing.cpuMs)}), ${timing.stacks} stacks, ${timing.resources} resources\n`);
  }
  const load = os.loadavg().map((l) => l.toFixed(1)).join(' / ');
  const cpus = os.cpus().length;
  const memGb = Math.round(os.totalmem() / 2 ** 30);
  const m = {
    wall: median(results.map((r) => r.wallMs)),
    build: median(results.map((r) => r.buildMs)),
    synth: median(results.map((r) => r.synthMs)),
    cpu: median(results.map((r) => r.cpuMs)),
  };
  const { stacks, resources } = results[0]!;
  const verdict = m.wall < 60_000 ? 'meets' : 'misses';
  const section = [
    START,
    `## Synthesis of a ${members}-member organization (\`npm run bench:synth\`)`,
    '',
    `What: \`buildApp\` + \`app.synth()\` of the example organization with ${members} generated members (every member feature on), ${stacks} stacks, ${resources} resources; each run is a fresh process, as \`npm run synth\` is.`,
    '',
    `| runs | median wall (process) | median build | median synth | median CPU of the Node process |`,
    `| --- | --- | --- | --- | --- |`,
    `| ${runs} | ${sec(m.wall)} | ${sec(m.build)} | ${sec(m.synth)} | ${sec(m.cpu)} |`,
    '',
    `Machine: ${cpus} cores, ${memGb} GB, Node ${process.version}; load average at the end ${load} (other jobs were running, so wall time is pessimistic; the CPU column excludes esbuild, which bundles the Lambda code in its own process). Goal < 60 s wall: ${verdict} it. Measured ${new Date().toISOString().slice(0, 16)}Z.`,
    END,
  ].join('\n');
  process.stdout.write(`\n${section}\n`);
  if (write) {
    process.stdout.write(`\nwrote ${path.relative(process.cwd(), writeSection('synth-300', section))}\n`);
  }
}

const program = new Command('bench:synth')
  .option('--runs <n>', 'number of runs', (v) => Number.parseInt(v, 10), 3)
  .option('--members <n>', 'generated member accounts', (v) => Number.parseInt(v, 10), 300)
  .option('--write', 'update docs/benchmarks.md')
  .option('--child <outdir>', 'internal: one run, writing into outdir')
  .parse();
const opts = program.opts<{ runs: number; members: number; write?: boolean; child?: string }>();
if (opts.child) {
  child(opts.members, opts.child).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
} else {
  parent(opts.runs, opts.members, opts.write ?? false);
}
