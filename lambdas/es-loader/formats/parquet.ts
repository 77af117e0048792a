/**
 * file_format = parquet: Amazon Security Lake's OCSF objects (`<32 hex>.gz.parquet`), as the reference's
 * siem/fileformat_parquet.py, which reads them with pandas. One record per row, the row's columns as
 * fields (structs as objects, lists as arrays, maps as objects); null values are left out, as the
 * reference drops empty columns (`dropna`) and null fields (`del_none`).
 *
 * Reading: parquet keeps its schema and row-group index in a footer at the end of the object, so the
 * object is buffered (its compressed size: Security Lake writes objects of a few MB to a few hundred MB)
 * and then decoded ONE ROW GROUP AT A TIME with hyparquet (column by column, readRowGroup): memory is the
 * object plus one decoded row group (it grows with the rows per group, not with the rows per object;
 * docs/benchmarks.md measures it). Ranged S3 reads would save the buffer but need the S3 client inside
 * the format; Security Lake objects are small enough that the body stream is kept as for every format.
 *
 * Compression codecs: SNAPPY (hyparquet's own), GZIP and BROTLI (node:zlib), ZSTD (fzstd, pure JS);
 * Security Lake writes GZIP (`.gz.parquet`) and ZSTD. LZ4 is not supported: such a row group is an error.
 *
 * Errors: an object that does not start with `PAR1` is not parquet (UnreadableObjectError, nothing
 * read). A truncated object has lost its footer, so none of its rows can be located: one error naming
 * the key (StreamReadError, the pipeline reports it as "the rest of the object could not be read"). A
 * row group that fails to decode is one record-error naming the row group and its rows; the other row
 * groups are read.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import { parquetMetadata, parquetRead, parquetSchema, type Compressors, type FileMetaData } from 'hyparquet';
import type { LogType } from '../config/log-type';
import { UnreadableObjectError } from '../errors';
import { decompressed, StreamReadError, type Body } from './bytes';
import { DecodeError, type FormatState, type RawRecord, type RecordFormat } from './types';

const MAGIC = Buffer.from('PAR1');
/** Rows per batch handed to the pipeline. */
const BATCH_ROWS = 1000;
const EMPTY: Record<string, unknown> = {};

/** The codecs hyparquet does not decode itself. */
export const COMPRESSORS: Compressors = {
  GZIP: (input) => gunzipSync(input),
  BROTLI: (input) => brotliDecompressSync(input),
  ZSTD: (input, outputLength) => zstdDecompress(input, new Uint8Array(outputLength)),
};

/** The decoded row of each raw record (decode hands it over; the record's text is its JSON, for the id and the DLQ). */
const rows = new WeakMap<RawRecord, Record<string, unknown>>();

/** Reads the whole body into one buffer (parquet's index is at the end). */
async function readAll(body: Body): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  // decompressed(): an object gzip'd as a whole (not the parquet codec) is read too.
  for await (const chunk of decompressed(body)) {
    parts.push(chunk);
    size += chunk.length;
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
}

