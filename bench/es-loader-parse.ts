/**
 * es-loader parse/normalize benchmark (`npm run bench:parse`).
 *
 * Generates CloudTrail and VPC Flow Logs files of RECORDS records (default 200,000) in a temp dir,
 * then for each type runs the ceiling (gunzip + JSON.parse / line split) and the pipeline (dry-run
 * normalization) RUNS times (default 3), each in a fresh child process, and prints the medians of
 * records/s and peak RSS, plus pipeline/ceiling. With LARGE_GB=1 it also loads a VPC Flow Logs file of
 * about that many uncompressed gigabytes through the pipeline once to check peak RSS.
 *
 * Environment: RECORDS, RUNS, LARGE_GB. Nothing is written outside the temp dir.
 */
import { spawnSync } from 'node:child_process';
import { median } from './report';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate, type BenchType, type Measurement } from './es-loader-normalize';

const RECORDS = Number(process.env.RECORDS ?? 200_000);
const RUNS = Number(process.env.RUNS ?? 3);
const LARGE_GB = Number(process.env.LARGE_GB ?? 0);
const CHILD = join(__dirname, 'es-loader-normalize.ts');

function measure(mode: 'ceiling' | 'pipeline', type: BenchType, file: string): Measurement {
  const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', CHILD, mode, type, file], { encoding: 'utf8', cwd: join(__dirname, '..'), maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${mode} ${type} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Measurement;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'es-loader-bench-'));
  try {
    const rows: string[] = [];
    for (const type of ['cloudtrail', 'vpcflowlogs'] as const) {
      const file = join(dir, `${type}.gz`);
      const raw = await generate(type, file, RECORDS);
      const gz = statSync(file).size;
      process.stderr.write(`${type}: ${fmt(RECORDS)} records, ${(raw / 2 ** 20).toFixed(0)} MiB uncompressed, ${(gz / 2 ** 20).toFixed(1)} MiB gzip\n`);
      const res: Record<'ceiling' | 'pipeline', Measurement[]> = { ceiling: [], pipeline: [] };
      for (let i = 0; i < RUNS; i++) {
        for (const mode of ['ceiling', 'pipeline'] as const) {
          const m = measure(mode, type, file);
          if (m.records !== RECORDS) throw new Error(`${mode} ${type}: ${m.records} records, expected ${RECORDS}`);
          res[mode].push(m);
          process.stderr.write(`  run ${i + 1} ${mode}: ${fmt((m.records / m.ms) * 1000)} records/s (${fmt((m.records / m.cpuMs) * 1000)} per CPU second), peak RSS ${m.maxRssMb.toFixed(0)} MB\n`);
        }
      }
      const rate = (ms: Measurement[]) => median(ms.map((m) => (m.records / m.ms) * 1000));
      const cpuRate = (ms: Measurement[]) => median(ms.map((m) => (m.records / m.cpuMs) * 1000));
      const rss = (ms: Measurement[]) => median(ms.map((m) => m.maxRssMb));
      const c = rate(res.ceiling);
      const p = rate(res.pipeline);
      const cc = cpuRate(res.ceiling);
      const pc = cpuRate(res.pipeline);
      rows.push(
        `| ${type} | ${fmt(RECORDS)} (${(raw / 2 ** 20).toFixed(0)} MiB) | ${fmt(c)} | ${fmt(p)} | ${((p / c) * 100).toFixed(0)}% | ${fmt(cc)} | ${fmt(pc)} | ${((pc / cc) * 100).toFixed(0)}% | ${rss(res.ceiling).toFixed(0)} MB | ${rss(res.pipeline).toFixed(0)} MB |`,
      );
    }
    console.log(`Medians of ${RUNS} runs (records/s):\n`);
    console.log('| log type | records (uncompressed) | ceiling: gunzip + parse | pipeline (dry-run normalization) | pipeline / ceiling | ceiling per CPU second | pipeline per CPU second | ratio (CPU) | peak RSS ceiling | peak RSS pipeline |');
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const r of rows) console.log(r);
    if (LARGE_GB > 0) {
      const file = join(dir, 'large-vpc.gz');
      const records = Math.round((LARGE_GB * 2 ** 30) / 215);
      const raw = await generate('vpcflowlogs', file, records);
      const m = measure('pipeline', 'vpcflowlogs', file);
      console.log(`\nLarge file: VPC Flow Logs, ${fmt(records)} records, ${(raw / 2 ** 30).toFixed(2)} GiB uncompressed: pipeline ${fmt((m.records / m.ms) * 1000)} records/s (${fmt((m.records / m.cpuMs) * 1000)} per CPU second), peak RSS ${m.maxRssMb.toFixed(0)} MB`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
