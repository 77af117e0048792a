/**
 * AWS Client VPN connection logs (https://docs.aws.amazon.com/vpn/latest/clientvpn-admin/connection-logging.html),
 * one JSON entry per CloudWatch Logs event: `connection-log-type` (connection-attempt, connection-reset),
 * `connection-attempt-status` (successful, failed, NA), `connection-attempt-failure-reason`, times
 * `YYYY-mm-dd HH:MM:SS` in UTC or `NA`, byte and packet counters as strings, `NA` for what does not apply.
 * As the reference (siem/sf_clientvpn.py):
 * - event.outcome success/failure from connection-attempt-status (none for a reset or termination entry);
 * - error.message = the failure reason unless `NA`;
 * - network.bytes / network.packets = ingress + egress, when not both zero;
 * - event.duration = connection-duration-seconds in nanoseconds unless `NA`;
 * - the entry under `clientvpn.` (field_prefix), its times as ISO 8601 (`2026-11-21T10:00:01+00:00`),
 *   `client-ip` and the start/end times left out when `NA`.
 */
import { child, type Json } from '../../ecs/paths';
import type { Transform } from '../types';

/** Keys that are not the entry's own: the ECS fields the mapping and this transform write, and the `@` fields. */
const NOT_ORIGINAL = new Set(['source', 'user', 'event', 'related', 'cloud', 'error', 'network', 'ecs']);

const count = (v: unknown): number => {
  const n = typeof v === 'string' || typeof v === 'number' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : 0;
};
const iso = (v: string): string => `${v.replace(' ', 'T')}+00:00`;

export const clientvpn: Transform = ({ doc }) => {
  const status = doc['connection-attempt-status'];
  const event = child(doc, 'event');
  if (status === 'successful') event.outcome = 'success';
  else if (status === 'failed') event.outcome = 'failure';
  const reason = doc['connection-attempt-failure-reason'];
  if (typeof reason === 'string' && reason !== '' && reason !== 'NA') doc.error = { message: reason };

  const bytes = count(doc['egress-bytes']) + count(doc['ingress-bytes']);
  const packets = count(doc['egress-packets']) + count(doc['ingress-packets']);
  if (bytes !== 0 || packets !== 0) doc.network = { bytes, packets };
  const duration = doc['connection-duration-seconds'];
  if (typeof duration === 'string' && /^\d+$/.test(duration)) event.duration = Number(duration) * 1_000_000_000;

  const entry: Json = {};
  for (const k of Object.keys(doc)) {
    if (k.startsWith('@') || NOT_ORIGINAL.has(k)) continue;
    const v = doc[k];
    doc[k] = undefined;
    if (v === undefined) continue;
    if (k === 'client-ip' && v === 'NA') continue;
    if (k === 'connection-start-time' || k === 'connection-end-time' || k === 'connection-last-update-time') {
      if (v === 'NA') continue;
      entry[k] = typeof v === 'string' ? iso(v) : v;
      continue;
    }
    entry[k] = v;
  }
  doc.clientvpn = entry;
};
