/**
 * Writes the IoC database (format.ts) from indicators. Deterministic: the same indicators give the same
 * body and `contentSha256` whatever the order they were added in, so the downloader can skip an upload
 * when nothing changed.
 */
import { createHash } from 'node:crypto';
import { endianness } from 'node:os';
import { bigIntToWords, type Network } from './ip';
import { IOC_FORMAT_VERSION, IOC_MAGIC, IOC_PREAMBLE_BYTES, IOC_SECTIONS, type IocHeader, type IocMeta, type IocSection, type IocSourceCounts } from './format';

/** Metadata ids share a float64 with an IPv4 position in the sweep: 20 bits. */
const MAX_METAS = 1 << 20;
const META_SHIFT = 2 ** 20;

function metaKey(m: IocMeta): string {
  return JSON.stringify([m.provider, m.type, m.name ?? null, m.labels && m.labels.length > 0 ? [...m.labels].sort() : null]);
}

export class IocBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IocBuildError';
  }
}

export class IocDatabaseBuilder {
  private readonly metaIds = new Map<string, number>();
  private readonly metaList: IocMeta[] = [];
  private v4Start: number[] = [];
  private v4End: number[] = [];
  private v4Meta: number[] = [];
  private v6: { start: bigint; end: bigint; meta: number }[] = [];
  private readonly domains = new Map<string, number | number[]>();
  private readonly sources: Record<string, IocSourceCounts> = {};

  /** Interns indicator metadata; the id passed to add*. */
  meta(m: IocMeta): number {
    const key = metaKey(m);
    let id = this.metaIds.get(key);
    if (id === undefined) {
      if (this.metaList.length >= MAX_METAS) throw new IocBuildError(`more than ${MAX_METAS} distinct provider/type/name combinations`);
      id = this.metaList.length;
      this.metaIds.set(key, id);
      this.metaList.push(m.labels && m.labels.length > 0 ? { ...m, labels: [...m.labels].sort() } : { provider: m.provider, type: m.type, ...(m.name !== undefined ? { name: m.name } : {}) });
    }
    return id;
  }

  addNetwork(net: Network, meta: number): void {
    if (net.version === 4) {
      this.v4Start.push(net.start);
      this.v4End.push(net.end);
      this.v4Meta.push(meta);
    } else this.v6.push({ start: net.start, end: net.end, meta });
  }

  /** `domain` in canonical form (normalizeDomain). */
  addDomain(domain: string, meta: number): void {
    const cur = this.domains.get(domain);
    if (cur === undefined) this.domains.set(domain, meta);
    else if (typeof cur === 'number') {
      if (cur !== meta) this.domains.set(domain, [cur, meta]);
    } else if (!cur.includes(meta)) cur.push(meta);
  }

  setSourceCounts(source: string, counts: IocSourceCounts): void {
    this.sources[source] = counts;
  }

