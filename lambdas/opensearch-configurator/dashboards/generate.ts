/**
 * Turns the dashboard specs (specs/) into OpenSearch Dashboards saved objects: per dashboard an
 * index pattern (time field @timestamp), a saved search with the family's columns, one visualization
 * per panel and the dashboard. Ids are derived from the spec names (UUID-shaped SHA-1 digests), so
 * they are stable: re-importing replaces the same objects, and a user's copy under another id is
 * never touched. `dashboardFiles()` is what the configurator imports and what is checked in as
 * NDJSON under dashboards/ndjson/ (one file per dashboard, importable by hand).
 */
import { createHash } from 'node:crypto';
import type { BucketSpec, DashboardSpec, MetricSpec, PanelKind, PanelSpec } from './spec';
import { DASHBOARDS } from './specs';

export interface SavedObject {
  readonly type: 'index-pattern' | 'search' | 'visualization' | 'dashboard';
  readonly id: string;
  readonly attributes: Record<string, unknown>;
  readonly references: readonly { readonly name: string; readonly type: string; readonly id: string }[];
  /** The last saved-object migration the object's shape already has, so Dashboards runs none on import. */
  readonly migrationVersion: Readonly<Record<string, string>>;
}

/**
 * The newest migration of each type in OpenSearch Dashboards (forked from Kibana 7.10.2, whose exports
 * carry these): our objects are written in that shape.
 */
const MIGRATION_VERSION: Record<SavedObject['type'], string> = { 'index-pattern': '7.6.0', search: '7.9.3', visualization: '7.10.0', dashboard: '7.9.3' };
const migrated = <T extends Omit<SavedObject, 'migrationVersion'>>(o: T): SavedObject => ({ ...o, migrationVersion: { [o.type]: MIGRATION_VERSION[o.type] } });

export interface DashboardFile {
  /** `<spec name>.ndjson` */
  readonly fileName: string;
  /** Unset for index-patterns.ndjson. */
  readonly spec?: DashboardSpec;
  readonly objects: readonly SavedObject[];
}

