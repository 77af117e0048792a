import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY = 'ocsf-json/2026/11/25/ocsf-events.json';

describe('Log type: ocsf_json', () => {
  const p = pipeline();

  it('reads OCSF JSON lines into the expected documents (the securitylake mapping, event.module ocsf-json)', async () => {
    const items = await run(p, KEY, fixture('ocsf_json', 'fixture.jsonl'));
    expect(docs(items)).toEqual(expected('ocsf_json'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'ocsf_json', totalRecords: 8, emitted: 8, failed: 0, skipped: 0 });
  });

  it('gives the same documents as the parquet form of the same rows, but for empty values, module, dataset, key and id', async () => {
    // Parquet rows leave out null values and structs of nulls only, as the reference's (pandas, del_none).
    const strip = (v: unknown): unknown => {
      if (v === null || v === undefined) return undefined;
      if (Array.isArray(v)) return v.map(strip);
      if (typeof v !== 'object') return v;
      const out = Object.fromEntries(Object.entries(v).flatMap(([k, e]) => (strip(e) === undefined ? [] : [[k, strip(e)]])));
      return Object.keys(out).length ? out : undefined;
    };
    const json = docs(await run(p, KEY, fixture('ocsf_json', 'fixture.jsonl')));
    const parquet = expected('securitylake') as typeof json;
    expect(json.map((d) => d._index)).toEqual(parquet.map((d) => d._index));
    for (let i = 0; i < json.length; i++) {
      const a = strip({ ...json[i]!._source, event: undefined, '@log_s3key': undefined, '@id': undefined });
      const b = strip({ ...parquet[i]!._source, event: undefined, '@log_s3key': undefined, '@id': undefined });
      expect(a).toEqual(b);
    }
  });

  it('keeps the other records when one line is not JSON, naming key and record', async () => {
    const text = fixture('ocsf_json', 'fixture.jsonl').toString('utf8').split('\n');
    text.splice(2, 0, '{"time": 1795605300000, "category_uid": 4, "class_uid": }');
    const items = await run(p, KEY, text.join('\n'));
    expect(docs(items)).toHaveLength(8);
    const errors = items.filter((i) => i.kind === 'record-error') as Array<{ reason: string }>;
    expect(errors).toHaveLength(1);
    expect(errors[0]!.reason).toMatch(new RegExp(`^${KEY}: record 2 \\(line 3`));
  });

  it('is the section the reference names ocsf-json', () => {
    expect(p.resolveLogType(KEY)?.name).toBe('ocsf_json');
  });
});
