import { accountAndRegion, top, type DashboardSpec } from '../spec';

const findings = { type: 'cardinality', field: '@id', label: 'Findings' } as const;
const severity = {
  type: 'filters',
  filters: ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'].map((s) => ({ label: s, query: `Severity.Label:${s}` })),
} as const;

export const securityhub: DashboardSpec = {
  name: 'securityhub',
  title: 'Security Hub Summary',
  description: 'Security Hub findings of every product (GuardDuty, Inspector, Access Analyzer, security standards): severity, type, product, account, resources, workflow and compliance.',
  indexPattern: 'log-aws-securityhub-*',
  searchColumns: ['cloud.account.id', 'cloud.region', 'ProductName', 'Severity.Label', 'Title', 'Workflow.Status', 'Compliance.Status'],
  panels: [
    ...accountAndRegion('SecurityHub', findings),
    { title: 'SecurityHub - Findings by severity', kind: 'metric', metrics: [findings], buckets: [severity], width: 24, height: 8 },
    { title: 'SecurityHub - Finding updates by severity over time', kind: 'histogram', buckets: [{ type: 'date_histogram' }, severity] },
    { title: 'SecurityHub - Findings by product', kind: 'pie', metrics: [findings], buckets: [{ type: 'terms', field: 'ProductName', size: 10 }] },
    { title: 'SecurityHub - Finding type and severity', kind: 'table', metrics: [findings], buckets: [{ type: 'terms', field: 'Types', size: 50 }, { type: 'terms', field: 'Severity.Label', size: 5 }] },
    { title: 'SecurityHub - Workflow status', kind: 'pie', metrics: [findings], buckets: [{ type: 'terms', field: 'Workflow.Status', size: 5 }] },
    { title: 'SecurityHub - Failed controls', kind: 'table', metrics: [findings], buckets: [{ type: 'terms', field: 'Compliance.SecurityControlId', size: 50 }, { type: 'terms', field: 'cloud.account.id', size: 20 }], query: 'Compliance.Status:FAILED' },
    { title: 'SecurityHub - Affected instance', kind: 'table', metrics: [findings], buckets: [{ type: 'terms', field: 'cloud.instance.id', size: 20 }] },
    { title: 'SecurityHub - Resource type', kind: 'pie', metrics: [findings], buckets: [{ type: 'terms', field: 'Resources.Type', size: 10 }] },
    { title: 'SecurityHub - GuardDuty threat purpose', kind: 'pie', metrics: [findings], buckets: [{ type: 'terms', field: 'ThreatPurpose', size: 15 }] },
    { title: 'SecurityHub - Network direction', kind: 'table', metrics: [findings], buckets: [{ type: 'terms', field: 'network.direction', size: 5 }] },
    top('SecurityHub - Source IP', 'source.ip', 20),
  ],
};
