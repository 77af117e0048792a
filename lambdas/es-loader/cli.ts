/**
 * siem-load [--opensearch URL] [--s3-key KEY] [--dry-run] [--user-ini FILE] [--ioc-db FILE]
 *           [--organization FILE] [--aws-ip-ranges FILE] [--no-user-agents] PATH...
 *
 * Loads local files or s3://bucket/key objects through the same pipeline as the Lambda. With
 * --dry-run it prints one JSON object per document on stdout ({"_index","_id","_source"}) and talks to
 * no server. Errors and final counts go to stderr. Exit codes: 0 processed (even with bad records),
 * 2 a file could not be read, its log type is unknown, or the configuration is invalid, 1 indexing failed.
 */
import { createReadStream, promises as fs } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { SingleBar } from 'cli-progress';
import { Reader, type AsnResponse, type CityResponse } from 'maxmind';
import { S3Client } from '@aws-sdk/client-s3';
import { IocDatabase, IocDatabaseError } from '../shared/ioc/database';
import { awsEdgeRanges, type TrustedProxies } from './enrich/client-ip';
import { OrganizationContext, type OrganizationContextFile } from './enrich/organization';
import { indexTemplates } from './ecs/templates';
import { createOpenSearchClient, indexDocuments, TemplateInstaller, type OpenSearchConnection } from './sink';
import { S3ClientRegistry, S3ObjectStore } from './storage';
import { ConfigError, Pipeline, UnknownLogTypeError, UnreadableObjectError, type GeoDatabases, type ObjectSummary, type PipelineItem } from './pipeline';

export interface CliIo {
  stdout: Writable;
  stderr: Writable & { isTTY?: boolean };
}

interface Options {
  opensearch?: string;
  s3Key?: string;
  dryRun?: boolean;
  userIni?: string;
  geoipCity?: string;
  geoipAsn?: string;
  iocDb?: string;
  organization?: string;
  awsIpRanges?: string;
  userAgents?: boolean;
  s3Endpoint?: string;
  insecure?: boolean;
  maxRecordBytes?: number;
  progress?: boolean;
  ingestedAt?: Date;
}

interface Source {
  path: string;
  key: string;
  bucket: string;
  size?: number;
  open(): Promise<AsyncIterable<Uint8Array>>;
}

/** Raised for a path that cannot be read; the CLI exits with 2. */
export class SourceReadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SourceReadError';
  }
}

function program(): Command {
  return new Command('siem-load')
    .description('Load log files (local paths or s3://bucket/key) into the SIEM, or print the documents with --dry-run')
    .argument('<path...>', 'local file or s3://bucket/key')
    .option('--opensearch <url>', 'OpenSearch endpoint; https://user:pass@host for basic auth, *.es.amazonaws.com uses SigV4 (env OPENSEARCH_URL)')
    .option('--s3-key <key>', 'object key used to find the log type of a local file (default: the path itself)')
    .option('--dry-run', 'print documents as JSON lines on stdout; talk to no server')
    .option('--user-ini <file>', 'a user.ini overriding/extending the bundled aws.ini')
    .option('--geoip-city <file>', 'GeoLite2-City .mmdb for GeoIP enrichment')
    .option('--geoip-asn <file>', 'GeoLite2-ASN .mmdb for AS enrichment')
    .option('--ioc-db <file>', 'IoC database (npm run ioc -- build, or the ioc-downloader\'s IOC/ioc.siemdb) for threat.matched.* enrichment')
    .option('--organization <file>', 'organization context (npm run -s organization-context > FILE): cloud.account.name/organizational_unit/tags and trusted proxies for clientip_xff')
    .option('--aws-ip-ranges <file>', 'AWS ip-ranges.json: trust its CloudFront and Global Accelerator ranges as proxies for clientip_xff')
    .option('--no-user-agents', 'do not parse user agents (user_agent.original only)')
    .option('--s3-endpoint <url>', 'S3 endpoint for s3:// paths (local S3-API servers; path-style addressing)')
    .option('--insecure', 'do not verify the OpenSearch TLS certificate')
    .option('--max-record-bytes <n>', 'records larger than this are reported as errors (default 10 MiB)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`--max-record-bytes must be a positive integer, got "${v}"`);
      return n;
    })
    .option('--ingested-at <iso-time>', 'value of event.ingested (default: now), for reproducible dry runs', (v) => {
      const d = new Date(v);
      if (Number.isNaN(d.getTime())) throw new InvalidArgumentError(`--ingested-at must be an ISO 8601 time, got "${v}"`);
      return d;
    })
    .option('--no-progress', 'no progress bar even on a terminal')
    .showHelpAfterError(false);
}

