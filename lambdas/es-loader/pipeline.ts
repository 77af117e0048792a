/**
 * The es-loader pipeline: object key -> log type -> streamed records -> ECS documents.
 *
 * This module is the contract between the parsing/normalizing half of the loader (config/, formats/,
 * log-types/, enrich/, ecs/) and the runtime half (handler, triggers, S3/SQS I/O, bulk sink, DLQ).
 * The runtime hands an object's byte stream to `Pipeline.process` and gets back documents, per-record
 * failures, skipped records and one final summary. Bad records never throw; an unknown key or an
 * object that is neither gzip nor text does.
 *
 * Bundling: aws.ini and user.ini are read at `Pipeline.create` from the directory of the code
 * (`__dirname`, or its parent in the checkout). A bundle must ship them next to the bundled file:
 * copy `lambdas/es-loader/aws.ini` and `lambdas/es-loader/user.ini` into the esbuild outdir
 * (`INI_DATA_FILES` lists them). `ES_LOADER_AWS_INI` / `ES_LOADER_USER_INI` override the paths.
 */
import type { AsnResponse, CityResponse, Reader } from 'maxmind';
import { readBundledIni, mergeIni, ourSectionName, INI_DATA_FILES } from './config/ini-files';
import { DEFAULT_EXCLUSION_CSV, parseExclusionCsv } from './config/exclusion-csv';
import { compileLogTypes, type LogType } from './config/log-type';
import { referenceLogType } from './ecs/basic';
import { normalize, keyInfo, ExcludedRecord, NormalizeError, type NormalizeContext } from './ecs/normalize';
import { ConfigError, UnknownLogTypeError, UnreadableObjectError } from './errors';
import { textChunks, StreamReadError } from './formats/bytes';
import { formatOf, DecodeError, SkipRecord, type FormatState, type RawRecord } from './formats/index';
import { OtherLogGroup } from './formats/cwl';
import { TRANSFORMS } from './log-types/index';
import type { IocDatabase } from '../shared/ioc/database';
import type { TrustedProxies } from './enrich/client-ip';
import type { OrganizationContext } from './enrich/organization';

export { ConfigError, UnknownLogTypeError, UnreadableObjectError, INI_DATA_FILES };
export type { LogType };

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
}
export interface RecordFailure {
  kind: 'record-error';
  key: string;
  record: number;
  line?: number;
  reason: string;
  /** The raw record, truncated to 1,000 characters. */
  raw?: string;
}
/** A record excluded by the log type's exclude rules. */
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
  /** Set when the key matched a log type's `s3_key_ignored` (digest files, Firehose error output...): nothing was read. */
  ignoredReason?: string;
}
export type PipelineItem = ({ kind: 'document' } & LoaderDocument) | RecordFailure | Skipped | ObjectSummary;
export interface GeoDatabases {
  city?: Reader<CityResponse>;
  asn?: Reader<AsnResponse>;
}
export interface PipelineOptions {
  /** Text of a user.ini that overrides/extends aws.ini and the bundled user.ini. */
  userIni?: string;
  /** Name of that user.ini (a path or s3:// URL), used in error messages. Default "user.ini". */
  userIniName?: string;
  /** Skip the user.ini bundled next to aws.ini (default: read it when present). */
  ignoreBundledUserIni?: boolean;
  /** Text of the base configuration instead of the bundled aws.ini (tests). */
  awsIni?: string;
  geo?: GeoDatabases;
  /** The IoC database (`threat.matched.*` for each log type's ioc_ip/ioc_domain fields); unset: no IoC enrichment. */
  ioc?: IocDatabase;
  /** Trusted proxies for each log type's clientip_xff (enrich/client-ip.ts); unset: client IPs are left as logged. */
  trustedProxies?: TrustedProxies;
  /** Organization context (cloud.account.name/organizational_unit/tags, enrich/organization.ts); unset: none. */
  organization?: OrganizationContext;
  /** False turns user-agent parsing off (benchmarks); default true. */
  userAgents?: boolean;
  now?: () => Date;
  /** A record whose raw text exceeds this many bytes becomes a record-error (it could never be bulk-indexed). Default 10 MiB. */
  maxRecordBytes?: number;
}

export const DEFAULT_MAX_RECORD_BYTES = 10 * 1024 * 1024;
const RAW_EXCERPT = 1000;

/** The result of matching a key against the configured log types. */
export type KeyClass = { logType: LogType; ignored?: string };

export class Pipeline {
  private constructor(
    readonly logTypes: readonly LogType[],
    private readonly options: PipelineOptions,
    /** [DEFAULT] `exclude_log_patterns_filename`: the exclusion CSV's key in the geo bucket (config/exclusion-csv.ts); undefined: none. */
    readonly exclusionCsvName: string | undefined,
  ) {}

