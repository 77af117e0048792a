/**
 * `via_cwl`: objects that Kinesis Data Firehose wrote from a CloudWatch Logs subscription. Each object
 * holds CloudWatch Logs messages back to back (`}{`, no separator), every one
 * `{"messageType","owner","logGroup","logStream","subscriptionFilters","logEvents":[{"id","timestamp","message"}]}`
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html#FirehoseExample).
 * CONTROL_MESSAGE messages (Firehose's health check) hold no logs and are skipped; each log event of a
 * DATA_MESSAGE is one record, whose `message` is decoded in the section's own file_format (json: one JSON
 * object, text/multiline: the log_pattern). Records are numbered by log event across the whole object,
 * as the reference counts them (`log_count_cwl_log`), so `max_log_count` splits and error messages
 * name the same record numbers.
 *
 * The envelope's fields go into the record, where the reference puts them: `@log_group`, `@log_stream`,
 * `cloud.account.id` (the owner), and `cwl_timestamp` (the event's epoch milliseconds) when the section
 * uses the event time. The event id makes the document id (two identical messages are two events).
 * Firehose compresses the (already gzip'd) CloudWatch data once more when its S3 compression is on:
 * bytes.ts unwraps gzip inside gzip for via_cwl sections (`textChunks(body, { nestedGzip: true })`).
 */
import type { LogType } from '../config/log-type';
import { jsonPieces } from './json-stream';
import type { FormatState, RawRecord, RecordFormat } from './types';

export type { CwlMeta } from './types';


const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why `env` is not a usable subscription message, or undefined. */
function envelopeProblem(env: unknown): string | undefined {
  if (!isObject(env)) return 'is not a JSON object';
  if (typeof env.messageType !== 'string') return 'has no messageType (DATA_MESSAGE or CONTROL_MESSAGE): it is not a CloudWatch Logs subscription message';
  if (env.messageType === 'CONTROL_MESSAGE') return undefined;
  if (env.messageType !== 'DATA_MESSAGE') return `has messageType ${JSON.stringify(env.messageType)}, expected DATA_MESSAGE or CONTROL_MESSAGE`;
  for (const k of ['owner', 'logGroup', 'logStream'] as const) if (typeof env[k] !== 'string') return `has no ${k} (a string)`;
  if (!Array.isArray(env.logEvents)) return 'has no logEvents array';
  return undefined;
}

function eventProblem(ev: unknown): string | undefined {
  if (!isObject(ev)) return 'is not a JSON object';
  if (typeof ev.message !== 'string') return 'has no message (a string)';
  if (typeof ev.timestamp !== 'number' || !Number.isFinite(ev.timestamp)) return 'has no timestamp (epoch milliseconds)';
  if (typeof ev.id !== 'string' && typeof ev.id !== 'number') return 'has no id';
  return undefined;
}

/** Splits the subscription messages of an object into one raw record per log event. */
export async function* splitCwl(chunks: AsyncIterable<string>): AsyncGenerator<RawRecord[]> {
  let record = 0;
  for await (const pieces of jsonPieces(chunks)) {
    const batch: RawRecord[] = [];
    for (const p of pieces) {
      const where = "the CloudWatch Logs message";
      if (p.error) {
        batch.push({ record: record++, line: p.line, text: p.text, error: `${where}: ${p.error}`, lost: p.lost, byte: p.byte });
        continue;
      }
      let env: unknown;
      try {
        env = JSON.parse(p.text);
      } catch (err) {
        batch.push({ record: record++, line: p.line, text: p.text, error: `${where} is malformed JSON: ${(err as Error).message}` });
        continue;
      }
      const problem = envelopeProblem(env);
      if (problem) {
        batch.push({ record: record++, line: p.line, text: p.text, error: `${where} ${problem}` });
        continue;
      }
      const e = env as Record<string, unknown>;
      if (e.messageType === 'CONTROL_MESSAGE') continue;
      const events = e.logEvents as unknown[];
      for (let i = 0; i < events.length; i++) {
        const ev = events[i];
        const bad = eventProblem(ev);
        if (bad) {
          batch.push({ record: record++, line: p.line, text: JSON.stringify(ev) ?? String(ev), error: `log event ${i} of ${where} ${bad}` });
          continue;
        }
        const v = ev as Record<string, unknown>;
        batch.push({
          record: record++,
          line: p.line,
          text: v.message as string,
          cwl: { owner: e.owner as string, logGroup: e.logGroup as string, logStream: e.logStream as string, id: String(v.id), timestamp: v.timestamp as number },
        });
      }
    }
    if (batch.length) yield batch;
  }
}

/** Thrown by decodeCwl for an event of another log group than the section's `loggroup`: the record is skipped, not failed. */
export class OtherLogGroup extends Error {
  constructor(readonly logGroup: string, lt: LogType) {
    super(`log group ${logGroup} does not contain loggroup "${lt.loggroup}" of [${lt.name}]`);
    this.name = 'OtherLogGroup';
  }
}

/** The `via_cwl` form of a format: the envelope splitter, and the format's own decoder for each message plus the envelope fields. */
export function viaCwl(inner: RecordFormat): RecordFormat {
  return {
    split: (_lt, chunks) => splitCwl(chunks),
    decode(lt: LogType, rec: RawRecord, state: FormatState): Record<string, unknown> {
      const meta = rec.cwl;
      if (meta && lt.loggroup !== undefined && !meta.logGroup.includes(lt.loggroup)) throw new OtherLogGroup(meta.logGroup, lt);
      const out = inner.decode(lt, rec, state);
      if (!meta) return out;
      out['@log_group'] = meta.logGroup;
      out['@log_stream'] = meta.logStream;
      if (lt.cwlTimestamp) out.cwl_timestamp = meta.timestamp;
      const cloud = isObject(out.cloud) ? out.cloud : (out.cloud = {});
      const account = isObject(cloud.account) ? cloud.account : (cloud.account = {});
      if (account.id === undefined) account.id = meta.owner;
      return out;
    },
  };
}
