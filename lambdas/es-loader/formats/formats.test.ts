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
      { text: '{"b":', line: 2, error: 'the object ends inside this JSON record (truncated file?)' },
    ]);
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
