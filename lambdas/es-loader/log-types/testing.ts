/** Test helpers shared by the log-type tests (not shipped: only *.test.ts files import it). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { Pipeline, type PipelineItem, type PipelineOptions, type RecordRange } from '../pipeline';

export const NOW = new Date('2026-11-22T07:00:00.000Z');

export function fixture(type: string, file: string): Buffer {
  return readFileSync(join(__dirname, type, file));
}

export function expected(type: string, file = 'expected.json'): unknown {
  return JSON.parse(readFileSync(join(__dirname, type, file), 'utf8'));
}

export function pipeline(options: PipelineOptions = {}): Pipeline {
  return Pipeline.create({ now: () => NOW, ignoreBundledUserIni: true, ...options });
}

/** Runs one object through the pipeline (gzipped unless `gzip: false`) and collects every item. */
export async function run(p: Pipeline, key: string, body: Buffer | string, opts: { gzip?: boolean; range?: RecordRange } = {}): Promise<PipelineItem[]> {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const data = opts.gzip === false ? bytes : gzipSync(bytes);
  const items: PipelineItem[] = [];
  // Small chunks exercise records that span chunk boundaries.
  const chunks: Buffer[] = [];
  for (let i = 0; i < data.length; i += 97) chunks.push(data.subarray(i, i + 97));
  for await (const it of p.process({ bucket: 'aes-siem-111122223333-log', key }, Readable.from(chunks), { range: opts.range })) items.push(it);
  return items;
}

/** Documents as the bulk request carries them: the source through JSON (fields set to undefined are absent). */
export function docs(items: PipelineItem[]): Array<{ _index: string; _id: string; _source: Record<string, unknown> }> {
  return items.flatMap((i) => (i.kind === 'document' ? [{ _index: i.index, _id: i.id, _source: JSON.parse(JSON.stringify(i.source)) as Record<string, unknown> }] : []));
}
