/**
 * Amazon MSK broker logs (https://docs.aws.amazon.com/msk/latest/developerguide/msk-logging.html): the
 * reference's `msk.*` fields. The pattern's `msk_<name>` fields become `msk.<name>`; the cluster name and
 * broker id come from the key (`.../<cluster-name>-<cluster-uuid>-<n>/.../Broker-<id>_...`), and the
 * broker's ConsumerLag lines (MSK's consumer-lag reporting) are split into group, topic and lag figures.
 */
import type { Json } from '../../ecs/paths';
import type { Transform } from '../types';

const CLUSTER = /\/([\w-]+)-(\w{8}-\w{4}-\w{4}-\w{4}-\w{12}-\w)\/.*\/Broker-(\d+)_/;
const CONSUMER_LAG = /^ConsumerLag for groupId=([\w.-]+) topic=([\w.-]+) : SumLag=(\d+) MaxLag=(\d+) TimeLag=(\d+)/;

const keyCache = new Map<string, { cluster_name: string; broker_id: string } | null>();
function fromKey(key: string): { cluster_name: string; broker_id: string } | null {
  let v = keyCache.get(key);
  if (v === undefined) {
    const m = CLUSTER.exec(key);
    v = m ? { cluster_name: m[1]!, broker_id: m[3]! } : null;
    if (keyCache.size > 1000) keyCache.clear();
    keyCache.set(key, v);
  }
  return v;
}

export const msk: Transform = ({ doc, key }) => {
  const out: Json = { timestamp: doc.msk_timestamp, log_level: doc.msk_log_level, message: doc.msk_message };
  doc.msk_timestamp = doc.msk_log_level = doc.msk_message = undefined;
  const k = fromKey(key);
  if (k) Object.assign(out, k);
  const lag = typeof out.message === 'string' ? CONSUMER_LAG.exec(out.message) : null;
  if (lag) {
    out.log_type = 'ConsumerLag';
    out.group_id = lag[1];
    out.topic = lag[2];
    out.sum_lag = Number(lag[3]);
    out.max_lag = Number(lag[4]);
    out.time_lag = Number(lag[5]);
  }
  doc.msk = out;
};
