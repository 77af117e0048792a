/**
 * The compact form in which a dashboard is written: an index pattern, a saved search with its columns,
 * and panels that each name one aggregation (metrics over buckets). generate.ts turns a spec into
 * OpenSearch Dashboards saved objects with stable ids; the tests check every field a panel aggregates
 * against the loader's index templates and run every panel's aggregation on the fixtures.
 *
 * Queries and filters are Lucene query strings (`query_string` syntax), so that a panel's search is the
 * same in Dashboards and in the tests' `_search`.
 */

/** A metric of a panel. `count` counts documents; the others aggregate one field. */
export type MetricSpec =
  | { readonly type: 'count'; readonly label?: string }
  | { readonly type: 'sum' | 'avg' | 'max' | 'min'; readonly field: string; readonly label?: string }
  | { readonly type: 'cardinality'; readonly field: string; readonly label?: string };

/** A bucket aggregation: the first one splits the slices/rows/x-axis, a second one splits series or sub-rows. */
export type BucketSpec =
  | { readonly type: 'terms'; readonly field: string; readonly size?: number; readonly label?: string }
  | { readonly type: 'date_histogram'; readonly field?: string }
  | { readonly type: 'filters'; readonly filters: readonly { readonly label: string; readonly query: string }[] };

export type PanelKind = 'pie' | 'table' | 'histogram' | 'horizontal_bar' | 'line' | 'area' | 'metric';

export interface PanelSpec {
  /** Shown on the panel; also the seed of its id (keep it stable). */
  readonly title: string;
  readonly kind: PanelKind;
  /** Default: a document count. */
  readonly metrics?: readonly MetricSpec[];
  readonly buckets?: readonly BucketSpec[];
  /** Lucene query applied to this panel only. */
  readonly query?: string;
  /** Width in grid columns (of 48). Default 24 (half the width); height default 15. */
  readonly width?: number;
  readonly height?: number;
}

export interface DashboardSpec {
  /** File name of the NDJSON (`<name>.ndjson`) and the seed of every id in it. */
  readonly name: string;
  readonly title: string;
  readonly description: string;
  /** The index pattern the panels read, e.g. `log-aws-cloudtrail-*`. */
  readonly indexPattern: string;
  /** The saved search of the family: its columns (besides the time). */
  readonly searchColumns: readonly string[];
  readonly panels: readonly PanelSpec[];
}

/** Fields every log family has (basic fields of the loader, issue 13). */
export const ACCOUNT = 'cloud.account.id';
export const REGION = 'cloud.region';

/** Two panels every AWS dashboard of the reference opens with: events per account and per region. */
export function accountAndRegion(prefix: string, metric?: MetricSpec): PanelSpec[] {
  const metrics = metric ? [metric] : undefined;
  return [
    { title: `${prefix} - AWS account`, kind: 'histogram', metrics, buckets: [{ type: 'terms', field: ACCOUNT, size: 10 }] },
    { title: `${prefix} - Region`, kind: 'histogram', metrics, buckets: [{ type: 'terms', field: REGION, size: 10 }] },
  ];
}

/** Count over time split by the top values of a field. */
export function trend(title: string, field: string, size = 10, kind: PanelKind = 'area'): PanelSpec {
  return { title, kind, buckets: [{ type: 'date_histogram' }, { type: 'terms', field, size }] };
}

export function top(title: string, field: string, size = 10, kind: PanelKind = 'table'): PanelSpec {
  return { title, kind, buckets: [{ type: 'terms', field, size }] };
}
