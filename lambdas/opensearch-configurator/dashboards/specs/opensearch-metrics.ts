import { type DashboardSpec } from '../spec';

export const opensearchMetrics: DashboardSpec = {
  name: 'opensearch-metrics',
  title: 'OpenSearch Metrics',
  description: 'The domain itself, from the hourly index metrics exporter: index sizes and document counts, shard sizes per node, node heap and disk.',
  indexPattern: 'metrics-opensearch-index-*',
  searchColumns: ['metric_type', 'index.name', 'index.docs_count', 'index.store_size_bytes', 'shard.node', 'node.name'],
  panels: [
    { title: 'OpenSearch - Largest indices (bytes)', kind: 'table', metrics: [{ type: 'max', field: 'index.store_size_bytes' }, { type: 'max', field: 'index.docs_count' }], buckets: [{ type: 'terms', field: 'index.name', size: 20 }], query: 'metric_type:index' },
    { title: 'OpenSearch - Store size over time', kind: 'line', metrics: [{ type: 'sum', field: 'index.store_size_bytes' }], buckets: [{ type: 'date_histogram' }], query: 'metric_type:index' },
    { title: 'OpenSearch - Shard size by node', kind: 'table', metrics: [{ type: 'sum', field: 'shard.store_size_bytes' }], buckets: [{ type: 'terms', field: 'shard.node', size: 20 }], query: 'metric_type:shard' },
    { title: 'OpenSearch - Node heap used (%)', kind: 'line', metrics: [{ type: 'max', field: 'node.heap_used_percent' }], buckets: [{ type: 'date_histogram' }, { type: 'terms', field: 'node.name', size: 10 }], query: 'metric_type:node' },
    { title: 'OpenSearch - Node disk available (bytes)', kind: 'table', metrics: [{ type: 'min', field: 'node.disk_available_bytes' }], buckets: [{ type: 'terms', field: 'node.name', size: 10 }], query: 'metric_type:node' },
  ],
};
