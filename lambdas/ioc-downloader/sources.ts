/**
 * Parsers of the IoC sources, with validation. Each returns the indicators it accepted (deduplicated
 * within the source) and what it skipped, with where (line / entry) and why; a source as a whole fails
 * (SourceError) when it is too large, not in its format, or yields no valid indicator at all (an HTML
 * error page served with status 200 must not replace yesterday's list with nothing).
 *
 * Providers, types and names follow the reference's ioc_database Lambda (`threat.matched.*`):
 *   Tor exit list   provider torproject.org, name TOR (https://check.torproject.org/exit-addresses)
 *   Feodo Tracker   provider abuse.ch, name = the malware family (ipblocklist.json / .csv; .txt has no family)
 *   AlienVault OTX  provider AlienVault_OTX, name = the pulse name (indicator types IPv4, IPv6, CIDR, domain, hostname)
 *   custom TXT      provider = folder under IOC/TXT/ (or custom), name = the file name
 *   custom STIX 2.x provider = folder under IOC/STIX2/ (or custom), name = `<file>: <indicator name>`
 */
import { IocDatabaseBuilder } from '../shared/ioc/builder';
import { normalizeDomain } from '../shared/ioc/domain';
import type { IocMeta, IocType } from '../shared/ioc/format';
import { formatIpv4, formatIpv6, parseNetwork, type Network } from '../shared/ioc/ip';

export const TOR_PROVIDER = 'torproject.org';
export const FEODO_PROVIDER = 'abuse.ch';
export const OTX_PROVIDER = 'AlienVault_OTX';

/** Defaults of the limits (the reference's MAX_OBJ_SIZE_MB is 100). */
export const DEFAULT_LIMITS: SourceLimits = { maxBytes: 100 * 1024 * 1024, maxIndicators: 2_000_000, maxLineLength: 4096 };

export interface SourceLimits {
  readonly maxBytes: number;
  readonly maxIndicators: number;
  readonly maxLineLength: number;
}

export class SourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceError';
  }
}

export type ParsedIndicator = { readonly net: Network; readonly meta: IocMeta } | { readonly domain: string; readonly meta: IocMeta };

export interface Skip {
  /** `line 12`, `entry 3`, `pulse "x" indicator 4`, `object 7`. */
  readonly at: string;
  readonly reason: string;
}

/** At most this many skips are kept with their location; all are counted. */
export const SKIP_EXAMPLES = 20;

export interface ParsedSource {
  readonly source: string;
  readonly indicators: ParsedIndicator[];
  readonly counts: { ipv4: number; ipv6: number; domains: number; skipped: number; ignored: number };
  /** The first SKIP_EXAMPLES skips. */
  readonly skips: Skip[];
}

/** Collects a source's indicators: validation, deduplication, counts. */
class Collector {
  readonly result: ParsedSource;
  private readonly seen = new Set<string>();
  private readonly metaIds = new Map<IocMeta, number>();
  constructor(
    source: string,
    private readonly limits: SourceLimits,
  ) {
    this.result = { source, indicators: [], counts: { ipv4: 0, ipv6: 0, domains: 0, skipped: 0, ignored: 0 }, skips: [] };
  }
  skip(at: string, reason: string): void {
    this.result.counts.skipped++;
    if (this.result.skips.length < SKIP_EXAMPLES) this.result.skips.push({ at, reason });
  }
  ignore(): void {
    this.result.counts.ignored++;
  }
  private id(meta: IocMeta): number {
    let id = this.metaIds.get(meta);
    if (id === undefined) this.metaIds.set(meta, (id = this.metaIds.size));
    return id;
  }
  private full(): void {
    const c = this.result.counts;
    if (c.ipv4 + c.ipv6 + c.domains >= this.limits.maxIndicators) throw new SourceError(`${this.result.source}: more than ${this.limits.maxIndicators} indicators; raise the limit or split the source`);
  }
  /** An IP or CIDR; `meta` for v4 and v6 chosen by version. Returns false (and records the skip) when invalid. */
  ip(text: string, at: string, meta: (type: IocType) => IocMeta, expect?: 4 | 6): boolean {
    const net = parseNetwork(text);
    if (typeof net === 'string') return this.skip(at, `${net}: ${JSON.stringify(clip(text))}`), false;
    if (expect && net.version !== expect) return this.skip(at, `not an IPv${expect} address: ${JSON.stringify(clip(text))}`), false;
    const m = meta(net.version === 4 ? 'ipv4-addr' : 'ipv6-addr');
    const key = `${this.id(m)}|${net.version === 4 ? `${formatIpv4(net.start)}-${formatIpv4(net.end)}` : `${formatIpv6(net.start)}-${formatIpv6(net.end)}`}`;
    if (this.seen.has(key)) return true;
    this.full();
    this.seen.add(key);
    this.result.indicators.push({ net, meta: m });
    if (net.version === 4) this.result.counts.ipv4++;
    else this.result.counts.ipv6++;
    return true;
  }
  domain(text: string, at: string, meta: IocMeta): boolean {
    const d = normalizeDomain(text);
    if (d.startsWith('!')) return this.skip(at, `${d.slice(1)}: ${JSON.stringify(clip(text))}`), false;
    const key = `${this.id(meta)}|${d}`;
    if (this.seen.has(key)) return true;
    this.full();
    this.seen.add(key);
    this.result.indicators.push({ domain: d, meta });
    this.result.counts.domains++;
    return true;
  }
  /** The result; a source with lines but no valid indicator is refused, an empty one too when `nonEmpty` (the public feeds are never empty). */
  done(nonEmpty = false): ParsedSource {
    const c = this.result.counts;
    if (nonEmpty && c.ipv4 + c.ipv6 + c.domains + c.skipped === 0) throw new SourceError(`${this.result.source}: no indicator at all (empty)`);
    if (c.ipv4 + c.ipv6 + c.domains === 0 && c.skipped > 0) {
      const first = this.result.skips[0]!;
      throw new SourceError(`${this.result.source}: no valid indicator (${c.skipped} skipped; first at ${first.at}: ${first.reason})`);
    }
    return this.result;
  }
}

