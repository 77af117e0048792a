import { accountAndRegion, top, trend, type DashboardSpec } from '../spec';

export const elb: DashboardSpec = {
  name: 'elb',
  title: 'ELB Summary',
  description: 'Application, Classic and Network Load Balancer access logs: status codes, transfer sizes, processing times, TLS, clients and URLs.',
  indexPattern: 'log-aws-elb-*',
  searchColumns: ['cloud.account.id', 'elb', 'source.ip', 'http.request.method', 'url.domain', 'url.path', 'http.response.status_code', 'user_agent.original'],
  panels: [
    ...accountAndRegion('ELB'),
    top('ELB - HTTP status code', 'http.response.status_code', 20, 'pie'),
    trend('ELB - HTTP status code over time', 'http.response.status_code', 20, 'histogram'),
    { title: 'ELB - Transfer size', kind: 'line', metrics: [{ type: 'sum', field: 'http.request.bytes', label: 'Request bytes' }, { type: 'sum', field: 'http.response.bytes', label: 'Response bytes' }], buckets: [{ type: 'date_histogram' }] },
    {
      title: 'ELB - Processing time (seconds)',
      kind: 'line',
      metrics: [{ type: 'avg', field: 'request_processing_time', label: 'Request' }, { type: 'avg', field: 'target_processing_time', label: 'Target' }, { type: 'avg', field: 'response_processing_time', label: 'Response' }],
      buckets: [{ type: 'date_histogram' }],
      // -1 means the load balancer could not dispatch the request (ALB access log documentation).
      query: 'NOT request_processing_time:\\-1',
    },
    top('ELB - HTTP protocol', 'http_protocol', 10, 'pie'),
    top('ELB - HTTP request method', 'http.request.method', 10, 'pie'),
    top('ELB - TLS protocol', 'ssl_protocol', 10, 'pie'),
    top('ELB - TLS cipher', 'ssl_cipher', 10, 'pie'),
    top('ELB - URL domain', 'url.domain', 20),
    top('ELB - URL path', 'url.path', 20),
    top('ELB - User agent', 'user_agent.original', 20),
    top('ELB - Source country', 'source.geo.country_name', 20, 'pie'),
    top('ELB - Source IP', 'source.ip', 20),
    top('ELB - Destination (target) IP', 'destination.ip', 20),
  ],
};