/** A UUID-shaped id from a seed (SHA-1 name-based, as RFC 4122 version 5, in our own namespace string). */
export function stableId(seed: string): string {
  const h = createHash('sha1').update(`siem-on-opensearch-cdktf:${seed}`).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const indexPatternId = (pattern: string) => stableId(`index-pattern:${pattern}`);
export const searchId = (spec: DashboardSpec) => stableId(`search:${spec.name}`);
export const visualizationId = (spec: DashboardSpec, panel: PanelSpec) => stableId(`visualization:${spec.name}:${panel.title}`);
export const dashboardId = (spec: DashboardSpec) => stableId(`dashboard:${spec.name}`);

const INDEX_REF = 'kibanaSavedObjectMeta.searchSourceJSON.index';

function searchSource(query = ''): string {
  return JSON.stringify({ query: { query, language: 'lucene' }, filter: [], indexRefName: INDEX_REF });
}

export function indexPatternObject(pattern: string): SavedObject {
  // No `fields`: Dashboards reads them from the cluster when the pattern is first opened.
  return migrated({ type: 'index-pattern', id: indexPatternId(pattern), attributes: { title: pattern, timeFieldName: '@timestamp' }, references: [] });
}

/** The saved-object `visState` aggregation of a metric. */
function metricAgg(m: MetricSpec, id: string): Record<string, unknown> {
  const params: Record<string, unknown> = m.type === 'count' ? {} : { field: m.field };
  if (m.label) params.customLabel = m.label;
  return { id, enabled: true, type: m.type, schema: 'metric', params };
}

/** Schema (role) of the n-th bucket aggregation for a kind of panel. */
function bucketSchema(kind: PanelKind, n: number): string {
  if (kind === 'table') return 'bucket';
  if (kind === 'pie') return n === 0 ? 'segment' : 'split';
  if (kind === 'metric') return 'group';
  return n === 0 ? 'segment' : 'group';
}

function bucketAgg(b: BucketSpec, id: string, schema: string): Record<string, unknown> {
  switch (b.type) {
    case 'terms':
      return {
        id,
        enabled: true,
        type: 'terms',
        schema,
        params: { field: b.field, size: b.size ?? 10, order: 'desc', orderBy: '1', otherBucket: false, missingBucket: false, ...(b.label ? { customLabel: b.label } : {}) },
      };
    case 'date_histogram':
      return { id, enabled: true, type: 'date_histogram', schema, params: { field: b.field ?? '@timestamp', interval: 'auto', min_doc_count: 1, extended_bounds: {} } };
    case 'filters':
      return { id, enabled: true, type: 'filters', schema, params: { filters: b.filters.map((f) => ({ input: { query: f.query, language: 'lucene' }, label: f.label })) } };
  }
}

/** Visualization parameters per kind; Dashboards fills everything else from the type's defaults. */
function visParams(kind: PanelKind, metrics: readonly MetricSpec[]): Record<string, unknown> {
  switch (kind) {
    case 'pie':
      return { type: 'pie', addTooltip: true, addLegend: true, legendPosition: 'right', isDonut: true, labels: { show: false, values: true, last_level: true, truncate: 100 } };
    case 'table':
      return { perPage: 10, showPartialRows: false, showMetricsAtAllLevels: false, showTotal: false, totalFunc: 'sum', percentageCol: '', sort: { columnIndex: null, direction: null } };
    case 'metric':
      return { addTooltip: true, addLegend: false, type: 'metric', metric: { percentageMode: false, useRanges: false, colorSchema: 'Green to Red', metricColorMode: 'None', labels: { show: true }, style: { bgFill: '#000', bgColor: false, labelColor: false, subText: '', fontSize: 36 } } };
    default: {
      // Bar, line and area charts: one series per metric, all on the first value axis.
      const mode = kind === 'line' ? 'normal' : 'stacked';
      const seriesType = kind === 'horizontal_bar' ? 'histogram' : kind;
      return {
        type: kind,
        addTooltip: true,
        addLegend: true,
        legendPosition: 'right',
        seriesParams: metrics.map((m, i) => ({ show: true, type: seriesType, mode, data: { label: m.label ?? m.type, id: String(i + 1) }, valueAxis: 'ValueAxis-1', drawLinesBetweenPoints: true, showCircles: true })),
      };
    }
  }
}

export function visualizationObject(spec: DashboardSpec, panel: PanelSpec): SavedObject {
  const metrics = panel.metrics ?? [{ type: 'count' }];
  // Metric aggregations first (ids 1..n): terms buckets order by the first metric (orderBy "1").
  const aggs = [...metrics.map((m, i) => metricAgg(m, String(i + 1))), ...(panel.buckets ?? []).map((b, i) => bucketAgg(b, String(metrics.length + i + 1), bucketSchema(panel.kind, i)))];
  const visState = { title: panel.title, type: panel.kind, params: visParams(panel.kind, metrics), aggs };
  return migrated({
    type: 'visualization',
    id: visualizationId(spec, panel),
    attributes: {
      title: panel.title,
      description: '',
      visState: JSON.stringify(visState),
      uiStateJSON: '{}',
      version: 1,
      kibanaSavedObjectMeta: { searchSourceJSON: searchSource(panel.query) },
    },
    references: [{ name: INDEX_REF, type: 'index-pattern', id: indexPatternId(spec.indexPattern) }],
  });
}

export function searchObject(spec: DashboardSpec): SavedObject {
  return migrated({
    type: 'search',
    id: searchId(spec),
    attributes: {
      title: `${spec.title} - events`,
      description: `The ${spec.indexPattern} documents with the columns an analyst reads first.`,
      columns: [...spec.searchColumns],
      sort: [['@timestamp', 'desc']],
      version: 1,
      kibanaSavedObjectMeta: { searchSourceJSON: searchSource() },
    },
    references: [{ name: INDEX_REF, type: 'index-pattern', id: indexPatternId(spec.indexPattern) }],
  });
}

/** Panels flow left to right in rows of 48 grid columns. */
export function dashboardObject(spec: DashboardSpec): SavedObject {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  const panels = spec.panels.map((p, i) => {
    const w = p.width ?? 24;
    const h = p.height ?? 15;
    if (x + w > 48) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const gridData = { x, y, w, h, i: String(i + 1) };
    x += w;
    rowHeight = Math.max(rowHeight, h);
    return { version: '2.19.0', gridData, panelIndex: String(i + 1), embeddableConfig: {}, panelRefName: `panel_${i}` };
  });
  return migrated({
    type: 'dashboard',
    id: dashboardId(spec),
    attributes: {
      title: spec.title,
      description: spec.description,
      panelsJSON: JSON.stringify(panels),
      optionsJSON: JSON.stringify({ hideTitles: false, useMargins: true }),
      timeRestore: true,
      timeFrom: 'now-24h',
      timeTo: 'now',
      refreshInterval: { pause: true, value: 0 },
      version: 1,
      kibanaSavedObjectMeta: { searchSourceJSON: JSON.stringify({ query: { query: '', language: 'lucene' }, filter: [] }) },
    },
    references: spec.panels.map((p, i) => ({ name: `panel_${i}`, type: 'visualization', id: visualizationId(spec, p) })),
  });
}

/** The objects of one dashboard file, in import order (what is referenced comes first). */
export function dashboardObjects(spec: DashboardSpec): SavedObject[] {
  return [indexPatternObject(spec.indexPattern), searchObject(spec), ...spec.panels.map((p) => visualizationObject(spec, p)), dashboardObject(spec)];
}

/** Index patterns besides the families: every log index and every metrics index. */
export const EXTRA_INDEX_PATTERNS = ['log-*', 'metrics-*'] as const;

/** Columns of the saved search of a family that has no dashboard spec of its own. */
const GENERIC_COLUMNS = ['cloud.account.id', 'cloud.region', '@log_type', 'event.action', 'event.outcome', 'source.ip', 'destination.ip'];

export const INDEX_PATTERNS_FILE = 'index-patterns.ndjson';

/**
 * One file per dashboard, plus `index-patterns.ndjson`: an index pattern (and a saved search) for every
 * index family of the loader (`familyPatterns`, the index templates' patterns), `log-*` and `metrics-*`,
 * so that a family without a dashboard is still one click away in Discover.
 */
export function dashboardFiles(familyPatterns: readonly string[], specs: readonly DashboardSpec[] = DASHBOARDS): DashboardFile[] {
  const files: DashboardFile[] = specs.map((spec) => ({ fileName: `${spec.name}.ndjson`, spec, objects: dashboardObjects(spec) }));
  const withDashboard = new Set(specs.map((s) => s.indexPattern));
  const patterns = [...new Set([...EXTRA_INDEX_PATTERNS, ...familyPatterns])].sort();
  const searches = patterns
    .filter((p) => !withDashboard.has(p) && p !== 'log-*' && p !== 'metrics-*')
    .map((p) => searchObject({ name: `family:${p}`, title: p.replace(/-\*$/, ''), description: '', indexPattern: p, searchColumns: GENERIC_COLUMNS, panels: [] }));
  files.push({ fileName: INDEX_PATTERNS_FILE, objects: [...patterns.map(indexPatternObject), ...searches] });
  return files;
}

export function toNdjson(objects: readonly SavedObject[]): string {
  return objects.map((o) => JSON.stringify(o)).join('\n') + '\n';
}

/** Every object of every file, each id once (index patterns are shared by files), in import order. */
export function allObjects(files: readonly DashboardFile[]): SavedObject[] {
  const seen = new Map<string, SavedObject>();
  for (const o of files.flatMap((f) => f.objects)) {
    const key = `${o.type}:${o.id}`;
    if (!seen.has(key)) seen.set(key, o);
  }
  // Index patterns first, then searches, visualizations, dashboards: references always point backwards.
  const order = ['index-pattern', 'search', 'visualization', 'dashboard'];
  return [...seen.values()].sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
}

/** The index patterns of the loader's index templates (`log-aws-cloudtrail-*`, ...). */
export function familyPatterns(templates: readonly { readonly kind?: string; readonly body: Record<string, unknown> }[]): string[] {
  return templates.flatMap((t) => (Array.isArray(t.body.index_patterns) ? (t.body.index_patterns as string[]) : []));
}