function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function checkSize(source: string, text: string, limits: SourceLimits): void {
  if (Buffer.byteLength(text) > limits.maxBytes) throw new SourceError(`${source}: larger than ${limits.maxBytes} bytes; raise the limit or split the source`);
}

/** Calls `fn` for each line (1-based numbers); over-long lines are skipped by the collector. */
function eachLine(text: string, c: Collector, limits: SourceLimits, fn: (line: string, at: string) => void): void {
  let start = 0;
  let no = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    no++;
    const raw = text.slice(start, end);
    start = end + 1;
    if (raw.length > limits.maxLineLength) {
      c.skip(`line ${no}`, `line longer than ${limits.maxLineLength} characters`);
      continue;
    }
    const line = raw.trim();
    if (line.length > 0) fn(line, `line ${no}`);
    if (end === text.length) break;
  }
}

function parseJson(source: string, text: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new SourceError(`${source}: not valid JSON (${(err as Error).message})`);
  }
}

/**
 * Tor's exit list: `ExitNode/Published/LastStatus/ExitAddress` records (check.torproject.org/exit-addresses),
 * or one address per line (torbulkexitlist).
 */
export function parseTor(text: string, source = 'tor', limits = DEFAULT_LIMITS): ParsedSource {
  checkSize(source, text, limits);
  const c = new Collector(source, limits);
  const metas = { 'ipv4-addr': { provider: TOR_PROVIDER, type: 'ipv4-addr', name: 'TOR' }, 'ipv6-addr': { provider: TOR_PROVIDER, type: 'ipv6-addr', name: 'TOR' } } as Record<IocType, IocMeta>;
  eachLine(text, c, limits, (line, at) => {
    if (line.startsWith('#')) return;
    const f = line.split(/\s+/);
    if (f[0] === 'ExitNode' || f[0] === 'Published' || f[0] === 'LastStatus') return;
    if (f[0] === 'ExitAddress') {
      if (f.length < 2) return c.skip(at, 'ExitAddress without an address');
      c.ip(f[1]!, at, (t) => metas[t]);
      return;
    }
    if (f.length === 1) c.ip(f[0]!, at, (t) => metas[t]);
    else c.skip(at, `not an exit-list line: ${JSON.stringify(clip(line))}`);
  });
  return c.done(true);
}

/**
 * abuse.ch Feodo Tracker IP blocklist in any of its download forms: `ipblocklist.json` (what the
 * reference downloads: [{ip_address, malware, ...}]), `ipblocklist.csv` (`#` comments, header
 * "first_seen_utc","dst_ip","dst_port","c2_status","last_online","malware") or `ipblocklist.txt`.
 */
