import { type DashboardSpec } from '../spec';

/**
 * Not in the reference: the organization at a glance, across every log index. Accounts are shown by
 * id and by the name the loader takes from accounts/ (cloud.account.name).
 */
export const organization: DashboardSpec = {
  name: 'organization',
  title: 'Organization Overview',
  description: 'Every member account and region: events, findings and failures per account, per log family (event.module) and over time.',
  indexPattern: 'log-*',
  searchColumns: ['cloud.account.id', 'cloud.account.name', 'cloud.region', 'event.module', 'event.kind', 'event.outcome'],
  panels: [
    { title: 'Organization - Events by account and log family', kind: 'table', buckets: [{ type: 'terms', field: 'cloud.account.id', size: 100 }, { type: 'terms', field: 'event.module', size: 20 }], width: 24 },
    { title: 'Organization - Events by account name', kind: 'histogram', buckets: [{ type: 'terms', field: 'cloud.account.name', size: 50 }, { type: 'terms', field: 'event.module', size: 10 }] },
    { title: 'Organization - Findings by account and log family', kind: 'table', buckets: [{ type: 'terms', field: 'cloud.account.id', size: 100 }, { type: 'terms', field: 'event.module', size: 10 }], query: 'event.kind:alert' },
    { title: 'Organization - Failures by account', kind: 'histogram', buckets: [{ type: 'terms', field: 'cloud.account.id', size: 50 }, { type: 'terms', field: 'event.module', size: 10 }], query: 'event.outcome:failure' },
    { title: 'Organization - Events by region', kind: 'histogram', buckets: [{ type: 'terms', field: 'cloud.region', size: 30 }, { type: 'terms', field: 'cloud.account.id', size: 10 }] },
    { title: 'Organization - Outcome', kind: 'pie', buckets: [{ type: 'terms', field: 'event.outcome', size: 5 }] },
    { title: 'Organization - Log family', kind: 'pie', buckets: [{ type: 'terms', field: 'event.module', size: 30 }] },
    { title: 'Organization - Events over time by account', kind: 'area', buckets: [{ type: 'date_histogram' }, { type: 'terms', field: 'cloud.account.id', size: 10 }], width: 48 },
  ],
};
