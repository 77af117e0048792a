/**
 * Pieces the benchmarks share to generate their inputs: a seeded random source (the same files and
 * indicators on every run), the IoC providers' list metadata, and a gzip file writer that counts the
 * uncompressed bytes.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { createGzip } from 'node:zlib';
import type { IocDatabaseBuilder } from '../lambdas/shared/ioc/builder';

/** mulberry32: the same sequence for the same seed. */
export function rng(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const u32 = (r: () => number) => Math.floor(r() * 4294967296);

/** 200 lists per indicator kind, spread over the four providers; returns their metadata ids. */
export function iocListMetas(b: IocDatabaseBuilder): { v4: number[]; v6: number[]; dom: number[] } {
  const metas = { v4: [] as number[], v6: [] as number[], dom: [] as number[] };
  for (let i = 0; i < 200; i++) {
    const provider = ['torproject.org', 'abuse.ch', 'AlienVault_OTX', 'custom'][i % 4]!;
    metas.v4.push(b.meta({ provider, type: 'ipv4-addr', name: `list ${i}` }));
    metas.v6.push(b.meta({ provider, type: 'ipv6-addr', name: `list ${i}` }));
    metas.dom.push(b.meta({ provider, type: 'domain-name', name: `list ${i}` }));
  }
  return metas;
}

/** A gzip file (fast level) written with back-pressure; `close` returns the uncompressed size. */
export function gzipTextFile(file: string): { put(s: string): Promise<void>; close(): Promise<number> } {
  const gz = createGzip({ level: 1 });
  const out = createWriteStream(file);
  gz.pipe(out);
  let bytes = 0;
  return {
    async put(s) {
      bytes += Buffer.byteLength(s);
      if (!gz.write(s)) await once(gz, 'drain');
    },
    async close() {
      gz.end();
      await once(out, 'finish');
      return bytes;
    },
  };
}
