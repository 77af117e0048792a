import { top, type DashboardSpec } from '../spec';

export const workspaces: DashboardSpec = {
  name: 'workspaces',
  title: 'WorkSpaces Summary',
  description: 'WorkSpaces access events (successful logins: where from, which client) and inventory (state and connection state of each WorkSpace).',
  indexPattern: 'log-aws-workspaces-*',
  searchColumns: ['cloud.account.id', 'WorkspaceId', 'user.name', 'source.ip', 'clientPlatform', 'State', 'ConnectionState'],
  panels: [
    top('WorkSpaces - WorkSpace', 'WorkspaceId', 100),
    { title: 'WorkSpaces - Login source IP', kind: 'table', buckets: [{ type: 'terms', field: 'source.ip', size: 100 }, { type: 'terms', field: 'WorkspaceId', size: 10 }], query: 'event.outcome:success' },
    { title: 'WorkSpaces - Login source country', kind: 'pie', buckets: [{ type: 'terms', field: 'source.geo.country_name', size: 15 }], query: 'event.outcome:success' },
    { title: 'WorkSpaces - Distinct source IPs per WorkSpace', kind: 'table', metrics: [{ type: 'cardinality', field: 'source.ip' }], buckets: [{ type: 'terms', field: 'WorkspaceId', size: 100 }] },
    top('WorkSpaces - Client platform', 'clientPlatform', 10, 'pie'),
    { title: 'WorkSpaces - State over time', kind: 'line', metrics: [{ type: 'cardinality', field: 'WorkspaceId', label: 'WorkSpaces' }], buckets: [{ type: 'date_histogram' }, { type: 'terms', field: 'State', size: 5 }] },
    { title: 'WorkSpaces - Connection state over time', kind: 'line', metrics: [{ type: 'cardinality', field: 'WorkspaceId', label: 'WorkSpaces' }], buckets: [{ type: 'date_histogram' }, { type: 'terms', field: 'ConnectionState', size: 5 }] },
    top('WorkSpaces - User', 'user.name', 20),
  ],
};
