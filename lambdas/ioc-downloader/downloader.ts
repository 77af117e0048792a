/**
 * IoC downloader: keeps the threat-intelligence database (lambdas/shared/ioc) in the geo bucket current.
 *
 * One run: download each enabled feed (Tor exit list, abuse.ch Feodo Tracker IP blocklist, AlienVault
 * OTX subscribed pulses when an API key is stored), validate it (size limit, syntax of every indicator);
 * a feed that downloads and parses becomes the feed's new snapshot (`IOC/sources/<feed>`), a feed that
 * fails is replaced by its previous snapshot. Then read the user's lists (`IOC/TXT/`, `IOC/STIX2/`),
 * merge everything into one database and upload it with its SHA-256 only when its content changed.
 *
 * Feed URLs default to the reference's (ioc_database/lambda_function.py) and come from the environment,
 * so tests point them at a local server. The OTX key is read from SSM (SecureString) or Secrets Manager,
 * never from the environment, and never logged.
 */
import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client, type _Object } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { z } from 'zod';
import { parseEnvironment, type LambdaEnvironment } from '../shared/env';
import { IocDatabase } from '../shared/ioc/database';
import { IOC_CONTENT_SHA256_METADATA, IOC_CUSTOM_STIX_PREFIX, IOC_CUSTOM_TXT_PREFIX, IOC_DATABASE_KEY, IOC_DATABASE_SHA256_KEY, IOC_SNAPSHOT_PREFIX } from '../shared/ioc/keys';
import { buildDatabase, DEFAULT_LIMITS, parseCustomTxt, parseFeodo, parseOtx, parseStix, parseTor, SourceError, type ParsedSource, type SourceLimits } from './sources';

export class IocDownloadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IocDownloadError';
  }
}

export const DEFAULT_TOR_URL = 'https://check.torproject.org/exit-addresses';
export const DEFAULT_FEODO_URL = 'https://feodotracker.abuse.ch/downloads/ipblocklist.json';
export const DEFAULT_OTX_URL = 'https://otx.alienvault.com/';

const flag = (name: string) => z.enum(['true', 'false'], { error: `${name} must be "true" or "false"` }).default('true').transform((v) => v === 'true');

export const iocEnvSchema = z.object({
  GEO_BUCKET: z.string().min(3, { error: 'GEO_BUCKET (the geo bucket name) is required' }),
  IOC_TOR_ENABLED: flag('IOC_TOR_ENABLED'),
  IOC_FEODO_ENABLED: flag('IOC_FEODO_ENABLED'),
  IOC_TOR_URL: z.url({ protocol: /^https?$/, error: 'IOC_TOR_URL must be an http(s) URL' }).default(DEFAULT_TOR_URL),
  IOC_FEODO_URL: z.url({ protocol: /^https?$/, error: 'IOC_FEODO_URL must be an http(s) URL' }).default(DEFAULT_FEODO_URL),
  IOC_OTX_URL: z.url({ protocol: /^https?$/, error: 'IOC_OTX_URL must be an http(s) URL' }).default(DEFAULT_OTX_URL),
  IOC_OTX_KEY_PARAMETER: z.string().min(1).optional(),
  IOC_OTX_KEY_SECRET: z.string().min(1).optional(),
  /** Largest feed, custom file or database accepted (the reference's MAX_OBJ_SIZE_MB). */
  IOC_MAX_SOURCE_MB: z.coerce.number().int().min(1).max(1024).default(100),
  /** Newest subscribed OTX pulses read (the reference's MAX_OBJ_COUNT). */
  IOC_MAX_OTX_PULSES: z.coerce.number().int().min(1).max(100_000).default(5000),
  /** Newest files read under each of IOC/TXT/ and IOC/STIX2/ (the reference's MAX_OBJ_COUNT). */
  IOC_MAX_CUSTOM_FILES: z.coerce.number().int().min(1).max(100_000).default(5000),
});
export type IocSettings = z.output<typeof iocEnvSchema>;

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): IocSettings {
  return parseEnvironment(iocEnvSchema, env, { title: 'Invalid Lambda environment', error: (m) => new IocDownloadError(m), reportInput: true });
}

