import { accountAndRegion, top, type DashboardSpec } from '../spec';

/** A finding is exported again at every update: distinct finding ids count findings, documents count updates. */
const findings = { type: 'cardinality', field: '@id', label: 'Findings' } as const;
/** The loader's severitylabel: GuardDuty's bands (GuardDuty user guide, "Severity levels for GuardDuty findings"). */
const severity = { type: 'filters', filters: ['critical', 'high', 'medium', 'low'].map((s) => ({ label: s[0].toUpperCase() + s.slice(1), query: `severitylabel:${s}` })) } as const;

export const guardduty: DashboardSpec = {
  name: 'guardduty',
  title: 'GuardDuty Summary',
  description: 'GuardDuty findings by severity, threat purpose and family, affected resource, account and region; remote sources and users.',
  indexPattern: 'log-aws-guardduty-*',
  searchColumns: ['cloud.account.id', 'cloud.region', 'severitylabel', 'type', 'ResourceTypeAffected', 'source.ip', 'title'],
  panels: [
    ...accountAndRegion('GuardDuty', findings),
    { title: 'GuardDuty - Findings by protection', kind: 'metric', metrics: [findings], buckets: [{ type: 'filters', filters: [{ label: 'EC2', query: 'ResourceTypeAffected:EC2' }, { label: 'IAM', query: 'ResourceTypeAffected:IAMUser' }, { label: 'Kubernetes', query: 'ResourceTypeAffected:Kubernetes' }, { label: 'S3', query: 'ResourceTypeAffected:S3' }, { label: 'Malware', query: 'ThreatFamilyName:(MaliciousFile OR SuspiciousFile)' }] }], width: 24, height: 8 },
    { title: 'GuardDuty - Findings by severity', kind: 'metric', metrics: [findings], buckets: [severity], width: 24, height: 8 },
    { title: 'GuardDuty - Finding updates by severity over time', kind: 'histogram', buckets: [{ type: 'date_histogram' }, severity] },
    { title: 'GuardDuty - Finding type', kind: 'table', buckets: [{ type: 'terms', field: 'type', size: 100 }] },
    { title: 'GuardDuty - Threat purpose', kind: 'pie', buckets: [{ type: 'terms', field: 'ThreatPurpose', size: 30 }] },
    { title: 'GuardDuty - Threat family', kind: 'pie', metrics: [findings], buckets: [{ type: 'terms', field: 'ThreatFamilyName', size: 30 }] },
    { title: 'GuardDuty - Resource type affected', kind: 'table', metrics: [findings], buckets: [{ type: 'terms', field: 'ResourceTypeAffected', size: 10 }] },
    { title: 'GuardDuty - Network direction', kind: 'table', metrics: [findings], buckets: [{ type: 'terms', field: 'network.direction', size: 5 }] },
    top('GuardDuty - Affected instance', 'resource.instanceDetails.instanceId', 10, 'pie'),
    top('GuardDuty - Remote IP', 'source.ip', 20),
    top('GuardDuty - Remote country', 'source.geo.country_name', 20),
    top('GuardDuty - User name', 'user.name', 10),
    top('GuardDuty - Threat list', 'typed.service.additionalInfo.threatListName', 10),
  ],
};
