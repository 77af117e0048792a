/**
 * Issue 14's benchmark (`npm run bench:cwl-parquet`): records/s of the two new input paths against their
 * parse ceilings, with peak RSS.
 *   linux_secure (via_cwl): RECORDS (default 200,000) Linux /var/log/secure events in CloudWatch Logs
 *     subscription messages of 500 events, each message gzip'd and the messages concatenated, the whole
 *     gzip'd again, as Firehose writes them with S3 compression on.
 *     ceiling: gunzip, gunzip of each message, JSON.parse of each message, every event's message read.
 *   securitylake (parquet): the same number of OCSF rows (VPC flow Network Activity, CloudTrail API
 *     Activity and DNS Activity, shaped like Security Lake's), GZIP pages, row groups of GROUP (default
 *     20,000) rows, written with hyparquet-writer (bench only).
 *     ceiling: hyparquet decoding every row group into row objects (what any reader must do).
 *   pipeline: Pipeline.processBatches over the file, from an esbuild bundle built like the Lambda's.
 * Each measurement runs in a fresh Node process (peak RSS is its own); RUNS (default 3) runs of
 * ceiling + pipeline back to back; figures are medians of the per-run ratios. --write replaces this
 * benchmark's section of docs/benchmarks.md. Environment: RECORDS, RUNS, GROUP.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { parquetMetadata, parquetSchema } from 'hyparquet';
import { Pipeline } from '../lambdas/es-loader/pipeline';
import { readRowGroup } from '../lambdas/es-loader/formats/parquet';
import { ocsfParquet } from '../lambdas/es-loader/log-types/securitylake/ocsf-parquet';
import { bundleForBench } from './bundle';
import { median, writeSection } from './report';
import { rng, u32 } from './synthetic';

type Kind = 'linux_secure' | 'securitylake';
type Mode = 'ceiling' | 'pipeline';
interface Measurement {
  records: number;
  ms: number;
  cpuMs: number;
  maxRssMb: number;
}

const KEYS: Record<Kind, string> = {
  linux_secure: 'AWSLogs/123456789012/Linux/ap-northeast-1/secure/2026/11/21/10/aes-siem-linux-secure-1-2026-11-21-10-05-00-0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9.gz',
  securitylake: 'aws/VPC_FLOW/1.0/region=ap-northeast-1/accountId=123456789012/eventDay=20261121/0123456789abcdef0123456789abcdef.gz.parquet',
};
const EVENTS_PER_MESSAGE = 500;

// ---- inputs ----------------------------------------------------------------------------------------

/** Syslog lines of /var/log/secure: sshd failures and logins, PAM sessions, sudo. */
function secureLine(r: () => number, t: Date): string {
  const ts = `Nov ${String(t.getUTCDate()).padStart(2, ' ')} ${t.toISOString().slice(11, 19)}`;
  const ip = `${[198, 203, 45, 91][u32(r) % 4]}.${u32(r) % 256}.${u32(r) % 256}.${1 + (u32(r) % 254)}`;
  const pid = 1000 + (u32(r) % 30000);
  const port = 1024 + (u32(r) % 60000);
  const user = ['root', 'admin', 'ec2-user', 'oracle', 'test', 'ubuntu'][u32(r) % 6]!;
  switch (u32(r) % 5) {
    case 0:
      return `${ts} ip-10-0-1-5 sshd[${pid}]: Failed password for invalid user ${user} from ${ip} port ${port} ssh2`;
    case 1:
      return `${ts} ip-10-0-1-5 sshd[${pid}]: Accepted publickey for ${user} from ${ip} port ${port} ssh2: RSA SHA256:Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5`;
    case 2:
      return `${ts} ip-10-0-1-5 sshd[${pid}]: pam_unix(sshd:session): session opened for user ${user}(uid=1000) by (uid=0)`;
    case 3:
      return `${ts} ip-10-0-1-5 sudo[${pid}]: ${user} : TTY=pts/0 ; PWD=/home/${user} ; USER=root ; COMMAND=/usr/bin/yum update -y`;
    default:
      return `${ts} ip-10-0-1-5 sshd[${pid}]: Disconnected from authenticating user ${user} ${ip} port ${port} [preauth]`;
  }
}

