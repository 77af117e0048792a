import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { docs, NOW, pipeline, run } from './log-types/testing';
import { Pipeline, UnknownLogTypeError, UnreadableObjectError, type PipelineItem } from './pipeline';

const CT_KEY = 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/21/f.json.gz';
const GD_KEY = 'AWSLogs/123456789012/GuardDuty/us-east-1/2026/11/21/f.jsonl.gz';
const VPC_KEY = 'AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/21/f.log.gz';
const S3_KEY = '2026-11-21-10-05-12-0123456789ABCDEF';

const ctEvent = (i: number) => ({ eventTime: `2026-11-21T10:00:${String(i % 60).padStart(2, '0')}Z`, eventID: `id-${i}`, eventName: 'GetObject', awsRegion: 'us-east-1' });
const errors = (items: PipelineItem[]) => items.filter((i) => i.kind === 'record-error');
const summary = (items: PipelineItem[]) => items.at(-1);

describe('Pipeline: bad input never costs the good records', () => {
  const p = pipeline();

  it('reports a truncated gzip with the key and where it stopped, after yielding every complete record', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => JSON.stringify({ id: `f${i}`, updatedAt: '2026-11-21T10:00:00Z', service: { count: 1 } })).join('\n');
    const gz = gzipSync(lines);
    const items = await run(p, GD_KEY, gz.subarray(0, Math.floor(gz.length * 0.6)), { gzip: false });
    const good = docs(items);
    expect(good.length).toBeGreaterThan(100);
    expect(good.map((d) => d._id)).toEqual(Array.from({ length: good.length }, (_, i) => `f${i}_1`));
    const [err] = errors(items);
    expect(err).toMatchObject({ kind: 'record-error', key: GD_KEY });
    expect(err.kind === 'record-error' && err.reason).toMatch(new RegExp(`^${GD_KEY}: .*gzip data is truncated`));
    expect(summary(items)).toMatchObject({ kind: 'summary', emitted: good.length, failed: 1 });
  });

  it('reports a malformed JSON line with its line number and keeps the other lines', async () => {
    const body = ['{"id":"a","updatedAt":"2026-11-21T10:00:00Z"}', '{"id":"b","updatedAt":', '{"id":"c","updatedAt":"2026-11-21T10:00:00Z"}'].join('\n');
    const items = await run(p, GD_KEY, body);
    expect(docs(items).map((d) => d._id)).toEqual(['a', 'c']);
    expect(errors(items)).toEqual([
      expect.objectContaining({ kind: 'record-error', key: GD_KEY, record: 1, line: 2, raw: '{"id":"b","updatedAt":', reason: expect.stringMatching(new RegExp(`^${GD_KEY}: record 1 \\(line 2\\): malformed JSON`)) }),
    ]);
    expect(summary(items)).toMatchObject({ totalRecords: 3, emitted: 2, failed: 1 });
  });

  it('reports a malformed element inside a CloudTrail Records array and keeps its neighbours', async () => {
    const body = `{"Records":[${JSON.stringify(ctEvent(1))},{"eventID":"bad",,},${JSON.stringify(ctEvent(3))}]}`;
    const items = await run(p, CT_KEY, body);
    expect(docs(items).map((d) => d._id)).toEqual(['id-1', 'id-3']);
    expect(errors(items)).toEqual([expect.objectContaining({ record: 1, line: 1, reason: expect.stringContaining('malformed JSON') })]);
  });

  it('reports a CloudTrail file cut inside a record', async () => {
    const body = `{"Records":[${JSON.stringify(ctEvent(1))},{"eventID":"cut","eventTime":"2026`;
    const items = await run(p, CT_KEY, body);
    expect(docs(items).map((d) => d._id)).toEqual(['id-1']);
    const at = body.indexOf('{"eventID":"cut"');
    expect(errors(items)).toEqual([
      expect.objectContaining({
        record: 1,
        reason: `${CT_KEY}: record 1 (line 1, byte ${at}): the object ends inside this JSON record (unbalanced brackets or quotes, or a truncated file); the rest of the object could not be read (1 records recovered before it)`,
      }),
    ]);
    expect(summary(items)).toMatchObject({ totalRecords: 2, emitted: 1, failed: 1 });
  });

  it('a syntax error inside record 3 of 5 of a single-line CloudTrail file costs only that record', async () => {
    const records = [1, 2, 3, 4, 5].map((i) => JSON.stringify(ctEvent(i)));
    records[2] = records[2]!.replace('"eventName":', '"eventName":: ');
    const items = await run(p, CT_KEY, `{"Records":[${records.join(',')}]}`);
    expect(docs(items).map((d) => d._id)).toEqual(['id-1', 'id-2', 'id-4', 'id-5']);
    expect(errors(items)).toEqual([
      expect.objectContaining({ record: 2, line: 1, raw: records[2], reason: expect.stringMatching(new RegExp(`^${CT_KEY}: record 2 \\(line 1\\): malformed JSON: `)) }),
    ]);
    expect(summary(items)).toMatchObject({ totalRecords: 5, emitted: 4, failed: 1 });
  });

  it('says at which record and byte the boundaries of a CloudTrail file were lost, and how many records came before', async () => {
    // Record 3 lacks its closing '}': it would swallow records 4 and 5.
    const records = [1, 2, 3, 4, 5].map((i) => JSON.stringify({ ...ctEvent(i), userAgent: 'Ünïcode' }));
    records[2] = records[2]!.replace(/}$/, '');
    const body = `{"Records":[${records.join(',')}]}`;
    const items = await run(p, CT_KEY, body);
    expect(docs(items).map((d) => d._id)).toEqual(['id-1', 'id-2']);
    const start = Buffer.byteLength(body.slice(0, body.indexOf(records[2]!)));
    const end = Buffer.byteLength(body.slice(0, body.lastIndexOf(']')));
    expect(errors(items)).toEqual([
      expect.objectContaining({
        record: 2,
        reason: `${CT_KEY}: record 2 (line 1, byte ${start}): its brackets do not balance: it opens with '{' but ends with ']' at byte ${end}; the rest of the object could not be read (2 records recovered before it)`,
      }),
    ]);
    expect(summary(items)).toMatchObject({ totalRecords: 3, emitted: 2, failed: 1 });
  });

  it('reports a text line that does not match the log pattern, naming the line', async () => {
    const good = '79a5 bucket [21/Nov/2026:10:00:38 +0000] 192.0.2.3 - REQ1 REST.GET.OBJECT k "GET /k HTTP/1.1" 200 - 1 1 1 1 "-" "curl/8" -';
    const items = await run(p, S3_KEY, `${good}\nthis is not an access log line\n${good.replace('REQ1', 'REQ2')}\n`);
    expect(docs(items)).toHaveLength(2);
    expect(errors(items)).toEqual([
      expect.objectContaining({ record: 1, line: 2, reason: `${S3_KEY}: record 1 (line 2): does not match the log_pattern of [s3accesslog]`, raw: 'this is not an access log line' }),
    ]);
  });

  it('reports a record with an unparseable timestamp', async () => {
    const items = await run(p, GD_KEY, '{"id":"a","updatedAt":"yesterday"}');
    expect(errors(items)).toEqual([expect.objectContaining({ reason: `${GD_KEY}: record 0 (line 1): timestamp updatedAt = "yesterday" is not in timestamp_format iso8601` })]);
  });

  it('gives an empty file a summary with zero records and no error', async () => {
    for (const body of [Buffer.alloc(0), gzipSync('')]) {
      const items = await run(p, GD_KEY, body, { gzip: false });
      expect(items).toEqual([{ kind: 'summary', key: GD_KEY, logType: 'guardduty', totalRecords: 0, emitted: 0, failed: 0, skipped: 0 }]);
    }
  });

  it('throws UnknownLogTypeError naming the key', async () => {
    const it = p.process({ bucket: 'b', key: 'some/other/file.txt' }, Readable.from([Buffer.from('x')]));
    await expect(it.next()).rejects.toThrow(UnknownLogTypeError);
    await expect(p.process({ bucket: 'b', key: 'some/other/file.txt' }, Readable.from([])).next()).rejects.toThrow('no log type matches object key "some/other/file.txt"');
  });

  it('turns a record above the bulk limit into an error and keeps the rest', async () => {
    const small = pipeline({ maxRecordBytes: 200 });
    const big = JSON.stringify({ id: 'big', updatedAt: '2026-11-21T10:00:00Z', pad: 'x'.repeat(500) });
    const items = await run(small, GD_KEY, `{"id":"a","updatedAt":"2026-11-21T10:00:00Z"}\n${big}\n{"id":"c","updatedAt":"2026-11-21T10:00:00Z"}`);
    expect(docs(items).map((d) => d._id)).toEqual(['a', 'c']);
    expect(errors(items)).toEqual([expect.objectContaining({ record: 1, line: 2, reason: `${GD_KEY}: record 1 (line 2): record is 556 bytes, above the bulk limit of 200 bytes` })]);
  });

  it('reads uncompressed objects whatever the key says, and gzip whatever the key says', async () => {
    const line = '{"id":"a","updatedAt":"2026-11-21T10:00:00Z"}';
    expect(docs(await run(p, GD_KEY, line, { gzip: false }))).toHaveLength(1);
    expect(docs(await run(p, GD_KEY.replace('.gz', ''), line))).toHaveLength(1);
  });

  it('reports a broken body stream as a record-error, not an exception', async () => {
    async function* broken() {
      yield Buffer.from('{"id":"a","updatedAt":"2026-11-21T10:00:00Z"}\n');
      throw new Error('socket hang up');
    }
    const items: PipelineItem[] = [];
    for await (const i of p.process({ bucket: 'b', key: GD_KEY }, broken())) items.push(i);
    expect(docs(items)).toHaveLength(1);
    expect(errors(items)).toEqual([expect.objectContaining({ record: 1, reason: expect.stringContaining('socket hang up') })]);
  });

  it('reports a body that breaks inside gzip as a read error, not as corrupt gzip', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ id: `f${i}`, updatedAt: '2026-11-21T10:00:00Z', n: i })).join('\n');
    const gz = gzipSync(lines);
    async function* broken() {
      yield gz.subarray(0, Math.floor(gz.length / 2));
      throw new Error('socket hang up');
    }
    const items: PipelineItem[] = [];
    for await (const i of p.process({ bucket: 'b', key: GD_KEY }, broken())) items.push(i);
    const n = docs(items).length;
    expect(errors(items)).toEqual([
      expect.objectContaining({ record: n, reason: `${GD_KEY}: after record ${n} (records read so far: ${n}): reading the object failed: socket hang up; the rest of the object could not be read` }),
    ]);
  });
});

