import { describe, expect, it } from 'vitest';
import { pipeline } from '../log-types/testing';
import { decodeRecord, DecodeError, recordBatches, type FormatState } from './index';
import { jsonPieces } from './json-stream';
import { lineBatches } from './lines';

async function* chunked(text: string, size: number) {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}
async function collect<T>(gen: AsyncGenerator<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const b of gen) out.push(...b);
  return out;
}

describe('Formats: streaming JSON splitter', () => {
  const doc = '{"Records":[{"a":"x}]\\"{"},{"b":[1,2,{"c":null}]}, {"d":"\\\\"}\n]}';
  it.each([1, 2, 3, 7, 1000])('finds the array elements under the delimiter key with chunks of %d chars', async (size) => {
    const pieces = await collect(jsonPieces(chunked(doc, size), 'Records'));
    expect(pieces.map((p) => JSON.parse(p.text))).toEqual([{ a: 'x}]"{' }, { b: [1, 2, { c: null }] }, { d: '\\' }]);
  });

  it('takes an object without the delimiter key as one record, and top-level arrays element by element', async () => {
    const pieces = await collect(jsonPieces(chunked('{"x":1}\n{"Records":[{"y":2}]}[{"z":3},{"w":4}]', 5), 'Records'));
    expect(pieces.map((p) => [p.line, JSON.parse(p.text)])).toEqual([[1, { x: 1 }], [2, { y: 2 }], [2, { z: 3 }], [2, { w: 4 }]]);
  });

  it('splits concatenated and pretty-printed values without a delimiter, with line numbers', async () => {
    const pieces = await collect(jsonPieces(chunked('{"a":1}{"b":2}\n{\n  "c": {"d": 3}\n}\n', 4)));
    expect(pieces.map((p) => [p.line, p.text])).toEqual([[1, '{"a":1}'], [1, '{"b":2}'], [2, '{\n  "c": {"d": 3}\n}']]);
  });

  it('skips other keys before and after the delimiter array', async () => {
    const pieces = await collect(jsonPieces(chunked('{"fileVersion":"1.0","configurationItems":[{"i":1}],"after":{"Records":[9]}}', 3), 'configurationItems'));
    expect(pieces.map((p) => p.text)).toEqual(['{"i":1}']);
  });

  it('counts lines inside nested records and skips escaped quotes and brackets in their strings', async () => {
    const text = '{"Records":[\n {"a":{"b":"q\\"}]\\\\","c":[\n1]}},\n {"d":"\\\\\\""}\n]}\n{"x":{"y":\n"}"}}';
    for (const size of [1, 3, 64]) {
      const pieces = await collect(jsonPieces(chunked(text, size), 'Records'));
      expect(pieces.map((p) => [p.line, JSON.parse(p.text)])).toEqual([
        [2, { a: { b: 'q"}]\\', c: [1] } }],
        [4, { d: '\\"' }],
        [6, { x: { y: '}' } }],
      ]);
    }
  });

  it('reports garbage and a cut-off record', async () => {
    const pieces = await collect(jsonPieces(chunked('hello\n{"Records":[{"a":1},{"b":', 4), 'Records'));
    expect(pieces).toEqual([
      { text: 'hello', line: 1, error: 'not a JSON object or array' },
      { text: '{"a":1}', line: 2 },
      { text: '{"b":', line: 2, error: 'the object ends inside this JSON record (unbalanced brackets or quotes, or a truncated file)', lost: true, byte: 26 },
    ]);
  });

  const rec = (i: number, extra = '') => `{"eventID":"id-${i}","requestParameters":{"names":["é${i}"]},"eventName":"x"${extra}}`;
  const ids = (pieces: Array<{ text: string; error?: string }>) =>
    pieces.map((p) => {
      try {
        return (JSON.parse(p.text) as { eventID: string }).eventID;
      } catch {
        return p.error ?? 'malformed';
      }
    });

  it.each([1, 7, 1000])('cuts records by bracket depth alone: a syntax error costs only its record (chunks of %d)', async (size) => {
    const records = [1, 2, 3, 4, 5].map((i) => rec(i));
    records[2] = records[2]!.replace('"eventName":', '"eventName"::');
    const pieces = await collect(jsonPieces(chunked(`{"Records":[${records.join(',')}]}`, size), 'Records'));
    expect(ids(pieces)).toEqual(['id-1', 'id-2', 'malformed', 'id-4', 'id-5']);
    expect(pieces[2]).toEqual({ text: records[2], line: 1 });
  });

  it.each([1, 7, 1000])('skips a stray closing bracket between records, and reopens a records array closed by one (chunks of %d)', async (size) => {
    const split = async (records: string) => ids(await collect(jsonPieces(chunked(`{"Records":[${records}]}`, size), 'Records')));
    const all = [1, 2, 3, 4, 5].map((i) => rec(i)).join(',');
    // A '}' too many after record 3: nothing lost.
    expect(await split(all.replace(`${rec(3)},`, `${rec(3)}},`))).toEqual(['id-1', 'id-2', 'id-3', 'id-4', 'id-5']);
    // A ']' too many after record 3 closes the records array; record 4 where a key should be reopens it.
    expect(await split(all.replace(`${rec(3)},`, `${rec(3)}],`))).toEqual(['id-1', 'id-2', 'id-3', 'id-4', 'id-5']);
    // A bracket too many inside record 3 ends it early: it fails (or, if what precedes is valid JSON,
    // is read short), and its tail ("eventName":"x") is one more failed record: counts may over-report
    // by one, never under-report, and records 4 and 5 are still read.
    expect(await split(all.replace('["é3"]', '["é3"]]'))).toEqual(['id-1', 'id-2', 'malformed', 'malformed', 'id-4', 'id-5']);
    expect(await split(all.replace('["é3"]}', '["é3"]}}'))).toEqual(['id-1', 'id-2', 'id-3', 'malformed', 'id-4', 'id-5']);
    // A ']' too many at the end of record 3 (followed by its '}' and a ','), and of the last record.
    expect(await split(all.replace(rec(3), rec(3).replace(/}$/, ']}')))).toEqual(['id-1', 'id-2', 'malformed', 'id-4', 'id-5']);
    expect(await split(all.replace(rec(5), rec(5).replace(/}$/, '] }')))).toEqual(['id-1', 'id-2', 'id-3', 'id-4', 'malformed']);
  });

  it.each([1, 7, 1000])('stops where the boundaries are lost, with the line and byte of the record (chunks of %d)', async (size) => {
    // Record 3 lacks a '}': it would swallow records 4 and 5 and the array's ']'.
    const records = [1, 2, 3, 4, 5].map((i) => rec(i));
    records[2] = records[2]!.replace('"]},', '"],');
    const text = `{"Records":[\n${records.join(',\n')}\n]}\n{"Records":[${rec(6)}]}`;
    const pieces = await collect(jsonPieces(chunked(text, size), 'Records'));
    expect(ids(pieces)).toEqual(['id-1', 'id-2', expect.stringMatching(/^its brackets do not balance/)]);
    const start = text.indexOf(records[2]!);
    const end = text.indexOf('\n]}');
    expect(pieces[2]).toEqual({
      text: text.slice(start, end + 2),
      line: 4,
      lost: true,
      byte: Buffer.byteLength(text.slice(0, start)),
      error: `its brackets do not balance: it opens with '{' but ends with ']' at byte ${Buffer.byteLength(text.slice(0, end + 1))}`,
    });
  });
});

