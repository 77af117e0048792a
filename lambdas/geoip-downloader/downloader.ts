/**
 * GeoIP downloader: keeps the MaxMind GeoLite2 City and ASN databases in the geo bucket current.
 *
 * MaxMind publishes each edition as `<edition>_<date>.tar.gz` with a `.sha256` file next to it
 * (https://dev.maxmind.com/geoip/updating-databases#directly-downloading-databases). The legacy
 * permalink `https://download.maxmind.com/app/geoip_download?edition_id=..&license_key=..&suffix=..`
 * needs only the license key; the base URL is configurable so tests use a local server.
 *
 * Flow per edition: fetch the checksum file; if the object in the bucket already carries that checksum
 * (metadata `archive-sha256`), stop; else download the archive, verify its SHA-256, extract the
 * `.mmdb`, upload it with the checksum. A mismatch uploads nothing. Both editions are tried; the run
 * fails at the end if either failed, so the function's Errors alarm fires.
 *
 * The license key is read from SSM (SecureString) or Secrets Manager, never from the environment, and
 * never appears in logs or error messages (URLs are redacted).
 *
 * Each run also refreshes the AWS ranges the loader trusts as proxies for clientip_xff
 * (lambdas/shared/aws-ip-ranges.ts): AWS's ip-ranges.json (AWS_IP_RANGES_URL) is fetched with a size
 * limit and validated, its CloudFront/Global Accelerator prefixes are stored as a compact object with its
 * SHA-256 (metadata `sha256`), uploaded only when that changed. This needs no license key; a bad download
 * uploads nothing, so the previous object stays.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import * as tar from 'tar-stream';
import { z } from 'zod';
import { parseEnvironment, type LambdaEnvironment } from '../shared/env';
import {
  AWS_EDGE_RANGES_KEY,
  AWS_EDGE_RANGES_SHA256_METADATA,
  AWS_IP_RANGES_URL,
  AwsIpRangesError,
  edgeRangesFromIpRanges,
  edgeRangesJson,
  MAX_IP_RANGES_BYTES,
} from '../shared/aws-ip-ranges';
import { GEOIP_ARCHIVE_SHA256_METADATA, GEOIP_EDITIONS, geoIpObjectKey, type GeoIpEdition } from '../shared/geoip-keys';

export class GeoIpDownloadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GeoIpDownloadError';
  }
}
export class ChecksumMismatchError extends GeoIpDownloadError {
  constructor(readonly edition: string, readonly expected: string, readonly actual: string) {
    super(`${edition}: SHA-256 of the downloaded archive is ${actual} but MaxMind's checksum file says ${expected}; nothing was uploaded`);
    this.name = 'ChecksumMismatchError';
  }
}

export const DEFAULT_DOWNLOAD_URL = 'https://download.maxmind.com/app/geoip_download';

export const geoIpEnvSchema = z.object({
  GEO_BUCKET: z.string().min(3, { error: 'GEO_BUCKET (the geo bucket name) is required' }),
  GEOIP_LICENSE_PARAMETER: z.string().min(1).optional(),
  GEOIP_LICENSE_SECRET: z.string().min(1).optional(),
  GEOIP_DOWNLOAD_URL: z.url({ error: 'GEOIP_DOWNLOAD_URL must be an http(s) URL' }).default(DEFAULT_DOWNLOAD_URL),
  AWS_IP_RANGES_URL: z.url({ error: 'AWS_IP_RANGES_URL must be an http(s) URL' }).default(AWS_IP_RANGES_URL),
});
export type GeoIpSettings = z.infer<typeof geoIpEnvSchema>;

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): GeoIpSettings {
  return parseEnvironment(geoIpEnvSchema, env, { title: 'Invalid Lambda environment', error: (m) => new GeoIpDownloadError(m) });
}

/** Where the MaxMind license key is kept: an SSM SecureString parameter or a Secrets Manager secret. */
export type LicenseKeySource = { readonly parameter: string } | { readonly secret: string };

/** The environment of `<prefix>-geoip-downloader`: the bucket, and the license key's name (never the key). */
export function geoIpEnvironment(p: { readonly geoBucket: string; readonly licenseKey?: LicenseKeySource }): LambdaEnvironment<typeof geoIpEnvSchema> {
  const key = p.licenseKey;
  return {
    GEO_BUCKET: p.geoBucket,
    ...(key && 'parameter' in key ? { GEOIP_LICENSE_PARAMETER: key.parameter } : {}),
    ...(key && 'secret' in key ? { GEOIP_LICENSE_SECRET: key.secret } : {}),
  };
}