describe('Pipeline: a UTF-8 byte order mark at the start of an object', () => {
  const p = pipeline();
  const BOM = '\uFEFF';
  const flowHeader = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
  const flowLine = '2 123456789012 eni-0a1b2c3d 81.2.69.160 10.0.1.5 443 49152 6 10 840 1795719600 1795719660 ACCEPT OK';
  const accessLine = '79a5 bucket [21/Nov/2026:10:00:38 +0000] 192.0.2.3 - REQ1 REST.GET.OBJECT k "GET /k HTTP/1.1" 200 - 1 1 1 1 "-" "curl/8" -';

  it.each([
    ['a CloudTrail file, gzip', CT_KEY, `${BOM}${JSON.stringify({ Records: [ctEvent(1), ctEvent(2)] })}`, true, 2],
    ['a CloudTrail file, plain', CT_KEY, `${BOM}${JSON.stringify({ Records: [ctEvent(1), ctEvent(2)] })}`, false, 2],
    ['a JSON-lines file', GD_KEY, `${BOM}{"id":"a","updatedAt":"2026-11-21T10:00:00Z"}\n{"id":"b","updatedAt":"2026-11-21T10:00:00Z"}\n`, true, 2],
    ['a text file', S3_KEY, `${BOM}${accessLine}\n${accessLine.replace('REQ1', 'REQ2')}\n`, true, 2],
    ['a header-line (csv) file', VPC_KEY, `${BOM}${flowHeader}\n${flowLine}\n`, false, 1],
  ])('is skipped in %s: no record is lost', async (_name, key, body, gzip, n) => {
    const items = await run(p, key, body, { gzip });
    expect(errors(items)).toEqual([]);
    expect(docs(items)).toHaveLength(n);
    expect(summary(items)).toMatchObject({ totalRecords: n, emitted: n, failed: 0 });
    for (const d of docs(items)) expect(JSON.stringify(d._source)).not.toContain(BOM);
  });

  it('is skipped when it is split across chunks of the body', async () => {
    const bytes = Buffer.from(`${BOM}{"id":"a","updatedAt":"2026-11-21T10:00:00Z"}\n`);
    const items: PipelineItem[] = [];
    for await (const i of p.process({ bucket: 'b', key: GD_KEY }, Readable.from([bytes.subarray(0, 1), bytes.subarray(1, 2), bytes.subarray(2)]))) items.push(i);
    expect(docs(items).map((d) => d._id)).toEqual(['a']);
  });

  it('is kept inside a record, where it is data', async () => {
    const items = await run(p, GD_KEY, `{"id":"a","updatedAt":"2026-11-21T10:00:00Z","note":"${BOM}x"}`);
    expect(docs(items)[0]!._source.note).toBe(`${BOM}x`);
  });
});