function generateCwl(file: string, records: number): number {
  const r = rng(14);
  const members: Buffer[] = [];
  let raw = 0;
  const t0 = Date.UTC(2026, 10, 21, 10);
  for (let n = 0, msg = 0; n < records; msg++) {
    const logEvents = [];
    for (let i = 0; i < EVENTS_PER_MESSAGE && n < records; i++, n++) {
      const ts = t0 + n * 10;
      logEvents.push({ id: `${37000000000000000000000000000000000000000000000000000000n + BigInt(n)}`, timestamp: ts, message: secureLine(r, new Date(ts)) });
    }
    const text = JSON.stringify({ messageType: 'DATA_MESSAGE', owner: '123456789012', logGroup: '/var/log/secure', logStream: `i-0123456789abcdef${msg % 10}`, subscriptionFilters: ['aes-siem-var-log-secure'], logEvents });
    raw += Buffer.byteLength(text);
    members.push(gzipSync(text, { level: 1 }));
  }
  writeFileSync(file, gzipSync(Buffer.concat(members), { level: 1 }));
  return raw;
}

function ocsfRow(r: () => number, n: number): Record<string, unknown> {
  const time = Date.UTC(2026, 10, 21, 10) + n * 10;
  const ip = () => `${[10, 172, 52, 203][u32(r) % 4]}.${u32(r) % 256}.${u32(r) % 256}.${1 + (u32(r) % 254)}`;
  const cloud = { account_uid: '123456789012', region: 'ap-northeast-1', provider: 'AWS' };
  const k = u32(r) % 10;
  if (k < 6)
    return {
      metadata: { product: { version: '5', name: 'Amazon VPC', vendor_name: 'AWS', feature: { name: 'Flowlogs' } }, version: '1.0.0-rc.2' },
      cloud,
      src_endpoint: { port: 1024 + (u32(r) % 60000), ip: ip(), interface_uid: 'eni-0a1b2c3d4e5f60718', vpc_uid: 'vpc-0123456789abcdef0', instance_uid: `i-0a1b2c3d4e5f6071${u32(r) % 10}` },
      dst_endpoint: { port: [443, 80, 22, 3306][u32(r) % 4], ip: ip() },
      connection_info: { protocol_num: 6, direction_id: 2, direction: 'Outbound' },
      traffic: { packets: 1 + (u32(r) % 100), bytes: 40 + (u32(r) % 100000) },
      time,
      start_time: time - 60000,
      end_time: time,
      severity_id: 1,
      severity: 'Informational',
      class_name: 'Network Activity',
      class_uid: 4001,
      category_name: 'Network Activity',
      category_uid: 4,
      activity_name: k < 5 ? 'Traffic' : 'Refuse',
      activity_id: k < 5 ? 6 : 5,
      disposition: k < 5 ? 'Allowed' : 'Blocked',
      type_uid: k < 5 ? 400106 : 400105,
      accountid: '123456789012',
      region: 'ap-northeast-1',
    };
  if (k < 9)
    return {
      metadata: { product: { version: '1.08', name: 'CloudTrail', vendor_name: 'AWS', feature: { name: 'Management' } }, uid: `6f3d3c3e-7a51-4f7e-9a2e-${String(n).padStart(12, '0')}`, version: '1.0.0-rc.2' },
      time,
      cloud,
      api: { response: { error: k === 8 ? 'AccessDenied' : undefined }, operation: ['DescribeInstances', 'GetObject', 'AssumeRole', 'ListBuckets'][u32(r) % 4], service: { name: ['ec2.amazonaws.com', 's3.amazonaws.com', 'sts.amazonaws.com'][u32(r) % 3] }, request: { uid: `req-${n}` } },
      actor: { user: { type: 'AssumedRole', name: `arn:aws:sts::123456789012:assumed-role/Admin/user${u32(r) % 50}`, uid: `AROAEXAMPLEID000000${u32(r) % 10}:s`, account_uid: '123456789012', credential_uid: 'ASIAEXAMPLEKEY000001' } },
      http_request: { user_agent: ['aws-cli/2.15.0 Python/3.11.6 Linux/6.1.0', 'Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36'][u32(r) % 3] },
      src_endpoint: { ip: ip() },
      class_name: 'API Activity',
      class_uid: 3005,
      category_name: 'Audit Activity',
      category_uid: 3,
      severity_id: 1,
      status: k === 8 ? 'Failure' : 'Success',
      activity_id: 2,
      type_uid: 300502,
      unmapped: { eventType: 'AwsApiCall' },
      accountid: '123456789012',
      region: 'ap-northeast-1',
    };
  return {
    metadata: { product: { version: '1.100000', name: 'Route 53', vendor_name: 'AWS' }, version: '1.0.0-rc.2' },
    cloud,
    src_endpoint: { vpc_uid: 'vpc-0123456789abcdef0', ip: ip(), port: 1024 + (u32(r) % 60000), instance_uid: 'i-0a1b2c3d4e5f60718' },
    time,
    query: { hostname: `host${u32(r) % 1000}.example.com.`, type: 'A', class: 'IN' },
    answers: [{ type: 'A', rdata: ip(), class: 'IN' }],
    class_name: 'DNS Activity',
    class_uid: 4003,
    category_name: 'Network Activity',
    category_uid: 4,
    activity_id: 2,
    type_uid: 400302,
    rcode: 'NoError',
    accountid: '123456789012',
    region: 'ap-northeast-1',
  };
}

