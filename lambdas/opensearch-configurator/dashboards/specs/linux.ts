import { accountAndRegion, trend, type DashboardSpec } from '../spec';

/** sshd logins: failed passwords, invalid users and accepted keys/passwords (event.outcome from the loader). */
const SSH_FAILED = 'process.name:sshd AND event.outcome:failure';
const SSH_ACCEPTED = 'process.name:sshd AND event.action:Accepted';
const SUDO = 'process.name:sudo';
/** The OS log (/var/log/messages); its authentication lines also go to the secure family. */
const OS = 'event.module:system';

export const linux: DashboardSpec = {
  name: 'linux',
  title: 'Linux Summary',
  description: 'Linux hosts: sshd login failures and successes by source and user, sudo commands and su sessions (secure log), and the OS syslog by host and process.',
  indexPattern: 'log-linux-*',
  searchColumns: ['cloud.instance.id', 'host.hostname', 'process.name', 'event.action', 'event.outcome', 'user.name', 'source.ip', 'syslog_message'],
  panels: [
    ...accountAndRegion('Linux'),
    { title: 'Linux - SSH login failures', kind: 'metric', query: SSH_FAILED, width: 12, height: 8 },
    { title: 'Linux - SSH logins accepted', kind: 'metric', query: SSH_ACCEPTED, width: 12, height: 8 },
    { title: 'Linux - sudo events', kind: 'metric', query: SUDO, width: 12, height: 8 },
    { title: 'Linux - Hosts', kind: 'metric', metrics: [{ type: 'cardinality', field: 'host.hostname' }], width: 12, height: 8 },
    { ...trend('Linux - Authentication outcome over time', 'event.outcome', 5, 'histogram'), query: 'event.module:secure' },
    { title: 'Linux - SSH login failures by source IP', kind: 'table', buckets: [{ type: 'terms', field: 'source.ip', size: 20 }, { type: 'terms', field: 'user.name', size: 5 }], query: SSH_FAILED },
    { title: 'Linux - SSH login failures by user', kind: 'pie', buckets: [{ type: 'terms', field: 'user.name', size: 20 }], query: SSH_FAILED },
    { title: 'Linux - SSH login failures by country', kind: 'pie', buckets: [{ type: 'terms', field: 'source.geo.country_name', size: 20 }], query: SSH_FAILED },
    { title: 'Linux - SSH logins accepted by user and source', kind: 'table', buckets: [{ type: 'terms', field: 'user.name', size: 20 }, { type: 'terms', field: 'source.ip', size: 10 }], query: SSH_ACCEPTED },
    { title: 'Linux - SSH failures by host', kind: 'table', buckets: [{ type: 'terms', field: 'host.hostname', size: 20 }, { type: 'terms', field: 'cloud.instance.id', size: 5 }], query: SSH_FAILED },
    { title: 'Linux - sudo commands and sessions by user', kind: 'table', buckets: [{ type: 'terms', field: 'user.name', size: 20 }, { type: 'terms', field: 'event.action', size: 20 }], query: SUDO, width: 48 },
    { title: 'Linux - su sessions by host', kind: 'table', buckets: [{ type: 'terms', field: 'host.hostname', size: 20 }, { type: 'terms', field: 'cloud.instance.id', size: 5 }], query: 'process.name:su' },
    { title: 'Linux - Secure log by process', kind: 'pie', buckets: [{ type: 'terms', field: 'process.name', size: 10 }], query: 'event.module:secure' },
    { title: 'Linux - Syslog events by host and process', kind: 'table', buckets: [{ type: 'terms', field: 'host.hostname', size: 20 }, { type: 'terms', field: 'process.name', size: 10 }], query: OS },
    { ...trend('Linux - Syslog process over time', 'process.name', 10, 'area'), query: OS },
    { title: 'Linux - Syslog by EC2 instance', kind: 'table', buckets: [{ type: 'terms', field: 'cloud.instance.id', size: 20 }], query: OS },
  ],
};
