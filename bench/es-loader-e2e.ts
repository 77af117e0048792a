/**
 * `npm run bench:e2e`: es-loader end to end into the local OpenSearch, against the ceiling of a raw
 * `_bulk` of the same pre-serialized documents.
 *
 *   e2e  - the Lambda handler (`handleEvent`) invoked with an S3 event for a generated CloudTrail file
 *          of 200,000 records in s3rver: streamed S3 read, gunzip, record splitting, ECS
 *          normalization, bulk `create` with the loader's batch settings, templates, counts.
 *   raw  - the same documents, serialized beforehand into NDJSON `_bulk` bodies of the same batch
 *          size, POSTed with the same concurrency: only OpenSearch's own indexing cost remains.
 * Each measurement runs in its own child process (so peak RSS is its own) into a fresh index; runs
 * alternate raw/e2e. The children run from an esbuild bundle of this file built like the Lambda's
 * (bench/bundle.ts), so the handler runs as deployed. One raw/e2e pair runs first and is not counted:
 * a freshly started OpenSearch JVM indexes markedly slower until its JIT has warmed up. The CloudTrail
 * log type's max_log_count is raised above the file size for the e2e run, so the whole file is one
 * invocation (with the default 100,000 it would be two).
 *
 * Options: --records N (default 200000), --runs N (default 5), --warmup N (default 1), --write
 * (update docs/benchmarks.md).
 * Servers: reuses running ones when the SIEM_TEST_* variables are set (`npm run servers`), else
 * starts them (test/servers) and stops them at the end.
 */
import { spawnSync } from 'node:child_process';
import { median, writeSection } from './report';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import * as os from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, CreateBucketCommand } from '@aws-sdk/client-s3';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { handleEvent, type LoaderRuntime } from '../lambdas/es-loader/handler';
import { Pipeline } from '../lambdas/es-loader/pipeline';
import { loaderTemplates } from '../lambdas/es-loader/runtime/templates';
import { createOpenSearchClient, SqsDeadLetterQueue, TemplateInstaller } from '../lambdas/es-loader/sink';
import { SqsRangeQueue } from '../lambdas/es-loader/sources';
import { S3ClientRegistry, S3ObjectStore } from '../lambdas/es-loader/storage';
import { fromEnv, startServers, toEnv, type ServersInfo } from '../test/servers';
import { s3ClientFor, sqsClientConfig } from '../test/servers/clients';
import { SQSClient } from '@aws-sdk/client-sqs';
import { bundleForBench } from './bundle';
import { generate, KEYS } from './es-loader-files';

const BUCKET = 'aes-siem-111122223333-log';
const KEY = KEYS.cloudtrail;
const INDEX_PATTERN = 'log-aws-cloudtrail-*';
const BATCH = { maxBytes: 5 * 1024 * 1024, maxDocs: 2000, concurrency: 2 };
const USER_INI = '[cloudtrail]\nmax_log_count = 100000000\n';

interface Result {
  mode: 'raw' | 'e2e';
  records: number;
  ms: number;
  maxRssMb: number;
  /** CPU seconds (user + system) of the measuring process during the timed part. */
  cpuS: number;
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1e6;
}

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

// ---- child side -------------------------------------------------------------------------------

async function resetIndex(info: ServersInfo): Promise<void> {
  const client = createOpenSearchClient({ node: info.opensearch.url, auth: 'none' });
  await client.transport.request({ method: 'DELETE', path: `/${INDEX_PATTERN}`, querystring: { ignore_unavailable: 'true', allow_no_indices: 'true' } });
  await client.close();
}

async function countDocs(info: ServersInfo): Promise<number> {
  const client = createOpenSearchClient({ node: info.opensearch.url, auth: 'none' });
  await client.transport.request({ method: 'POST', path: `/${INDEX_PATTERN}/_refresh` });
  const res = await client.transport.request({ method: 'GET', path: `/${INDEX_PATTERN}/_count` });
  await client.close();
  return (res.body as { count: number }).count;
}