function generateParquet(file: string, records: number, group: number): number {
  const r = rng(14);
  const rows = Array.from({ length: records }, (_, n) => ocsfRow(r, n));
  const raw = rows.reduce((s, row) => s + JSON.stringify(row).length, 0);
  writeFileSync(file, ocsfParquet(rows, { rowGroupSize: group }));
  return raw;
}

// ---- measuring side (child process) -----------------------------------------------------------------

const cpu = (start: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1000;
};
const done = (records: number, t0: number, c0: NodeJS.CpuUsage): Measurement => ({ records, ms: performance.now() - t0, cpuMs: cpu(c0), maxRssMb: process.resourceUsage().maxRSS / 1024 });

async function ceiling(kind: Kind, file: string): Promise<Measurement> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let records = 0;
  if (kind === 'linux_secure') {
    // gunzip the object, then its gzip members (one subscription message each, read as one stream), and parse each message.
    const text = gunzipSync(gunzipSync(readFileSync(file))).toString('utf8');
    for (const piece of text.split('}{"messageType"')) {
      const json = piece.startsWith('{') ? piece : `{"messageType"${piece}`;
      const msg = JSON.parse(json.endsWith('}') ? json : `${json}}`) as { logEvents: Array<{ message: string }> };
      for (const e of msg.logEvents) if (e.message.length > 0) records++;
    }
  } else {
    const buf = readFileSync(file);
    const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length) as ArrayBuffer;
    const meta = parquetMetadata(ab);
    const columns = parquetSchema(meta).children.map((c) => c.element.name);
    let start = 0;
    for (const g of meta.row_groups) {
      const end = start + Number(g.num_rows);
      records += (await readRowGroup(ab, meta, columns, start, end)).length;
      start = end;
    }
  }
  return done(records, t0, c0);
}

async function pipeline(kind: Kind, file: string): Promise<Measurement> {
  const p = Pipeline.create({ now: () => new Date('2026-11-22T07:00:00Z') });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let records = 0;
  for await (const batch of p.processBatches({ bucket: 'bench', key: KEYS[kind] }, createReadStream(file, { highWaterMark: 256 * 1024 }))) {
    for (const item of batch) {
      if (item.kind === 'document') records++;
      else if (item.kind === 'record-error') throw new Error(item.reason);
    }
  }
  return done(records, t0, c0);
}

// ---- driver ------------------------------------------------------------------------------------------

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (n: number) => `${(n * 100).toFixed(0)}%`;