describe('Pipeline: compression and text are decided by the content, not the key', () => {
  const p = pipeline();
  // Not text: a PNG signature (NUL at byte 8), and bytes that are not UTF-8 (no NUL).
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), Buffer.alloc(2000, 0x41)]);
  const latin = Buffer.from(Array.from({ length: 1500 }, (_, i) => 0x80 + (i % 0x80)));
  async function thrown(key: string, body: Buffer): Promise<unknown> {
    try {
      await run(p, key, body, { gzip: false });
    } catch (err) {
      return err;
    }
    return undefined;
  }

  it.each([
    ['bytes with a NUL', png, 'is neither gzip (it does not start with the magic bytes 1f 8b) nor text (byte 8 is NUL)'],
    ['bytes that are not UTF-8', latin, 'is neither gzip (it does not start with the magic bytes 1f 8b) nor text (its first 1024 bytes are not valid UTF-8)'],
    ['gzip magic bytes followed by garbage', Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.alloc(100, 0x41)]), 'starts like gzip (magic bytes 1f 8b) but is not valid gzip: gzip data is corrupt (unknown compression method)'],
    ['gzip of binary content', gzipSync(png), 'is gzip, but what it contains is not text (byte 8 is NUL)'],
  ])('an object of %s named .json.gz is unreadable as a whole: UnreadableObjectError, nothing yielded', async (_name, body, what) => {
    const err = await thrown(CT_KEY, body);
    expect(err).toBeInstanceOf(UnreadableObjectError);
    expect(err).toMatchObject({ what, key: CT_KEY, message: `${CT_KEY}: ${what}` });
  });

  it('reads text whatever the key says, also when a multi-byte character straddles the bytes it looks at', async () => {
    const line = (id: string, pad: string) => JSON.stringify({ id, updatedAt: '2026-11-21T10:00:00Z', title: `${pad}${'é'.repeat(700)}` });
    // With or without one more ASCII byte before them, one of the two-byte characters is cut at byte 1024.
    const pad = Buffer.from(line('a', '')).subarray(0, 1024).toString('utf8').endsWith('\uFFFD') ? '' : 'x';
    const body = `${line('a', pad)}\n${line('b', pad)}\n`;
    expect(Buffer.from(body).subarray(0, 1024).toString('utf8').endsWith('\uFFFD')).toBe(true);
    for (const gzip of [true, false]) expect(docs(await run(p, GD_KEY, body, { gzip })).map((d) => d._id)).toEqual(['a', 'b']);
  });

  it('reads a short text object (smaller than the bytes it looks at)', async () => {
    expect(docs(await run(p, GD_KEY, '{"id":"a","updatedAt":"2026-11-21T10:00:00Z"}', { gzip: false })).map((d) => d._id)).toEqual(['a']);
  });
});

