import { accountAndRegion, top, trend, type DashboardSpec, type PanelSpec } from '../spec';

/** Access logs of Apache and NGINX (event.module `access`); their error logs are event.module `error`. */
const ACCESS = 'event.module:access';
const ERRORS = 'event.module:error';

const access = (title: string, field: string, size = 10, kind: PanelSpec['kind'] = 'table'): PanelSpec => ({ ...top(title, field, size, kind), query: ACCESS });

export const web: DashboardSpec = {
  name: 'web',
  title: 'Web Server Summary (Apache, NGINX)',
  description: 'Apache and NGINX access and error logs: requests over time, status codes, methods, clients and their countries, URLs, referrers, user agents, response sizes, and the error logs by level, module, error code, URL and client.',
  indexPattern: 'log-web-*',
  searchColumns: ['cloud.instance.id', 'event.dataset', 'source.ip', 'http.request.method', 'url.original', 'http.response.status_code', 'log.level', 'error.message'],
  panels: [
    ...accountAndRegion('Web'),
    { title: 'Web - Requests', kind: 'metric', query: ACCESS, width: 12, height: 8 },
    { title: 'Web - Error log entries', kind: 'metric', query: ERRORS, width: 12, height: 8 },
    { title: 'Web - Unique client IPs', kind: 'metric', metrics: [{ type: 'cardinality', field: 'source.ip' }], query: ACCESS, width: 12, height: 8 },
    { title: 'Web - Log source (server and log)', kind: 'pie', buckets: [{ type: 'terms', field: 'event.dataset', size: 10 }], width: 12, height: 8 },
    { ...trend('Web - Requests over time by status code', 'http.response.status_code', 10, 'histogram'), query: ACCESS },
    access('Web - HTTP status code', 'http.response.status_code', 20, 'pie'),
    { ...trend('Web - Requests over time by method', 'http.request.method', 10, 'line'), query: ACCESS },
    access('Web - HTTP request method', 'http.request.method', 10, 'pie'),
    { title: 'Web - Status code by method', kind: 'table', buckets: [{ type: 'terms', field: 'http.request.method', size: 10 }, { type: 'terms', field: 'http.response.status_code', size: 10 }], query: ACCESS },
    access('Web - URL scheme', 'url.scheme', 5, 'pie'),
    access('Web - Client IP', 'source.ip', 20),
    access('Web - Client country', 'source.geo.country_name', 20, 'pie'),
    access('Web - Client AS organization', 'source.as.organization.name', 20, 'pie'),
    { title: 'Web - Response bytes by client IP', kind: 'table', metrics: [{ type: 'sum', field: 'http.response.body.bytes', label: 'Response body bytes' }], buckets: [{ type: 'terms', field: 'source.ip', size: 20 }], query: ACCESS },
    access('Web - URL domain', 'url.domain', 20),
    access('Web - URL path', 'url.path', 20),
    access('Web - URL query string', 'url.query', 20),
    access('Web - URL extension', 'url.extension', 20),
    access('Web - Referrer', 'http.request.referrer', 20),
    access('Web - User agent', 'user_agent.original', 20),
    access('Web - User agent name', 'user_agent.name', 10, 'pie'),
    access('Web - User agent OS', 'user_agent.os.name', 10, 'pie'),
    access('Web - User agent device', 'user_agent.device.name', 10, 'pie'),
    top('Web - EC2 instance', 'cloud.instance.id', 20),
    { title: 'Web - IoC matches by provider', kind: 'table', buckets: [{ type: 'terms', field: 'threat.matched.providers', size: 10 }, { type: 'terms', field: 'threat.matched.indicators', size: 20 }] },
    { ...trend('Web - Error log entries over time by level', 'log.level', 10, 'histogram'), query: ERRORS },
    { title: 'Web - Error log level', kind: 'pie', buckets: [{ type: 'terms', field: 'log.level', size: 10 }], query: ERRORS },
    { title: 'Web - Apache error module', kind: 'pie', buckets: [{ type: 'terms', field: 'apache.error.module', size: 10 }], query: ERRORS },
    // error.message is full text (not aggregatable): the error code (Apache's AHnnnnn) and the URL stand for it.
    { title: 'Web - Apache error code', kind: 'table', buckets: [{ type: 'terms', field: 'error.code', size: 20 }, { type: 'terms', field: 'apache.error.module', size: 5 }], query: ERRORS },
    { title: 'Web - Error log URL path', kind: 'table', buckets: [{ type: 'terms', field: 'url.path', size: 20 }, { type: 'terms', field: 'log.level', size: 5 }], query: ERRORS },
    { title: 'Web - Error log client IP', kind: 'table', buckets: [{ type: 'terms', field: 'source.ip', size: 20 }, { type: 'terms', field: 'log.level', size: 5 }], query: ERRORS },
  ],
};