describe('Formats: line splitter', () => {
  it('splits CRLF and LF lines across chunks and keeps a last line without newline', async () => {
    const lines = await collect(lineBatches(chunked('a\r\nbb\n\nccc', 2)));
    expect(lines.map(({ text, line }) => ({ text, line }))).toEqual([{ text: 'a', line: 1 }, { text: 'bb', line: 2 }, { text: '', line: 3 }, { text: 'ccc', line: 4 }]);
  });
});

describe('Formats: space-separated records (VPC Flow Logs)', () => {
  const lt = pipeline().resolveLogType('AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/26/x.log.gz')!;
  async function decodeAll(text: string) {
    const state: FormatState = {};
    const out: Array<Record<string, unknown> | string> = [];
    for await (const batch of recordBatches(lt, chunked(text, 5), state)) {
      for (const rec of batch) {
        try {
          out.push(decodeRecord(lt, rec, state));
        } catch (err) {
          out.push(err instanceof DecodeError ? err.message : String(err));
        }
      }
    }
    return out;
  }

  it('names fields by the header, turns "-" into absent values, and tolerates extra spaces', async () => {
    const out = await decodeAll('version srcaddr dstaddr action\n2 10.0.0.1 - ACCEPT\n 2  10.0.0.2 10.0.0.3   REJECT \n2 10.0.0.4 ACCEPT\n');
    expect(out).toEqual([
      { version: '2', srcaddr: '10.0.0.1', dstaddr: undefined, action: 'ACCEPT' },
      { version: '2', srcaddr: '10.0.0.2', dstaddr: '10.0.0.3', action: 'REJECT' },
      'has 3 fields but the header line names 4 (version srcaddr dstaddr action)',
    ]);
  });
});