  build(builtAt: Date = new Date()): Buffer {
    if (endianness() !== 'LE') throw new IocBuildError('the IoC database is written little-endian; this machine is big-endian');
    // Metadata ids in a canonical order, so that the body does not depend on the order of addition.
    const order = this.metaList.map((m, i) => ({ key: metaKey(m), i })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const remap = new Uint32Array(this.metaList.length);
    order.forEach((o, rank) => (remap[o.i] = rank));
    const metas = order.map((o) => this.metaList[o.i]!);

    const sets = new SetTable();
    const v4 = sweepV4(this.v4Start, this.v4End, this.v4Meta, remap, sets);
    this.v4Start = this.v4End = this.v4Meta = [];
    const v6 = sweepV6(this.v6, remap, sets);

    const names = [...this.domains.keys()].sort();
    const domainSet = new Uint32Array(names.length);
    const domainOffsets = new Uint32Array(names.length + 1);
    let bytes = 0;
    names.forEach((d, i) => {
      const m = this.domains.get(d)!;
      domainSet[i] = sets.id(typeof m === 'number' ? [remap[m]!] : m.map((x) => remap[x]!));
      domainOffsets[i] = bytes;
      bytes += d.length;
    });
    domainOffsets[names.length] = bytes;
    const domainBytes = Buffer.alloc((bytes + 3) & ~3, 0x20);
    let at = 0;
    for (const d of names) at += domainBytes.write(d, at, 'latin1');

    const { offsets: setOffsets, members: setMembers } = sets.arrays();
    const body: Record<IocSection, Uint8Array> = {
      v4Start: u8(v4.start),
      v4End: u8(v4.end),
      v4Set: u8(v4.set),
      v6Start: u8(v6.start),
      v6End: u8(v6.end),
      v6Set: u8(v6.set),
      setOffsets: u8(setOffsets),
      setMembers: u8(setMembers),
      domainOffsets: u8(domainOffsets),
      domainSet: u8(domainSet),
      domainBytes,
    };
    const metaRows = metas.map((m) => [m.provider, m.type, m.name ?? null, m.labels ?? null] as const);
    const content = createHash('sha256').update(JSON.stringify(metaRows));
    for (const s of IOC_SECTIONS) content.update(body[s]);
    const header: IocHeader = {
      formatVersion: IOC_FORMAT_VERSION,
      builtAt: builtAt.toISOString(),
      contentSha256: content.digest('hex'),
      totals: { ipv4Ranges: v4.set.length, ipv6Ranges: v6.set.length, domains: names.length, sets: setOffsets.length - 1 },
      sources: Object.fromEntries(Object.keys(this.sources).sort().map((k) => [k, this.sources[k]!])),
      metas: metaRows,
      sections: Object.fromEntries(IOC_SECTIONS.map((s) => [s, body[s].byteLength])) as Record<IocSection, number>,
    };
    let json = Buffer.from(JSON.stringify(header), 'utf8');
    if (json.length % 4 !== 0) json = Buffer.concat([json, Buffer.alloc(4 - (json.length % 4), 0x20)]);
    const pre = Buffer.alloc(IOC_PREAMBLE_BYTES);
    pre.write(IOC_MAGIC, 0, 'latin1');
    pre.writeUInt32LE(IOC_FORMAT_VERSION, 8);
    pre.writeUInt32LE(json.length, 12);
    const parts = [pre, json, ...IOC_SECTIONS.map((s) => body[s])];
    const digest = createHash('sha256');
    for (const p of parts) digest.update(p);
    parts.push(digest.digest());
    return Buffer.concat(parts);
  }
}

function u8(a: Uint32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Interns sorted lists of metadata ids. */
class SetTable {
  private readonly ids = new Map<string, number>();
  private readonly lists: number[][] = [];
  id(members: number[]): number {
    const sorted = members.length > 1 ? [...new Set(members)].sort((a, b) => a - b) : members;
    const key = sorted.join(',');
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.lists.length;
      this.ids.set(key, id);
      this.lists.push(sorted);
    }
    return id;
  }
  arrays(): { offsets: Uint32Array; members: Uint32Array } {
    const offsets = new Uint32Array(this.lists.length + 1);
    let n = 0;
    this.lists.forEach((l, i) => {
      offsets[i] = n;
      n += l.length;
    });
    offsets[this.lists.length] = n;
    const members = new Uint32Array(n);
    let at = 0;
    for (const l of this.lists) for (const m of l) members[at++] = m;
    return { offsets, members };
  }
}

/** Grows typed segment arrays; merges a segment into the previous one when adjacent with the same set. */
class Segments {
  start: Uint32Array;
  end: Uint32Array;
  set: Uint32Array;
  n = 0;
  constructor(private readonly words: number) {
    this.start = new Uint32Array(1024 * words);
    this.end = new Uint32Array(1024 * words);
    this.set = new Uint32Array(1024);
  }
  private grow(): void {
    const cap = this.set.length * 2;
    const g = (a: Uint32Array, len: number) => {
      const b = new Uint32Array(len);
      b.set(a);
      return b;
    };
    this.start = g(this.start, cap * this.words);
    this.end = g(this.end, cap * this.words);
    this.set = g(this.set, cap);
  }
  push(start: ArrayLike<number>, end: ArrayLike<number>, set: number, adjacentToPrevious: boolean): void {
    if (this.n > 0 && adjacentToPrevious && this.set[this.n - 1] === set) {
      for (let k = 0; k < this.words; k++) this.end[(this.n - 1) * this.words + k] = end[k]!;
      return;
    }
    if (this.n === this.set.length) this.grow();
    for (let k = 0; k < this.words; k++) {
      this.start[this.n * this.words + k] = start[k]!;
      this.end[this.n * this.words + k] = end[k]!;
    }
    this.set[this.n++] = set;
  }
  result(): { start: Uint32Array; end: Uint32Array; set: Uint32Array } {
    return { start: this.start.slice(0, this.n * this.words), end: this.end.slice(0, this.n * this.words), set: this.set.slice(0, this.n) };
  }
}

/** Tracks which metadata ids cover the sweep position, and the set id of that combination. */
class Active {
  private readonly count: Int32Array;
  private readonly members = new Set<number>();
  private touched: number[] = [];
  private setId = -1;
  constructor(n: number, private readonly sets: SetTable) {
    this.count = new Int32Array(n);
  }
  change(meta: number, delta: number): void {
    this.count[meta]! += delta;
    this.touched.push(meta);
  }
  /** Set id after the changes at one position; -1 when nothing covers it. */
  settle(): number {
    let changed = false;
    for (const m of this.touched) {
      const has = this.members.has(m);
      if (this.count[m]! > 0 && !has) {
        this.members.add(m);
        changed = true;
      } else if (this.count[m]! <= 0 && has) {
        this.members.delete(m);
        changed = true;
      }
    }
    this.touched = [];
    if (changed) this.setId = this.members.size === 0 ? -1 : this.sets.id([...this.members]);
    return this.setId;
  }
}

function sweepV4(starts: number[], ends: number[], metas: number[], remap: Uint32Array, sets: SetTable) {
  const n = starts.length;
  // Event = position * 2^20 + metadata id, one sorted array per kind (a position can reach 2^32).
  const open = new Float64Array(n);
  const close = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const m = remap[metas[i]!]!;
    open[i] = starts[i]! * META_SHIFT + m;
    close[i] = (ends[i]! + 1) * META_SHIFT + m;
  }
  open.sort();
  close.sort();
  const out = new Segments(1);
  const active = new Active(remap.length, sets);
  const s = [0];
  const e = [0];
  let i = 0;
  let j = 0;
  let lastEnd = -2;
  while (i < n || j < n) {
    const pos = Math.min(i < n ? Math.floor(open[i]! / META_SHIFT) : Infinity, j < n ? Math.floor(close[j]! / META_SHIFT) : Infinity);
    while (i < n && Math.floor(open[i]! / META_SHIFT) === pos) active.change(open[i++]! % META_SHIFT, 1);
    while (j < n && Math.floor(close[j]! / META_SHIFT) === pos) active.change(close[j++]! % META_SHIFT, -1);
    const set = active.settle();
    if (set < 0) continue;
    const next = Math.min(i < n ? Math.floor(open[i]! / META_SHIFT) : Infinity, j < n ? Math.floor(close[j]! / META_SHIFT) : Infinity);
    s[0] = pos;
    e[0] = next - 1;
    out.push(s, e, set, lastEnd + 1 === pos);
    lastEnd = next - 1;
  }
  return out.result();
}

function sweepV6(ranges: { start: bigint; end: bigint; meta: number }[], remap: Uint32Array, sets: SetTable) {
  const events: { pos: bigint; meta: number; delta: number }[] = [];
  for (const r of ranges) {
    events.push({ pos: r.start, meta: remap[r.meta]!, delta: 1 });
    events.push({ pos: r.end + 1n, meta: remap[r.meta]!, delta: -1 });
  }
  events.sort((a, b) => (a.pos < b.pos ? -1 : a.pos > b.pos ? 1 : 0));
  const out = new Segments(4);
  const active = new Active(remap.length, sets);
  const s = new Uint32Array(4);
  const e = new Uint32Array(4);
  let lastEnd = -2n;
  for (let i = 0; i < events.length; ) {
    const pos = events[i]!.pos;
    while (i < events.length && events[i]!.pos === pos) {
      active.change(events[i]!.meta, events[i]!.delta);
      i++;
    }
    const set = active.settle();
    if (set < 0 || i === events.length) continue;
    const next = events[i]!.pos;
    bigIntToWords(pos, s);
    bigIntToWords(next - 1n, e);
    out.push(s, e, set, lastEnd + 1n === pos);
    lastEnd = next - 1n;
  }
  return out.result();
}
