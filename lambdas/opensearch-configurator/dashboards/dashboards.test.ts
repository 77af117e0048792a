import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loaderTemplates } from '../loader-templates';
import { accepts, dynamicType, familyMappings, fieldUses, mappedType, valuesAt } from './fields';
import { allObjects, dashboardFiles, dashboardId, familyPatterns, INDEX_PATTERNS_FILE, stableId, toNdjson, visualizationId, type SavedObject } from './generate';
import { DASHBOARDS } from './specs';
import { NDJSON_DIR } from './write';

const templates = loaderTemplates();
const files = dashboardFiles(familyPatterns(templates));

/** Every expected document of every log-type folder, by the index family (template name) it goes to. */
const LOG_TYPES = path.resolve(__dirname, '../../es-loader/log-types');
const docsByFamily = new Map<string, Record<string, unknown>[]>();
for (const dir of readdirSync(LOG_TYPES, { withFileTypes: true }).filter((d) => d.isDirectory())) {
  for (const f of readdirSync(path.join(LOG_TYPES, dir.name)).filter((n) => /^expected.*\.json$/.test(n))) {
    for (const d of JSON.parse(readFileSync(path.join(LOG_TYPES, dir.name, f), 'utf8')) as { _index: string; _source: Record<string, unknown> }[]) {
      const family = [...familyMappings(templates, d._index).keys()][0] ?? d._index;
      docsByFamily.set(family, [...(docsByFamily.get(family) ?? []), d._source]);
    }
  }
}

/**
 * Fields a panel aggregates that the field model does not make aggregatable yet. Each entry is a
 * panel kept on purpose (the reference has it) waiting for the typed field; the test fails when the
 * list and the findings differ, so a fixed field must be removed from here.
 */
const PENDING: string[] = [];

/**
 * Fields the loader adds at run time from the organization context (lambdas/es-loader/enrich/
 * organization.ts: the account's name from accounts/), absent from the fixtures' expected documents:
 * strings, so keywords through the templates' strings_as_keyword (the integration test loads with a
 * context and checks them with _field_caps).
 */
const ENRICHMENT_FIELDS: Record<string, string> = { 'cloud.account.name': 'keyword' };

/** Problems of every panel's fields against the templates and the expected documents. */
function fieldProblems(): string[] {
  const problems: string[] = [];
  for (const spec of DASHBOARDS) {
    const families = familyMappings(templates, spec.indexPattern);
    for (const { panel, use } of fieldUses(spec)) {
      const types = new Map<string, string>();
      for (const [family, props] of families) {
        const mapped = mappedType(props, use.field);
        if (mapped) types.set(family, mapped);
        else {
          const dyn = new Set((docsByFamily.get(family) ?? []).flatMap((d) => valuesAt(d, use.field)).map(dynamicType));
          if (dyn.size > 0) types.set(family, [...dyn].sort().join('|'));
        }
      }
      const where = `${spec.name} "${panel}": ${use.field}`;
      if (types.size === 0 && ENRICHMENT_FIELDS[use.field]) for (const family of families.keys()) types.set(family, ENRICHMENT_FIELDS[use.field]);
      if (types.size === 0) problems.push(`${where} is in no template and no document of ${spec.indexPattern}`);
      for (const [family, type] of types) if (!accepts(use.need, type)) problems.push(`${where} is ${type} in ${family}; ${use.aggregation} needs ${use.need}`);
    }
  }
  return problems;
}