export function parseFeodo(text: string, source = 'feodo', limits = DEFAULT_LIMITS): ParsedSource {
  checkSize(source, text, limits);
  const c = new Collector(source, limits);
  const byName = new Map<string, IocMeta>();
  const meta = (name: string) => {
    let m = byName.get(name);
    if (!m) byName.set(name, (m = { provider: FEODO_PROVIDER, type: 'ipv4-addr', name }));
    return m;
  };
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    const data = parseJson(source, text);
    if (!Array.isArray(data)) throw new SourceError(`${source}: expected a JSON array of {"ip_address", "malware"} entries`);
    data.forEach((e: unknown, i) => {
      const at = `entry ${i + 1}`;
      const o = e as { ip_address?: unknown; malware?: unknown };
      if (typeof o !== 'object' || o === null || typeof o.ip_address !== 'string') return c.skip(at, 'no "ip_address" string');
      c.ip(o.ip_address, at, () => meta(typeof o.malware === 'string' && o.malware ? o.malware : 'Feodo Tracker'), 4);
    });
    return c.done(true);
  }
  let ipCol = -1;
  let malwareCol = -1;
  eachLine(text, c, limits, (line, at) => {
    // The header comes commented (`# "first_seen_utc","dst_ip",...`) in the published file.
    if (line.startsWith('#') && !line.includes('"dst_ip"')) return;
    if (line.includes(',')) {
      const cols = line.replace(/^#\s*/, '').split(',').map((x) => x.trim().replace(/^"(.*)"$/, '$1'));
      if (cols.includes('dst_ip')) {
        ipCol = cols.indexOf('dst_ip');
        malwareCol = cols.indexOf('malware');
        return;
      }
      // Without a header line, the columns of today's CSV.
      const ip = cols[ipCol >= 0 ? ipCol : 1];
      if (ip === undefined) return c.skip(at, `no dst_ip column: ${JSON.stringify(clip(line))}`);
      const malware = cols[malwareCol >= 0 ? malwareCol : 5];
      c.ip(ip, at, () => meta(malware || 'Feodo Tracker'), 4);
      return;
    }
    c.ip(line, at, () => meta('Feodo Tracker'), 4);
  });
  return c.done(true);
}

interface OtxPulse {
  id?: unknown;
  name?: unknown;
  indicators?: unknown;
}

const OTX_TYPES: Record<string, 'ip' | 'domain'> = { IPv4: 'ip', IPv6: 'ip', CIDR: 'ip', domain: 'domain', hostname: 'domain' };

/**
 * AlienVault OTX pulses as the API returns them: one pulse (`/api/v1/pulses/<id>`), an array of pulses,
 * or a page of `/api/v1/pulses/subscribed` (`{"results": [pulse...]}`). Indicator types other than
 * IPv4, IPv6, CIDR, domain and hostname (URLs, file hashes, ...) are ignored, not skipped.
 */
export function parseOtx(input: string | unknown[], source = 'otx', limits = DEFAULT_LIMITS): ParsedSource {
  let pulses: unknown[];
  if (typeof input === 'string') {
    checkSize(source, input, limits);
    const data = parseJson(source, input) as { results?: unknown; indicators?: unknown } | unknown[];
    if (Array.isArray(data)) pulses = data;
    else if (data && typeof data === 'object' && Array.isArray(data.results)) pulses = data.results;
    else if (data && typeof data === 'object' && Array.isArray(data.indicators)) pulses = [data];
    else throw new SourceError(`${source}: expected an OTX pulse, an array of pulses or {"results": [pulses]}`);
  } else pulses = input;
  const c = new Collector(source, limits);
  pulses.forEach((p, i) => {
    const pulse = p as OtxPulse;
    const label = typeof pulse?.name === 'string' ? `pulse ${JSON.stringify(clip(pulse.name))}` : `pulse ${i + 1}`;
    if (typeof pulse !== 'object' || pulse === null || !Array.isArray(pulse.indicators)) return c.skip(label, 'no "indicators" array');
    const name = typeof pulse.name === 'string' && pulse.name ? pulse.name : typeof pulse.id === 'string' ? pulse.id : 'OTX pulse';
    const metas: Record<IocType, IocMeta> = {
      'ipv4-addr': { provider: OTX_PROVIDER, type: 'ipv4-addr', name },
      'ipv6-addr': { provider: OTX_PROVIDER, type: 'ipv6-addr', name },
      'domain-name': { provider: OTX_PROVIDER, type: 'domain-name', name },
    };
    (pulse.indicators as unknown[]).forEach((ind, k) => {
      const at = `${label} indicator ${k + 1}`;
      const o = ind as { indicator?: unknown; type?: unknown };
      const kind = typeof o?.type === 'string' ? OTX_TYPES[o.type] : undefined;
      if (!kind) return c.ignore();
      if (typeof o.indicator !== 'string') return c.skip(at, 'no "indicator" string');
      if (kind === 'ip') c.ip(o.indicator, at, (t) => metas[t], o.type === 'IPv4' ? 4 : o.type === 'IPv6' ? 6 : undefined);
      else c.domain(o.indicator, at, metas['domain-name']);
    });
  });
  return c.done();
}

/** Provider and name of a custom file (reference: `IOC/TXT/<provider>/<file>`, else provider `custom`). */
export interface CustomOrigin {
  readonly provider: string;
  readonly name: string;
}

