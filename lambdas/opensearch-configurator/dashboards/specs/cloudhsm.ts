import { accountAndRegion, type DashboardSpec } from '../spec';

/** Opcodes as the reference's CloudHSM panels count them (successful commands only). */
const OK = 'event.outcome:success';
const LOGIN = 'cloudhsm.opcode:CN_LOGIN';

export const cloudhsm: DashboardSpec = {
  name: 'cloudhsm',
  title: 'CloudHSM Summary',
  description:
    'AWS CloudHSM audit logs: commands by type, opcode and log type, keys generated, deleted and shared, HSM users created, and logins succeeded and failed by user, type and error, per account, region, cluster and HSM.',
  indexPattern: 'log-aws-cloudhsm-*',
  searchColumns: ['cloudhsm.cluster_id', 'cloudhsm.hsm_id', 'cloudhsm.opcode', 'cloudhsm.user_name', 'user.target.name', 'event.outcome', 'cloudhsm.hsm_error'],
  panels: [
    ...accountAndRegion('CloudHSM'),
    {
      title: 'CloudHSM - Keys generated, deleted and shared',
      kind: 'metric',
      metrics: [{ type: 'count' }],
      buckets: [
        {
          type: 'filters',
          filters: [
            { label: 'Symmetric keys generated', query: `cloudhsm.opcode:CN_GENERATE_KEY AND ${OK}` },
            { label: 'Key pairs generated', query: `cloudhsm.opcode:CN_GENERATE_KEY_PAIR AND ${OK}` },
            { label: 'Keys deleted', query: `cloudhsm.opcode:(CN_TOMBSTONE_OBJECT OR CN_DESTROY_OBJECT) AND ${OK}` },
            { label: 'Keys shared', query: `cloudhsm.opcode:CN_SHARE_OBJECT AND ${OK}` },
          ],
        },
      ],
      width: 48,
      height: 8,
    },
    { title: 'CloudHSM - Command type', kind: 'pie', buckets: [{ type: 'terms', field: 'cloudhsm.command_type', size: 10 }] },
    { title: 'CloudHSM - Log type', kind: 'pie', buckets: [{ type: 'terms', field: 'cloudhsm.log_type', size: 15 }] },
    { title: 'CloudHSM - Opcode', kind: 'pie', buckets: [{ type: 'terms', field: 'cloudhsm.opcode', size: 20 }] },
    { title: 'CloudHSM - Commands by cluster and HSM', kind: 'table', buckets: [{ type: 'terms', field: 'cloudhsm.cluster_id', size: 20 }, { type: 'terms', field: 'cloudhsm.hsm_id', size: 10 }] },
    { title: 'CloudHSM - Logins succeeded and failed over time', kind: 'line', buckets: [{ type: 'date_histogram' }, { type: 'terms', field: 'event.outcome', size: 3 }], query: LOGIN },
    { title: 'CloudHSM - Successful logins by user', kind: 'table', buckets: [{ type: 'terms', field: 'cloudhsm.user_name', size: 100 }, { type: 'terms', field: 'cloudhsm.user_type', size: 5 }], query: `${LOGIN} AND ${OK}` },
    { title: 'CloudHSM - Failed logins by user and error', kind: 'table', buckets: [{ type: 'terms', field: 'cloudhsm.user_name', size: 20 }, { type: 'terms', field: 'cloudhsm.user_type', size: 5 }, { type: 'terms', field: 'cloudhsm.hsm_error', size: 5 }], query: `${LOGIN} AND event.outcome:failure` },
    {
      title: 'CloudHSM - HSM users created',
      kind: 'table',
      buckets: [{ type: 'terms', field: 'cloudhsm.cluster_id', size: 10 }, { type: 'terms', field: 'user.target.name', size: 100 }, { type: 'terms', field: 'user.target.roles', size: 5 }, { type: 'terms', field: 'user.id', size: 5 }],
      query: `cloudhsm.opcode:(CN_CREATE_USER OR CN_CREATE_CO) AND ${OK}`,
      width: 48,
    },
    { title: 'CloudHSM - Failed commands by opcode and error', kind: 'table', buckets: [{ type: 'terms', field: 'cloudhsm.opcode', size: 20 }, { type: 'terms', field: 'cloudhsm.hsm_error', size: 10 }], query: 'event.outcome:failure' },
  ],
};