async function localSource(path: string, key: string | undefined): Promise<Source> {
  let size: number;
  try {
    const st = await fs.stat(path);
    if (!st.isFile()) throw new SourceReadError(`${path}: not a regular file`);
    size = st.size;
  } catch (err) {
    if (err instanceof SourceReadError) throw err;
    throw new SourceReadError(`${path}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
  return {
    path,
    key: key ?? path,
    bucket: '(local)',
    size,
    open: async () => createReadStream(path, { highWaterMark: 256 * 1024 }) as Readable & AsyncIterable<Uint8Array>,
  };
}

async function s3Source(url: string, key: string | undefined, endpoint: string | undefined): Promise<Source> {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
  if (!m) throw new SourceReadError(`${url}: not of the form s3://bucket/key`);
  const [, bucket, objectKey] = m;
  const client = new S3Client(endpoint ? { endpoint, forcePathStyle: true } : {});
  const store = new S3ObjectStore(new S3ClientRegistry(client));
  return {
    path: url,
    key: key ?? objectKey,
    bucket,
    open: async () => {
      try {
        return (await store.open({ bucket, key: objectKey })).body;
      } catch (err) {
        throw new SourceReadError(`${url}: ${(err as Error).message}`, { cause: err });
      }
    },
  };
}

/**
 * A GeoIP database read as the Lambda reads it (runtime/geo.ts): one buffer, no decoded-record cache of the
 * reader's own (maxmind.open keeps 10,000 decoded records; the loader memoizes per address, enrich/geoip.ts).
 */
async function openMmdb<T extends CityResponse | AsnResponse>(file: string): Promise<Reader<T>> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (err) {
    throw new Error(`${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) throw new Error(`${file} is gzip-compressed; give the .mmdb file (gunzip it first)`);
  try {
    return new Reader<T>(bytes);
  } catch (err) {
    throw new Error(`${file} is not a MaxMind database (.mmdb): ${(err as Error).message}`);
  }
}

async function openGeo(o: Options): Promise<GeoDatabases | undefined> {
  const geo: GeoDatabases = {};
  try {
    if (o.geoipCity) geo.city = await openMmdb<CityResponse>(o.geoipCity);
    if (o.geoipAsn) geo.asn = await openMmdb<AsnResponse>(o.geoipAsn);
  } catch (err) {
    throw new SourceReadError(`cannot open GeoIP database: ${(err as Error).message}`, { cause: err });
  }
  return geo.city || geo.asn ? geo : undefined;
}

/** The --ioc-db database; a file given but unusable is an error naming it (exit 2), not a silent "no enrichment". */
async function openIoc(o: Options): Promise<IocDatabase | undefined> {
  if (!o.iocDb) return undefined;
  try {
    return await IocDatabase.load(o.iocDb);
  } catch (err) {
    if (err instanceof IocDatabaseError) throw new SourceReadError(`--ioc-db ${o.iocDb}: ${err.detail}; give a database built by npm run -s ioc -- build or the ioc-downloader`, { cause: err });
    throw err;
  }
}

/**
 * --organization and --aws-ip-ranges: the context the central stack writes for the Lambda
 * (enrich/organization.ts; `npm run -s organization-context -- [accounts dir] > FILE` prints it).
 */
async function openOrganization(o: Options): Promise<{ organization?: OrganizationContext; trustedProxies?: TrustedProxies }> {
  if (!o.organization && !o.awsIpRanges) return {};
  let file: OrganizationContextFile = { version: 1, accounts: {}, trustedProxies: [] };
  if (o.organization) {
    let text: string;
    try {
      text = await fs.readFile(o.organization, 'utf8');
    } catch (e) {
      throw new SourceReadError(`--organization ${o.organization}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; give the file npm run -s organization-context writes`, { cause: e });
    }
    try {
      file = OrganizationContext.parse(text, `--organization ${o.organization}`).file;
    } catch (e) {
      throw new SourceReadError(`${(e as Error).message}; give the file npm run -s organization-context writes`, { cause: e });
    }
  }
  let edges: string[] = [];
  if (o.awsIpRanges) {
    try {
      edges = awsEdgeRanges(await fs.readFile(o.awsIpRanges, 'utf8'));
    } catch (e) {
      throw new SourceReadError(`--aws-ip-ranges ${o.awsIpRanges}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; give AWS's ip-ranges.json`, { cause: e });
    }
  }
  const ctx = new OrganizationContext({ ...file, trustedProxies: [...file.trustedProxies, ...edges] });
  return { ...(ctx.accountCount ? { organization: ctx } : {}), ...(ctx.trustedProxies.size ? { trustedProxies: ctx.trustedProxies } : {}) };
}

/** Counts bytes as they pass (for the progress bar). */
async function* counted(body: AsyncIterable<Uint8Array>, onBytes: (n: number) => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of body) {
    onBytes(chunk.byteLength);
    yield chunk;
  }
}