/** Where the OTX API key is kept: an SSM SecureString parameter or a Secrets Manager secret. */
export type OtxKeySource = { readonly parameter: string } | { readonly secret: string };

/** The environment of `<prefix>-ioc-downloader` (modules/operations/ioc-downloader.ts calls this). */
export function iocEnvironment(p: {
  readonly geoBucket: string;
  readonly tor?: boolean;
  readonly feodo?: boolean;
  readonly otxKey?: OtxKeySource;
  readonly urls?: { readonly tor?: string; readonly feodo?: string; readonly otx?: string };
  /** Default: the schema's (100 MB, 5,000 pulses, 5,000 files); a default value is not written. */
  readonly limits?: { readonly maxSourceMb?: number; readonly maxOtxPulses?: number; readonly maxCustomFiles?: number };
}): LambdaEnvironment<typeof iocEnvSchema> {
  const key = p.otxKey;
  return {
    GEO_BUCKET: p.geoBucket,
    ...(p.tor === false ? { IOC_TOR_ENABLED: 'false' } : {}),
    ...(p.feodo === false ? { IOC_FEODO_ENABLED: 'false' } : {}),
    ...(p.urls?.tor ? { IOC_TOR_URL: p.urls.tor } : {}),
    ...(p.urls?.feodo ? { IOC_FEODO_URL: p.urls.feodo } : {}),
    ...(p.urls?.otx ? { IOC_OTX_URL: p.urls.otx } : {}),
    ...(key && 'parameter' in key ? { IOC_OTX_KEY_PARAMETER: key.parameter } : {}),
    ...(key && 'secret' in key ? { IOC_OTX_KEY_SECRET: key.secret } : {}),
    ...(p.limits?.maxSourceMb !== undefined && p.limits.maxSourceMb !== 100 ? { IOC_MAX_SOURCE_MB: String(p.limits.maxSourceMb) } : {}),
    ...(p.limits?.maxOtxPulses !== undefined && p.limits.maxOtxPulses !== 5000 ? { IOC_MAX_OTX_PULSES: String(p.limits.maxOtxPulses) } : {}),
    ...(p.limits?.maxCustomFiles !== undefined && p.limits.maxCustomFiles !== 5000 ? { IOC_MAX_CUSTOM_FILES: String(p.limits.maxCustomFiles) } : {}),
  };
}

export interface IocClients {
  readonly s3: S3Client;
  readonly ssm?: SSMClient;
  readonly secrets?: SecretsManagerClient;
  /** Defaults to the global fetch. */
  readonly fetch?: typeof fetch;
  /** Per-request timeout; default 60 s (the reference uses 61). */
  readonly timeoutMs?: number;
}

export interface Log {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
}

export type FeedId = 'tor' | 'feodo' | 'otx';

export interface SourceOutcome {
  readonly source: string;
  /** fresh: downloaded now; previous: download failed, last snapshot used; failed: no data; disabled: not configured. */
  readonly status: 'fresh' | 'previous' | 'failed' | 'disabled' | 'read';
  readonly ipv4?: number;
  readonly ipv6?: number;
  readonly domains?: number;
  readonly skipped?: number;
  readonly error?: string;
  readonly reason?: string;
}

export type RunResult =
  | { readonly status: 'uploaded' | 'unchanged'; readonly key: string; readonly sha256: string; readonly contentSha256: string; readonly bytes: number; readonly sources: SourceOutcome[] }
  | { readonly status: 'nothing-to-build'; readonly sources: SourceOutcome[] };

/** Sources that did not give fresh data because of an error (the handler fails the run on these, after the upload). */
export function failedSources(r: RunResult): SourceOutcome[] {
  return r.sources.filter((s) => s.error !== undefined);
}

function limits(settings: IocSettings): SourceLimits {
  return { ...DEFAULT_LIMITS, maxBytes: settings.IOC_MAX_SOURCE_MB * 1024 * 1024 };
}

