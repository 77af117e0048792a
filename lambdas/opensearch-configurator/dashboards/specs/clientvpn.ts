import { accountAndRegion, type DashboardSpec, type PanelSpec } from '../spec';

/** Connection attempts (the loader's event.outcome from connection-attempt-status, as the reference's sf_clientvpn.py). */
const ATTEMPT = 'clientvpn.connection-log-type:connection-attempt';
const SUCCESS = `${ATTEMPT} AND event.outcome:success`;
const FAILURE = `${ATTEMPT} AND event.outcome:failure`;
/** A connection's last entry (reset/termination) carries its byte totals and duration. */
const ENDED = 'clientvpn.connection-log-type:connection-reset';

const success = (p: PanelSpec): PanelSpec => ({ ...p, query: SUCCESS });
const failure = (p: PanelSpec): PanelSpec => ({ ...p, query: FAILURE });

export const clientvpn: DashboardSpec = {
  name: 'clientvpn',
  title: 'Client VPN Summary',
  description:
    'AWS Client VPN connection logs: successful and failed connection attempts over time, by user, certificate, device type, source IP and country, failure reasons, and the connections with the most traffic and the longest duration.',
  indexPattern: 'log-aws-clientvpn-*',
  searchColumns: ['clientvpn.connection-log-type', 'event.outcome', 'user.name', 'clientvpn.common-name', 'source.ip', 'clientvpn.device-type', 'clientvpn.connection-id', 'error.message'],
  panels: [
    ...accountAndRegion('ClientVPN'),
    success({ title: 'ClientVPN - Successful connections', kind: 'metric', width: 12, height: 8 }),
    failure({ title: 'ClientVPN - Failed connection attempts', kind: 'metric', width: 12, height: 8 }),
    success({ title: 'ClientVPN - Connected users', kind: 'metric', metrics: [{ type: 'cardinality', field: 'user.name' }], width: 12, height: 8 }),
    { title: 'ClientVPN - Endpoints', kind: 'metric', metrics: [{ type: 'cardinality', field: 'clientvpn.client-vpn-endpoint-id' }], width: 12, height: 8 },
    { title: 'ClientVPN - Connection attempts over time', kind: 'line', buckets: [{ type: 'date_histogram' }, { type: 'terms', field: 'event.outcome', size: 3 }], query: ATTEMPT },
    { title: 'ClientVPN - Connections', kind: 'table', buckets: [{ type: 'terms', field: 'clientvpn.connection-id', size: 100 }, { type: 'terms', field: 'user.name', size: 1 }, { type: 'terms', field: 'source.ip', size: 1 }, { type: 'terms', field: 'clientvpn.connection-start-time', size: 1 }], query: ATTEMPT, width: 48 },
    success({ title: 'ClientVPN - Successful connections by user', kind: 'table', buckets: [{ type: 'terms', field: 'user.name', size: 100 }, { type: 'terms', field: 'clientvpn.common-name', size: 5 }] }),
    success({ title: 'ClientVPN - Successful connections by source IP', kind: 'table', buckets: [{ type: 'terms', field: 'source.ip', size: 100 }, { type: 'terms', field: 'user.name', size: 5 }] }),
    success({ title: 'ClientVPN - Successful connections by AS organization', kind: 'pie', buckets: [{ type: 'terms', field: 'source.as.organization.name', size: 15 }] }),
    success({ title: 'ClientVPN - Successful connections by device type', kind: 'pie', buckets: [{ type: 'terms', field: 'clientvpn.device-type', size: 10 }] }),
    success({ title: 'ClientVPN - Successful connections by country', kind: 'pie', buckets: [{ type: 'terms', field: 'source.geo.country_name', size: 15 }] }),
    success({ title: 'ClientVPN - Successful connections by transport', kind: 'pie', buckets: [{ type: 'terms', field: 'clientvpn.transport-protocol', size: 3 }] }),
    success({ title: 'ClientVPN - Client OS and VPN client version', kind: 'table', buckets: [{ type: 'terms', field: 'clientvpn.client-os-name', size: 10 }, { type: 'terms', field: 'clientvpn.client-openvpn-version', size: 10 }] }),
    { title: 'ClientVPN - Top 10 connections by traffic', kind: 'table', metrics: [{ type: 'sum', field: 'network.bytes', label: 'Bytes' }, { type: 'sum', field: 'network.packets', label: 'Packets' }], buckets: [{ type: 'terms', field: 'clientvpn.connection-id', size: 10 }, { type: 'terms', field: 'user.name', size: 1 }], query: ENDED },
    { title: 'ClientVPN - Top 10 longest connections', kind: 'table', metrics: [{ type: 'max', field: 'event.duration', label: 'Duration (ns)' }], buckets: [{ type: 'terms', field: 'clientvpn.connection-id', size: 10 }, { type: 'terms', field: 'user.name', size: 1 }], query: ENDED },
    failure({ title: 'ClientVPN - Failed attempts by reason', kind: 'pie', buckets: [{ type: 'terms', field: 'clientvpn.connection-attempt-failure-reason', size: 10 }] }),
    failure({ title: 'ClientVPN - Failed attempts by user', kind: 'table', buckets: [{ type: 'terms', field: 'user.name', size: 100 }] }),
    failure({ title: 'ClientVPN - Failed attempts by certificate', kind: 'table', buckets: [{ type: 'terms', field: 'clientvpn.common-name', size: 20 }] }),
    failure({ title: 'ClientVPN - Failed attempts by source IP', kind: 'table', buckets: [{ type: 'terms', field: 'source.ip', size: 100 }, { type: 'terms', field: 'clientvpn.connection-attempt-failure-reason', size: 5 }] }),
    failure({ title: 'ClientVPN - Failed attempts by country', kind: 'pie', buckets: [{ type: 'terms', field: 'source.geo.country_name', size: 15 }] }),
  ],
};