describe('Pipeline: ranges for split objects', () => {
  const p = pipeline();
  const body = JSON.stringify({ Records: Array.from({ length: 25 }, (_, i) => ctEvent(i)) });

  it('yields only the records of the range but counts every record', async () => {
    const items = await run(p, CT_KEY, body, { range: { start: 10, end: 20 } });
    expect(docs(items).map((d) => d._id)).toEqual(Array.from({ length: 10 }, (_, i) => `id-${i + 10}`));
    expect(items.filter((i) => i.kind === 'document').map((i) => i.kind === 'document' && i.record)).toEqual(Array.from({ length: 10 }, (_, i) => i + 10));
    expect(summary(items)).toMatchObject({ totalRecords: 25, emitted: 10 });
  });

  it('covers every record exactly once across consecutive ranges', async () => {
    const ids: string[] = [];
    for (const range of [{ start: 0, end: 10 }, { start: 10, end: 20 }, { start: 20, end: 25 }]) ids.push(...docs(await run(p, CT_KEY, body, { range })).map((d) => d._id));
    expect(ids).toEqual(Array.from({ length: 25 }, (_, i) => `id-${i}`));
  });

  it('exposes max_log_count for splitting', () => {
    expect(p.resolveLogType(CT_KEY)).toMatchObject({ name: 'cloudtrail', maxLogCount: 50000, indexName: 'log-aws-cloudtrail' });
    expect(p.resolveLogType(VPC_KEY)?.maxLogCount).toBe(100000);
  });
});

