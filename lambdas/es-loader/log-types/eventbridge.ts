/**
 * Events that EventBridge delivers through Firehose (Security Hub, Inspector, Config rules, Trusted
 * Advisor, WorkSpaces): each record is the EventBridge envelope
 * `{version, id, detail-type, source, account, time, region, resources, detail}`; the log is `detail`.
 * https://docs.aws.amazon.com/eventbridge/latest/ref/overiew-event-structure.html
 *
 * The ini mapping of these types reads the envelope (`detail.<field>`, `account`, `time`); the transform
 * then calls unwrapEventBridge, which puts the log's own fields where the reference leaves them (at the
 * document root, or under `prefix`) and drops the envelope, keeping its time as `cwe_timestamp` as the
 * reference does.
 */
import { isPlainObject, type Json } from '../ecs/paths';

const ENVELOPE = ['version', 'id', 'detail-type', 'account', 'time', 'region', 'resources', 'detail'] as const;

export function unwrapEventBridge(doc: Json, opts: { list?: string; prefix?: string; keepTime?: boolean } = {}): Json {
  const detail = doc.detail;
  if (!isPlainObject(detail) || typeof doc['detail-type'] !== 'string')
    throw new Error('the record is not an EventBridge event (no "detail-type" and "detail" object); this log type reads what an EventBridge -> Firehose delivery writes');
  let log: Json = detail;
  if (opts.list) {
    const items = detail[opts.list];
    if (!Array.isArray(items) || items.length !== 1 || !isPlainObject(items[0]))
      throw new Error(`the EventBridge "${doc['detail-type']}" event carries ${Array.isArray(items) ? items.length : 'no'} detail.${opts.list}; only events with exactly one are loaded`);
    log = items[0];
  }
  const time = doc.time;
  for (const k of ENVELOPE) doc[k] = undefined;
  // The envelope's `source` ("aws.securityhub") unless the ECS mapping made it the ECS source object.
  if (typeof doc.source === 'string') doc.source = undefined;
  if (opts.keepTime && typeof time === 'string') doc.cwe_timestamp = time;
  if (opts.prefix) doc[opts.prefix] = log;
  else for (const k of Object.keys(log)) if (doc[k] === undefined) doc[k] = log[k];
  return log;
}
