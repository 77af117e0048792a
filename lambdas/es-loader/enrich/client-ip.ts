/**
 * The client IP behind proxies (`clientip_xff = <client ip field> <x-forwarded-for field>`), as the
 * reference's siem/xff.py selects it:
 * - when the connecting address (the client ip field) is not a trusted proxy, it is the client and the
 *   X-Forwarded-For header is ignored (anyone can send one);
 * - otherwise X-Forwarded-For is walked from the right (each proxy appends the address it received the
 *   request from) and the first address that is not a trusted proxy is the client. It replaces the client
 *   ip field (so GeoIP, the IoC lookup and the dashboards see the real client) and is added to related.ip.
 * - when every address is trusted, or the header holds no address, nothing changes.
 *
 * Trusted proxies are CIDR ranges from the organization's configuration (`loader.trustedProxies`) and, as
 * the reference does, the AWS CloudFront and Global Accelerator ranges (lambdas/shared/aws-ip-ranges.ts):
 * the Lambda reads them from the object the geoip-downloader keeps in the geo bucket
 * (runtime/aws-edge-ranges.ts), `siem-load` from AWS's ip-ranges.json given with --aws-ip-ranges
 * (`awsEdgeRanges`). Matching uses Node's net.BlockList (IPv4, IPv6, IPv4-mapped IPv6); answers are memoized.
 *
 * The header value may be a string ("a, b, c", also CloudFront's URL-encoded "a,%20b"), a list of
 * addresses, or a list of `{ name, value }` headers (WAF's httpRequest.headers), where the values of every
 * X-Forwarded-For header are taken in order.
 */
import { BlockList, isIP } from 'node:net';
import { edgeRangesFromIpRanges } from '../../shared/aws-ip-ranges';
import type { Json } from '../ecs/paths';
import { getPath, isPlainObject } from '../ecs/paths';

export class TrustedProxies {
  private readonly list = new BlockList();
  private readonly memo = new Map<string, boolean>();
  readonly size: number;

  /** `cidrs`: addresses or CIDR ranges (IPv4/IPv6). Throws an Error naming the first invalid entry. */
  constructor(private readonly cidrs: readonly string[]) {
    for (const c of cidrs) addRange(this.list, c);
    this.size = cidrs.length;
  }

  /** These ranges and `more` (the AWS edge ranges added to the organization's own). */
  with(more: readonly string[]): TrustedProxies {
    return more.length ? new TrustedProxies([...this.cidrs, ...more]) : this;
  }

  isTrusted(ip: string): boolean {
    const known = this.memo.get(ip);
    if (known !== undefined) return known;
    const family = isIP(ip);
    const trusted = family !== 0 && this.list.check(ip, family === 4 ? 'ipv4' : 'ipv6');
    if (this.memo.size >= 16_384) this.memo.clear();
    this.memo.set(ip, trusted);
    return trusted;
  }

  /** The reference's select_clientip_from_xff: the client's address, or undefined when it cannot be told. */
  selectClientIp(sourceIp: string | undefined, xff: readonly string[]): string | undefined {
    if (sourceIp === undefined || !this.isTrusted(sourceIp)) return sourceIp;
    for (let i = xff.length - 1; i >= 0; i--) if (!this.isTrusted(xff[i]!)) return xff[i];
    return undefined;
  }
}

/** Adds one address or CIDR range; throws a one-line Error naming it when it is neither. */
export function addRange(list: BlockList, text: string): void {
  const m = /^\s*([^/\s]+)(?:\/(\d{1,3}))?\s*$/.exec(text);
  const family = m ? isIP(m[1]!) : 0;
  const max = family === 4 ? 32 : 128;
  const bits = m?.[2] === undefined ? max : Number(m[2]);
  if (!m || family === 0 || bits > max) throw new Error(`"${text}" is not an IPv4/IPv6 address or CIDR range (e.g. 192.0.2.0/24, 2001:db8::/32)`);
  list.addSubnet(m[1]!, bits, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * The CloudFront (also origin-facing) and Global Accelerator prefixes of AWS's ip-ranges.json
 * (https://ip-ranges.amazonaws.com/ip-ranges.json), the AWS ranges trusted as proxies: the same selection
 * and validation as the geoip-downloader's (lambdas/shared/aws-ip-ranges.ts). Throws an Error with a
 * one-line message when the text is not that file.
 */
export function awsEdgeRanges(ipRangesJson: string): string[] {
  const r = edgeRangesFromIpRanges(ipRangesJson);
  return [...r.ipv4, ...r.ipv6];
}

/** The addresses of an X-Forwarded-For value, left to right; entries that are not addresses are dropped (utils.parse_xff). */
export function xffAddresses(value: unknown): string[] {
  const out: string[] = [];
  const addText = (s: string) => {
    for (const part of s.replace(/%2C/gi, ',').replace(/%20/g, ' ').split(',')) {
      const ip = part.trim();
      if (isIP(ip)) out.push(ip);
    }
  };
  if (typeof value === 'string') addText(value);
  else if (Array.isArray(value))
    for (const e of value) {
      if (typeof e === 'string') addText(e);
      else if (isPlainObject(e) && typeof e.name === 'string' && e.name.toLowerCase() === 'x-forwarded-for' && typeof e.value === 'string') addText(e.value);
    }
  return out;
}

export interface ClientIpXff {
  /** The client ip field, e.g. ['source', 'ip']. */
  clientIp: string[];
  /** The X-Forwarded-For field (a document path: an ECS field or an original field). */
  xff: string[];
}

/** Applies `clientip_xff` to a document. Returns the selected client IP when it replaced the field. */
export function enrichClientIp(doc: Json, conf: ClientIpXff, trusted: TrustedProxies): string | undefined {
  const xff = xffAddresses(getPath(doc, conf.xff));
  if (xff.length === 0) return undefined;
  const source = getPath(doc, conf.clientIp);
  const sourceIp = typeof source === 'string' ? source : undefined;
  const client = trusted.selectClientIp(sourceIp, xff);
  if (client === undefined || client === sourceIp) return undefined;
  let parent: Json = doc;
  for (const k of conf.clientIp.slice(0, -1)) {
    const next = parent[k];
    if (!isPlainObject(next)) return undefined;
    parent = next;
  }
  parent[conf.clientIp[conf.clientIp.length - 1]!] = client;
  const related = isPlainObject(doc.related) ? doc.related : undefined;
  if (related && Array.isArray(related.ip) && !related.ip.includes(client)) related.ip = [...related.ip, client].sort();
  return client;
}