/** GET with a size limit enforced while reading (Content-Length first, then the bytes received). */
export async function download(url: string, what: string, clients: IocClients, maxBytes: number, headers: Record<string, string> = {}): Promise<string> {
  const f = clients.fetch ?? fetch;
  let res: Response;
  try {
    res = await f(url, { headers: { 'user-agent': 'siem-ioc-downloader', ...headers }, signal: AbortSignal.timeout(clients.timeoutMs ?? 60_000) });
  } catch (err) {
    throw new SourceError(`${what}: request to ${url} failed: ${(err as Error).message}`);
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    const hint = res.status === 401 || res.status === 403 ? ' (the API key is invalid: update the parameter/secret)' : '';
    throw new SourceError(`${what}: ${url} answered HTTP ${res.status}${hint}`);
  }
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new SourceError(`${what}: ${url} is ${declared} bytes, more than the limit of ${maxBytes} (IOC_MAX_SOURCE_MB)`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      total += chunk.length;
      if (total > maxBytes) throw new SourceError(`${what}: ${url} sent more than the limit of ${maxBytes} bytes (IOC_MAX_SOURCE_MB)`);
      chunks.push(Buffer.from(chunk));
    }
  } catch (err) {
    if (err instanceof SourceError) throw err;
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new SourceError(`${what}: the response from ${url} broke off after ${total} bytes (${cause?.code ?? cause?.message ?? (err as Error).message})`);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
}

async function headMetadata(s3: S3Client, bucket: string, key: string): Promise<Record<string, string> | undefined> {
  try {
    return (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).Metadata ?? {};
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw new IocDownloadError(`cannot read s3://${bucket}/${key}: ${(err as Error).message}`, { cause: err });
  }
}

async function getText(s3: S3Client, bucket: string, key: string): Promise<string | undefined> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return await out.Body!.transformToString('utf8');
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw new IocDownloadError(`cannot read s3://${bucket}/${key}: ${(err as Error).message}`, { cause: err });
  }
}

/** Stores a feed's text as its snapshot unless the stored one is the same. */
async function putSnapshot(s3: S3Client, bucket: string, feed: FeedId, text: string): Promise<void> {
  const key = `${IOC_SNAPSHOT_PREFIX}${feed}`;
  const hash = sha256(text);
  if ((await headMetadata(s3, bucket, key))?.sha256 === hash) return;
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: text, ContentType: feed === 'tor' ? 'text/plain' : 'application/json', Metadata: { sha256: hash } }));
}

/** The OTX API key; undefined with the reason when none is configured, stored, or plausible. */
export async function readOtxKey(settings: IocSettings, clients: IocClients): Promise<{ key?: string; reason: string }> {
  let key: string | undefined;
  let where: string;
  if (settings.IOC_OTX_KEY_PARAMETER) {
    where = `SSM parameter ${settings.IOC_OTX_KEY_PARAMETER}`;
    try {
      key = (await clients.ssm!.send(new GetParameterCommand({ Name: settings.IOC_OTX_KEY_PARAMETER, WithDecryption: true }))).Parameter?.Value?.trim();
    } catch (err) {
      if ((err as Error).name === 'ParameterNotFound') return { reason: `${where} does not exist` };
      throw new IocDownloadError(`Cannot read the OTX API key from ${where}: ${(err as Error).message}`, { cause: err });
    }
  } else if (settings.IOC_OTX_KEY_SECRET) {
    where = `secret ${settings.IOC_OTX_KEY_SECRET}`;
    try {
      const v = (await clients.secrets!.send(new GetSecretValueCommand({ SecretId: settings.IOC_OTX_KEY_SECRET }))).SecretString?.trim();
      key = v?.startsWith('{') ? (JSON.parse(v) as { api_key?: string; otx_api_key?: string }).api_key ?? (JSON.parse(v) as { otx_api_key?: string }).otx_api_key : v;
    } catch (err) {
      if ((err as Error).name === 'ResourceNotFoundException') return { reason: `${where} does not exist` };
      throw new IocDownloadError(`Cannot read the OTX API key from ${where}: ${(err as Error).message}`, { cause: err });
    }
  } else return { reason: 'no OTX API key is configured' };
  if (!key) return { reason: `${where} is empty` };
  // OTX keys are 64 hex characters; the reference also refuses its placeholder of x's.
  if (!/^[0-9a-fA-F]{64}$/.test(key)) return { reason: `${where} does not hold a 64-character OTX API key` };
  return { key, reason: where };
}

