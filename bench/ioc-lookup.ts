/**
 * IoC database benchmark (`npm run -s bench:ioc`).
 *
 * Builds a database of INDICATORS synthetic indicators (default 1,000,000: 70% IPv4 addresses, 10%
 * IPv4 CIDR blocks /20-/30, 10% IPv6 addresses and /48-/64 blocks, 10% domains; 200 provider/name
 * combinations, a deterministic random generator), writes it to a temp file, then in a fresh child
 * process loads it and times lookups: IPv4 hit, IPv4 miss, IPv6 hit, domain hit through the parent walk
 * (a subdomain of a listed domain), domain miss. Reports build time, file size, load time, the memory
 * the loaded database holds (RSS and heap+external growth) and ns per lookup (median of RUNS).
 *
 * Environment: INDICATORS, LOOKUPS (per kind, default 1,000,000), RUNS (default 5).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IocDatabaseBuilder } from '../lambdas/shared/ioc/builder';
import { IocDatabase } from '../lambdas/shared/ioc/database';
import { formatIpv4, formatIpv6 } from '../lambdas/shared/ioc/ip';
import { iocListMetas, rng, u32 } from './synthetic';

const INDICATORS = Number(process.env.INDICATORS ?? 1_000_000);
const LOOKUPS = Number(process.env.LOOKUPS ?? 1_000_000);
const RUNS = Number(process.env.RUNS ?? 5);

const v6 = (r: () => number) => (0x2001n << 112n) | (BigInt(u32(r) & 0xffff) << 96n) | (BigInt(u32(r)) << 64n) | (BigInt(u32(r)) << 32n) | BigInt(u32(r));
const label = (r: () => number) => Math.floor(r() * 36 ** 8).toString(36);

interface Queries {
  v4hit: string[];
  v4miss: string[];
  v6hit: string[];
  domainParent: string[];
  domainMiss: string[];
}

function generate(): { db: Buffer; buildMs: number; queries: Queries } {
  const r = rng(16);
  const b = new IocDatabaseBuilder();
  const t0 = performance.now();
  const metas = iocListMetas(b);
  const pick = (a: number[]) => a[Math.floor(r() * a.length)]!;
  const q: Queries = { v4hit: [], v4miss: [], v6hit: [], domainParent: [], domainMiss: [] };
  const sample = (list: string[], value: string) => {
    if (list.length < 100_000) list.push(value);
  };
  const n4 = Math.round(INDICATORS * 0.7);
  const n4cidr = Math.round(INDICATORS * 0.1);
  const n6 = Math.round(INDICATORS * 0.1);
  const nd = INDICATORS - n4 - n4cidr - n6;
  for (let i = 0; i < n4; i++) {
    const ip = u32(r);
    b.addNetwork({ version: 4, start: ip, end: ip }, pick(metas.v4));
    sample(q.v4hit, formatIpv4(ip));
  }
  for (let i = 0; i < n4cidr; i++) {
    const size = 2 ** (2 + Math.floor(r() * 11)); // /30 .. /20
    const start = Math.floor(u32(r) / size) * size;
    b.addNetwork({ version: 4, start, end: start + size - 1 }, pick(metas.v4));
  }
  for (let i = 0; i < n6; i++) {
    const ip = v6(r);
    if (i % 2 === 0) b.addNetwork({ version: 6, start: ip, end: ip }, pick(metas.v6));
    else {
      const bits = BigInt(64 + Math.floor(r() * 17)); // /64 .. /48
      const mask = (1n << (128n - bits)) - 1n;
      b.addNetwork({ version: 6, start: ip & ~mask, end: (ip & ~mask) | mask }, pick(metas.v6));
    }
    sample(q.v6hit, formatIpv6(ip));
  }
  for (let i = 0; i < nd; i++) {
    const d = `${label(r)}.${label(r)}.${['com', 'net', 'org', 'info', 'xyz'][i % 5]}`;
    b.addDomain(d, pick(metas.dom));
    sample(q.domainParent, `www.${label(r)}.${d}`);
  }
  const db = b.build();
  const buildMs = performance.now() - t0;
  const check = IocDatabase.fromBuffer(db);
  for (let i = 0; q.v4miss.length < 100_000 && i < 10_000_000; i++) {
    const ip = formatIpv4(u32(r));
    if (check.matchIp(ip).length === 0) q.v4miss.push(ip);
  }
  for (let i = 0; i < 100_000; i++) q.domainMiss.push(`www.${label(r)}.${label(r)}.com`);
  return { db, buildMs, queries: q };
}

interface ChildResult {
  loadMs: number;
  rssMb: number;
  heapExternalMb: number;
  nsPerLookup: Record<keyof Queries, number>;
  hitRate: Record<keyof Queries, number>;
}

function child(file: string, queriesFile: string): void {
  const queries = JSON.parse(readFileSync(queriesFile, 'utf8')) as Queries;
  global.gc?.();
  const before = process.memoryUsage();
  const t0 = performance.now();
  const db = IocDatabase.fromBuffer(readFileSync(file), file);
  const loadMs = performance.now() - t0;
  global.gc?.();
  const after = process.memoryUsage();
  const nsPerLookup = {} as Record<keyof Queries, number>;
  const hitRate = {} as Record<keyof Queries, number>;
  for (const kind of Object.keys(queries) as (keyof Queries)[]) {
    const list = queries[kind];
    const isDomain = kind.startsWith('domain');
    const times: number[] = [];
    let hits = 0;
    for (let run = 0; run < RUNS; run++) {
      hits = 0;
      const t = process.hrtime.bigint();
      for (let i = 0; i < LOOKUPS; i++) {
        const v = list[i % list.length]!;
        if ((isDomain ? db.matchDomain(v) : db.matchIp(v)).length > 0) hits++;
      }
      times.push(Number(process.hrtime.bigint() - t) / LOOKUPS);
    }
    times.sort((a, b) => a - b);
    nsPerLookup[kind] = times[Math.floor(times.length / 2)]!;
    hitRate[kind] = hits / LOOKUPS;
  }
  const mb = (n: number) => n / 1024 / 1024;
  const result: ChildResult = {
    loadMs,
    rssMb: mb(after.rss - before.rss),
    heapExternalMb: mb(after.heapUsed + after.external + after.arrayBuffers - (before.heapUsed + before.external + before.arrayBuffers)),
    nsPerLookup,
    hitRate,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ioc-'));
  try {
    const rssBefore = process.memoryUsage().rss;
    const { db, buildMs, queries } = generate();
    const buildRss = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
    const file = join(dir, 'ioc.siemdb');
    writeFileSync(file, db);
    writeFileSync(join(dir, 'queries.json'), JSON.stringify(queries));
    const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', __filename, 'child', file, join(dir, 'queries.json')], { encoding: 'utf8', env: { ...process.env, LOOKUPS: String(LOOKUPS), RUNS: String(RUNS) }, maxBuffer: 1 << 20 });
    if (r.status !== 0) throw new Error(`child failed: ${r.stderr}`);
    const c = JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildResult;
    const h = IocDatabase.fromBuffer(db).header.totals;
    const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
    const lines = [
      `IoC database: ${fmt(INDICATORS)} indicators -> ${fmt(h.ipv4Ranges)} IPv4 ranges, ${fmt(h.ipv6Ranges)} IPv6 ranges, ${fmt(h.domains)} domains, ${fmt(h.sets)} provider sets`,
      `| measure | value |`,
      `| --- | --- |`,
      `| build (builder + serialize) | ${fmt(buildMs / 1000, 2)} s (RSS grew ${fmt(buildRss)} MB) |`,
      `| file size | ${fmt(db.length / 1024 / 1024, 1)} MB |`,
      `| load (read file + verify SHA-256 + build the /16 and domain indexes) | ${fmt(c.loadMs)} ms |`,
      `| memory held after load | RSS +${fmt(c.rssMb)} MB, heap+external +${fmt(c.heapExternalMb)} MB |`,
      `| IPv4 hit | ${fmt(c.nsPerLookup.v4hit)} ns/lookup (hit rate ${fmt(c.hitRate.v4hit * 100)}%) |`,
      `| IPv4 miss | ${fmt(c.nsPerLookup.v4miss)} ns/lookup (hit rate ${fmt(c.hitRate.v4miss * 100)}%) |`,
      `| IPv6 hit | ${fmt(c.nsPerLookup.v6hit)} ns/lookup (hit rate ${fmt(c.hitRate.v6hit * 100)}%) |`,
      `| domain hit via parent (www.x.<listed>) | ${fmt(c.nsPerLookup.domainParent)} ns/lookup (hit rate ${fmt(c.hitRate.domainParent * 100)}%) |`,
      `| domain miss | ${fmt(c.nsPerLookup.domainMiss)} ns/lookup (hit rate ${fmt(c.hitRate.domainMiss * 100)}%) |`,
      `(${fmt(LOOKUPS)} lookups per kind, median of ${RUNS} runs, Node ${process.version})`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'child') child(process.argv[3]!, process.argv[4]!);
else main();
