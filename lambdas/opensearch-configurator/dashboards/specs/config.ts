import { accountAndRegion, top, trend, type DashboardSpec } from '../spec';

export const config: DashboardSpec = {
  name: 'config',
  title: 'Config Summary',
  description: 'AWS Config configuration history, snapshots and rule compliance changes: changed resources and non-compliant rules per account.',
  indexPattern: 'log-aws-config-*',
  searchColumns: ['cloud.account.id', 'cloud.region', 'resourceType', 'resourceId', 'configurationItemStatus', 'configRuleName', 'event.outcome'],
  panels: [
    ...accountAndRegion('Config'),
    top('Config - Resource type', 'resourceType', 20),
    trend('Config - Configuration item status over time', 'configurationItemStatus', 5, 'histogram'),
    { title: 'Config - Non-compliant rules', kind: 'table', buckets: [{ type: 'terms', field: 'configRuleName', size: 50 }, { type: 'terms', field: 'cloud.account.id', size: 20 }], query: 'newEvaluationResult.complianceType:NON_COMPLIANT' },
    top('Config - Compliance', 'newEvaluationResult.complianceType', 5, 'pie'),
    top('Config - Outcome', 'event.outcome', 5, 'pie'),
  ],
};
