/**
 * es-loader parse/normalize benchmark (`npm run bench:parse`).
 *
 * Generates CloudTrail, VPC Flow Logs, ALB and CloudFront standard files of RECORDS records (default
 * 200,000) in a temp dir (TYPES=alb,cloudfront_standard limits the types),
 * then for each type runs, RUNS times (default 5) and each in a fresh child process, in this order:
 *   ceiling   - gunzip + JSON.parse / line and field split (bench/es-loader-normalize.ts);
 *   pipeline  - Pipeline.processBatches over the same file, from an esbuild bundle built like the
 *               Lambda's (bench/bundle.ts): the loader's code as deployed;
 *   cli       - the same pipeline through tsx, as `siem-load --dry-run` runs it from a checkout.
 * The three measurements of a run follow each other, so each run's ratios compare like with like on a
 * machine whose speed drifts; the figure reported is the median of the per-run ratios. With LARGE_GB=1
 * it also loads a VPC Flow Logs file of about that many uncompressed gigabytes through the pipeline once
 * to check peak RSS. With --write the section of docs/benchmarks.md is replaced.
 *
 * Environment: RECORDS, RUNS, TYPES, LARGE_GB. Nothing is written outside the temp dir (and docs/ with --write).
 */
import { spawnSync } from 'node:child_process';
import { median, writeSection } from './report';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleForBench } from './bundle';
import { BENCH_TYPES, generate, type BenchType } from './es-loader-files';
import type { Measurement } from './es-loader-normalize';

const RECORDS = Number(process.env.RECORDS ?? 200_000);
const RUNS = Number(process.env.RUNS ?? 5);
const LARGE_GB = Number(process.env.LARGE_GB ?? 0);
const TYPES = process.env.TYPES ? (process.env.TYPES.split(',') as BenchType[]) : BENCH_TYPES;
for (const t of TYPES) if (!BENCH_TYPES.includes(t)) throw new Error(`TYPES: unknown type ${t}; known: ${BENCH_TYPES.join(', ')}`);
const CHILD = join(__dirname, 'es-loader-normalize.ts');

type Mode = 'ceiling' | 'pipeline' | 'cli';