describe('Pipeline: exclusion rules, ids, time zones', () => {
  it('skips records matching an exclude rule and says which rule', async () => {
    const p = pipeline({ userIni: '[cloudtrail]\nexclude[] = eventName = GetObject\nexclude[] = event.provider ~ ^athena\\.\n' });
    const body = JSON.stringify({ Records: [ctEvent(1), { ...ctEvent(2), eventName: 'PutObject' }, { ...ctEvent(3), eventName: 'X', eventSource: 'athena.amazonaws.com' }] });
    const items = await run(p, CT_KEY, body);
    expect(docs(items).map((d) => d._id)).toEqual(['id-2']);
    expect(items.filter((i) => i.kind === 'skipped')).toEqual([
      { kind: 'skipped', key: CT_KEY, record: 0, reason: 'excluded by [cloudtrail] exclude rule "eventName = GetObject"' },
      { kind: 'skipped', key: CT_KEY, record: 2, reason: 'excluded by [cloudtrail] exclude rule "event.provider ~ ^athena\\."' },
    ]);
    expect(summary(items)).toMatchObject({ totalRecords: 3, emitted: 1, skipped: 2 });
  });

  it('names indices by record time in index_tz with the configured rotation and suffix', async () => {
    const body = JSON.stringify({ Records: [{ ...ctEvent(0), eventTime: '2026-11-30T20:00:00Z' }] });
    const index = async (ini: string) => docs(await run(pipeline({ userIni: `[cloudtrail]\n${ini}` }), CT_KEY, body))[0]._index;
    expect(await index('index_rotation = monthly')).toBe('log-aws-cloudtrail-2026-11');
    expect(await index('index_rotation = monthly\nindex_tz = +09:00')).toBe('log-aws-cloudtrail-2026-12');
    expect(await index('index_rotation = daily\nindex_tz = -05:00')).toBe('log-aws-cloudtrail-2026-11-30');
    expect(await index('index_rotation = weekly')).toBe('log-aws-cloudtrail-2026-w49');
    expect(await index('index_rotation = yearly\nindex_suffix = org')).toBe('log-aws-cloudtrail-org-2026');
  });

  it('hashes records without an id so that the same record gets the same _id in any object', async () => {
    const line = '{"timestamp":"2026-11-22T06:00:00Z","index":"a"}';
    const a = docs(await run(pipeline(), 'AWSLogs/123456789012/OpenSearch/metrics/a.jsonl.gz', line))[0]._id;
    const b = docs(await run(pipeline(), 'AWSLogs/123456789012/OpenSearch/metrics/b.jsonl.gz', `${line}\n`))[0]._id;
    const c = docs(await run(pipeline(), 'AWSLogs/123456789012/OpenSearch/metrics/a.jsonl.gz', line.replace('"a"', '"b"')))[0]._id;
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(a).toMatch(/^[A-Za-z0-9_-]{27}$/);
  });

  it('stamps event.ingested from the clock', async () => {
    const [d] = docs(await run(pipeline(), CT_KEY, JSON.stringify({ Records: [ctEvent(0)] })));
    expect(d._source.event).toMatchObject({ ingested: NOW.toISOString() });
  });
});