/** Raw ceiling: POST the pre-serialized bodies (NUL-separated in `bodiesFile`, read before timing) with the same concurrency. */
async function childRaw(info: ServersInfo, bodiesFile: string): Promise<Result> {
  const client = createOpenSearchClient({ node: info.opensearch.url, auth: 'none' });
  const all = readFileSync(bodiesFile);
  const bodies: Buffer[] = [];
  for (let at = 0; at < all.length; ) {
    const end = all.indexOf(0, at);
    bodies.push(all.subarray(at, end));
    at = end + 1;
  }
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const inFlight = new Set<Promise<void>>();
  let errors = 0;
  for (const body of bodies) {
    while (inFlight.size >= BATCH.concurrency) await Promise.race(inFlight);
    const p: Promise<void> = client.transport
      .request({ method: 'POST', path: '/_bulk', querystring: { filter_path: 'errors' }, bulkBody: body as unknown as string }, { requestTimeout: 120_000 })
      .then((r) => {
        if ((r.body as { errors?: boolean }).errors) errors++;
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  const ms = performance.now() - t0;
  await client.close();
  if (errors) throw new Error(`raw bulk: ${errors} request(s) had item errors`);
  const cpuS = cpuSince(cpu0);
  return { mode: 'raw', records: await countDocs(info), ms, maxRssMb: process.resourceUsage().maxRSS / 1024, cpuS };
}

/** End to end: the handler with an S3 event, as a Lambda invocation runs it. */
async function childE2e(info: ServersInfo, splitQueueUrl: string, dlqUrl: string): Promise<Result> {
  const s3 = s3ClientFor(info.s3.endpoint);
  const sqs = new SQSClient(sqsClientConfig(info.sqs.endpoint));
  const pipeline = Pipeline.create({ userIni: USER_INI, userIniName: 'bench-user.ini' });
  const client = createOpenSearchClient({ node: info.opensearch.url, auth: 'none' });
  const silent = { info() {}, warn() {}, error(m: string) { process.stderr.write(`${m}\n`); } };
  let indexed = 0;
  const rt: LoaderRuntime = {
    pipeline,
    store: new S3ObjectStore(new S3ClientRegistry(s3)),
    client,
    templates: new TemplateInstaller(client, loaderTemplates(pipeline)),
    dlq: new SqsDeadLetterQueue(sqs, dlqUrl),
    splitQueue: new SqsRangeQueue(sqs, splitQueueUrl),
    log: silent,
    metrics: { object: (m) => (indexed += m.indexed), flush() {} },
    splitSize: 100_000,
    batch: BATCH,
    retry: { maxAttempts: 8 },
  };
  const event = { Records: [{ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', eventTime: new Date().toISOString(), s3: { bucket: { name: BUCKET }, object: { key: KEY } } }] };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await handleEvent(rt, event);
  const ms = performance.now() - t0;
  const cpuS = cpuSince(cpu0);
  await client.close();
  const present = await countDocs(info);
  if (present !== indexed) throw new Error(`e2e: handler counted ${indexed} indexed, OpenSearch holds ${present}`);
  return { mode: 'e2e', records: present, ms, maxRssMb: process.resourceUsage().maxRSS / 1024, cpuS };
}

// ---- parent side ------------------------------------------------------------------------------

/** Serializes the file's documents into `_bulk` bodies exactly as the sink batches them. */
async function preSerialize(file: string, out: string): Promise<number> {
  const pipeline = Pipeline.create({ userIni: USER_INI, userIniName: 'bench-user.ini' });
  const w = createWriteStream(out);
  let batch: string[] = [];
  let bytes = 0;
  let docs = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    // NUL separates bodies: JSON text never contains a raw NUL (control characters are escaped).
    if (!w.write(`${batch.join('')}\u0000`)) await once(w, 'drain');
    batch = [];
    bytes = 0;
  };
  for await (const item of pipeline.process({ bucket: BUCKET, key: KEY }, createReadStream(file))) {
    if (item.kind !== 'document') continue;
    const line = `{"create":{"_index":${JSON.stringify(item.index)},"_id":${JSON.stringify(item.id)}}}\n${JSON.stringify(item.source)}\n`;
    const n = Buffer.byteLength(line);
    if (batch.length > 0 && bytes + n > BATCH.maxBytes) await flush();
    batch.push(line);
    bytes += n;
    docs++;
    if (batch.length >= BATCH.maxDocs) await flush();
  }
  await flush();
  w.end();
  await once(w, 'finish');
  return docs;
}

function runChild(bundle: string, args: string[], env: Record<string, string>): Result {
  const r = spawnSync(process.execPath, [bundle, '--child', ...args], {
    encoding: 'utf8',
    cwd: join(__dirname, '..'),
    env: { ...process.env, ...env },
    maxBuffer: 1 << 22,
  });
  if (r.status !== 0) throw new Error(`child ${args[0]} failed (${r.status}): ${r.stderr}`);
  const line = r.stdout.trim().split('\n').at(-1)!;
  return JSON.parse(line) as Result;
}

function section(rows: { raw: Result[]; e2e: Result[] }, records: number, fileMb: number, rawMb: number): string {
  const rate = (r: Result) => r.records / (r.ms / 1000);
  const rawRate = median(rows.raw.map(rate));
  const e2eRate = median(rows.e2e.map(rate));
  // Raw and e2e runs alternate, so each pair saw about the same machine load: the median of the
  // per-pair ratios is the figure least disturbed by other work on the machine.
  const pairPcts = rows.raw.map((r, i) => (100 * rate(rows.e2e[i]!)) / rate(r));
  const pairPct = median(pairPcts);
  const pct = (100 * e2eRate) / rawRate;
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  return [
    '<!-- bench:es-loader-e2e:start -->',
    '## es-loader end to end into OpenSearch (`npm run bench:e2e`)',
    '',
    `What: a generated CloudTrail file of ${fmt(records)} records (${fileMb.toFixed(1)} MB gzip, ${rawMb.toFixed(0)} MB of NDJSON to index) in s3rver, loaded into the local OpenSearch ${'2.19'} (single node, test/servers) by the Lambda handler from an esbuild bundle built like the Lambda's (\`handleEvent\` with an S3 event: streamed read, gunzip, ECS normalization, bulk \`create\` in batches of ${BATCH.maxDocs} documents / ${BATCH.maxBytes / 1048576} MiB, ${BATCH.concurrency} requests in flight), against the ceiling: the same documents pre-serialized into the same \`_bulk\` bodies and POSTed with the same concurrency. Fresh index per run, each run in its own process, raw and e2e alternating; one pair before the counted runs warms up OpenSearch's JIT and is not counted; max_log_count raised so the file is one invocation.`,
    '',
    '| measurement | runs | median records/s | median time | median CPU of the Node process | median peak RSS |',
    '| --- | --- | --- | --- | --- | --- |',
    `| raw \`_bulk\` of pre-serialized documents (ceiling) | ${rows.raw.length} | ${fmt(rawRate)} | ${(median(rows.raw.map((r) => r.ms)) / 1000).toFixed(1)} s | ${median(rows.raw.map((r) => r.cpuS)).toFixed(1)} s | ${median(rows.raw.map((r) => r.maxRssMb)).toFixed(0)} MB |`,
    `| es-loader handler, S3 event to indexed | ${rows.e2e.length} | ${fmt(e2eRate)} | ${(median(rows.e2e.map((r) => r.ms)) / 1000).toFixed(1)} s | ${median(rows.e2e.map((r) => r.cpuS)).toFixed(1)} s | ${median(rows.e2e.map((r) => r.maxRssMb)).toFixed(0)} MB |`,
    '',
    `End to end reaches ${pairPct.toFixed(0)}% of the raw bulk ceiling (median of the per-pair ratios, which range from ${Math.min(...pairPcts).toFixed(0)}% to ${Math.max(...pairPcts).toFixed(0)}%; ratio of the medians ${pct.toFixed(0)}%; goal >= 80%: ${pairPct >= 80 ? 'met' : 'not met'}). Runs (records/s, in pairs): ${rows.raw.map((r, i) => `${fmt(rate(r))} / ${fmt(rate(rows.e2e[i]!))}`).join('; ')} (raw / e2e). Peak RSS of the e2e process stays flat with the file size (the object is streamed); the raw process holds all pre-serialized bodies in memory. Machine: 2 cores, 24 GB, Node ${process.version}; OpenSearch, s3rver and ElasticMQ run on the same 2 cores (and other helpers' work may run too), so absolute figures are pessimistic. Measured ${new Date().toISOString().slice(0, 16)}Z.`,
    '<!-- bench:es-loader-e2e:end -->',
  ].join('\n');
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') {
    const info = fromEnv();
    if (!info) throw new Error('child started without SIEM_TEST_* variables');
    const mode = process.argv[3];
    await resetIndex(info);
    const r = mode === 'raw' ? await childRaw(info, process.argv[4]!) : await childE2e(info, process.argv[4]!, process.argv[5]!);
    process.stdout.write(`${JSON.stringify(r)}\n`);
    return;
  }

  const records = arg('--records', 200_000);
  const runs = arg('--runs', 5);
  const warmup = arg('--warmup', 1);
  let info = fromEnv();
  const started = info ? undefined : await startServers();
  info ??= started!.info;
  const env = toEnv(info);
  const dir = mkdtempSync(join(os.tmpdir(), 'siem-bench-e2e-'));
  try {
    const file = join(dir, 'cloudtrail.json.gz');
    process.stderr.write(`generating ${records} CloudTrail records...\n`);
    await generate('cloudtrail', file, records);
    const s3 = s3ClientFor(info.s3.endpoint);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET })).catch(() => undefined);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: readFileSync(file) }));
    const sqs = new SQSClient(sqsClientConfig(info.sqs.endpoint));
    const split = (await sqs.send(new CreateQueueCommand({ QueueName: 'bench-split' }))).QueueUrl!;
    const dlq = (await sqs.send(new CreateQueueCommand({ QueueName: 'bench-dlq' }))).QueueUrl!;
    const bodies = join(dir, 'bodies.ndjson');
    process.stderr.write('pre-serializing the documents for the raw ceiling...\n');
    const docs = await preSerialize(file, bodies);
    if (docs !== records) throw new Error(`pre-serialized ${docs} documents, expected ${records}`);
    const bundle = bundleForBench(__filename, join(dir, 'bundle'), 'es-loader-e2e');
    for (let i = 0; i < warmup; i++) {
      const raw = runChild(bundle, ['raw', bodies], env);
      const e2e = runChild(bundle, ['e2e', split, dlq], env);
      process.stderr.write(`warm-up ${i + 1} (not counted): raw ${(raw.records / (raw.ms / 1000)).toFixed(0)} rec/s, e2e ${(e2e.records / (e2e.ms / 1000)).toFixed(0)} rec/s\n`);
    }
    const rows: { raw: Result[]; e2e: Result[] } = { raw: [], e2e: [] };
    for (let i = 0; i < runs; i++) {
      const raw = runChild(bundle, ['raw', bodies], env);
      const e2e = runChild(bundle, ['e2e', split, dlq], env);
      for (const r of [raw, e2e]) if (r.records !== records) throw new Error(`${r.mode} run indexed ${r.records} documents, expected ${records}`);
      rows.raw.push(raw);
      rows.e2e.push(e2e);
      process.stderr.write(`run ${i + 1}: raw ${(raw.records / (raw.ms / 1000)).toFixed(0)} rec/s (${raw.cpuS.toFixed(1)} CPU s, ${raw.maxRssMb.toFixed(0)} MB), e2e ${(e2e.records / (e2e.ms / 1000)).toFixed(0)} rec/s (${e2e.cpuS.toFixed(1)} CPU s, ${e2e.maxRssMb.toFixed(0)} MB)\n`);
    }
    const text = section(rows, records, statSync(file).size / 1048576, statSync(bodies).size / 1048576);
    process.stdout.write(`${text}\n`);
    if (process.argv.includes('--write')) writeSection('es-loader-e2e', text);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await started?.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