/** The buffer's bytes as an ArrayBuffer, without a copy when the buffer is a whole one. */
function arrayBufferOf(buf: Buffer): ArrayBuffer {
  if (buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength && buf.buffer instanceof ArrayBuffer) return buf.buffer;
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

/** The parquet footer, or why there is none. */
function footer(buf: Buffer): FileMetaData {
  if (buf.length < 4 || !buf.subarray(0, 4).equals(MAGIC)) {
    throw new UnreadableObjectError(`is not parquet (file_format = parquet): it does not start with the magic bytes PAR1`);
  }
  if (buf.length < 12 || !buf.subarray(buf.length - 4).equals(MAGIC)) {
    throw new StreamReadError(`parquet object is truncated (${buf.length} bytes, no PAR1 footer at its end): its row groups cannot be located, no row could be read`);
  }
  try {
    return parquetMetadata(arrayBufferOf(buf));
  } catch (err) {
    throw new StreamReadError(`parquet footer is corrupt (${(err as Error).message}): no row could be read`, { cause: err });
  }
}

/**
 * A parquet value as JSON: BigInt (INT64) as a number when it is exact, else its decimal string; a
 * timestamp as ISO 8601 (the reference's isoformat()); bytes that are not text as base64; null left out.
 */
export function toJsonValue(v: unknown): unknown {
  if (v === null || v === undefined) return undefined;
  switch (typeof v) {
    case 'bigint':
      return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
    case 'number':
      return Number.isFinite(v) ? v : String(v);
    case 'object': {
      if (v instanceof Date) return v.toISOString();
      if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
      if (Array.isArray(v)) return v.map((e) => toJsonValue(e) ?? null);
      const out: Record<string, unknown> = {};
      let any = false;
      for (const [k, e] of Object.entries(v as Record<string, unknown>)) {
        const j = toJsonValue(e);
        if (j === undefined) continue;
        out[k] = j;
        any = true;
      }
      return any ? out : undefined;
    }
    default:
      return v;
  }
}

/**
 * The rows of one row group. Read one top-level column at a time and merged into the rows: hyparquet's
 * assembly of nested columns allocates much more than the values it returns, and column by column that
 * garbage is one column's, not the whole group's (measured on 40,000 OCSF rows in row groups of 20,000:
 * peak RSS 293 MB instead of 507 MB, same CPU time). Null values are left out.
 */
export async function readRowGroup(file: ArrayBuffer, metadata: FileMetaData, columns: readonly string[], rowStart: number, rowEnd: number): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = Array.from({ length: rowEnd - rowStart }, () => ({}));
  for (const column of columns) {
    await parquetRead({
      file,
      metadata,
      rowStart,
      rowEnd,
      columns: [column],
      compressors: COMPRESSORS,
      onComplete: (data: unknown[][]) => {
        for (let i = 0; i < data.length && i < rows.length; i++) {
          const v = data[i]![0];
          if (v !== null && v !== undefined) rows[i]![column] = v;
        }
      },
    });
  }
  return rows;
}

/** The rows of the object, one batch per row group, numbered from 0 across the object. */
async function* splitParquet(_lt: LogType, body: Body, state: FormatState): AsyncGenerator<RawRecord[]> {
  const buf = await readAll(body);
  const meta = footer(buf);
  const file = arrayBufferOf(buf);
  const groups = meta.row_groups;
  const columns = parquetSchema(meta).children.map((c) => c.element.name);
  let start = 0;
  for (let g = 0; g < groups.length; g++) {
    const n = Number(groups[g]!.num_rows);
    const end = start + n;
    if (n === 0) continue;
    // A row group outside the requested range (a split object's other part) is not decoded: its rows are
    // counted (the summary counts every record of the object) as records the pipeline leaves out.
    if (state.range && (end <= state.range.start || start >= state.range.end)) {
      for (let from = start; from < end; from += BATCH_ROWS) yield Array.from({ length: Math.min(BATCH_ROWS, end - from) }, (_, i) => ({ record: from + i, text: '' }));
      start = end;
      continue;
    }
    let objects: Record<string, unknown>[];
    try {
      objects = await readRowGroup(file, meta, columns, start, end);
    } catch (err) {
      yield [{ record: start, text: '', error: `row group ${g + 1} of ${groups.length} (rows ${start}-${end - 1}) could not be decoded: ${(err as Error).message}; its ${n} rows are not loaded` }];
      start = end;
      continue;
    }
    // Batches of BATCH_ROWS: the pipeline builds a batch's documents at once, so a large row group is not
    // doubled into documents before the sink takes them; each decoded row is released once converted.
    for (let from = 0; from < objects.length; from += BATCH_ROWS) {
      const batch: RawRecord[] = [];
      for (let i = from; i < Math.min(from + BATCH_ROWS, objects.length); i++) {
        const row = (toJsonValue(objects[i]) ?? {}) as Record<string, unknown>;
        objects[i] = EMPTY;
        const rec: RawRecord = { record: start + i, text: JSON.stringify(row) };
        rows.set(rec, row);
        batch.push(rec);
      }
      yield batch;
    }
    start = end;
  }
}

function decodeParquet(_lt: LogType, rec: RawRecord): Record<string, unknown> {
  const row = rows.get(rec);
  if (row) return row;
  // A copy of the record (the pipeline shortens oversized ones): its text is the row's JSON.
  try {
    return JSON.parse(rec.text) as Record<string, unknown>;
  } catch (err) {
    throw new DecodeError(`parquet row could not be read back: ${(err as Error).message}`, { cause: err });
  }
}

/** The parquet format: read from the object's bytes (`splitBytes`), never from text. */
export const PARQUET: RecordFormat = {
  // eslint-disable-next-line require-yield
  async *split(lt) {
    throw new UnreadableObjectError(`[${lt.name}] file_format = parquet is read from bytes, not text (via_cwl and other text envelopes do not apply)`);
  },
  splitBytes: splitParquet,
  decode: decodeParquet,
};
