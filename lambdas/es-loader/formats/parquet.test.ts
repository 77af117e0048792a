import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { parquetMetadata } from 'hyparquet';
import { UnreadableObjectError } from '../errors';
import { fixture, pipeline } from '../log-types/testing';
import { ocsfParquet } from '../log-types/securitylake/ocsf-parquet';
import type { PipelineItem } from '../pipeline';
import { toJsonValue } from './parquet';

const KEY = 'aws/VPC_FLOW/1.0/region=ap-northeast-1/accountId=123456789012/eventDay=20261125/0123456789abcdef0123456789abcdef.gz.parquet';
const p = pipeline();

/** Runs the bytes through the pipeline; returns the batches of items as the pipeline yields them. */
async function batches(body: Buffer): Promise<PipelineItem[][]> {
  const out: PipelineItem[][] = [];
  const chunks: Buffer[] = [];
  for (let i = 0; i < body.length; i += 1000) chunks.push(body.subarray(i, i + 1000));
  for await (const b of p.processBatches({ bucket: 'aws-security-data-lake-ap-northeast-1-xyz', key: KEY }, Readable.from(chunks))) out.push(b);
  return out;
}

const rows = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ time: 1795605300000 + i * 1000, category_uid: 4, category_name: 'Network Activity', class_uid: 4001, src_endpoint: { ip: `10.0.${i >> 8}.${i & 255}`, port: 1024 + i }, traffic: { bytes: 100 + i } }));

describe('File format: parquet', () => {
  it('yields one batch per row group, rows numbered across the object', async () => {
    const out = await batches(fixture('securitylake', 'fixture.gz.parquet'));
    // 3 row groups of 3, 3 and 2 rows, then the summary
    expect(out.map((b) => b.map((i) => (i.kind === 'document' ? i.record : i.kind)))).toEqual([[0, 1, 2], [3, 4, 5], [6, 7], ['summary']]);
  });

  it('hands a large row group to the pipeline in batches of 1,000 rows', async () => {
    const out = await batches(ocsfParquet(rows(2500), { rowGroupSize: 2500 }));
    expect(out.map((b) => b.length)).toEqual([1000, 1000, 500, 1]);
    expect(out.flat().filter((i) => i.kind === 'document').map((i) => i.record)).toEqual([...Array(2500).keys()]);
  });

  it('reads an object gzip-compressed as a whole too', async () => {
    const out = (await batches(gzipSync(fixture('securitylake', 'fixture.gz.parquet')))).flat();
    expect(out.at(-1)).toMatchObject({ kind: 'summary', totalRecords: 8, emitted: 8, failed: 0 });
  });

  it('reports a truncated object once, naming the key: without its footer no row can be located', async () => {
    const whole = fixture('securitylake', 'fixture.gz.parquet');
    const items = (await batches(whole.subarray(0, whole.length - 100))).flat();
    expect(items).toEqual([
      {
        kind: 'record-error',
        key: KEY,
        record: 0,
        reason: `${KEY}: after record 0 (records read so far: 0): parquet object is truncated (${whole.length - 100} bytes, no PAR1 footer at its end): its row groups cannot be located, no row could be read; the rest of the object could not be read`,
      },
      { kind: 'summary', key: KEY, logType: 'securitylake', totalRecords: 0, emitted: 0, failed: 1, skipped: 0 },
    ]);
  });

  it('keeps the rows of the other row groups when one row group is corrupt, naming it and its rows', async () => {
    const file = ocsfParquet(rows(30), { rowGroupSize: 10 });
    const meta = parquetMetadata(file.buffer.slice(file.byteOffset, file.byteOffset + file.length) as ArrayBuffer);
    const col = meta.row_groups[1]!.columns[0]!.meta_data!;
    const at = Number(col.dictionary_page_offset ?? col.data_page_offset);
    file.fill(0xff, at, at + 24);
    const items = (await batches(file)).flat();
    const d = items.filter((i) => i.kind === 'document');
    expect(d.map((i) => i.record)).toEqual([...Array(10).keys(), ...Array.from({ length: 10 }, (_, i) => 20 + i)]);
    const errors = items.filter((i) => i.kind === 'record-error') as Array<{ record: number; reason: string }>;
    expect(errors).toHaveLength(1);
    expect(errors[0]!.record).toBe(10);
    expect(errors[0]!.reason).toMatch(new RegExp(`^${KEY.replace(/[.]/g, '\\.')}: record 10: row group 2 of 3 \\(rows 10-19\\) could not be decoded: .+; its 10 rows are not loaded$`));
  });

  it('with a record range (a split object), decodes only the row groups it overlaps and still counts every row', async () => {
    const file = ocsfParquet(rows(30), { rowGroupSize: 10 });
    const meta = parquetMetadata(file.buffer.slice(file.byteOffset, file.byteOffset + file.length) as ArrayBuffer);
    const col = meta.row_groups[2]!.columns[0]!.meta_data!;
    const at = Number(col.dictionary_page_offset ?? col.data_page_offset);
    // Row group 3 is corrupt: a range that does not reach it must not decode it.
    file.fill(0xff, at, at + 24);
    const items: PipelineItem[] = [];
    for await (const it of p.process({ bucket: 'b', key: KEY }, Readable.from([file]), { range: { start: 5, end: 15 } })) items.push(it);
    expect(items.filter((i) => i.kind === 'document').map((i) => i.record)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(items.filter((i) => i.kind === 'record-error')).toEqual([]);
    expect(items.at(-1)).toMatchObject({ kind: 'summary', totalRecords: 30, emitted: 10, failed: 0 });
  });

  it('refuses an object that is not parquet before reading any row', async () => {
    await expect(batches(Buffer.from('{"time": 1}\n'))).rejects.toThrow(UnreadableObjectError);
    await expect(batches(Buffer.from('{"time": 1}\n'))).rejects.toThrow(`${KEY}: is not parquet (file_format = parquet): it does not start with the magic bytes PAR1`);
  });

  it('turns parquet values into JSON: exact INT64 as numbers, others as text; timestamps ISO; bytes base64; nulls left out', () => {
    expect(toJsonValue({ a: 1795605300000n, b: 2n ** 63n - 1n, c: new Date(Date.UTC(2026, 10, 25)), d: new Uint8Array([0, 255]), e: null, f: { g: null }, h: [1, null] })).toEqual({
      a: 1795605300000,
      b: '9223372036854775807',
      c: '2026-11-25T00:00:00.000Z',
      d: 'AP8=',
      h: [1, null],
    });
  });
});
