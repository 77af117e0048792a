import { top, type DashboardSpec } from '../spec';

export const trustedadvisor: DashboardSpec = {
  name: 'trustedadvisor',
  title: 'Trusted Advisor Summary',
  description: 'Trusted Advisor check results and flagged resources per account, category and status.',
  indexPattern: 'log-aws-trustedadvisor-*',
  searchColumns: ['cloud.account.id', 'trustedadvisor.check.category', 'rule.name', 'trustedadvisor.result.status', 'cloud.instance.id'],
  panels: [
    top('TrustedAdvisor - AWS account', 'cloud.account.id', 10, 'histogram'),
    top('TrustedAdvisor - Check status', 'trustedadvisor.result.status', 5, 'pie'),
    top('TrustedAdvisor - Category', 'trustedadvisor.check.category', 10, 'pie'),
    { title: 'TrustedAdvisor - Checks with warnings or errors', kind: 'table', buckets: [{ type: 'terms', field: 'rule.name', size: 50 }, { type: 'terms', field: 'trustedadvisor.result.status', size: 3 }], query: 'trustedadvisor.result.status:(warning OR error)' },
    top('TrustedAdvisor - Flagged resource', 'cloud.instance.id', 20),
  ],
};
