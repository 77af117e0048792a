/**
 * es-loader benchmark, measuring side: the two measurements, each meant to run in its own child process
 * (so that peak RSS is the measurement's own); the files come from bench/es-loader-files.ts:
 *   ceiling   - gunzip + JSON.parse (CloudTrail: the whole Records document) or gunzip + line split +
 *               field split (VPC Flow Logs, ALB, CloudFront): the least any loader must do.
 *   pipeline  - Pipeline.processBatches over the same file (streaming gunzip, record splitting, ECS
 *               normalization, ids, index names): what a dry run does, without printing.
 * Run by bench/es-loader-parse.ts (through tsx, and as a bundle); `tsx bench/es-loader-normalize.ts
 * <ceiling|pipeline> <type> <file>` prints one JSON line {records, ms, cpuMs, maxRssMb}.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { createGunzip, gunzipSync } from 'node:zlib';
import { Pipeline } from '../lambdas/es-loader/pipeline';
import { HEADER_LINES, KEYS, type BenchType } from './es-loader-files';

export interface Measurement {
  records: number;
  /** Wall time. */
  ms: number;
  /** CPU time of the process (user + system, all threads): less sensitive to other load on the machine. */
  cpuMs: number;
  maxRssMb: number;
}

const cpuMs = (start: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1000;
};

/** The ceiling: decompress and parse with nothing else. CloudTrail is parsed whole, as JSON.parse needs. */
export async function ceiling(type: BenchType, file: string): Promise<Measurement> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let records = 0;
  if (type === 'cloudtrail') {
    const doc = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as { Records: unknown[] };
    records = doc.Records.length;
  } else {
    // Field split: spaces (VPC Flow Logs; for ALB lines a lower bound, as quoted fields need more), tabs (CloudFront).
    const sep = type === 'cloudfront_standard' ? '\t' : ' ';
    let rest = '';
    let header = HEADER_LINES[type];
    for await (const chunk of createReadStream(file).pipe(createGunzip())) {
      const lines = (rest + (chunk as Buffer).toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) {
        if (header > 0) {
          header--;
          continue;
        }
        if (l.split(sep).length > 1) records++;
      }
    }
    if (rest && rest.split(sep).length > 1) records++;
  }
  return { records, ms: performance.now() - t0, cpuMs: cpuMs(c0), maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

/** The loader: Pipeline.processBatches over the file (as the sink and the CLI consume it), counting documents. */
export async function pipeline(type: BenchType, file: string): Promise<Measurement> {
  const p = Pipeline.create({ now: () => new Date('2026-11-22T07:00:00Z') });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let records = 0;
  for await (const batch of p.processBatches({ bucket: 'bench', key: KEYS[type] }, createReadStream(file, { highWaterMark: 256 * 1024 }))) {
    for (const item of batch) {
      if (item.kind === 'document') records++;
      else if (item.kind === 'record-error') throw new Error(item.reason);
    }
  }
  return { records, ms: performance.now() - t0, cpuMs: cpuMs(c0), maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

if (require.main === module) {
  const [mode, type, file] = process.argv.slice(2) as ['ceiling' | 'pipeline', BenchType, string];
  (mode === 'ceiling' ? ceiling(type, file) : pipeline(type, file)).then(
    (m) => process.stdout.write(`${JSON.stringify(m)}\n`),
    (e) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