/** Subscribed pulse ids (newest first, at most IOC_MAX_OTX_PULSES), then each pulse: the reference's OTX flow. */
async function downloadOtx(settings: IocSettings, clients: IocClients, key: string, maxBytes: number): Promise<{ text: string; failures: { id: string; error: string }[] }> {
  const headers = { 'X-OTX-API-KEY': key };
  const base = settings.IOC_OTX_URL.endsWith('/') ? settings.IOC_OTX_URL : `${settings.IOC_OTX_URL}/`;
  let next: string | null = `${base}api/v1/pulses/subscribed_pulse_ids`;
  const ids: string[] = [];
  for (let page = 0; next && page < 1000; page++) {
    const text = await download(next, 'otx', clients, maxBytes, headers);
    let body: { results?: unknown; next?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new SourceError(`otx: the pulse id list from ${next} is not JSON`);
    }
    if (!Array.isArray(body.results)) throw new SourceError(`otx: the pulse id list from ${next} has no "results" array`);
    for (const id of body.results) if (typeof id === 'string' && /^[0-9a-zA-Z]{1,64}$/.test(id)) ids.push(id);
    next = typeof body.next === 'string' && body.next ? body.next : null;
    // The key goes with every request: follow "next" only on the configured OTX host.
    if (next && new URL(next, base).origin !== new URL(base).origin) throw new SourceError(`otx: the pulse id list points "next" to another host (${new URL(next, base).origin}); not followed`);
    if (next) next = new URL(next, base).toString();
  }
  const wanted = [...new Set(ids)].sort().reverse().slice(0, settings.IOC_MAX_OTX_PULSES);
  const pulses: unknown[] = [];
  const failures: { id: string; error: string }[] = [];
  let total = 0;
  let i = 0;
  const worker = async () => {
    while (i < wanted.length) {
      const id = wanted[i++]!;
      try {
        const text = await download(`${base}api/v1/pulses/${id}`, `otx pulse ${id}`, clients, maxBytes, headers);
        const p = JSON.parse(text) as { id?: unknown; name?: unknown; indicators?: unknown };
        const indicators = Array.isArray(p.indicators) ? (p.indicators as { indicator?: unknown; type?: unknown }[]).filter((x) => ['IPv4', 'IPv6', 'CIDR', 'domain', 'hostname'].includes(x?.type as string)).map((x) => ({ indicator: x.indicator, type: x.type })) : p.indicators;
        total += text.length;
        if (total > maxBytes) throw new SourceError(`otx: the pulses add up to more than the limit of ${maxBytes} bytes (IOC_MAX_SOURCE_MB)`);
        pulses.push({ id: p.id ?? id, name: p.name, indicators });
      } catch (err) {
        if (err instanceof SourceError && /add up to more/.test(err.message)) throw err;
        failures.push({ id, error: err instanceof SyntaxError ? `otx pulse ${id}: not valid JSON` : (err as Error).message });
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  if (wanted.length > 0 && pulses.length === 0) throw new SourceError(`otx: none of the ${wanted.length} subscribed pulses could be read (first: ${failures[0]?.error})`);
  // Pulses in id order, so that an unchanged set of pulses gives an unchanged snapshot.
  pulses.sort((a, b) => String((a as { id: unknown }).id).localeCompare(String((b as { id: unknown }).id)));
  return { text: JSON.stringify(pulses), failures };
}

const PARSERS: Record<FeedId, (text: string, source: string, l: SourceLimits) => ParsedSource> = {
  tor: (t, s, l) => parseTor(t, s, l),
  feodo: (t, s, l) => parseFeodo(t, s, l),
  otx: (t, s, l) => parseOtx(t, s, l),
};

function counts(p: ParsedSource) {
  return { ipv4: p.counts.ipv4, ipv6: p.counts.ipv6, domains: p.counts.domains, skipped: p.counts.skipped };
}

/** One feed: fresh download, else its previous snapshot. */
async function feed(id: FeedId, settings: IocSettings, clients: IocClients, log: Log, fetchText: () => Promise<{ text: string; failures?: { id: string; error: string }[] }>): Promise<{ outcome: SourceOutcome; parsed?: ParsedSource }> {
  const l = limits(settings);
  let error: string;
  try {
    const { text, failures } = await fetchText();
    const parsed = PARSERS[id](text, id, l);
    for (const f of failures ?? []) {
      parsed.counts.skipped++;
      parsed.skips.push({ at: `pulse ${f.id}`, reason: f.error });
    }
    await putSnapshot(clients.s3, settings.GEO_BUCKET, id, text);
    if (parsed.counts.skipped > 0) log.warn(`${id}: ${parsed.counts.skipped} entries skipped`, { skips: parsed.skips });
    return { outcome: { source: id, status: 'fresh', ...counts(parsed) }, parsed };
  } catch (err) {
    if (!(err instanceof SourceError)) throw err;
    error = err.message;
  }
  const previous = await getText(clients.s3, settings.GEO_BUCKET, `${IOC_SNAPSHOT_PREFIX}${id}`);
  if (previous !== undefined) {
    try {
      const parsed = PARSERS[id](previous, id, l);
      log.warn(`${id}: download failed, using the previous list`, { error });
      return { outcome: { source: id, status: 'previous', ...counts(parsed), error }, parsed };
    } catch (err) {
      if (!(err instanceof SourceError)) throw err;
      error = `${error}; the previous snapshot is unusable too: ${err.message}`;
    }
  }
  log.warn(`${id}: no data (download failed and no previous list)`, { error });
  return { outcome: { source: id, status: 'failed', error } };
}

async function listCustom(s3: S3Client, bucket: string, prefix: string): Promise<_Object[]> {
  const out: _Object[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) if (o.Key && !o.Key.endsWith('/')) out.push(o);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out.sort((a, b) => (a.Key! < b.Key! ? -1 : 1));
}

/** `IOC/TXT/<provider>/<file>` → provider and file name; `IOC/TXT/<file>` → provider `custom` (reference). */
export function customOrigin(key: string): { provider: string; name: string } {
  const parts = key.split('/');
  const name = parts[parts.length - 1]!;
  return { provider: parts.length > 3 ? parts[2]! : 'custom', name };
}

async function customSources(settings: IocSettings, clients: IocClients, log: Log): Promise<{ outcome: SourceOutcome; parsed?: ParsedSource }[]> {
  const l = limits(settings);
  const results: { outcome: SourceOutcome; parsed?: ParsedSource }[] = [];
  for (const [prefix, stix] of [
    [IOC_CUSTOM_TXT_PREFIX, false],
    [IOC_CUSTOM_STIX_PREFIX, true],
  ] as const) {
    const all = await listCustom(clients.s3, settings.GEO_BUCKET, prefix);
    // As the reference: the newest files when there are too many (the others are reported, not read).
    const newest = new Set([...all].sort((a, b) => (b.LastModified?.getTime() ?? 0) - (a.LastModified?.getTime() ?? 0)).slice(0, settings.IOC_MAX_CUSTOM_FILES));
    for (const obj of all) {
      if (!newest.has(obj)) {
        results.push({ outcome: { source: obj.Key!.slice('IOC/'.length), status: 'failed', error: `${obj.Key!.slice('IOC/'.length)}: not read, more than ${settings.IOC_MAX_CUSTOM_FILES} files under ${prefix} (IOC_MAX_CUSTOM_FILES); merge lists into fewer files` } });
        continue;
      }
      const source = obj.Key!.slice('IOC/'.length);
      try {
        if ((obj.Size ?? 0) > l.maxBytes) throw new SourceError(`${source}: ${obj.Size} bytes, more than the limit of ${l.maxBytes} (IOC_MAX_SOURCE_MB)`);
        const text = (await getText(clients.s3, settings.GEO_BUCKET, obj.Key!)) ?? '';
        const origin = customOrigin(obj.Key!);
        const parsed = stix ? parseStix(text, source, origin, l) : parseCustomTxt(text, source, origin, l);
        if (parsed.counts.skipped > 0) log.warn(`${source}: ${parsed.counts.skipped} entries skipped`, { skips: parsed.skips });
        results.push({ outcome: { source, status: 'read', ...counts(parsed) }, parsed });
      } catch (err) {
        if (!(err instanceof SourceError)) throw err;
        log.warn(`${source}: not used`, { error: err.message });
        results.push({ outcome: { source, status: 'failed', error: err.message } });
      }
    }
  }
  return results;
}

/** One scheduled run. */
export async function run(settings: IocSettings, clients: IocClients, log: Log, now: Date = new Date()): Promise<RunResult> {
  const maxBytes = limits(settings).maxBytes;
  const results: { outcome: SourceOutcome; parsed?: ParsedSource }[] = [];
  if (settings.IOC_TOR_ENABLED) results.push(await feed('tor', settings, clients, log, async () => ({ text: await download(settings.IOC_TOR_URL, 'tor', clients, maxBytes) })));
  else results.push({ outcome: { source: 'tor', status: 'disabled', reason: 'IOC_TOR_ENABLED is false' } });
  if (settings.IOC_FEODO_ENABLED) results.push(await feed('feodo', settings, clients, log, async () => ({ text: await download(settings.IOC_FEODO_URL, 'feodo', clients, maxBytes) })));
  else results.push({ outcome: { source: 'feodo', status: 'disabled', reason: 'IOC_FEODO_ENABLED is false' } });
  const otx = await readOtxKey(settings, clients);
  if (otx.key) results.push(await feed('otx', settings, clients, log, () => downloadOtx(settings, clients, otx.key!, maxBytes)));
  else {
    log.info(`AlienVault OTX is off: ${otx.reason}`);
    results.push({ outcome: { source: 'otx', status: 'disabled', reason: otx.reason } });
  }
  results.push(...(await customSources(settings, clients, log)));

  const sources = results.map((r) => r.outcome);
  const parsed = results.flatMap((r) => (r.parsed ? [r.parsed] : []));
  if (parsed.length === 0) {
    if (sources.some((s) => s.status === 'failed')) throw new IocDownloadError(`No IoC source could be read: ${sources.filter((s) => s.error).map((s) => s.error).join('; ')}`);
    log.warn('No IoC source is enabled: no database built');
    return { status: 'nothing-to-build', sources };
  }
  const db = buildDatabase(parsed, now);
  const header = IocDatabase.fromBuffer(db, IOC_DATABASE_KEY).header;
  if (db.length > maxBytes * 4) throw new IocDownloadError(`The IoC database would be ${db.length} bytes; more than 4 x IOC_MAX_SOURCE_MB. Nothing was uploaded.`);
  const fileSha = sha256(db);
  const stored = await headMetadata(clients.s3, settings.GEO_BUCKET, IOC_DATABASE_KEY);
  if (stored?.[IOC_CONTENT_SHA256_METADATA] === header.contentSha256) {
    log.info('IoC database unchanged', { contentSha256: header.contentSha256 });
    return { status: 'unchanged', key: IOC_DATABASE_KEY, sha256: stored.sha256 ?? fileSha, contentSha256: header.contentSha256, bytes: db.length, sources };
  }
  await clients.s3.send(
    new PutObjectCommand({
      Bucket: settings.GEO_BUCKET,
      Key: IOC_DATABASE_KEY,
      Body: db,
      ContentType: 'application/octet-stream',
      Metadata: { [IOC_CONTENT_SHA256_METADATA]: header.contentSha256, sha256: fileSha },
    }),
  );
  await clients.s3.send(new PutObjectCommand({ Bucket: settings.GEO_BUCKET, Key: IOC_DATABASE_SHA256_KEY, Body: `${fileSha}  ioc.siemdb\n`, ContentType: 'text/plain' }));
  log.info('IoC database uploaded', { bytes: db.length, sha256: fileSha, totals: header.totals, sources });
  return { status: 'uploaded', key: IOC_DATABASE_KEY, sha256: fileSha, contentSha256: header.contentSha256, bytes: db.length, sources };
}
