/**
 * The es-loader pipeline: object key -> log type -> streamed records -> ECS documents.
 *
 * This module is the contract between the parsing/normalizing half of the loader (config/, formats/,
 * log-types/, enrich/, ecs/) and the runtime half (handler, triggers, S3/SQS I/O, bulk sink, DLQ).
 * The runtime hands an object's byte stream to `Pipeline.process` and gets back documents, per-record
 * failures, skipped records and one final summary. Bad data never throws; only an unknown key does.
 */
import type { AsnResponse, CityResponse, Reader } from 'maxmind';

export interface ObjectRef {
  bucket: string;
  key: string;
  size?: number;
  /** ISO time of the S3 event, if known. */
  eventTime?: string;
}
/** Record numbers, 0-based, end exclusive. */
export interface RecordRange {
  start: number;
  end: number;
}
export interface LoaderDocument {
  index: string;
  id: string;
  source: Record<string, unknown>;
  record: number;
  line?: number;
  rawBytes: number;
}
export interface RecordFailure {
  kind: 'record-error';
  key: string;
  record: number;
  line?: number;
  reason: string;
  /** The raw record, truncated. */
  raw?: string;
}
/** A record excluded by the log type's ignore/exclude rules. */
export interface Skipped {
  kind: 'skipped';
  key: string;
  record: number;
  reason: string;
}
export interface ObjectSummary {
  kind: 'summary';
  key: string;
  logType: string;
  totalRecords: number;
  emitted: number;
  failed: number;
  skipped: number;
}
export type PipelineItem = ({ kind: 'document' } & LoaderDocument) | RecordFailure | Skipped | ObjectSummary;
export interface GeoDatabases {
  city?: Reader<CityResponse>;
  asn?: Reader<AsnResponse>;
}
export interface PipelineOptions {
  /** Text of a user.ini that overrides/extends the bundled aws.ini. */
  userIni?: string;
  /** Name of the user.ini source used in error messages (a path or s3:// URL). */
  userIniName?: string;
  geo?: GeoDatabases;
  now?: () => Date;
  /** A record whose serialized document exceeds this many bytes becomes a record-error. Default 10 MiB. */
  maxDocumentBytes?: number;
}

export { ConfigError, UnknownLogTypeError } from './errors';
import { UnknownLogTypeError } from './errors';

export interface LogType {
  name: string;
  maxLogCount: number;
  indexName: string;
}

export class Pipeline {
  private constructor(private readonly options: PipelineOptions) {}

  static create(options: PipelineOptions = {}): Pipeline {
    return new Pipeline(options);
  }

  resolveLogType(_key: string): LogType | undefined {
    return undefined;
  }

  async *process(
    ref: ObjectRef,
    _body: NodeJS.ReadableStream | AsyncIterable<Uint8Array>,
    _opts: { range?: RecordRange } = {},
  ): AsyncGenerator<PipelineItem> {
    void this.options;
    throw new UnknownLogTypeError(ref.key);
  }
}