function measure(mode: Mode, type: BenchType, file: string, bundle: string): Measurement {
  const args = mode === 'cli' ? ['-r', 'tsx/cjs', CHILD, 'pipeline'] : mode === 'pipeline' ? [bundle, 'pipeline'] : ['-r', 'tsx/cjs', CHILD, 'ceiling'];
  const r = spawnSync(process.execPath, [...args, type, file], { encoding: 'utf8', cwd: join(__dirname, '..'), maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${mode} ${type} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Measurement;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (n: number) => `${(n * 100).toFixed(0)}%`;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'es-loader-bench-'));
  try {
    const bundle = bundleForBench(CHILD, join(dir, 'bundle'), 'es-loader-normalize');
    const rows: string[] = [];
    const goals: string[] = [];
    const runsText: string[] = [];
    const loads: number[] = [];
    for (const type of TYPES) {
      const file = join(dir, `${type}.gz`);
      const raw = await generate(type, file, RECORDS);
      const gz = statSync(file).size;
      process.stderr.write(`${type}: ${fmt(RECORDS)} records, ${(raw / 2 ** 20).toFixed(0)} MiB uncompressed, ${(gz / 2 ** 20).toFixed(1)} MiB gzip\n`);
      const res: Record<Mode, Measurement[]> = { ceiling: [], pipeline: [], cli: [] };
      for (let i = 0; i < RUNS; i++) {
        loads.push(loadavg()[0]!);
        for (const mode of ['ceiling', 'pipeline', 'cli'] as const) {
          const m = measure(mode, type, file, bundle);
          if (m.records !== RECORDS) throw new Error(`${mode} ${type}: ${m.records} records, expected ${RECORDS}`);
          res[mode].push(m);
          process.stderr.write(`  run ${i + 1} ${mode}: ${fmt((m.records / m.ms) * 1000)} records/s (${fmt((m.records / m.cpuMs) * 1000)} per CPU second), peak RSS ${m.maxRssMb.toFixed(0)} MB\n`);
        }
      }
      const rate = (m: Measurement) => (m.records / m.ms) * 1000;
      const cpuRate = (m: Measurement) => (m.records / m.cpuMs) * 1000;
      const ratio = (mode: Mode, f: (m: Measurement) => number) => median(res[mode].map((m, i) => f(m) / f(res.ceiling[i]!)));
      const rss = (mode: Mode) => median(res[mode].map((m) => m.maxRssMb));
      rows.push(
        `| ${type} | ${fmt(RECORDS)} (${(raw / 2 ** 20).toFixed(0)} MiB) | ${fmt(median(res.ceiling.map(rate)))} | ${fmt(median(res.pipeline.map(rate)))} | **${pct(ratio('pipeline', rate))}** | ${pct(ratio('pipeline', cpuRate))} | ${fmt(median(res.cli.map(rate)))} | **${pct(ratio('cli', rate))}** | ${rss('ceiling').toFixed(0)} MB | ${rss('pipeline').toFixed(0)} MB |`,
      );
      const met = (r: number) => (r >= 0.4 ? 'met' : '**not met**');
      goals.push(`${type} ${pct(ratio('pipeline', rate))} as deployed (${met(ratio('pipeline', rate))}), ${pct(ratio('cli', rate))} through the CLI (${met(ratio('cli', rate))}), lowest single run ${pct(Math.min(...res.pipeline.map((m, i) => rate(m) / rate(res.ceiling[i]!))))}`);
      runsText.push(`${type}: ${res.ceiling.map((c, i) => `${fmt(rate(c))} / ${fmt(rate(res.pipeline[i]!))} / ${fmt(rate(res.cli[i]!))}`).join('; ')}`);
    }
    const lines = [
      '<!-- bench:es-loader-parse:start -->',
      '## es-loader parsing and normalization (`npm run bench:parse`)',
      '',
      `What: \`bench/es-loader-parse.ts\` generates a CloudTrail file (one \`{"Records":[...]}\` document), a VPC Flow Logs file (the member stacks' custom v5 format), an ALB access log file (every current column) and a CloudFront standard log file (\`#Version\`/\`#Fields\` header, 33 tab-separated columns) of ${fmt(RECORDS)} records each, gzip, in a temp dir. Each measurement runs in a fresh Node process; a run is one of each, back to back:`,
      '- ceiling: gunzip + `JSON.parse` of the whole CloudTrail document, or gunzip + line split + `split(\' \')` of every flow log and ALB line (for ALB a lower bound: its quoted fields contain spaces) or `split(\'\\t\')` of every CloudFront line (nothing a loader could skip);',
      '- pipeline: `Pipeline.processBatches` over the same file, as `siem-load --dry-run` runs it without printing (streaming gunzip, record splitting, ECS normalization, `_id`, index name), from an esbuild bundle built with the Lambda functions\' options: the loader as deployed;',
      '- CLI: the same pipeline code run through tsx, as `npm run -s load -- --dry-run` runs it from a checkout.',
      '',
      `Records per second of wall time, medians of ${RUNS} runs; the ratios are the medians of each run's own ratio (the runs' three measurements are seconds apart, the machine's speed drifts over minutes).`,
      '',
      '| log type | records (uncompressed) | ceiling | pipeline | pipeline / ceiling | same, per CPU second | CLI (tsx) | CLI / ceiling | peak RSS ceiling | peak RSS pipeline |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...rows,
      '',
      `Runs (records/s, ceiling / pipeline / CLI): ${runsText.join('. ')}. Machine: 2 cores, 24 GB, Node ${process.version}; 1-minute load average ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)} during the runs. Measured ${new Date().toISOString().slice(0, 16)}Z.`,
    ];
    if (LARGE_GB > 0) {
      const file = join(dir, 'large-vpc.gz');
      const records = Math.round((LARGE_GB * 2 ** 30) / 215);
      const raw = await generate('vpcflowlogs', file, records);
      const m = measure('pipeline', 'vpcflowlogs', file, bundle);
      lines.push('', `Large file (\`LARGE_GB=${LARGE_GB}\`): VPC Flow Logs, ${fmt(records)} records, ${(raw / 2 ** 30).toFixed(2)} GiB uncompressed, through the pipeline once: ${fmt((m.records / m.ms) * 1000)} records/s, peak RSS ${m.maxRssMb.toFixed(0)} MB (goal < 256 MB for 1 GB uncompressed: ${m.maxRssMb < 256 ? 'met' : '**not met**'}).`);
    }
    lines.push('', `Goal: pipeline >= 40% of the ceiling: ${goals.join('; ')}.`);
    lines.push('<!-- bench:es-loader-parse:end -->');
    const text = lines.join('\n');
    console.log(text);
    if (process.argv.includes('--write')) writeSection('es-loader-parse', text);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
