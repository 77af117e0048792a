/**
 * `via_firelens`: objects that FireLens (Fluent Bit in an ECS task) wrote with `enable-ecs-log-metadata`:
 * one JSON object per line, the container's log line in `log` and the task's metadata beside it,
 * `{"container_id","container_name","source":"stdout"|"stderr","log","ecs_cluster","ecs_task_arn","ecs_task_definition"}`
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_firelens.html, "ECS metadata").
 * Each line is one record whose `log` is decoded in the section's own file_format (apache-ecs: the
 * Apache log_pattern). As the reference's extract_firelens_log:
 * - a stderr line is skipped while `ignore_container_stderr` is True (its default);
 * - the metadata become fields of the record, `source` named `container_source`;
 * - the ECS task ARN gives cloud.account.id and cloud.region, `ec2_instance_id` cloud.instance.id,
 *   the container container.id / container.name;
 * - `@message` is the log line, and the document id is made of the log line and the container name.
 * A line that is not a FireLens JSON object, or whose log line does not decode, is a record error
 * (the reference loads such lines unnormalized with error.message; docs/log-types.md).
 */
import type { LogType } from '../config/log-type';
import { lineBatches } from './lines';
import { SkipRecord, type FirelensMeta, type FormatState, type RawRecord, type RecordFormat } from './types';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const META_KEYS = ['container_id', 'container_name', 'source', 'ecs_cluster', 'ecs_task_arn', 'ecs_task_definition', 'ec2_instance_id'] as const;

/** One raw record per non-empty line: the log line as its text, the metadata beside it. */
export async function* splitFirelens(chunks: AsyncIterable<string>): AsyncGenerator<RawRecord[]> {
  let record = 0;
  for await (const lines of lineBatches(chunks)) {
    const batch: RawRecord[] = [];
    for (const l of lines) {
      if (l.text.trim() === '') continue;
      const where = 'the FireLens record';
      let obj: unknown;
      try {
        obj = JSON.parse(l.text);
      } catch (err) {
        batch.push({ record: record++, line: l.line, text: l.text, error: `${where} is malformed JSON: ${(err as Error).message}` });
        continue;
      }
      if (!isObject(obj) || typeof obj.log !== 'string') {
        batch.push({ record: record++, line: l.line, text: l.text, error: `${where} has no log (a string): it is not a FireLens record with the log line in "log"` });
        continue;
      }
      const meta: FirelensMeta = {};
      for (const k of META_KEYS) if (typeof obj[k] === 'string' && obj[k] !== '') meta[k] = obj[k] as string;
      batch.push({ record: record++, line: l.line, text: obj.log, firelens: meta });
    }
    if (batch.length) yield batch;
  }
}

/** The `via_firelens` form of a format: FireLens lines, each `log` decoded by the format, plus the ECS metadata. */
export function viaFirelens(inner: RecordFormat): RecordFormat {
  return {
    split: (_lt, chunks) => splitFirelens(chunks),
    decode(lt: LogType, rec: RawRecord, state: FormatState): Record<string, unknown> {
      const meta = rec.firelens;
      if (!meta) return inner.decode(lt, rec, state);
      if (meta.source === 'stderr' && lt.ignoreContainerStderr) throw new SkipRecord(`the container's stderr (ignore_container_stderr of [${lt.name}])`);
      const out = inner.decode(lt, rec, state);
      // The metadata override fields of the same name, as the reference's dict(logdict, **logmeta).
      out.container_id = meta.container_id;
      out.container_name = meta.container_name;
      out.container_source = meta.source;
      out.ecs_cluster = meta.ecs_cluster;
      out.ecs_task_arn = meta.ecs_task_arn;
      out.ecs_task_definition = meta.ecs_task_definition;
      if (meta.ec2_instance_id) out.ec2_instance_id = meta.ec2_instance_id;
      // arn:aws:ecs:<region>:<account>:task/<cluster>/<id>
      const arn = meta.ecs_task_arn?.split(':');
      if (arn && arn.length > 4) {
        const cloud = isObject(out.cloud) ? out.cloud : (out.cloud = {});
        const account = isObject(cloud.account) ? cloud.account : (cloud.account = {});
        account.id = arn[4];
        cloud.region = arn[3];
        if (meta.ec2_instance_id) cloud.instance = { id: meta.ec2_instance_id };
        out.container = { id: meta.container_id, name: meta.container_name };
      }
      return out;
    },
  };
}
