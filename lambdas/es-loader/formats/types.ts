/**
 * The shapes shared by the file formats (index.ts, cwl.ts, cef.ts): a raw record, the per-object format
 * state, a format's `{ split, decode }` and the decode error. In a file of their own so that the formats
 * and their registry do not import each other.
 */
import type { LogType } from '../config/log-type';

/** What a record keeps of its CloudWatch Logs envelope. */
export interface CwlMeta {
  owner: string;
  logGroup: string;
  logStream: string;
  id: string;
  timestamp: number;
}

/** What a FireLens record carries besides its log line (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_firelens.html). */
export interface FirelensMeta {
  container_id?: string;
  container_name?: string;
  /** stdout or stderr */
  source?: string;
  ecs_cluster?: string;
  ecs_task_arn?: string;
  ecs_task_definition?: string;
  ec2_instance_id?: string;
}

export interface RawRecord {
  record: number;
  line?: number;
  text: string;
  /** Set when the record could not even be delimited; it becomes a record-error. */
  error?: string;
  /** With `error`: the record boundaries were lost here, nothing after it could be read (json-stream.ts). */
  lost?: boolean;
  /** With `lost`: 0-based byte offset of the record in the decompressed object. */
  byte?: number;
  /** via_cwl: the record's CloudWatch Logs envelope (cwl.ts). */
  cwl?: CwlMeta;
  /** via_firelens: the record's ECS metadata; `text` is its log line (firelens.ts). */
  firelens?: FirelensMeta;
}

/** Per-object state a format discovers while splitting (the CSV header). */
export interface FormatState {
  header?: string[];
  /** Builds a record object from the split values with one fixed shape per header (fast property access). */
  build?: (values: string[]) => Record<string, unknown>;
  /** For space-separated files: splits and builds in one pass (see scanBuilder). */
  scan?: (text: string) => Record<string, unknown> | undefined;
  /** The records the pipeline will build (its range, end exclusive): a format may skip decoding the others (parquet row groups). */
  range?: { start: number; end: number };
}

/** One file format: how an object's text becomes raw records, and a raw record becomes fields. */
export interface RecordFormat {
  /** Splits the object's text into batches of raw records, numbered from 0. */
  split(lt: LogType, chunks: AsyncIterable<string>, state: FormatState): AsyncGenerator<RawRecord[]>;
  /**
   * Formats read from the object's bytes rather than its text (parquet): the pipeline hands them the
   * body itself, before any decompression or text check, instead of calling `split`.
   */
  splitBytes?(lt: LogType, body: NodeJS.ReadableStream | AsyncIterable<Uint8Array>, state: FormatState): AsyncGenerator<RawRecord[]>;
  /** Turns a raw record's text into its fields; throws DecodeError naming what is wrong. */
  decode(lt: LogType, rec: RawRecord, state: FormatState): Record<string, unknown>;
}

/** Thrown by decodeRecord with a reason that names what is wrong with the record. */
export class DecodeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DecodeError';
  }
}

/** Thrown by a format's decode for a record it leaves out on purpose (a FireLens stderr line): the pipeline counts it as skipped with this reason. */
export class SkipRecord extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SkipRecord';
  }
}