export interface GeoIpClients {
  readonly s3: S3Client;
  readonly ssm?: SSMClient;
  readonly secrets?: SecretsManagerClient;
  /** Defaults to the global fetch. */
  readonly fetch?: typeof fetch;
}

export interface Log {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
}

export type EditionOutcome =
  | { edition: GeoIpEdition; status: 'uploaded'; key: string; sha256: string; bytes: number }
  | { edition: GeoIpEdition; status: 'unchanged'; key: string; sha256: string }
  | { edition: GeoIpEdition; status: 'failed'; error: string };

export type AwsRangesOutcome =
  | { status: 'uploaded'; key: string; sha256: string; ipv4: number; ipv6: number }
  | { status: 'unchanged'; key: string; sha256: string }
  | { status: 'failed'; error: string };

/** `awsIpRanges`: the AWS edge ranges (no license key needed, so also refreshed when GeoIP is disabled). */
export type RunResult = { status: 'disabled'; reason: string; awsIpRanges: AwsRangesOutcome } | { status: 'done'; editions: EditionOutcome[]; awsIpRanges: AwsRangesOutcome };

/** Reads the license key; `undefined` (with the reason) when none is configured or stored. */
export async function readLicenseKey(settings: GeoIpSettings, clients: GeoIpClients): Promise<{ key?: string; reason: string }> {
  if (settings.GEOIP_LICENSE_PARAMETER) {
    const name = settings.GEOIP_LICENSE_PARAMETER;
    try {
      const out = await clients.ssm!.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
      const key = out.Parameter?.Value?.trim();
      return key ? { key, reason: `SSM parameter ${name}` } : { reason: `SSM parameter ${name} is empty` };
    } catch (err) {
      if ((err as Error).name === 'ParameterNotFound') return { reason: `SSM parameter ${name} does not exist` };
      throw new GeoIpDownloadError(`Cannot read the MaxMind license key from SSM parameter ${name}: ${(err as Error).message}`, { cause: err });
    }
  }
  if (settings.GEOIP_LICENSE_SECRET) {
    const name = settings.GEOIP_LICENSE_SECRET;
    try {
      const out = await clients.secrets!.send(new GetSecretValueCommand({ SecretId: name }));
      return { key: secretToKey(out.SecretString, name), reason: `secret ${name}` };
    } catch (err) {
      if ((err as Error).name === 'ResourceNotFoundException') return { reason: `secret ${name} does not exist` };
      if (err instanceof GeoIpDownloadError) throw err;
      throw new GeoIpDownloadError(`Cannot read the MaxMind license key from secret ${name}: ${(err as Error).message}`, { cause: err });
    }
  }
  return { reason: 'no license key is configured (geoip.licenseKeyParameter or geoip.licenseKeySecret in accounts/organization.yaml)' };
}

/** A secret holds the key itself, or JSON `{"license_key": "..."}`. */
function secretToKey(value: string | undefined, name: string): string | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (v.startsWith('{')) {
    try {
      const obj = JSON.parse(v) as Record<string, unknown>;
      const key = obj.license_key ?? obj.LicenseKey ?? obj.licenseKey;
      if (typeof key === 'string' && key) return key;
    } catch {
      /* not JSON: fall through */
    }
    throw new GeoIpDownloadError(`secret ${name} is JSON without a "license_key" string; store the key itself or {"license_key": "..."}`);
  }
  return v;
}

function downloadUrl(base: string, edition: string, key: string, suffix: 'tar.gz' | 'tar.gz.sha256'): string {
  const u = new URL(base);
  u.searchParams.set('edition_id', edition);
  u.searchParams.set('license_key', key);
  u.searchParams.set('suffix', suffix);
  return u.toString();
}

function redact(url: string): string {
  return url.replace(/license_key=[^&]*/, 'license_key=REDACTED');
}

async function get(f: typeof fetch, url: string, what: string): Promise<Response> {
  let res: Response;
  try {
    res = await f(url);
  } catch (err) {
    throw new GeoIpDownloadError(`${what}: request to ${redact(url)} failed: ${(err as Error).message}`, { cause: err });
  }
  if (!res.ok) {
    const hint = res.status === 401 ? ' (the license key is invalid or expired: renew it at maxmind.com and update the parameter/secret)' : '';
    throw new GeoIpDownloadError(`${what}: ${redact(url)} answered HTTP ${res.status}${hint}`);
  }
  return res;
}

