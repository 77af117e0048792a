import { top, trend, type DashboardSpec } from '../spec';

export const cloudfront: DashboardSpec = {
  name: 'cloudfront',
  title: 'CloudFront Summary',
  description: 'CloudFront standard and real-time logs: edge locations, status codes, cache results, latency, sizes, TLS and clients.',
  indexPattern: 'log-aws-cloudfront-*',
  searchColumns: ['distribution_id', 'x_edge_location', 'source.ip', 'http.request.method', 'url.domain', 'url.path', 'http.response.status_code', 'x_edge_result_type'],
  panels: [
    top('CloudFront - AWS account', 'cloud.account.id', 10, 'histogram'),
    top('CloudFront - Edge location', 'x_edge_location', 10, 'histogram'),
    { title: 'CloudFront - Distribution and domain', kind: 'table', buckets: [{ type: 'terms', field: 'distribution_id', size: 100 }, { type: 'terms', field: 'url.domain', size: 10 }] },
    trend('CloudFront - Status code over time', 'http.response.status_code'),
    top('CloudFront - Status code', 'http.response.status_code', 10, 'pie'),
    top('CloudFront - Edge result type', 'x_edge_result_type', 10, 'pie'),
    { title: 'CloudFront - Request and response size', kind: 'area', metrics: [{ type: 'sum', field: 'http.request.bytes', label: 'Request bytes' }, { type: 'sum', field: 'http.response.bytes', label: 'Response bytes' }], buckets: [{ type: 'date_histogram' }] },
    { title: 'CloudFront - Time taken by result type (seconds)', kind: 'table', metrics: [{ type: 'avg', field: 'time_taken', label: 'Average' }, { type: 'max', field: 'time_taken', label: 'Maximum' }], buckets: [{ type: 'terms', field: 'x_edge_result_type', size: 10 }] },
    { title: 'CloudFront - Maximum latency by country', kind: 'table', metrics: [{ type: 'max', field: 'time_taken' }], buckets: [{ type: 'terms', field: 'source.geo.country_iso_code', size: 50 }] },
    top('CloudFront - URL scheme', 'url.scheme', 10, 'pie'),
    top('CloudFront - TLS protocol', 'ssl_protocol', 10, 'pie'),
    top('CloudFront - TLS cipher', 'ssl_cipher', 30),
    top('CloudFront - Source IP', 'source.ip', 10, 'pie'),
    { title: 'CloudFront - Top requests', kind: 'table', buckets: [{ type: 'terms', field: 'url.domain', size: 10 }, { type: 'terms', field: 'url.path', size: 10 }] },
    top('CloudFront - Referrer', 'http.request.referrer'),
    top('CloudFront - User agent', 'user_agent.original'),
    top('CloudFront - Browser', 'user_agent.name', 10, 'pie'),
    top('CloudFront - Operating system', 'user_agent.os.name', 10, 'pie'),
  ],
};