describe('Dashboards: saved objects generated from the specs', () => {
  it('has one file per dashboard, each holding its index pattern, saved search, visualizations and dashboard', () => {
    expect(files.map((f) => f.fileName)).toEqual([...DASHBOARDS.map((d) => `${d.name}.ndjson`), INDEX_PATTERNS_FILE]);
    for (const f of files) {
      if (!f.spec) continue;
      expect(f.objects.map((o) => o.type)).toEqual(['index-pattern', 'search', ...f.spec.panels.map(() => 'visualization'), 'dashboard']);
      expect(f.objects[0].attributes).toEqual({ title: f.spec.indexPattern, timeFieldName: '@timestamp' });
    }
  });

  it('covers every index family of the loader and log-* / metrics-*', () => {
    const file = files.find((f) => f.fileName === INDEX_PATTERNS_FILE)!;
    const patterns = file.objects.filter((o) => o.type === 'index-pattern').map((o) => o.attributes.title as string);
    const families = templates.filter((t) => t.body.index_patterns).flatMap((t) => t.body.index_patterns as string[]);
    expect(patterns).toEqual([...new Set(['log-*', 'metrics-*', ...families])].sort());
    // A saved search for every family without a dashboard of its own.
    const searched = new Set([...file.objects.filter((o) => o.type === 'search').map((o) => o.references[0].id), ...DASHBOARDS.map((d) => files.find((f) => f.spec === d)!.objects[0].id)]);
    expect(file.objects.filter((o) => o.type === 'index-pattern' && !['log-*', 'metrics-*'].includes(o.attributes.title as string) && !searched.has(o.id)).map((o) => o.attributes.title)).toEqual([]);
  });

  it('checked-in NDJSON files are exactly what the specs generate (run dashboards/write.ts after a change)', () => {
    const onDisk = readdirSync(NDJSON_DIR).filter((n) => n.endsWith('.ndjson')).sort();
    const dashboards = files.filter((f) => f.spec);
    expect(onDisk).toEqual(dashboards.map((f) => f.fileName).sort());
    for (const f of dashboards) expect(readFileSync(path.join(NDJSON_DIR, f.fileName), 'utf8'), f.fileName).toBe(toNdjson(f.objects));
  });

  it('every line parses and every reference resolves inside its own file (each file imports alone)', () => {
    for (const f of files) {
      const lines = toNdjson(f.objects).trimEnd().split('\n');
      const objects = lines.map((l) => JSON.parse(l) as SavedObject);
      const ids = new Set(objects.map((o) => `${o.type}:${o.id}`));
      expect(ids.size, f.fileName).toBe(objects.length);
      for (const o of objects) {
        for (const r of o.references) expect(ids.has(`${r.type}:${r.id}`), `${f.fileName} ${o.type} ${String(o.attributes.title)} -> ${r.type}:${r.id}`).toBe(true);
        for (const k of ['visState', 'panelsJSON', 'optionsJSON', 'uiStateJSON']) if (typeof o.attributes[k] === 'string') JSON.parse(o.attributes[k] as string);
        const meta = o.attributes.kibanaSavedObjectMeta as { searchSourceJSON: string } | undefined;
        if (meta) JSON.parse(meta.searchSourceJSON);
      }
      const dash = objects.at(-1)!;
      if (dash.type !== 'dashboard') continue;
      expect((JSON.parse(dash.attributes.panelsJSON as string) as { panelRefName: string }[]).map((p) => p.panelRefName)).toEqual(dash.references.map((r) => r.name));
    }
  });

  it('ids are stable: derived from the spec and panel names only', () => {
    expect(stableId('dashboard:cloudtrail')).toBe('bfc9a4ee-c18a-5605-9dbc-eca06f2c103f');
    expect(dashboardId(DASHBOARDS.find((d) => d.name === 'cloudtrail')!)).toBe(stableId('dashboard:cloudtrail'));
    const all = allObjects(files);
    expect(new Set(all.map((o) => o.id)).size).toBe(all.length);
    const titles = DASHBOARDS.flatMap((d) => d.panels.map((p) => visualizationId(d, p)));
    expect(new Set(titles).size).toBe(titles.length);
  });

  it('every visualization states its aggregations in the form Dashboards reads (metric ids first, terms ordered by metric 1)', () => {
    const waf = files.find((f) => f.spec?.name === 'waf')!;
    const blocks = waf.objects.find((o) => o.attributes.title === 'AWSWAF - Blocks by rule')!;
    expect(JSON.parse(blocks.attributes.visState as string)).toEqual({
      title: 'AWSWAF - Blocks by rule',
      type: 'pie',
      params: { type: 'pie', addTooltip: true, addLegend: true, legendPosition: 'right', isDonut: true, labels: { show: false, values: true, last_level: true, truncate: 100 } },
      aggs: [
        { id: '1', enabled: true, type: 'count', schema: 'metric', params: {} },
        { id: '2', enabled: true, type: 'terms', schema: 'segment', params: { field: 'rule.name', size: 10, order: 'desc', orderBy: '1', otherBucket: false, missingBucket: false } },
      ],
    });
    expect(JSON.parse((blocks.attributes.kibanaSavedObjectMeta as { searchSourceJSON: string }).searchSourceJSON)).toEqual({ query: { query: 'event.action:BLOCK', language: 'lucene' }, filter: [], indexRefName: 'kibanaSavedObjectMeta.searchSourceJSON.index' });
  });

  it('RDS: the slowest statements of PostgreSQL and MySQL, ordered by their maximum query time, over both RDS index families', () => {
    const rds = files.find((f) => f.spec?.name === 'rds')!;
    expect(rds.objects[0].attributes).toEqual({ title: 'log-aws-rds-*', timeFieldName: '@timestamp' });
    const slowest = rds.objects.find((o) => o.attributes.title === 'RDS - Slowest statements')!;
    expect((JSON.parse(slowest.attributes.visState as string) as { aggs: unknown[] }).aggs).toEqual([
      { id: '1', enabled: true, type: 'max', schema: 'metric', params: { field: 'rds.query_time', customLabel: 'Max query time (s)' } },
      { id: '2', enabled: true, type: 'count', schema: 'metric', params: {} },
      { id: '3', enabled: true, type: 'terms', schema: 'bucket', params: { field: 'rds.query', size: 20, order: 'desc', orderBy: '1', otherBucket: false, missingBucket: false } },
      { id: '4', enabled: true, type: 'terms', schema: 'bucket', params: { field: 'rds.instance_identifier', size: 5, order: 'desc', orderBy: '1', otherBucket: false, missingBucket: false } },
    ]);
    expect(JSON.parse((slowest.attributes.kibanaSavedObjectMeta as { searchSourceJSON: string }).searchSourceJSON).query).toEqual({ query: 'postgresql.duration_ms:* OR event.module:slowquery', language: 'lucene' });
    // rds.query_time is a double in both families (text in the MySQL documents), so max works across them.
    for (const family of ['log-aws-rds-postgresql', 'log-aws-rds-mysql']) expect(mappedType(familyMappings(templates, `${family}-*`).get(family)!, 'rds.query_time'), family).toBe('double');
  });

  it('docs/dashboards.md names every dashboard, its file and every panel', () => {
    const doc = readFileSync(path.resolve(__dirname, '../../../docs/dashboards.md'), 'utf8');
    const missing = DASHBOARDS.flatMap((d) => [`### ${d.title} (\`${d.name}.ndjson\`, \`${d.indexPattern}\`)`, ...d.panels.map((p) => `| ${p.title} | ${p.kind} |`)]).filter((line) => !doc.includes(line));
    expect(missing).toEqual([]);
  });

  it('every field a panel aggregates exists in its index family and has a type the aggregation can use', () => {
    expect(fieldProblems()).toEqual(PENDING);
  });
});