/** First token of MaxMind's `.sha256` file: `<64 hex>  <file name>`. */
export function parseChecksumFile(text: string, edition: string): string {
  const m = /^([0-9a-fA-F]{64})\b/.exec(text.trim());
  if (!m) throw new GeoIpDownloadError(`${edition}: the checksum file does not start with a SHA-256 (got ${JSON.stringify(text.slice(0, 80))})`);
  return m[1]!.toLowerCase();
}

/** Extracts `<edition>.mmdb` from a MaxMind archive (`<edition>_<date>/<edition>.mmdb`). */
export async function extractMmdb(archive: Buffer, edition: string): Promise<Buffer> {
  const extract = tar.extract();
  let found: Buffer | undefined;
  const wanted = `${edition}.mmdb`;
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const base = header.name.split('/').pop();
      if (header.type === 'file' && base === wanted && !found) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: unknown) => chunks.push(c as Buffer));
        stream.on('end', () => {
          found = Buffer.concat(chunks);
          next();
        });
      } else {
        stream.on('end', () => next());
        stream.resume();
      }
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  try {
    await Promise.all([pipeline(Readable.from([archive]), createGunzip(), extract), done]);
  } catch (err) {
    throw new GeoIpDownloadError(`${edition}: the archive is not a readable tar.gz: ${(err as Error).message}`, { cause: err });
  }
  if (!found) throw new GeoIpDownloadError(`${edition}: the archive holds no ${wanted}`);
  return found;
}

async function storedChecksum(s3: S3Client, bucket: string, key: string, metadata = GEOIP_ARCHIVE_SHA256_METADATA): Promise<string | undefined> {
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return head.Metadata?.[metadata];
  } catch (err) {
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404) return undefined;
    throw new GeoIpDownloadError(`cannot read s3://${bucket}/${key}: ${(err as Error).message}`, { cause: err });
  }
}

export async function updateEdition(edition: GeoIpEdition, licenseKey: string, settings: GeoIpSettings, clients: GeoIpClients): Promise<EditionOutcome> {
  const f = clients.fetch ?? fetch;
  const key = geoIpObjectKey(edition);
  const expected = parseChecksumFile(await (await get(f, downloadUrl(settings.GEOIP_DOWNLOAD_URL, edition, licenseKey, 'tar.gz.sha256'), `${edition} checksum`)).text(), edition);
  if ((await storedChecksum(clients.s3, settings.GEO_BUCKET, key)) === expected) return { edition, status: 'unchanged', key, sha256: expected };

  const archive = Buffer.from(await (await get(f, downloadUrl(settings.GEOIP_DOWNLOAD_URL, edition, licenseKey, 'tar.gz'), `${edition} archive`)).arrayBuffer());
  const actual = createHash('sha256').update(archive).digest('hex');
  if (actual !== expected) throw new ChecksumMismatchError(edition, expected, actual);
  const mmdb = await extractMmdb(archive, edition);
  await clients.s3.send(
    new PutObjectCommand({
      Bucket: settings.GEO_BUCKET,
      Key: key,
      Body: mmdb,
      ContentType: 'application/octet-stream',
      Metadata: { [GEOIP_ARCHIVE_SHA256_METADATA]: expected },
    }),
  );
  return { edition, status: 'uploaded', key, sha256: expected, bytes: mmdb.length };
}

/** The body of a response, refused as soon as it passes `max` bytes (a Content-Length above it is refused before reading). */
async function limitedBody(res: Response, max: number, what: string): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > max) throw new GeoIpDownloadError(`${what}: the answer is ${declared} bytes, above the limit of ${max}; nothing was uploaded`);
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of (res.body ?? []) as AsyncIterable<Uint8Array>) {
      total += chunk.byteLength;
      if (total > max) throw new GeoIpDownloadError(`${what}: the answer is larger than the limit of ${max} bytes; nothing was uploaded`);
      chunks.push(Buffer.from(chunk));
    }
  } catch (err) {
    if (err instanceof GeoIpDownloadError) throw err;
    throw new GeoIpDownloadError(`${what}: reading the answer failed: ${(err as Error).message}; nothing was uploaded`, { cause: err });
  }
  return Buffer.concat(chunks);
}

