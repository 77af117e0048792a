/**
 * Reader of the IoC database (format.ts): loaded once per container, then answers `matchIp` and
 * `matchDomain` without allocating on a miss. What it returns is what the loader needs for
 * `threat.matched.*` and `threat.enrichments` (see threat.ts).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { lookupForm } from './domain';
import { fnv1a, IOC_FORMAT_VERSION, IOC_MAGIC, IOC_PREAMBLE_BYTES, IOC_SECTIONS, IOC_TRAILER_BYTES, type IocHeader, type IocMeta, type IocSection } from './format';
import { mappedIpv4, parseIpv4, parseIpv6 } from './ip';

export type IocDatabaseProblem = 'not-ioc-database' | 'unsupported-version' | 'truncated' | 'checksum-mismatch' | 'corrupt' | 'unreadable';

/** The database cannot be used. One line for the loader to log once; enrichment then stays off. */
export class IocDatabaseError extends Error {
  constructor(
    readonly source: string,
    readonly problem: IocDatabaseProblem,
    /** What is wrong, without the source and the consequence (`SHA-256 mismatch (the file is damaged)`). */
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${source}: ${detail}; IoC enrichment is off until a valid database is available (rebuild it with the ioc-downloader or \`npm run ioc -- build\`)`, options);
    this.name = 'IocDatabaseError';
  }
}

/** One matching indicator's metadata (shared, frozen: do not mutate). */
export type IocMatch = IocMeta;

/** A domain indicator that matched a looked-up name (itself or one of its parent domains). */
export interface DomainHit {
  /** The indicator as listed (`evil.com` for a lookup of `a.evil.com`). */
  readonly domain: string;
  readonly matches: readonly IocMatch[];
}

const NONE: readonly never[] = Object.freeze([]);

export class IocDatabase {
  readonly header: IocHeader;
  private readonly v4Start: Uint32Array;
  private readonly v4End: Uint32Array;
  private readonly v4Set: Uint32Array;
  private readonly v6Start: Uint32Array;
  private readonly v6End: Uint32Array;
  private readonly v6Set: Uint32Array;
  private readonly domainOffsets: Uint32Array;
  private readonly domainSet: Uint32Array;
  private readonly domainBytes: Buffer;
  private readonly sets: readonly (readonly IocMatch[])[];
  private readonly table: Int32Array;
  private readonly mask: number;
  private readonly words = new Uint32Array(4);
  /** First IPv4 range starting in each /16 (65,537 entries): a lookup binary-searches one /16's ranges only. */
  private readonly v4Index: Uint32Array;
  /**
   * One bit per IPv4 /24 (2 MiB): set when some range touches it. Most lookups miss (a flow log's peers are
   * rarely listed): a clear bit answers them with one read instead of the /16 index and a binary search
   * over the ranges (several reads far apart in 10 MB of arrays; bench:enrich).
   */
  private readonly v4Slash24: Uint8Array;

  /** Opens a database held in memory; throws IocDatabaseError naming `source` when it is not a valid one. */
  static fromBuffer(buf: Buffer, source = 'IoC database'): IocDatabase {
    return new IocDatabase(buf, source);
  }

