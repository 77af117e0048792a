/**
 * Writes OCSF records as a parquet file shaped like Security Lake's (nested structs, lists, a map for
 * `unmapped`, INT64 times), for the fixtures (make-fixture.ts) and the benchmark (bench/securitylake.ts).
 * Not shipped: only tests, the fixture script and the bench import it. The parquet schema is inferred
 * from the records: a field's type is the same in every record that has it, or this throws naming it.
 */
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { CompressionCodec, SchemaElement } from 'hyparquet';
import { gzipSync } from 'node:zlib';

type Shape =
  | { kind: 'string' | 'int32' | 'int64' | 'double' | 'boolean' | 'map' }
  | { kind: 'struct'; fields: Map<string, Shape> }
  | { kind: 'list'; element?: Shape };

/** OCSF integers that are epoch milliseconds or counters (Security Lake: bigint), the others int. */
const INT64 = /(^|_)time$|^(bytes|packets|type_uid)$/;

function shapeOf(name: string, v: unknown, path: string): Shape | undefined {
  if (v === null || v === undefined) return undefined;
  if (name === 'unmapped' && typeof v === 'object' && !Array.isArray(v)) return { kind: 'map' };
  if (typeof v === 'string') return { kind: 'string' };
  if (typeof v === 'boolean') return { kind: 'boolean' };
  if (typeof v === 'number') return Number.isInteger(v) ? { kind: INT64.test(name) || Math.abs(v) > 2 ** 31 - 1 ? 'int64' : 'int32' } : { kind: 'double' };
  if (Array.isArray(v)) {
    let element: Shape | undefined;
    for (const e of v) element = merge(element, shapeOf('element', e, `${path}[]`), `${path}[]`);
    return { kind: 'list', element };
  }
  const fields = new Map<string, Shape>();
  for (const [k, e] of Object.entries(v as Record<string, unknown>)) {
    const s = shapeOf(k, e, `${path}.${k}`);
    if (s) fields.set(k, s);
  }
  return { kind: 'struct', fields };
}

function merge(a: Shape | undefined, b: Shape | undefined, path: string): Shape | undefined {
  if (!a) return b;
  if (!b) return a;
  if (a.kind === 'int32' && b.kind === 'int64') return b;
  if (a.kind === 'int64' && b.kind === 'int32') return a;
  if (a.kind !== b.kind) throw new Error(`${path}: ${a.kind} in one record, ${b.kind} in another`);
  if (a.kind === 'struct' && b.kind === 'struct') {
    const fields = new Map(a.fields);
    for (const [k, s] of b.fields) fields.set(k, merge(fields.get(k), s, `${path}.${k}`)!);
    return { kind: 'struct', fields };
  }
  if (a.kind === 'list' && b.kind === 'list') return { kind: 'list', element: merge(a.element, b.element, `${path}[]`) };
  return a;
}

function elements(name: string, s: Shape): SchemaElement[] {
  const opt = 'OPTIONAL' as const;
  switch (s.kind) {
    case 'string':
      return [{ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: opt }];
    case 'int32':
      return [{ name, type: 'INT32', repetition_type: opt }];
    case 'int64':
      return [{ name, type: 'INT64', repetition_type: opt }];
    case 'double':
      return [{ name, type: 'DOUBLE', repetition_type: opt }];
    case 'boolean':
      return [{ name, type: 'BOOLEAN', repetition_type: opt }];
    case 'map':
      return [
        { name, repetition_type: opt, converted_type: 'MAP', num_children: 1 },
        { name: 'key_value', repetition_type: 'REPEATED', num_children: 2 },
        { name: 'key', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
        { name: 'value', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: opt },
      ];
    case 'struct':
      return [{ name, repetition_type: opt, num_children: s.fields.size }, ...[...s.fields].flatMap(([k, f]) => elements(k, f))];
    case 'list':
      return [
        { name, repetition_type: opt, converted_type: 'LIST', num_children: 1 },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        ...elements('element', s.element ?? { kind: 'string' }),
      ];
  }
}

/** A record's value in the writer's terms: INT64 as BigInt, map values as strings, absent as null. */
function prepare(v: unknown, s: Shape): unknown {
  if (v === null || v === undefined) return null;
  switch (s.kind) {
    case 'int64':
      return BigInt(v as number);
    case 'map':
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, e]) => [k, e === null ? null : String(e)]));
    case 'struct': {
      const o = v as Record<string, unknown>;
      return Object.fromEntries([...s.fields].map(([k, f]) => [k, prepare(o[k], f)]));
    }
    case 'list':
      return (v as unknown[]).map((e) => prepare(e, s.element ?? { kind: 'string' }));
    default:
      return v;
  }
}

export interface OcsfParquetOptions {
  /** Rows per row group (Security Lake's are large; fixtures use small ones to have several). */
  rowGroupSize: number;
  /** GZIP (Security Lake's `.gz.parquet`), ZSTD (needs `zstd` to compress: pass `compress`), SNAPPY, UNCOMPRESSED. */
  codec?: CompressionCodec;
  /** The compressor for a codec other than SNAPPY, UNCOMPRESSED and GZIP. */
  compress?: (input: Uint8Array) => Uint8Array;
}

/** The records as one parquet file (columns in order of first appearance). */
export function ocsfParquet(records: ReadonlyArray<Record<string, unknown>>, opts: OcsfParquetOptions): Buffer {
  const top = new Map<string, Shape>();
  for (const r of records) for (const [k, v] of Object.entries(r)) top.set(k, merge(top.get(k), shapeOf(k, v, k), k)!);
  const columns = [...top].filter(([, s]) => s !== undefined);
  const schema: SchemaElement[] = [{ name: 'schema', num_children: columns.length }, ...columns.flatMap(([k, s]) => elements(k, s))];
  const codec = opts.codec ?? 'GZIP';
  const compress = opts.compress ?? (codec === 'GZIP' ? (b: Uint8Array) => gzipSync(b) : undefined);
  const ab = parquetWriteBuffer({
    columnData: columns.map(([name, s]) => ({ name, data: records.map((r) => prepare(r[name], s)) })),
    schema,
    codec,
    compressors: compress ? { [codec]: compress } : undefined,
    rowGroupSize: opts.rowGroupSize,
    statistics: false,
    createdBy: 'siem es-loader fixtures (hyparquet-writer)',
  } as Parameters<typeof parquetWriteBuffer>[0]);
  return Buffer.from(ab);
}
