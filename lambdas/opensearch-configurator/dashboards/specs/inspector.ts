import { accountAndRegion, top, type DashboardSpec } from '../spec';

export const inspector: DashboardSpec = {
  name: 'inspector',
  title: 'Inspector Summary',
  description: 'Amazon Inspector findings: vulnerabilities by severity, CVE, resource type, status, account and affected instance.',
  indexPattern: 'log-aws-inspector-*',
  searchColumns: ['cloud.account.id', 'cloud.region', 'vulnerability.severity', 'vulnerability.id', 'cloud.instance.id', 'inspector.status', 'rule.name'],
  panels: [
    ...accountAndRegion('Inspector'),
    top('Inspector - Severity', 'vulnerability.severity', 5, 'pie'),
    top('Inspector - Finding type', 'inspector.type', 5, 'pie'),
    top('Inspector - Status', 'inspector.status', 5, 'pie'),
    top('Inspector - Resource type', 'inspector.resources.type', 10, 'pie'),
    { title: 'Inspector - Vulnerability and severity', kind: 'table', buckets: [{ type: 'terms', field: 'vulnerability.id', size: 50 }, { type: 'terms', field: 'vulnerability.severity', size: 5 }] },
    top('Inspector - Affected instance', 'cloud.instance.id', 20),
    { title: 'Inspector - Highest score by account', kind: 'table', metrics: [{ type: 'max', field: 'inspector.inspectorScore' }], buckets: [{ type: 'terms', field: 'cloud.account.id', size: 20 }] },
  ],
};