/**
 * Refreshes the AWS edge ranges object (lambdas/shared/aws-ip-ranges.ts): download, validate, upload
 * when its SHA-256 differs from the stored object's. Throws a GeoIpDownloadError naming the problem.
 */
export async function updateAwsRanges(settings: GeoIpSettings, clients: GeoIpClients): Promise<AwsRangesOutcome> {
  const f = clients.fetch ?? fetch;
  const what = `AWS ip-ranges (${settings.AWS_IP_RANGES_URL})`;
  const body = await limitedBody(await get(f, settings.AWS_IP_RANGES_URL, what), MAX_IP_RANGES_BYTES, what);
  let text: string;
  try {
    text = edgeRangesJson(edgeRangesFromIpRanges(body.toString('utf8')));
  } catch (err) {
    if (!(err instanceof AwsIpRangesError)) throw err;
    throw new GeoIpDownloadError(`${what}: ${err.message}; nothing was uploaded`, { cause: err });
  }
  const sha256 = createHash('sha256').update(text).digest('hex');
  const key = AWS_EDGE_RANGES_KEY;
  if ((await storedChecksum(clients.s3, settings.GEO_BUCKET, key, AWS_EDGE_RANGES_SHA256_METADATA)) === sha256) return { status: 'unchanged', key, sha256 };
  await clients.s3.send(
    new PutObjectCommand({ Bucket: settings.GEO_BUCKET, Key: key, Body: text, ContentType: 'application/json', Metadata: { [AWS_EDGE_RANGES_SHA256_METADATA]: sha256 } }),
  );
  const ranges = JSON.parse(text) as { ipv4: string[]; ipv6: string[] };
  return { status: 'uploaded', key, sha256, ipv4: ranges.ipv4.length, ipv6: ranges.ipv6.length };
}

async function refreshAwsRanges(settings: GeoIpSettings, clients: GeoIpClients, log: Log): Promise<AwsRangesOutcome> {
  try {
    const outcome = await updateAwsRanges(settings, clients);
    log.info(outcome.status === 'uploaded' ? 'AWS edge ranges updated' : 'AWS edge ranges unchanged', { ...outcome });
    return outcome;
  } catch (err) {
    const error = err instanceof GeoIpDownloadError ? err.message : `AWS ip-ranges: ${(err as Error).message}`;
    log.warn('AWS edge ranges not updated: the previous object stays', { error });
    return { status: 'failed', error };
  }
}

/**
 * One scheduled run: the AWS edge ranges, then each GeoLite2 edition. Throws only after trying all of
 * them, listing each failure (so the function's Errors alarm fires).
 */
export async function run(settings: GeoIpSettings, clients: GeoIpClients, log: Log): Promise<RunResult> {
  const awsIpRanges = await refreshAwsRanges(settings, clients, log);
  const license = await readLicenseKey(settings, clients);
  if (!license.key) {
    const reason = `GeoIP enrichment is disabled: ${license.reason}. The loader indexes without geo/ASN fields until a MaxMind license key is stored.`;
    log.warn(reason);
    if (awsIpRanges.status === 'failed') throw new GeoIpDownloadError(`AWS edge ranges update failed: ${awsIpRanges.error}`);
    return { status: 'disabled', reason, awsIpRanges };
  }
  const editions: EditionOutcome[] = [];
  for (const edition of GEOIP_EDITIONS) {
    try {
      const outcome = await updateEdition(edition, license.key, settings, clients);
      log.info(outcome.status === 'uploaded' ? `${edition} updated` : `${edition} unchanged`, { ...outcome });
      editions.push(outcome);
    } catch (err) {
      const error = err instanceof GeoIpDownloadError ? err.message : `${edition}: ${(err as Error).message}`;
      log.warn(`${edition} not updated`, { error });
      editions.push({ edition, status: 'failed', error });
    }
  }
  const failed = editions.filter((e): e is Extract<EditionOutcome, { status: 'failed' }> => e.status === 'failed').map((e) => e.error);
  if (awsIpRanges.status === 'failed') failed.push(awsIpRanges.error);
  if (failed.length > 0) throw new GeoIpDownloadError(`GeoIP update failed for ${failed.join('; ')}`);
  return { status: 'done', editions, awsIpRanges };
}
