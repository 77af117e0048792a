import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { docs, expected, pipeline, run } from '../log-types/testing';
import { UnreadableObjectError } from '../errors';

const KEY = 'AWSLogs/123456789012/Linux/ap-northeast-1/secure/2026/11/21/10/aes-siem-linux-secure-1-2026-11-21-10-05-00-0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9';
const data = (f: string) => readFileSync(join(__dirname, 'testdata', f));

describe('bzip2 and zip objects (detected from content)', () => {
  const p = pipeline();

  it('reads a bzip2 object whatever its key says', async () => {
    const items = await run(p, KEY, data('linux_secure.json.bz2'), { gzip: false });
    expect(docs(items)).toEqual(expected('linux_secure'));
  });

  it('reads two bzip2 streams back to back as one object', async () => {
    const bz = data('linux_secure.json.bz2');
    const items = await run(p, KEY, Buffer.concat([bz, bz]), { gzip: false });
    expect(docs(items)).toHaveLength(22);
  });

  it('reads every file of a zip archive in order (directories skipped)', async () => {
    const items = await run(p, KEY, data('linux_secure.zip'), { gzip: false });
    expect(docs(items)).toEqual(expected('linux_secure'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', totalRecords: 11, emitted: 11, failed: 0 });
  });

  it('puts a line break between two text files of a zip when the first does not end with one', async () => {
    const lines = readFileSync(join(__dirname, '../log-types/clb/fixture.log'), 'utf8').split('\n').filter(Boolean);
    const zip = zipSync({ 'a.log': strToU8(lines[0]!), 'b.log': strToU8(`${lines[1]}\n`) });
    const key = 'AWSLogs/123456789012/elasticloadbalancing/ap-northeast-1/2026/11/21/123456789012_elasticloadbalancing_ap-northeast-1_my-loadbalancer_20261121T1140Z_10.0.0.1_1a2b3c4d.log';
    const items = await run(p, key, Buffer.from(zip), { gzip: false });
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'clb', totalRecords: 2, emitted: 2, failed: 0 });
    expect(docs(items).map((d) => d._source['@message'])).toEqual([lines[0], lines[1]]);
  });

  it('a corrupt bzip2 object is unreadable, named by its key', async () => {
    const bz = Buffer.from(data('linux_secure.json.bz2'));
    for (let i = 20; i < 60; i++) bz[i] = 0;
    await expect(run(p, KEY, bz, { gzip: false })).rejects.toThrow(UnreadableObjectError);
    await expect(run(p, KEY, bz, { gzip: false })).rejects.toThrow(/^.*starts like bzip2 \(magic bytes BZh\) but is not valid bzip2: bzip2 data is corrupt/);
  });

  it('a truncated zip archive: the records before the cut are kept, then one error naming the object', async () => {
    const items = await run(p, KEY, data('linux_secure.zip').subarray(0, 900), { gzip: false });
    expect(docs(items)).toEqual((expected('linux_secure') as unknown[]).slice(0, 6));
    expect(items.filter((i) => i.kind !== 'document')).toEqual([
      { kind: 'record-error', key: KEY, record: 6, reason: `${KEY}: after record 6 (records read so far: 6): zip data is truncated (invalid zip data); the rest of the object could not be read` },
      { kind: 'summary', key: KEY, logType: 'linux_secure', totalRecords: 6, emitted: 6, failed: 1, skipped: 0 },
    ]);
  });

  it('a zip archive broken in its first entry is unreadable, named by its key', async () => {
    const zip = Buffer.from(data('linux_secure.zip'));
    zip.fill(0xff, 4, 30);
    const err = await run(p, KEY, zip, { gzip: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnreadableObjectError);
    expect((err as Error).message).toMatch(new RegExp(`^${KEY}: starts like zip \\(magic bytes PK\\\\x03\\\\x04\\) but is not valid zip: `));
  });
});
