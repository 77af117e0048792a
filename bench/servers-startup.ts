/**
 * `npm run bench:servers`: how long the local test servers (test/servers: OpenSearch, s3rver,
 * ElasticMQ, started in parallel) take until every one answers, as the integration tests' globalSetup
 * waits for them.
 *
 *   cold     - empty server cache and empty Maven repository (a fresh CI machine): downloads from
 *              Maven Central, unpacking, module assembly, then the start.
 *   warm     - cache in place (every later run).
 *   security - warm, with the OpenSearch security plugin (TLS + basic auth).
 *
 * Options: --runs N (warm runs per variant, default 3), --no-cold, --write (update docs/benchmarks.md).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { median, writeSection } from './report';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServers } from '../test/servers';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] ?? 3) || 3;
const withCold = !args.includes('--no-cold');
const write = args.includes('--write');

async function once(): Promise<{ up: number; stop: number }> {
  const started = performance.now();
  const servers = await startServers();
  const up = (performance.now() - started) / 1000;
  const stopping = performance.now();
  await servers.stop();
  return { up, stop: (performance.now() - stopping) / 1000 };
}

async function main(): Promise<void> {
  const loads: number[] = [];
  const sample = (): void => {
    loads.push(loadavg()[0] ?? 0);
  };
  const results: { variant: string; ups: number[]; stops: number[] }[] = [];

  if (withCold) {
    const cache = mkdtempSync(join(tmpdir(), 'siem-bench-cache-'));
    const repo = mkdtempSync(join(tmpdir(), 'siem-bench-m2-'));
    const saved = { cache: process.env.SIEM_SERVERS_CACHE, maven: process.env.MAVEN_OPTS };
    process.env.SIEM_SERVERS_CACHE = cache;
    process.env.MAVEN_OPTS = `${saved.maven ?? ''} -Dmaven.repo.local=${repo}`.trim();
    try {
      sample();
      const r = await once();
      sample();
      results.push({ variant: 'cold (empty cache and ~/.m2)', ups: [r.up], stops: [r.stop] });
      console.error(`cold: up ${r.up.toFixed(1)} s`);
    } finally {
      process.env.SIEM_SERVERS_CACHE = saved.cache;
      if (saved.cache === undefined) delete process.env.SIEM_SERVERS_CACHE;
      process.env.MAVEN_OPTS = saved.maven;
      if (saved.maven === undefined) delete process.env.MAVEN_OPTS;
      rmSync(cache, { recursive: true, force: true });
      rmSync(repo, { recursive: true, force: true });
    }
  }

  for (const [variant, security] of [
    ['warm', ''],
    ['warm, security plugin', '1'],
  ] as const) {
    process.env.SIEM_TEST_OPENSEARCH_SECURITY = security;
    await startServers().then((s) => s.stop()); // fills the cache for this variant; not measured
    const ups: number[] = [];
    const stops: number[] = [];
    for (let i = 0; i < runs; i++) {
      sample();
      const r = await once();
      sample();
      ups.push(r.up);
      stops.push(r.stop);
      console.error(`${variant}: up ${r.up.toFixed(1)} s, stop ${r.stop.toFixed(1)} s`);
    }
    results.push({ variant, ups, stops });
  }
  delete process.env.SIEM_TEST_OPENSEARCH_SECURITY;

  const rows = results.map(
    (r) =>
      `| ${r.variant} | ${r.ups.length} | ${median(r.ups).toFixed(1)} s | ${median(r.stops).toFixed(1)} s | ${r.ups.map((u) => `${u.toFixed(1)} s`).join(', ')} |`,
  );
  const section = [
    '<!-- bench:servers-startup:start -->',
    '## Local test servers startup (`npm run bench:servers`)',
    '',
    'What: `startServers()` of test/servers (OpenSearch 2.19.4 single node with the standard modules, s3rver, ElasticMQ 1.7.1, started in parallel) until all three answer (OpenSearch yellow), then `stop()`; as the `integration` project\'s globalSetup does once per run. Cold = empty server cache and empty Maven repository (downloads ~200 MB from Maven Central).',
    '',
    '| variant | runs | median start | median stop | runs (start) |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `Machine: 2 cores, 24 GB, Node ${process.version}, Java 17; 1-minute load average ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)} during the runs (other work on the same 2 cores slows the JVMs' start, so the spread is wide and the medians pessimistic). Measured ${new Date().toISOString().slice(0, 16)}Z.`,
    '<!-- bench:servers-startup:end -->',
  ].join('\n');
  console.log(section);

  if (write) {
    console.error(`updated ${writeSection('servers-startup', section)}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
