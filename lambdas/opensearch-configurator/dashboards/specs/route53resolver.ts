import { accountAndRegion, top, trend, type DashboardSpec } from '../spec';

export const route53resolver: DashboardSpec = {
  name: 'route53resolver',
  title: 'Route 53 Resolver Summary',
  description: 'VPC DNS query logs: queried names, response codes, query types, querying sources and DNS Firewall blocks.',
  indexPattern: 'log-aws-r53resolver-*',
  searchColumns: ['cloud.account.id', 'vpc_id', 'source.ip', 'dns.question.name', 'dns.question.type', 'dns.response_code', 'firewall_rule_action'],
  panels: [
    ...accountAndRegion('Route53Resolver'),
    top('Route53Resolver - Query name', 'dns.question.name', 20),
    top('Route53Resolver - Response code', 'dns.response_code', 10, 'pie'),
    trend('Route53Resolver - Response code over time', 'dns.response_code', 5),
    top('Route53Resolver - Query type', 'dns.question.type', 10, 'pie'),
    top('Route53Resolver - Source IP', 'source.ip', 20),
    { title: 'Route53Resolver - NXDOMAIN names', kind: 'table', buckets: [{ type: 'terms', field: 'dns.question.name', size: 20 }], query: 'dns.response_code:NXDOMAIN' },
    { title: 'Route53Resolver - DNS Firewall actions', kind: 'table', buckets: [{ type: 'terms', field: 'firewall_rule_action', size: 5 }, { type: 'terms', field: 'dns.question.name', size: 20 }], query: '_exists_:firewall_rule_action' },
  ],
};