async function main() {
  const RECORDS = Number(process.env.RECORDS ?? 200_000);
  const RUNS = Number(process.env.RUNS ?? 3);
  const GROUP = Number(process.env.GROUP ?? 20_000);
  const dir = mkdtempSync(join(tmpdir(), 'bench-cwl-parquet-'));
  try {
    const bundle = bundleForBench(__filename, join(dir, 'bundle'), 'cwl-parquet');
    const rows: string[] = [];
    const runsText: string[] = [];
    const loads: number[] = [];
    for (const kind of ['linux_secure', 'securitylake'] as const) {
      const file = join(dir, kind === 'linux_secure' ? 'secure.gz' : 'lake.gz.parquet');
      const raw = kind === 'linux_secure' ? generateCwl(file, RECORDS) : generateParquet(file, RECORDS, GROUP);
      const size = statSync(file).size;
      process.stderr.write(`${kind}: ${fmt(RECORDS)} records, ${(raw / 2 ** 20).toFixed(0)} MiB as JSON/text, object ${(size / 2 ** 20).toFixed(1)} MiB\n`);
      const res: Record<Mode, Measurement[]> = { ceiling: [], pipeline: [] };
      for (let i = 0; i < RUNS; i++) {
        loads.push(loadavg()[0]!);
        for (const mode of ['ceiling', 'pipeline'] as const) {
          const rr = spawnSync(process.execPath, [bundle, mode, kind, file], { encoding: 'utf8', cwd: join(__dirname, '..'), maxBuffer: 1 << 20 });
          if (rr.status !== 0) throw new Error(`${mode} ${kind} failed: ${rr.stderr}`);
          const m = JSON.parse(rr.stdout.trim().split('\n').pop()!) as Measurement;
          if (m.records !== RECORDS) throw new Error(`${mode} ${kind}: ${m.records} records, expected ${RECORDS}`);
          res[mode].push(m);
          process.stderr.write(`  run ${i + 1} ${mode}: ${fmt((m.records / m.ms) * 1000)} records/s (${fmt((m.records / m.cpuMs) * 1000)} per CPU second), peak RSS ${m.maxRssMb.toFixed(0)} MB\n`);
        }
      }
      const rate = (m: Measurement) => (m.records / m.ms) * 1000;
      const cpuRate = (m: Measurement) => (m.records / m.cpuMs) * 1000;
      const ratio = (f: (m: Measurement) => number) => median(res.pipeline.map((m, i) => f(m) / f(res.ceiling[i]!)));
      const rss = (mode: Mode) => median(res[mode].map((m) => m.maxRssMb));
      const input = kind === 'linux_secure' ? `CWL messages of ${EVENTS_PER_MESSAGE} events, gzip in gzip, ${(size / 2 ** 20).toFixed(1)} MiB (${(raw / 2 ** 20).toFixed(0)} MiB of messages)` : `parquet, GZIP pages, ${Math.ceil(RECORDS / GROUP)} row groups of ${fmt(GROUP)}, ${(size / 2 ** 20).toFixed(1)} MiB (${(raw / 2 ** 20).toFixed(0)} MiB as JSON)`;
      rows.push(`| ${kind} | ${fmt(RECORDS)} | ${input} | ${fmt(median(res.ceiling.map(rate)))} | ${fmt(median(res.pipeline.map(rate)))} | **${pct(ratio(rate))}** | ${pct(ratio(cpuRate))} | ${rss('ceiling').toFixed(0)} MB | ${rss('pipeline').toFixed(0)} MB |`);
      runsText.push(`${kind}: ${res.ceiling.map((c, i) => `${fmt(rate(c))} / ${fmt(rate(res.pipeline[i]!))}`).join('; ')}`);
    }
    const text = [
      '<!-- bench:cwl-parquet:start -->',
      '## es-loader: CloudWatch Logs envelopes and Security Lake parquet (`npm run -s bench:cwl-parquet`)',
      '',
      `What: \`bench/es-loader-cwl-parquet.ts\` generates ${fmt(RECORDS)} Linux /var/log/secure events in CloudWatch Logs subscription messages (each message gzip'd, the object gzip'd again as Firehose writes it) and ${fmt(RECORDS)} Security Lake OCSF rows (60% VPC flow Network Activity, 30% CloudTrail API Activity, 10% DNS Activity) as one parquet object. Each measurement runs in a fresh Node process from an esbuild bundle built like the Lambda's; a run is ceiling then pipeline:`,
      '- ceiling, linux_secure: gunzip the object, gunzip and `JSON.parse` every message, touch every event\'s message; securitylake: hyparquet decoding every row group, column by column, into row objects (the loader\'s own reading, formats/parquet.ts readRowGroup, without the JSON conversion);',
      '- pipeline: `Pipeline.processBatches` over the file (the syslog pattern, ECS mapping, the linux_secure / securitylake transforms, user-agent parsing, `_id`, index names), as `siem-load --dry-run` without printing.',
      '',
      `Records per second of wall time, medians of ${RUNS} runs; ratios are medians of each run's own ratio.`,
      '',
      '| input | records | object | ceiling | pipeline | pipeline / ceiling | same, per CPU second | peak RSS ceiling | peak RSS pipeline |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...rows,
      '',
      `Runs (records/s, ceiling / pipeline): ${runsText.join('. ')}. Machine: 2 cores, 24 GB, Node ${process.version}; 1-minute load average ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)} during the runs (other engineers' tests ran beside it: read the per-CPU-second ratio). Measured ${new Date().toISOString().slice(0, 16)}Z.`,
      '<!-- bench:cwl-parquet:end -->',
    ].join('\n');
    console.log(text);
    if (process.argv.includes('--write')) writeSection('cwl-parquet', text);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const [mode, kind, file] = process.argv.slice(2);
if (mode === 'ceiling' || mode === 'pipeline') {
  (mode === 'ceiling' ? ceiling : pipeline)(kind as Kind, file!).then(
    (m) => process.stdout.write(`${JSON.stringify(m)}\n`),
    (e) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
} else if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
