import { top, trend, type DashboardSpec } from '../spec';

export const s3accesslog: DashboardSpec = {
  name: 's3accesslog',
  title: 'S3 Access Log Summary',
  description: 'S3 server access logs: operations, errors (client, server, throttling) per bucket, requesters, keys and sources.',
  indexPattern: 'log-aws-s3accesslog-*',
  searchColumns: ['Bucket', 'Operation', 'Key', 'Requester', 'source.ip', 'HTTPstatus', 'ErrorCode'],
  panels: [
    top('S3Accesslog - Region', 'cloud.region', 10, 'histogram'),
    { title: 'S3Accesslog - Errors', kind: 'metric', buckets: [{ type: 'filters', filters: [{ label: 'Client errors (4xx)', query: 'http.response.status_code:[400 TO 499]' }, { label: 'Server errors (5xx)', query: 'http.response.status_code:[500 TO 599]' }, { label: 'Throttling (503)', query: 'http.response.status_code:503' }] }], width: 24, height: 8 },
    { title: 'S3Accesslog - Error code by bucket', kind: 'histogram', buckets: [{ type: 'terms', field: 'Bucket', size: 10 }, { type: 'terms', field: 'ErrorCode', size: 5 }], query: 'http.response.status_code:[400 TO *]' },
    { title: 'S3Accesslog - Error code', kind: 'pie', buckets: [{ type: 'terms', field: 'ErrorCode', size: 10 }], query: 'http.response.status_code:[400 TO *]' },
    trend('S3Accesslog - HTTP status over time', 'HTTPstatus', 5),
    top('S3Accesslog - Operation', 'Operation', 10, 'pie'),
    trend('S3Accesslog - Operation over time', 'Operation', 5),
    top('S3Accesslog - Requests by bucket', 'Bucket', 10, 'histogram'),
    top('S3Accesslog - Request URI key', 'RequestURI_key'),
    top('S3Accesslog - Requester', 'Requester'),
    top('S3Accesslog - Source IP', 'source.ip'),
    top('S3Accesslog - Source country', 'source.geo.country_name', 20),
    { title: 'S3Accesslog - Bytes sent by bucket', kind: 'table', metrics: [{ type: 'sum', field: 'http.response.bytes' }], buckets: [{ type: 'terms', field: 'Bucket', size: 10 }] },
  ],
};
