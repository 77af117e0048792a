/**
 * ElastiCache (Redis OSS) slow log entries in JSON
 * (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Log_Delivery.html#Log_contents):
 * `{"CacheClusterId","CacheNodeId","Id","Timestamp","Duration (us)","Command","ClientAddress","ClientName"}`.
 * As the reference: the entry's fields under `elasticache.` ("Duration (us)" as Duration_us), and the
 * client's `ip:port` as source.ip/port/address and related.ip. An IPv6 client is written `[addr]:port`;
 * its brackets are not part of the address (the reference keeps them, and OpenSearch rejects the document).
 */
import { isIP } from 'node:net';
import { child, type Json } from '../../ecs/paths';
import type { Transform } from '../types';

const FIELDS = ['CacheClusterId', 'CacheNodeId', 'Id', 'Timestamp', 'Command', 'ClientAddress', 'ClientName'] as const;

export const elasticache_redis_slowlog: Transform = ({ doc }) => {
  const out: Json = {};
  for (const f of FIELDS) {
    // An empty ClientName (a client that never named itself) is left out, as the reference's del_none does.
    if (doc[f] !== undefined && doc[f] !== '') out[f] = doc[f];
    doc[f] = undefined;
  }
  if (doc['Duration (us)'] !== undefined) out.Duration_us = doc['Duration (us)'];
  doc['Duration (us)'] = undefined;
  doc.elasticache = out;
  const addr = out.ClientAddress;
  if (typeof addr !== 'string') return;
  const colon = addr.lastIndexOf(':');
  if (colon < 0) return;
  let ip = addr.slice(0, colon);
  if (ip.startsWith('[') && ip.endsWith(']')) ip = ip.slice(1, -1);
  if (!isIP(ip)) return;
  const port = Number(addr.slice(colon + 1));
  const source = child(doc, 'source');
  source.ip = ip;
  source.address = ip;
  if (Number.isInteger(port)) source.port = port;
  child(doc, 'related').ip = [ip];
};