function write(stream: Writable, text: string): Promise<void> | undefined {
  if (stream.write(text)) return undefined;
  return new Promise((resolve) => stream.once('drain', resolve));
}

function summaryLine(path: string, s: ObjectSummary | undefined, extra = ''): string {
  if (!s) return `siem-load: ${path}: no summary\n`;
  if (s.ignoredReason) return `siem-load: ${path}: ${s.logType}: not loaded, ${s.ignoredReason}\n`;
  return `siem-load: ${path}: ${s.logType}: ${s.totalRecords} records, ${s.emitted} documents, ${s.failed} failed, ${s.skipped} skipped${extra}\n`;
}

export async function main(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const cmd = program()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // Commander's "error: unknown option '--dry-rn'\n(Did you mean --dry-run?)" as one line.
      outputError: (s, write) => write(`siem-load: ${s.replace(/^error: /, '').replace(/\s*\n\(Did you mean/, ' (did you mean').trim()}; run siem-load --help for usage\n`),
    });
  let paths: string[];
  let o: Options;
  try {
    cmd.parse(argv, { from: 'user' });
    paths = cmd.processedArgs[0] as string[];
    o = cmd.opts<Options>();
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }
  const err = (msg: string) => io.stderr.write(`siem-load: ${msg}\n`);
  const opensearch = o.opensearch ?? process.env.OPENSEARCH_URL;
  if (!o.dryRun && !opensearch) {
    err('give --opensearch URL (or OPENSEARCH_URL) to index, or --dry-run to print the documents');
    return 2;
  }

  let pipeline: Pipeline;
  try {
    let userIni: string | undefined;
    if (o.userIni) {
      try {
        userIni = await fs.readFile(o.userIni, 'utf8');
      } catch (e) {
        err(`${o.userIni}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
        return 2;
      }
    }
    const at = o.ingestedAt;
    const ioc = await openIoc(o);
    pipeline = Pipeline.create({ userIni, userIniName: o.userIni, geo: await openGeo(o), ...(ioc ? { ioc } : {}), ...(await openOrganization(o)), userAgents: o.userAgents !== false, maxRecordBytes: o.maxRecordBytes, now: at ? () => at : undefined });
  } catch (e) {
    if (e instanceof ConfigError || e instanceof SourceReadError) {
      err(e.message);
      return 2;
    }
    throw e;
  }

  let indexing: Awaited<ReturnType<typeof indexingTarget>> | undefined;
  if (!o.dryRun) {
    try {
      indexing = await indexingTarget(opensearch!, pipeline, o, err);
    } catch (e) {
      err(`indexing not available: ${(e as Error).message}`);
      return 1;
    }
  }

  let exit = 0;
  const totals = { files: 0, documents: 0, failed: 0, skipped: 0, indexed: 0 };
  for (const path of paths) {
    let source: Source;
    try {
      source = path.startsWith('s3://') ? await s3Source(path, o.s3Key, o.s3Endpoint) : await localSource(path, o.s3Key);
      if (!pipeline.classify(source.key)) throw new UnknownLogTypeError(source.key);
    } catch (e) {
      err(e instanceof UnknownLogTypeError ? `${path}: ${e.message}; use --s3-key to give the key it has in S3` : (e as Error).message);
      exit = 2;
      continue;
    }
    const showBar = o.progress !== false && io.stderr.isTTY === true && source.size !== undefined;
    const bar = showBar ? new SingleBar({ stream: io.stderr as NodeJS.WritableStream, format: `${path} [{bar}] {percentage}% | {value}/{total} bytes | {docs} docs`, hideCursor: true }) : undefined;
    let docsSoFar = 0;
    let bytes = 0;
    try {
      const raw = await source.open();
      bar?.start(source.size ?? 0, 0, { docs: 0 });
      const body = bar ? counted(raw, (n) => { bytes += n; }) : raw;
      const ref = { bucket: source.bucket, key: source.key, size: source.size };
      let summary: ObjectSummary | undefined;
      let extra = '';
      if (o.dryRun) {
        for await (const batch of pipeline.processBatches(ref, body)) {
          for (const item of batch) {
            if (item.kind === 'document') {
              docsSoFar++;
              const p = write(io.stdout, `${JSON.stringify({ _index: item.index, _id: item.id, _source: item.source })}\n`);
              if (p) await p;
              if (bar && (docsSoFar & 1023) === 0) bar.update(bytes, { docs: docsSoFar });
            } else report(item, (s) => (summary = s), err, bar);
          }
        }
      } else {
        const counts = await indexing!.index(tap(pipeline.processBatches(ref, body), (s) => (summary = s), () => {
          docsSoFar++;
          if (bar && (docsSoFar & 1023) === 0) bar.update(bytes, { docs: docsSoFar });
        }), source);
        totals.indexed += counts.indexed;
        extra = `, ${counts.indexed} indexed (${counts.duplicates} already present), ${counts.failed - (summary?.failed ?? 0)} rejected by OpenSearch`;
        totals.failed += counts.failed - (summary?.failed ?? 0);
      }
      if (bar) {
        bar.update(source.size ?? bytes, { docs: docsSoFar });
        bar.stop();
      }
      io.stderr.write(summaryLine(path, summary, extra));
      totals.files++;
      totals.documents += summary?.emitted ?? 0;
      totals.failed += summary?.failed ?? 0;
      totals.skipped += summary?.skipped ?? 0;
    } catch (e) {
      bar?.stop();
      if (e instanceof SourceReadError || e instanceof UnknownLogTypeError) {
        err(e.message);
        exit = 2;
        continue;
      }
      if (e instanceof UnreadableObjectError) {
        err(`${path}: cannot be read: it ${e.what}`);
        exit = 2;
        continue;
      }
      err(`${path}: indexing failed: ${(e as Error).message}`);
      if (exit === 0) exit = 1;
    }
  }
  if (paths.length > 1) io.stderr.write(`siem-load: total: ${totals.files} files, ${totals.documents} documents, ${totals.failed} failed, ${totals.skipped} skipped${o.dryRun ? '' : `, ${totals.indexed} indexed`}\n`);
  await indexing?.close();
  return exit;
}

function report(item: PipelineItem, onSummary: (s: ObjectSummary) => void, err: (m: string) => void, bar: SingleBar | undefined): void {
  if (item.kind === 'record-error') {
    // Keep the bar on its own line: print the error above it.
    if (bar) (bar as unknown as { stream: NodeJS.WritableStream }).stream.write('\n');
    err(item.reason);
  } else if (item.kind === 'summary') onSummary(item);
}

async function* tap(batches: AsyncIterable<PipelineItem[]>, onSummary: (s: ObjectSummary) => void, onDoc: () => void): AsyncGenerator<PipelineItem[]> {
  for await (const batch of batches) {
    for (const item of batch) {
      if (item.kind === 'document') onDoc();
      else if (item.kind === 'summary') onSummary(item);
    }
    yield batch;
  }
}

/** The non-dry-run path: the runtime's bulk sink (lambdas/es-loader/sink). */
async function indexingTarget(url: string, pipeline: Pipeline, o: Options, err: (m: string) => void) {
  const u = new URL(url);
  const aws = /\.(es|aoss)\.amazonaws\.com$/.exec(u.hostname);
  const node = `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  const connection: OpenSearchConnection = aws
    ? { node, auth: 'sigv4', region: /\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\./.exec(u.hostname)?.[1] ?? process.env.AWS_REGION ?? 'us-east-1', service: aws[1] as 'es' | 'aoss' }
    : u.username
      ? { node, auth: 'basic', username: decodeURIComponent(u.username), password: decodeURIComponent(u.password), insecure: o.insecure }
      : { node, auth: 'none', insecure: o.insecure };
  const client = createOpenSearchClient(connection);
  const templates = new TemplateInstaller(client, indexTemplates(pipeline));
  return {
    index: (items: AsyncIterable<PipelineItem[]>, source: Source) =>
      indexDocuments(items, {
        client,
        templates,
        bucket: source.bucket,
        key: source.key,
        onFailure: (l) => {
          // Parse failures already carry "<key>: record N (line L): ..."; OpenSearch rejections do not.
          err(l.stage === 'parse' ? l.reason : `${l.key}: record ${l.record ?? '?'}: rejected by OpenSearch: ${l.reason}`);
        },
      }),
    close: async () => {
      await client.close();
    },
  };
}
