/**
 * The AWS ranges the loader trusts as proxies for `clientip_xff` (enrich/client-ip.ts): the CloudFront
 * and Global Accelerator prefixes of AWS's ip-ranges.json (https://ip-ranges.amazonaws.com/ip-ranges.json,
 * https://docs.aws.amazon.com/vpc/latest/userguide/aws-ip-ranges.html).
 *
 * The reference's geoip-downloader keeps the prefixes of services CLOUDFRONT and GLOBALACCELERATOR in its
 * trusted-proxy database. We also keep CLOUDFRONT_ORIGIN_FACING: the addresses CloudFront connects to
 * origins from, i.e. the connecting address an ALB behind CloudFront logs (docs/log-types.md, clientip_xff).
 *
 * The geoip-downloader (lambdas/geoip-downloader) fetches the file and stores the compact form below in
 * the geo bucket; the loader (es-loader runtime/aws-edge-ranges.ts) and `siem-load --aws-ip-ranges`
 * read it. One place for both sides: the services, the object key, the limits and the validation.
 */
import { isIP } from 'node:net';

/** Where AWS publishes its ranges (the downloader's default; AWS_IP_RANGES_URL overrides it). */
export const AWS_IP_RANGES_URL = 'https://ip-ranges.amazonaws.com/ip-ranges.json';
/** The compact object in the geo bucket. */
export const AWS_EDGE_RANGES_KEY = 'TrustedProxy/aws-edge-ranges.json';
/** Object metadata (`x-amz-meta-sha256`): SHA-256 of the object's content, compared before uploading again. */
export const AWS_EDGE_RANGES_SHA256_METADATA = 'sha256';
/** The services whose prefixes are trusted. */
export const AWS_EDGE_SERVICES: readonly string[] = ['CLOUDFRONT', 'CLOUDFRONT_ORIGIN_FACING', 'GLOBALACCELERATOR'];
/** ip-ranges.json is about 2 MB (2026); a larger answer is not that file. */
export const MAX_IP_RANGES_BYTES = 16 * 1024 * 1024;

/** The compact object: trusted prefixes, sorted and without duplicates, so its bytes change only when they do. */
export interface AwsEdgeRanges {
  readonly version: 1;
  readonly services: readonly string[];
  readonly ipv4: readonly string[];
  readonly ipv6: readonly string[];
}

export class AwsIpRangesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AwsIpRangesError';
  }
}

/** The IP family (4 or 6) of a CIDR range such as 130.176.0.0/16 or 2600:9000::/28; 0 when it is not one. */
export function cidrFamily(text: unknown): 0 | 4 | 6 {
  if (typeof text !== 'string') return 0;
  const m = /^([^/\s]+)\/(\d{1,3})$/.exec(text);
  if (!m) return 0;
  const family = isIP(m[1]!);
  if (family === 0 || Number(m[2]) > (family === 4 ? 32 : 128)) return 0;
  return family as 4 | 6;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The trusted prefixes of an ip-ranges.json text. Throws an AwsIpRangesError whose one-line message says
 * what is wrong: not JSON (a truncated download), not that file's shape, a trusted prefix that is not a
 * CIDR range, or no trusted prefix at all (AWS always publishes some: such a file is not to be trusted).
 */
export function edgeRangesFromIpRanges(text: string): AwsEdgeRanges {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new AwsIpRangesError(`not JSON (${(err as Error).message})`);
  }
  if (!isObject(data) || !Array.isArray(data.prefixes)) throw new AwsIpRangesError('not AWS ip-ranges.json: no "prefixes" list');
  if (data.ipv6_prefixes !== undefined && !Array.isArray(data.ipv6_prefixes)) throw new AwsIpRangesError('not AWS ip-ranges.json: "ipv6_prefixes" is not a list');
  const ipv4 = new Set<string>();
  const ipv6 = new Set<string>();
  const take = (list: unknown[], field: 'ip_prefix' | 'ipv6_prefix', family: 4 | 6, out: Set<string>) => {
    list.forEach((p, i) => {
      if (!isObject(p) || typeof p.service !== 'string' || !AWS_EDGE_SERVICES.includes(p.service)) return;
      const prefix = p[field];
      if (cidrFamily(prefix) !== family) throw new AwsIpRangesError(`${field === 'ip_prefix' ? 'prefixes' : 'ipv6_prefixes'}[${i}] (${p.service}): ${JSON.stringify(prefix)} is not an IPv${family} CIDR range`);
      out.add(prefix as string);
    });
  };
  take(data.prefixes, 'ip_prefix', 4, ipv4);
  take((data.ipv6_prefixes as unknown[] | undefined) ?? [], 'ipv6_prefix', 6, ipv6);
  if (ipv4.size + ipv6.size === 0) throw new AwsIpRangesError(`no prefix of ${AWS_EDGE_SERVICES.join(', ')}`);
  return { version: 1, services: [...AWS_EDGE_SERVICES], ipv4: [...ipv4].sort(), ipv6: [...ipv6].sort() };
}

/** The object's text: deterministic, one line per family. */
export function edgeRangesJson(r: AwsEdgeRanges): string {
  return `{\n  "version": 1,\n  "services": ${JSON.stringify(r.services)},\n  "ipv4": ${JSON.stringify(r.ipv4)},\n  "ipv6": ${JSON.stringify(r.ipv6)}\n}\n`;
}

/** Reads the compact object back; throws an AwsIpRangesError naming what is wrong. */
export function parseEdgeRanges(text: string): AwsEdgeRanges {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new AwsIpRangesError(`not JSON (${(err as Error).message})`);
  }
  if (!isObject(data) || data.version !== 1) throw new AwsIpRangesError('not a version 1 AWS edge ranges object (the geoip-downloader writes it)');
  const list = (name: 'ipv4' | 'ipv6', family: 4 | 6): string[] => {
    const v = data[name];
    if (!Array.isArray(v)) throw new AwsIpRangesError(`"${name}" is not a list`);
    v.forEach((c, i) => {
      if (cidrFamily(c) !== family) throw new AwsIpRangesError(`${name}[${i}]: ${JSON.stringify(c)} is not an IPv${family} CIDR range`);
    });
    return v as string[];
  };
  const services = Array.isArray(data.services) ? data.services.filter((s): s is string => typeof s === 'string') : [];
  return { version: 1, services, ipv4: list('ipv4', 4), ipv6: list('ipv6', 6) };
}