  /**
   * This pipeline with the rows of an exclusion CSV (`exclude_log_patterns_filename`) applied to their
   * log types. Throws ConfigError naming the file and the row; the pipeline itself is unchanged.
   */
  withExclusionCsv(text: string, name: string): Pipeline {
    const names = new Set(this.logTypes.map((t) => t.name));
    const rules = parseExclusionCsv(text, name, (given) => {
      const ours = ourSectionName(given, names);
      return names.has(ours) ? ours : undefined;
    });
    const types = this.logTypes.map((lt) => (rules.has(lt.name) ? { ...lt, excludeRaw: [...(lt.excludeRaw ?? []), ...rules.get(lt.name)!] } : lt));
    return new Pipeline(types, this.options, this.exclusionCsvName);
  }

  /** Parses and validates aws.ini (+ bundled user.ini + options.userIni). Throws ConfigError. */
  static create(options: PipelineOptions = {}): Pipeline {
    const files: Array<{ text: string; file: string }> = [];
    if (options.awsIni !== undefined) files.push({ text: options.awsIni, file: 'aws.ini' });
    else {
      const aws = readBundledIni('aws.ini');
      if (!aws) throw new ConfigError('aws.ini not found next to the loader code; the bundle must ship it (see pipeline.ts)', 'aws.ini');
      files.push(aws);
    }
    if (!options.ignoreBundledUserIni) {
      const bundled = readBundledIni('user.ini');
      if (bundled) files.push(bundled);
    }
    if (options.userIni !== undefined) files.push({ text: options.userIni, file: options.userIniName ?? 'user.ini' });
    const raw = mergeIni(files);
    const types = compileLogTypes(raw, new Set(TRANSFORMS.keys()), files.map((f) => f.file));
    if (types.length === 0) throw new ConfigError(`no log type sections in ${files.map((f) => f.file).join(', ')}`);
    // The reference's [DEFAULT] names exclude_log_patterns.csv; an empty value turns the CSV off.
    const csv = raw.defaults.values.get('exclude_log_patterns_filename')?.value;
    return new Pipeline(types, options, typeof csv === 'string' ? csv.trim() || undefined : DEFAULT_EXCLUSION_CSV);
  }

  /** The log type for a key, or undefined if none matches or the key is ignored. */
  resolveLogType(key: string): LogType | undefined {
    const c = this.classify(key);
    return c && !c.ignored ? c.logType : undefined;
  }

  /** Like resolveLogType, but tells an ignored key (matched `s3_key_ignored`) from an unknown one. */
  classify(key: string): KeyClass | undefined {
    for (const lt of this.logTypes) {
      if (!lt.s3Key.test(key)) continue;
      if (lt.s3KeyIgnored?.test(key)) return { logType: lt, ignored: `key matches s3_key_ignored of [${lt.name}]` };
      return { logType: lt };
    }
    return undefined;
  }

  /**
   * Streams one object. Yields documents (only for records inside `range`, all without one),
   * record-errors, skipped records and finally exactly one summary whose totalRecords counts every
   * record of the object. Never throws for bad records; throws UnknownLogTypeError for an unknown key
   * and UnreadableObjectError (before yielding anything) for content that is neither gzip nor text.
   */
  async *process(
    ref: ObjectRef,
    body: NodeJS.ReadableStream | AsyncIterable<Uint8Array>,
    opts: { range?: RecordRange } = {},
  ): AsyncGenerator<PipelineItem> {
    for await (const batch of this.processBatches(ref, body, opts)) yield* batch;
  }

