import { describe, expect, it } from 'vitest';
import { isPlainObject } from '../../ecs/paths';
import { docs, fixture, pipeline, run } from '../testing';

const KEY = 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/21/111122223333_CloudTrail_us-east-1_20261121T1200Z_SHAPES.json.gz';

/**
 * Walks every document like OpenSearch's dynamic mapping would and records the JSON kind of each
 * field path, skipping the content of flat_object fields. Two kinds for one path = a mapping conflict.
 */
function fieldKinds(sources: Array<Record<string, unknown>>, flat: string[]): Map<string, Set<string>> {
  const kinds = new Map<string, Set<string>>();
  const add = (path: string, kind: string) => kinds.set(path, (kinds.get(path) ?? new Set()).add(kind));
  const walk = (v: unknown, path: string) => {
    if (flat.includes(path)) {
      add(path, isPlainObject(v) ? 'flat_object' : `not-an-object:${typeof v}`);
      return;
    }
    if (Array.isArray(v)) return v.forEach((e) => walk(e, path));
    if (v === null) return;
    if (isPlainObject(v)) {
      if (path) add(path, 'object');
      for (const [k, e] of Object.entries(v)) walk(e, path ? `${path}.${k}` : k);
      return;
    }
    add(path, typeof v);
  };
  sources.forEach((s) => walk(s, ''));
  return kinds;
}

describe('Log type: cloudtrail, polymorphic shapes', () => {
  it('loads 30+ distinct event shapes with no record lost', async () => {
    const items = await run(pipeline(), KEY, fixture('cloudtrail', 'shapes.json'));
    const summary = items.at(-1);
    expect(summary).toMatchObject({ kind: 'summary', failed: 0, skipped: 0 });
    expect(summary && summary.kind === 'summary' && summary.totalRecords).toBeGreaterThanOrEqual(30);
    expect(docs(items)).toHaveLength(summary && summary.kind === 'summary' ? summary.totalRecords : -1);
    const shapes = new Set(docs(items).map((d) => JSON.stringify(d._source.requestParameters ?? null).replace(/"[^"]*"(?!:)|\d+(\.\d+)?|true|false/g, '_')));
    expect(shapes.size).toBeGreaterThanOrEqual(25);
  });

  it('puts every polymorphic object in a flat_object field, so no field path ever has two JSON kinds', async () => {
    const p = pipeline();
    const flat = p.resolveLogType(KEY)!.flatObject;
    const sources = docs(await run(p, KEY, fixture('cloudtrail', 'shapes.json'))).map((d) => d._source);
    const kinds = fieldKinds(sources, flat);
    const conflicts = [...kinds].filter(([, k]) => k.size > 1).map(([path, k]) => `${path}: ${[...k].join('/')}`);
    expect(conflicts).toEqual([]);
    // the fixture really is polymorphic: without flat_object these paths would conflict
    const raw = JSON.parse(fixture('cloudtrail', 'shapes.json').toString()).Records as Array<Record<string, unknown>>;
    const rawConflicts = [...fieldKinds(raw, [])].filter(([, k]) => k.size > 1).map(([path]) => path);
    expect(rawConflicts).toEqual(expect.arrayContaining(['requestParameters.instanceType', 'additionalEventData.bytesTransferredIn', 'serviceEventDetails', 'responseElements._return']));
    expect(kinds.get('requestParameters')).toEqual(new Set(['flat_object']));
  });
});