/** The user's own list: one IP, CIDR or domain per line; `#` starts a comment. */
export function parseCustomTxt(text: string, source: string, origin: CustomOrigin, limits = DEFAULT_LIMITS): ParsedSource {
  checkSize(source, text, limits);
  const c = new Collector(source, limits);
  const metas: Record<IocType, IocMeta> = {
    'ipv4-addr': { provider: origin.provider, type: 'ipv4-addr', name: origin.name },
    'ipv6-addr': { provider: origin.provider, type: 'ipv6-addr', name: origin.name },
    'domain-name': { provider: origin.provider, type: 'domain-name', name: origin.name },
  };
  eachLine(text.replace(/^\uFEFF/, ''), c, limits, (line, at) => {
    const hash = line.indexOf('#');
    const value = (hash >= 0 ? line.slice(0, hash) : line).trim();
    if (!value) return;
    if (/\s/.test(value)) return c.skip(at, `more than one value on the line: ${JSON.stringify(clip(value))}`);
    // Digits, dots, colons and a slash only: meant as an address, so an address error is the right one.
    if (/^[0-9a-fA-F.:/]+$/.test(value) && (value.includes(':') || /^[0-9./]+$/.test(value))) c.ip(value, at, (t) => metas[t]);
    else c.domain(value, at, metas['domain-name']);
  });
  return c.done();
}

const STIX_COMPARISON = /(ipv4-addr|ipv6-addr|domain-name):value\s*(?:=|ISSUBSET)\s*'((?:[^'\\]|\\.)*)'/g;

/**
 * A STIX 2.x bundle: `indicator` objects whose pattern compares ipv4-addr, ipv6-addr or domain-name
 * values (`[ipv4-addr:value = '1.2.3.4']`, `ISSUBSET '10.0.0.0/8'`, several joined by OR). Other
 * objects and patterns (file hashes, URLs) are ignored; a bad value is skipped with its object number.
 */
export function parseStix(text: string, source: string, origin: CustomOrigin, limits = DEFAULT_LIMITS): ParsedSource {
  checkSize(source, text, limits);
  const bundle = parseJson(source, text) as { type?: unknown; objects?: unknown };
  if (!bundle || typeof bundle !== 'object' || !Array.isArray(bundle.objects)) throw new SourceError(`${source}: not a STIX 2.x bundle (no "objects" array)`);
  const c = new Collector(source, limits);
  const metas = new Map<string, IocMeta>();
  (bundle.objects as unknown[]).forEach((obj, i) => {
    const o = obj as { type?: unknown; id?: unknown; name?: unknown; pattern?: unknown; pattern_type?: unknown; indicator_types?: unknown; labels?: unknown };
    if (!o || typeof o !== 'object' || o.type !== 'indicator') return;
    const at = `object ${i + 1}${typeof o.id === 'string' ? ` (${clip(o.id)})` : ''}`;
    if (o.pattern_type !== undefined && o.pattern_type !== 'stix') return c.ignore();
    if (typeof o.pattern !== 'string') return c.skip(at, 'indicator without a "pattern" string');
    const name = typeof o.name === 'string' && o.name ? `${origin.name}: ${o.name}` : origin.name;
    const types = Array.isArray(o.indicator_types) ? o.indicator_types : Array.isArray(o.labels) ? o.labels : [];
    const labels = types.filter((t): t is string => typeof t === 'string');
    const meta = (type: IocType) => {
      const key = JSON.stringify([type, name, labels]);
      let m = metas.get(key);
      if (!m) metas.set(key, (m = { provider: origin.provider, type, name, ...(labels.length > 0 ? { labels } : {}) }));
      return m;
    };
    let found = false;
    for (const [, type, raw] of o.pattern.matchAll(STIX_COMPARISON)) {
      found = true;
      const value = raw!.replace(/\\(.)/g, '$1');
      if (type === 'domain-name') c.domain(value, at, meta('domain-name'));
      else c.ip(value, at, meta, type === 'ipv4-addr' ? 4 : 6);
    }
    if (!found) c.ignore();
  });
  return c.done();
}

/** Adds parsed sources to a database builder, recording each source's counts in the header. */
export function addSources(builder: IocDatabaseBuilder, sources: readonly ParsedSource[]): void {
  for (const s of sources) {
    const ids = new Map<IocMeta, number>();
    for (const ind of s.indicators) {
      let id = ids.get(ind.meta);
      if (id === undefined) ids.set(ind.meta, (id = builder.meta(ind.meta)));
      if ('net' in ind) builder.addNetwork(ind.net, id);
      else builder.addDomain(ind.domain, id);
    }
    builder.setSourceCounts(s.source, { ipv4: s.counts.ipv4, ipv6: s.counts.ipv6, domains: s.counts.domains, skipped: s.counts.skipped });
  }
}

/** Builds the database from parsed sources. */
export function buildDatabase(sources: readonly ParsedSource[], builtAt = new Date()): Buffer {
  const b = new IocDatabaseBuilder();
  addSources(b, sources);
  return b.build(builtAt);
}