  /**
   * `process`, one array of items per chunk of the object instead of one item at a time: an `await`
   * per record costs about as much as normalizing a flow log record, so hot consumers (the sink, the
   * CLI) take batches. Same items, same order, same summary at the end.
   */
  async *processBatches(
    ref: ObjectRef,
    body: NodeJS.ReadableStream | AsyncIterable<Uint8Array>,
    opts: { range?: RecordRange } = {},
  ): AsyncGenerator<PipelineItem[]> {
    const cls = this.classify(ref.key);
    if (!cls) throw new UnknownLogTypeError(ref.key);
    const lt = cls.logType;
    const key = ref.key;
    const summary: ObjectSummary = { kind: 'summary', key, logType: lt.name, totalRecords: 0, emitted: 0, failed: 0, skipped: 0 };
    if (cls.ignored) {
      summary.ignoredReason = cls.ignored;
      yield [summary];
      return;
    }
    const range = opts.range;
    const inRange = (n: number) => !range || (n >= range.start && n < range.end);
    const maxBytes = this.options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
    const ingestedDate = this.options.now?.() ?? new Date();
    const ctx: NormalizeContext = {
      key,
      bucket: ref.bucket,
      logTypeName: referenceLogType(lt.name, key, lt),
      moduleName: referenceLogType(lt.name, key),
      keyInfo: keyInfo(key),
      ingested: ingestedDate.toISOString(),
      ingestedDate,
      geo: this.options.geo,
      ioc: this.options.ioc,
      trustedProxies: this.options.trustedProxies,
      organization: this.options.organization,
      userAgents: this.options.userAgents,
      transform: lt.transform ? TRANSFORMS.get(lt.transform) : undefined,
    };
    const state: FormatState = { range };
    const format = formatOf(lt);
    const fail = (rec: RawRecord, reason: string): RecordFailure => {
      summary.failed++;
      const f: RecordFailure = { kind: 'record-error', key, record: rec.record, reason: `${key}: ${where(rec)}: ${reason}` };
      if (rec.line !== undefined) f.line = rec.line;
      f.raw = rec.text.length > RAW_EXCERPT ? `${rec.text.slice(0, RAW_EXCERPT)}...` : rec.text;
      return f;
    };
    try {
      const batches = format.splitBytes ? format.splitBytes(lt, body, state) : format.split(lt, textChunks(body, { nestedGzip: lt.viaCwl }), state);
      for await (const batch of batches) {
        summary.totalRecords += batch.length;
        const out: PipelineItem[] = [];
        for (const rec of batch) {
          if (!inRange(rec.record)) continue;
          if (rec.error) {
            out.push(fail(rec, rec.lost ? `${rec.error}; the rest of the object could not be read (${rec.record} records recovered before it)` : rec.error));
            continue;
          }
          // UTF-8 takes at most 3 bytes per UTF-16 unit, so only long texts need counting.
          const rawBytes = rec.text.length * 3 > maxBytes ? Buffer.byteLength(rec.text) : 0;
          if (rawBytes > maxBytes) {
            out.push(fail({ ...rec, text: rec.text.slice(0, RAW_EXCERPT) }, `record is ${rawBytes} bytes, above the bulk limit of ${maxBytes} bytes`));
            continue;
          }
          let built;
          try {
            // The id of a CloudWatch Logs event includes its event id; a FireLens line's its container (the reference's additional_id).
            const idText = rec.cwl ? `${rec.text}\0${rec.cwl.id}` : rec.firelens ? `${rec.text}\0${rec.firelens.container_name ?? ''}` : undefined;
            built = normalize(lt, format.decode(lt, rec, state), rec.text, ctx, idText);
          } catch (err) {
            if (err instanceof OtherLogGroup || err instanceof SkipRecord) {
              summary.skipped++;
              out.push({ kind: 'skipped', key, record: rec.record, reason: err.message });
              continue;
            }
            if (err instanceof DecodeError || err instanceof NormalizeError) {
              out.push(fail(rec, err.message));
              continue;
            }
            out.push(fail(rec, `unexpected error: ${(err as Error).message}`));
            continue;
          }
          if (built instanceof ExcludedRecord) {
            summary.skipped++;
            out.push({ kind: 'skipped', key, record: rec.record, reason: built.reason });
            continue;
          }
          summary.emitted++;
          const doc: { kind: 'document' } & LoaderDocument = { kind: 'document', index: built.index, id: built.id, source: built.source, record: rec.record };
          if (rec.line !== undefined) doc.line = rec.line;
          out.push(doc);
        }
        if (out.length > 0) yield out;
      }
    } catch (err) {
      // Neither gzip nor text: nothing was yielded, the object as a whole cannot be loaded.
      if (err instanceof UnreadableObjectError) throw new UnreadableObjectError(err.what, key, { cause: err.cause });
      // The stream broke (truncated gzip, read error): everything before was yielded; report where it stopped.
      // With a range, only the invocation whose range reaches the end reports it, so it is reported once.
      const at = summary.totalRecords;
      if (!range || (at >= range.start && at <= range.end)) {
        summary.failed++;
        const reason = err instanceof StreamReadError ? err.message : `reading failed: ${(err as Error).message}`;
        yield [{ kind: 'record-error', key, record: at, reason: `${key}: after record ${at} (records read so far: ${at}): ${reason}; the rest of the object could not be read` }];
      }
    }
    yield [summary];
  }
}

function where(rec: RawRecord): string {
  const at = [rec.line !== undefined ? `line ${rec.line}` : '', rec.byte !== undefined ? `byte ${rec.byte}` : ''].filter(Boolean).join(', ');
  return at ? `record ${rec.record} (${at})` : `record ${rec.record}`;
}
