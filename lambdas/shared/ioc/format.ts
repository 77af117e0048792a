/**
 * The IoC database file, shared by its writer (lambdas/ioc-downloader, `npm run ioc -- build`) and its
 * reader (the es-loader). One binary file, read in one piece and used in place:
 *
 *   bytes 0..7    magic `SIEMIOC\0`
 *   bytes 8..11   format version (uint32 LE)
 *   bytes 12..15  header length H (uint32 LE)
 *   16..16+H      header, JSON (IocHeader), padded with spaces to a multiple of 4
 *   then          body: the sections listed in the header, each a little-endian Uint32Array except
 *                 the domain bytes (padded to 4)
 *   last 32 bytes SHA-256 of everything before them
 *
 * IP indicators become disjoint ranges (a sweep over every provider's ranges), each pointing at a
 * "set": the sorted list of indicator metadata (provider, type, name) covering that range, so
 * overlapping ranges of several providers are all reported and a lookup is one binary search.
 */

export const IOC_MAGIC = 'SIEMIOC\0';
export const IOC_FORMAT_VERSION = 1;
export const IOC_PREAMBLE_BYTES = 16;
export const IOC_TRAILER_BYTES = 32;

/** STIX 2.1 cyber-observable types, as the reference's database stores them (`threat.matched.types`). */
export type IocType = 'ipv4-addr' | 'ipv6-addr' | 'domain-name';

/** What is known about an indicator, interned: many indicators share one. */
export interface IocMeta {
  /** `threat.matched.providers` (reference: torproject.org, abuse.ch, AlienVault_OTX, the custom folder name). */
  readonly provider: string;
  readonly type: IocType;
  /** `threat.matched.names` (reference: TOR, the malware family, the OTX pulse name, the custom file name). */
  readonly name?: string;
  /** STIX `indicator_types` of a custom STIX indicator (e.g. malicious-activity). */
  readonly labels?: readonly string[];
}

/** Per-source counts recorded in the header (what the build read, not what the sweep merged). */
export interface IocSourceCounts {
  readonly ipv4: number;
  readonly ipv6: number;
  readonly domains: number;
  /** Lines/entries skipped as invalid. */
  readonly skipped: number;
}

export const IOC_SECTIONS = ['v4Start', 'v4End', 'v4Set', 'v6Start', 'v6End', 'v6Set', 'setOffsets', 'setMembers', 'domainOffsets', 'domainSet', 'domainBytes'] as const;
export type IocSection = (typeof IOC_SECTIONS)[number];

export interface IocHeader {
  readonly formatVersion: number;
  readonly builtAt: string;
  /** SHA-256 of the metadata table and the body: equal for equal content whatever the build time. */
  readonly contentSha256: string;
  readonly totals: { readonly ipv4Ranges: number; readonly ipv6Ranges: number; readonly domains: number; readonly sets: number };
  readonly sources: Readonly<Record<string, IocSourceCounts>>;
  /** [provider, type, name, labels] per metadata id. */
  readonly metas: readonly (readonly [string, IocType, string | null, readonly string[] | null])[];
  /** Byte length of each body section, in IOC_SECTIONS order. */
  readonly sections: Readonly<Record<IocSection, number>>;
}

/** FNV-1a, 32 bits, over char codes (domains are ASCII): the domain hash table's hash, same at build and lookup. */
export function fnv1a(s: string, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
