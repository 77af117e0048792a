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
}

/** Per-object state a format discovers while splitting (the CSV header). */
export interface FormatState {
  header?: string[];
  /** Builds a record object from the split values with one fixed shape per header (fast property access). */
  build?: (values: string[]) => Record<string, unknown>;
  /** For space-separated files: splits and builds in one pass (see scanBuilder). */
  scan?: (text: string) => Record<string, unknown> | undefined;
}

/** One file format: how an object's text becomes raw records, and a raw record becomes fields. */
export interface RecordFormat {
  /** Splits the object's text into batches of raw records, numbered from 0. */
  split(lt: LogType, chunks: AsyncIterable<string>, state: FormatState): AsyncGenerator<RawRecord[]>;
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
