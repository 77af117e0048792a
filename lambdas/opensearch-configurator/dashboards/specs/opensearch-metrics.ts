import { type DashboardSpec } from '../spec';

export const opensearchMetrics: DashboardSpec = {
  name: 'opensearch-metrics',
  title: 'OpenSearch Metrics',
  description: 'The domain itself, from the hourly index metrics exporter (the reference index-metrics schema, opensearch.*): index sizes and document counts, shard sizes per node, node heap and disk.',
  indexPattern: 'metrics-opensearch-index-*',
  searchColumns: ['metricset.name', 'opensearch.index.name', 'opensearch.index.primaries.docs.count', 'opensearch.index.total.store.size_in_bytes', 'opensearch.shard.source_node.name', 'opensearch.node.name'],
  panels: [
    { title: 'OpenSearch - Largest indices (bytes)', kind: 'table', metrics: [{ type: 'max', field: 'opensearch.index.total.store.size_in_bytes' }, { type: 'max', field: 'opensearch.index.primaries.docs.count' }], buckets: [{ type: 'terms', field: 'opensearch.index.name', size: 20 }], query: 'metricset.name:index' },
    { title: 'OpenSearch - Store size over time', kind: 'line', metrics: [{ type: 'sum', field: 'opensearch.index.total.store.size_in_bytes' }], buckets: [{ type: 'date_histogram' }], query: 'metricset.name:index' },
    { title: 'OpenSearch - Shard size by node', kind: 'table', metrics: [{ type: 'sum', field: 'opensearch.shard.store.size_in_bytes' }], buckets: [{ type: 'terms', field: 'opensearch.shard.source_node.name', size: 20 }], query: 'metricset.name:shard' },
    { title: 'OpenSearch - Node heap used (%)', kind: 'line', metrics: [{ type: 'max', field: 'opensearch.node.jvm.mem.heap_used_percent' }], buckets: [{ type: 'date_histogram' }, { type: 'terms', field: 'opensearch.node.name', size: 10 }], query: 'metricset.name:node' },
    { title: 'OpenSearch - Node disk available (bytes)', kind: 'table', metrics: [{ type: 'min', field: 'opensearch.node.fs.total.available_in_bytes' }], buckets: [{ type: 'terms', field: 'opensearch.node.name', size: 10 }], query: 'metricset.name:node' },
  ],
};