  static async load(file: string): Promise<IocDatabase> {
    let buf: Buffer;
    try {
      buf = await readFile(file);
    } catch (err) {
      throw new IocDatabaseError(file, 'unreadable', `cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { cause: err });
    }
    return new IocDatabase(buf, file);
  }

  private constructor(buf: Buffer, source: string) {
    const fail: (problem: IocDatabaseProblem, detail: string) => never = (problem, detail) => {
      throw new IocDatabaseError(source, problem, detail);
    };
    if (buf.length < IOC_PREAMBLE_BYTES || buf.toString('latin1', 0, 8) !== IOC_MAGIC) fail('not-ioc-database', 'not an IoC database (wrong magic bytes)');
    const version = buf.readUInt32LE(8);
    if (version !== IOC_FORMAT_VERSION) fail('unsupported-version', `format version ${version} is not supported (this loader reads version ${IOC_FORMAT_VERSION})`);
    const headerLength = buf.readUInt32LE(12);
    if (buf.length < IOC_PREAMBLE_BYTES + headerLength + IOC_TRAILER_BYTES) fail('truncated', `truncated (${buf.length} bytes)`);
    let header: IocHeader;
    try {
      header = JSON.parse(buf.toString('utf8', IOC_PREAMBLE_BYTES, IOC_PREAMBLE_BYTES + headerLength)) as IocHeader;
    } catch {
      throw new IocDatabaseError(source, 'corrupt', 'the header is not valid JSON');
    }
    const bodyStart = IOC_PREAMBLE_BYTES + headerLength;
    let bodyLength = 0;
    for (const s of IOC_SECTIONS) {
      const n = header.sections?.[s];
      if (!Number.isInteger(n) || n < 0 || n % 4 !== 0) fail('corrupt', `section ${s} has an invalid length`);
      bodyLength += n;
    }
    const expected = bodyStart + bodyLength + IOC_TRAILER_BYTES;
    if (buf.length < expected) fail('truncated', `truncated (${buf.length} of ${expected} bytes)`);
    if (buf.length > expected) fail('corrupt', `${buf.length - expected} unexpected bytes at the end`);
    const digest = createHash('sha256').update(buf.subarray(0, expected - IOC_TRAILER_BYTES)).digest();
    if (!digest.equals(buf.subarray(expected - IOC_TRAILER_BYTES))) fail('checksum-mismatch', 'SHA-256 mismatch (the file is damaged)');
    if (endianness() !== 'LE') fail('corrupt', 'this machine is big-endian; the database is little-endian');
    this.header = header;

    // Typed arrays need 4-byte alignment; a Buffer from a pool may not have it.
    const body = buf.byteOffset % 4 === 0 ? buf : Buffer.from(buf);
    const arrays = {} as Record<IocSection, Uint32Array>;
    let at = body.byteOffset + bodyStart;
    for (const s of IOC_SECTIONS) {
      arrays[s] = new Uint32Array(body.buffer, at, header.sections[s] / 4);
      at += header.sections[s];
    }
    this.v4Start = arrays.v4Start;
    this.v4End = arrays.v4End;
    this.v4Set = arrays.v4Set;
    this.v6Start = arrays.v6Start;
    this.v6End = arrays.v6End;
    this.v6Set = arrays.v6Set;
    this.domainOffsets = arrays.domainOffsets;
    this.domainSet = arrays.domainSet;
    this.domainBytes = Buffer.from(arrays.domainBytes.buffer, arrays.domainBytes.byteOffset, arrays.domainBytes.byteLength);

    const metas = header.metas.map(([provider, type, name, labels]) => Object.freeze({ provider, type, ...(name !== null ? { name } : {}), ...(labels ? { labels: Object.freeze([...labels]) } : {}) }) as IocMatch);
    const off = arrays.setOffsets;
    const members = arrays.setMembers;
    const sets: (readonly IocMatch[])[] = [];
    for (let i = 0; i + 1 < off.length; i++) {
      const list: IocMatch[] = [];
      for (let k = off[i]!; k < off[i + 1]!; k++) {
        const m = metas[members[k]!];
        if (!m) fail('corrupt', `set ${i} refers to unknown metadata ${members[k]}`);
        list.push(m!);
      }
      sets.push(Object.freeze(list));
    }
    this.sets = sets;
    const nd = this.domainSet.length;
    if (this.domainOffsets.length !== nd + 1 || this.v4Start.length !== this.v4Set.length || this.v6Start.length !== 4 * this.v6Set.length) fail('corrupt', 'section sizes do not agree');
    for (const a of [this.v4Set, this.v6Set, this.domainSet]) for (let i = 0; i < a.length; i++) if (a[i]! >= sets.length) fail('corrupt', 'an indicator refers to an unknown set');

    for (let i = 1; i < this.v4Start.length; i++) if (this.v4Start[i]! <= this.v4End[i - 1]!) fail('corrupt', 'IPv4 ranges are not sorted and disjoint');
    this.v4Slash24 = new Uint8Array(1 << 21);
    for (let i = 0; i < this.v4Start.length; i++) {
      const last = this.v4End[i]! >>> 8;
      for (let b = this.v4Start[i]! >>> 8; b <= last; b++) this.v4Slash24[b >>> 3]! |= 1 << (b & 7);
    }
    this.v4Index = new Uint32Array(65537);
    for (let p = 0, i = 0; p <= 65536; p++) {
      while (i < this.v4Start.length && this.v4Start[i]! >>> 16 < p) i++;
      this.v4Index[p] = i;
    }

    // Open-addressing hash table over the domains, built at load (about 8 bytes per domain).
    let size = 16;
    while (size < nd * 2) size *= 2;
    this.mask = size - 1;
    this.table = new Int32Array(size).fill(-1);
    const bytes = this.domainBytes.toString('latin1', 0, this.domainOffsets[nd] ?? 0);
    for (let i = 0; i < nd; i++) {
      let slot = fnv1a(bytes, this.domainOffsets[i]!, this.domainOffsets[i + 1]!) & this.mask;
      while (this.table[slot] !== -1) slot = (slot + 1) & this.mask;
      this.table[slot] = i;
    }
  }

  /**
   * Every indicator whose address or CIDR range contains `ip` (IPv4 or IPv6, an IPv4-mapped IPv6
   * address counts as its IPv4 address), all providers' included. Empty for a miss or a non-address.
   */
  matchIp(ip: string): readonly IocMatch[] {
    if (ip.indexOf(':') < 0) {
      const v = parseIpv4(ip);
      return v < 0 ? NONE : this.matchV4(v);
    }
    const w = this.words;
    if (!parseIpv6(ip, w)) return NONE;
    const mapped = mappedIpv4(w);
    if (mapped >= 0) return this.matchV4(mapped);
    const starts = this.v6Start;
    let lo = 0;
    let hi = this.v6Set.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(starts, mid * 4, w) <= 0) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0 || compare(this.v6End, found * 4, w) < 0) return NONE;
    return this.sets[this.v6Set[found]!]!;
  }

  private matchV4(v: number): readonly IocMatch[] {
    const b = v >>> 8;
    if ((this.v4Slash24[b >>> 3]! & (1 << (b & 7))) === 0) return NONE;
    const starts = this.v4Start;
    const p = v >>> 16;
    let lo = this.v4Index[p]!;
    let hi = this.v4Index[p + 1]! - 1;
    // Without a range starting at or before v in its /16, the candidate is the last range before it.
    let found = lo - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! <= v) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0 || this.v4End[found]! < v) return NONE;
    return this.sets[this.v4Set[found]!]!;
  }

  /** Domain indicators equal to `name` or to one of its parent domains (`a.b.evil.com` → `b.evil.com`, `evil.com`). */
  matchDomain(name: string): readonly DomainHit[] {
    const n = lookupForm(name);
    if (n === undefined || n.length === 0 || this.domainSet.length === 0) return NONE;
    let end = n.length;
    if (n.charCodeAt(end - 1) === 46) end--;
    let hits: DomainHit[] | undefined;
    let from = 0;
    for (;;) {
      const dot = n.indexOf('.', from);
      if (dot < 0 || dot >= end) break; // a single label is never an indicator
      const i = this.find(n, from, end);
      if (i >= 0) (hits ??= []).push({ domain: n.slice(from, end), matches: this.sets[this.domainSet[i]!]! });
      from = dot + 1;
    }
    return hits ?? NONE;
  }

  private find(s: string, from: number, to: number): number {
    const len = to - from;
    let slot = fnv1a(s, from, to) & this.mask;
    const bytes = this.domainBytes;
    for (;;) {
      const i = this.table[slot]!;
      if (i < 0) return -1;
      const o = this.domainOffsets[i]!;
      if (this.domainOffsets[i + 1]! - o === len) {
        let k = 0;
        while (k < len && bytes[o + k] === s.charCodeAt(from + k)) k++;
        if (k === len) return i;
      }
      slot = (slot + 1) & this.mask;
    }
  }
}

/**
 * The loader's way in: the database at `file`, or undefined when there is none (no enrichment, not an
 * error) or it is unusable (`warn` is called once with the one-line reason).
 */
export async function openIocDatabase(file: string, warn: (message: string) => void): Promise<IocDatabase | undefined> {
  try {
    return await IocDatabase.load(file);
  } catch (err) {
    if (!(err instanceof IocDatabaseError)) throw err;
    if (err.problem === 'unreadable' && (err.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return undefined;
    warn(err.message);
    return undefined;
  }
}

/** Compares the 4-word value at `a[at..at+4]` with `w`. */
function compare(a: Uint32Array, at: number, w: Uint32Array): number {
  for (let k = 0; k < 4; k++) {
    const x = a[at + k]!;
    const y = w[k]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
