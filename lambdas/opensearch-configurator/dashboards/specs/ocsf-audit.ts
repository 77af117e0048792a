import { accountAndRegion, top, trend, type DashboardSpec, type PanelSpec } from '../spec';

/**
 * OCSF audit activity (Security Lake and OCSF JSON, index log-ocsf-audit-*: category 3, API Activity of
 * CloudTrail and others). The questions of the reference's "OCSF AuditActivity Summary": by account,
 * Region, source country/IP/AS, API service and operation, error code, browser, IoC matches; plus who
 * calls and what failed. The panels read the log-ocsf-* family filtered to the audit category.
 */
const AUDIT = 'category_uid:3';
const FAILED = `${AUDIT} AND api.response.error:*`;
const audit = (p: PanelSpec): PanelSpec => ({ ...p, query: p.query ?? AUDIT });

export const ocsfAudit: DashboardSpec = {
  name: 'ocsf-audit',
  title: 'OCSF Audit Activity Summary',
  description:
    'Amazon Security Lake / OCSF audit activity (category 3: API calls, account changes): by AWS account and Region, source IP, country and AS, API service and operation over time, error codes, users, browsers, and IoC matches.',
  indexPattern: 'log-ocsf-*',
  searchColumns: ['class_name', 'api.service.name', 'api.operation', 'api.response.error', 'user.name', 'source.ip', 'user_agent.original', 'status'],
  panels: [
    ...accountAndRegion('OCSF Audit').map(audit),
    audit({ title: 'OCSF Audit - API calls', kind: 'metric', width: 12, height: 8 }),
    audit({ title: 'OCSF Audit - Failed API calls', kind: 'metric', query: FAILED, width: 12, height: 8 }),
    audit({ title: 'OCSF Audit - Users', kind: 'metric', metrics: [{ type: 'cardinality', field: 'user.name' }], width: 12, height: 8 }),
    audit({ title: 'OCSF Audit - Source IPs', kind: 'metric', metrics: [{ type: 'cardinality', field: 'source.ip' }], width: 12, height: 8 }),
    audit(top('OCSF Audit - Source country', 'source.geo.country_name', 15, 'pie')),
    audit(top('OCSF Audit - Source country code', 'source.geo.country_iso_code', 30, 'table')),
    audit({ title: 'OCSF Audit - Source IP', kind: 'table', buckets: [{ type: 'terms', field: 'source.ip', size: 50 }, { type: 'terms', field: 'user.name', size: 5 }] }),
    audit(top('OCSF Audit - Source AS organization', 'source.as.organization.name', 10, 'pie')),
    audit(top('OCSF Audit - API service', 'api.service.name', 15, 'pie')),
    audit(trend('OCSF Audit - API service over time', 'api.service.name', 10)),
    audit(top('OCSF Audit - API operation', 'api.operation', 20, 'pie')),
    audit(trend('OCSF Audit - API operation over time', 'api.operation', 10)),
    audit({ title: 'OCSF Audit - Error code', kind: 'pie', buckets: [{ type: 'terms', field: 'api.response.error', size: 15 }], query: FAILED }),
    audit({ ...trend('OCSF Audit - Error code over time', 'api.response.error', 10), query: FAILED }),
    audit({ title: 'OCSF Audit - Failed calls by user and operation', kind: 'table', buckets: [{ type: 'terms', field: 'user.name', size: 20 }, { type: 'terms', field: 'api.operation', size: 10 }], query: FAILED }),
    audit({ title: 'OCSF Audit - Users and their operations', kind: 'table', buckets: [{ type: 'terms', field: 'user.name', size: 30 }, { type: 'terms', field: 'api.operation', size: 10 }], width: 48 }),
    audit(top('OCSF Audit - Event class', 'class_name', 10, 'pie')),
    audit(top('OCSF Audit - User agent browser', 'user_agent.name', 10, 'pie')),
    audit(top('OCSF Audit - Matched IoC', 'threat.matched.providers', 10, 'table')),
  ],
};