describe('Pipeline.create', () => {
  it('reads the bundled aws.ini by default', () => {
    expect(Pipeline.create().logTypes.map((t) => t.name)).toContain('cloudtrail');
  });
});

describe('Pipeline: the consumer may stop early', () => {
  it('stops reading and closes the body when the caller breaks out of the loop', async () => {
    const lines = Array.from({ length: 50_000 }, (_, i) => JSON.stringify({ id: `f${i}`, updatedAt: '2026-11-21T10:00:00Z' })).join('\n');
    for (const data of [gzipSync(lines), Buffer.from(lines)]) {
      const body = Readable.from((function* () {
        for (let i = 0; i < data.length; i += 1024) yield data.subarray(i, i + 1024);
      })());
      let seen = 0;
      for await (const item of pipeline().process({ bucket: 'b', key: GD_KEY }, body)) {
        if (item.kind === 'document' && ++seen === 3) break;
      }
      expect(seen).toBe(3);
      expect(body.destroyed).toBe(true);
    }
  });
});

describe('Pipeline.processBatches', () => {
  it('yields the same items in the same order as process, a chunk at a time', async () => {
    const p = pipeline();
    const lines = Array.from({ length: 3000 }, (_, i) => (i === 1500 ? '{"id":"broken",' : JSON.stringify({ id: `f${i}`, updatedAt: '2026-11-21T10:00:00Z' }))).join('\n');
    const gz = gzipSync(lines);
    const body = () => Readable.from([gz.subarray(0, Math.floor(gz.length * 0.9))]);
    const single: PipelineItem[] = [];
    for await (const item of p.process({ bucket: 'b', key: GD_KEY }, body())) single.push(item);
    const batches: PipelineItem[][] = [];
    for await (const batch of p.processBatches({ bucket: 'b', key: GD_KEY }, body())) batches.push(batch);
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.flat()).toEqual(single);
    // A malformed line, a truncated stream and the summary all arrive, the summary last.
    expect(single.filter((i) => i.kind === 'record-error')).toHaveLength(2);
    expect(batches.at(-1)).toEqual([expect.objectContaining({ kind: 'summary' })]);
  });
});
