import { accountAndRegion, top, trend, type DashboardSpec } from '../spec';

export const waf: DashboardSpec = {
  name: 'waf',
  title: 'AWS WAF Summary',
  description: 'Requests seen by the web ACLs: blocks by rule and country, top clients, URIs, hosts and user agents.',
  indexPattern: 'log-aws-waf-*',
  searchColumns: ['rule.ruleset', 'event.action', 'rule.name', 'source.ip', 'httpRequest.country', 'http.request.method', 'url.domain', 'url.path'],
  panels: [
    ...accountAndRegion('AWSWAF'),
    { title: 'AWSWAF - All requests', kind: 'metric', width: 12, height: 8 },
    { title: 'AWSWAF - Blocked requests', kind: 'metric', query: 'event.action:BLOCK', width: 12, height: 8 },
    { title: 'AWSWAF - Unique client IPs', kind: 'metric', metrics: [{ type: 'cardinality', field: 'source.ip' }], width: 12, height: 8 },
    trend('AWSWAF - Allowed vs blocked requests', 'event.action', 5, 'histogram'),
    { title: 'AWSWAF - Blocks by rule', kind: 'pie', buckets: [{ type: 'terms', field: 'rule.name', size: 10 }], query: 'event.action:BLOCK' },
    { title: 'AWSWAF - Blocks by country', kind: 'table', buckets: [{ type: 'terms', field: 'httpRequest.country', size: 20 }], query: 'event.action:BLOCK' },
    top('AWSWAF - Requests by country', 'httpRequest.country', 20),
    top('AWSWAF - Terminating rule', 'rule.name'),
    top('AWSWAF - Web ACL', 'rule.ruleset'),
    top('AWSWAF - Rule group terminating rule', 'typed.ruleGroupList.terminatingRule.ruleId'),
    top('AWSWAF - Client IP', 'source.ip'),
    top('AWSWAF - URI', 'url.path'),
    top('AWSWAF - Host', 'url.domain'),
    top('AWSWAF - User agent', 'user_agent.original'),
    top('AWSWAF - HTTP method', 'http.request.method', 10, 'pie'),
    top('AWSWAF - HTTP version', 'http.version', 10, 'pie'),
  ],
};
