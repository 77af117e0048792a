/**
 * Turning one decoded record into its OpenSearch document: ECS fields from the ini mapping, constants,
 * the type's transform, values from the key, timestamps, enrichment, exclusion rules, index and _id.
 */
import { createHash, hash } from 'node:crypto';
import type { ExcludeRule, LogType } from '../config/log-type';
import { enrichGeo, type GeoReaders } from '../enrich/geoip';
import { enrichIoc } from '../enrich/ioc';
import type { IocDatabase } from '../../shared/ioc/database';
import { enrichUserAgent } from '../enrich/user-agent';
import { enrichClientIp, type TrustedProxies } from '../enrich/client-ip';
import type { OrganizationContext } from '../enrich/organization';
import type { KeyInfo, Transform } from '../log-types/types';
import { ECS_VERSION, referenceLogType, relatedWriter } from './basic';
import { ecsWriter } from './compile';
import { child, getPath, isPlainObject, type Json } from './paths';
import { rotationSuffix } from './time';
import { typedCopyWriter } from './typed-fields';

/** The `ecs` object of every document that has none: shared and frozen, no allocation per record. */
const ECS = Object.freeze({ version: ECS_VERSION });

export interface BuiltDocument {
  index: string;
  id: string;
  source: Json;
}

/** Why a record was not turned into a document. */
export class NormalizeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NormalizeError';
  }
}
export class ExcludedRecord {
  constructor(readonly reason: string) {}
}

function blank(v: unknown): boolean {
  return v === undefined || v === null || v === '' || v === '-' || (Array.isArray(v) && v.length === 0);
}

/**
 * OpenSearch's flat_object takes a JSON object. Some 2.x versions fail on explicit nulls and on
 * arrays given as the field's value, so nulls are dropped and a non-object value is wrapped as
 * `{ "value": ... }`. The shape inside is free: that is the point of flat_object.
 */
export function toFlatObject(v: unknown): Json | undefined {
  if (v === null || v === undefined) return undefined;
  const s = withoutNulls(v);
  return isPlainObject(s) ? s : { value: s };
}

/** `o[k] = v`, also for a key named `__proto__` (which JSON.parse makes an own property). */
function setOwn(o: Json, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

/** A copy of `x` without null values (in objects and arrays); `x` itself when it holds none. */
function withoutNulls(x: unknown): unknown {
  if (Array.isArray(x)) {
    let changed = false;
    const out = new Array<unknown>();
    for (const e of x) {
      if (e === null) {
        changed = true;
        continue;
      }
      const c = withoutNulls(e);
      if (c !== e) changed = true;
      out.push(c);
    }
    return changed ? out : x;
  }
  if (isPlainObject(x)) {
    let out: Json | undefined;
    for (const k in x) {
      const e = x[k];
      const c = e === null ? undefined : withoutNulls(e);
      if (c !== e && out === undefined) {
        // First difference: copy what came before, then go on building the copy.
        out = {};
        for (const before in x) {
          if (before === k) break;
          setOwn(out, before, x[before]);
        }
      }
      if (out !== undefined && c !== undefined) setOwn(out, k, c);
    }
    return out ?? x;
  }
  return x;
}

export function keyInfo(key: string): KeyInfo {
  const info: KeyInfo = {};
  const m = /(?:^|\/)AWSLogs\/(?:o-[a-z0-9]+\/)?(\d{12})\/(?:[^/]+)\/([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d|global|cloudfront)\//.exec(key);
  if (m) {
    info.account = m[1];
    info.region = m[2] === 'cloudfront' ? 'global' : m[2];
  } else {
    const a = /(?:^|\/)AWSLogs\/(?:o-[a-z0-9]+\/)?(\d{12})\//.exec(key);
    if (a) info.account = a[1];
    // elsewhere in the key (AWSLogs/<acct>/CloudWatchLogs/<family>/<kind>/<region>/...), as the reference's
    // extract_aws_region_from_text; a whole path segment only, and not its "global"
    const r = /(?:^|\/)((?:us|ap|ca|eu|il|me|mx|sa|af|cn)-(?:gov-)?[a-z]+-\d)(?=\/)/.exec(key);
    if (r) info.region = r[1];
  }
  return info;
}

const DAY = 86_400_000;

/**
 * The index name for time `t`. Every rotation changes at a local day boundary, so the name is reused for
 * all times within the same local day as the previous record.
 */
function indexOf(lt: LogType, t: Date, ctx: NormalizeContext): string {
  const ms = t.getTime();
  const m = ctx.memo ?? (ctx.memo = { raw: undefined, time: undefined, iso: '', dayStart: 0, dayEnd: 0, index: '' });
  if (m.index !== '' && ms >= m.dayStart && ms < m.dayEnd) return m.index;
  const index = `${lt.indexName}${lt.indexSuffix ? `-${lt.indexSuffix}` : ''}-${rotationSuffix(t, lt.indexRotation, lt.indexTzMinutes)}`;
  const offset = lt.indexTzMinutes * 60_000;
  m.dayStart = Math.floor((ms + offset) / DAY) * DAY - offset;
  m.dayEnd = m.dayStart + DAY;
  m.index = index;
  return index;
}

export interface NormalizeContext {
  key: string;
  keyInfo: KeyInfo;
  ingested: string;
  /** `ingested` as a Date (the reference time for year-less syslog stamps). */
  ingestedDate: Date;
  geo?: GeoReaders;
  /** The IoC database (runtime/ioc.ts); unset: no `threat.matched` enrichment. */
  ioc?: IocDatabase;
  /** Trusted proxies for the log type's clientip_xff (enrich/client-ip.ts); unset: the client IP is left as logged. */
  trustedProxies?: TrustedProxies;
  /** Account names, OUs and tags for cloud.account.* (enrich/organization.ts); unset: none. */
  organization?: OrganizationContext;
  /** False: no user-agent parsing (benchmarks); default true. */
  userAgents?: boolean;
  transform?: Transform;
  /** Per-object cache of the last parsed timestamp and index name (set by normalize). */
  memo?: { raw: unknown; time: Date | undefined; iso: string; dayStart: number; dayEnd: number; index: string };
  /** The log type's compiled ECS mapping (set by normalize). */
  writer?: (raw: Json, doc: Json) => void;
  /** The object's bucket (`@log_s3bucket`). */
  bucket?: string;
  /** The reference's log type name for this object (`@log_type`, ecs/basic.ts); the section name when unset. */
  logTypeName?: string;
  /** The reference's section name for this object (`event.module` when mappings set none); worked out per record when unset. */
  moduleName?: string;
  /** The object key's time (file_timestamp_format), found once per object; null when the key does not match. */
  fileTime?: Date | null;
}

/** Fields formats/cwl.ts adds to a via_cwl record from the subscription message (not the log event's own). */
const CWL_ENVELOPE = new Set(['@log_group', '@log_stream', 'cloud', 'cwl_timestamp']);

/** The log type's flat_object fields as paths, split once per log type rather than once per record. */
const flatPaths = new WeakMap<LogType, string[][]>();
function flatObjectPaths(lt: LogType): string[][] {
  let paths = flatPaths.get(lt);
  if (!paths) flatPaths.set(lt, (paths = lt.flatObject.map((f) => f.split('.'))));
  return paths;
}

/** Builds the document for `raw` (which it mutates and embeds). Throws NormalizeError or returns ExcludedRecord. */
/** `idText`: what the id hash is made of when not `text` alone (via_cwl: the message and the log event id). */
export function normalize(lt: LogType, raw: Json, text: string, ctx: NormalizeContext, idText?: string): BuiltDocument | ExcludedRecord {
  // The exclusion CSV's rows test the record as decoded, before anything else, as the reference's is_ignored.
  if (lt.excludeRaw) for (const rule of lt.excludeRaw) if (matches(raw, rule)) return new ExcludedRecord(`excluded by ${rule.text}`);
  // renamed_newfields: before anything reads the record, as the reference's rename_fields.
  if (lt.renamedFields.length) renameFields(lt, raw);
  // field_prefix moves the record's own fields, named before the mapping adds any. Not what the CloudWatch
  // Logs envelope added to a via_cwl record (formats/cwl.ts): the reference keeps those at the root.
  const ownFields = lt.fieldPrefix !== undefined ? Object.keys(raw).filter((k) => !(lt.viaCwl && CWL_ENVELOPE.has(k))) : undefined;
  // Values are read from the record before anything is written into it.
  let time: Date | undefined;
  if (lt.timestampKeys.length) {
    let seen: unknown;
    const memo = ctx.memo ?? (ctx.memo = { raw: undefined, time: undefined, iso: '', dayStart: 0, dayEnd: 0, index: '' });
    for (const p of lt.timestampKeys) {
      // file_timestamp: the time in the object key (file_timestamp_format), as the reference's.
      if (lt.fileTimestamp && p.length === 1 && p[0] === 'file_timestamp') {
        time = fileTime(lt, ctx);
        if (time) break;
        continue;
      }
      const v = getPath(raw, p);
      if (blank(v)) continue;
      seen = v;
      // Consecutive records often carry the same time (flow log windows, batched events): parse once.
      if (v === memo.raw && memo.time) time = memo.time;
      else {
        time = lt.parseTime(v, ctx.ingestedDate);
        memo.raw = v;
        memo.time = time;
        memo.iso = time ? time.toISOString() : '';
      }
      if (time) break;
    }
    if (!time) {
      const keys = lt.timestampKeys.map((p) => p.join('.')).join(' or ');
      const noFileTime = lt.fileTimestamp && keys.split(' or ').includes('file_timestamp') ? ` (the object key does not match file_timestamp_format ${lt.fileTimestamp.source})` : '';
      throw new NormalizeError(
        seen === undefined
          ? `has no timestamp: field ${keys} is missing${noFileTime}`
          : `timestamp ${keys} = ${JSON.stringify(seen)} is not in timestamp_format ${lt.timestampFormat}`,
      );
    }
  } else if (lt.fileTimestamp) time = fileTime(lt, ctx); // no time field: the key's time, else the loader's (the reference's order)
  // json_to_text: these original fields are text before the mapping reads them (docs/log-types.md "user.ini").
  for (const p of lt.jsonToText) jsonToText(raw, p);
  // `@id` is the id without the doc_id_suffix part, as the reference's; `_id` carries the suffix.
  const own = ownId(lt, raw);
  const baseId = own ?? hashId(lt, idText ?? text);
  const id = own !== undefined && lt.docIdSuffix.length ? own + idSuffix(lt, raw) : baseId;
  const doc = raw;
  // ECS values are computed from the original fields before anything is written (ecs/compile.ts).
  (ctx.writer ?? (ctx.writer = ecsWriter(lt)))(raw, doc);
  // Typed copies of paths inside flat_object fields (`typed.*`, ecs/typed-fields.ts, docs/field-model.md),
  // read from the original shape, before a flat_object value is wrapped.
  const typedCopies = typedCopyWriter(lt.typedFields);
  if (typedCopies) typedCopies(doc);
  // An absent value (null) is set to undefined rather than deleted: JSON leaves both out, and `delete`
  // would turn the document into a dictionary-mode object that JSON.stringify serializes several
  // times slower (CloudTrail's `responseElements: null` is common).
  for (const path of flatObjectPaths(lt)) {
    const v = getPath(doc, path);
    if (v === undefined) continue;
    const flat = toFlatObject(v);
    if (path.length === 1) doc[path[0]!] = flat;
    else {
      const parent = getPath(doc, path.slice(0, -1));
      if (isPlainObject(parent)) parent[path[path.length - 1]!] = flat;
    }
  }

  if (ctx.transform) {
    try {
      ctx.transform({ raw, doc, key: ctx.key, keyInfo: ctx.keyInfo, logType: lt });
    } catch (err) {
      throw new NormalizeError(`transform ${lt.transform} failed: ${(err as Error).message}`, { cause: err });
    }
  }
  // A transform may send the record to another index family (the reference's `__index_name`, e.g. sshd lines of syslog).
  const ownIndex = typeof doc.__index_name === 'string' && doc.__index_name !== lt.indexName ? doc.__index_name : undefined;
  if (doc.__index_name !== undefined) doc.__index_name = undefined;
  // A transform may give the document its id (the reference's sf_ scripts setting `@id`, e.g. CloudHSM's
  // <hsm><sequence><usecs>), so that the same entry read from two deliveries is one document.
  const transformId = typeof doc.__doc_id === 'string' && doc.__doc_id !== '' ? doc.__doc_id : undefined;
  if (doc.__doc_id !== undefined) doc.__doc_id = undefined;
  // ... and name the record's own @log_type (the reference's securitylake: ocsf-<category>, by record).
  const ownLogType = typeof doc.__log_type === 'string' ? doc.__log_type : undefined;
  if (doc.__log_type !== undefined) doc.__log_type = undefined;
  const cloud = child(doc, 'cloud');
  if (ctx.keyInfo.account && (!isPlainObject(cloud.account) || cloud.account.id === undefined)) child(cloud, 'account').id = ctx.keyInfo.account;
  if (cloud.region === undefined && ctx.keyInfo.region) cloud.region = ctx.keyInfo.region;
  if (cloud.provider === undefined) cloud.provider = 'aws';
  const timestamp = time ? (ctx.memo && ctx.memo.time === time ? ctx.memo.iso : time.toISOString()) : ctx.ingested;
  doc['@timestamp'] = timestamp;
  const event = child(doc, 'event');
  event.ingested = ctx.ingested;
  if (event.dataset === undefined) event.dataset = lt.name;
  // The reference gives every document event.module = its section's name (not a static @log_type) before mappings may replace it.
  if (event.module === undefined) event.module = ctx.moduleName ?? referenceLogType(lt.name, ctx.key);
  // The reference's basic fields (ecs/basic.ts). `@id` is the id without doc_id_suffix, as the reference's.
  doc['@log_type'] = ownLogType ?? ctx.logTypeName ?? lt.name;
  doc['@id'] = transformId ?? baseId;
  if (ctx.bucket !== undefined) doc['@log_s3bucket'] = ctx.bucket;
  doc['@log_s3key'] = ctx.key;
  // The raw line for line-based formats; a JSON record is the document itself.
  if (lt.fileFormat === 'text' || lt.fileFormat === 'csv' || lt.fileFormat === 'multiline' || lt.fileFormat === 'cef' || lt.fileFormat === 'xml' || lt.fileFormat === 'winevtxml') doc['@message'] = text;
  if (doc.ecs === undefined) doc.ecs = ECS;
  else if (isPlainObject(doc.ecs) && doc.ecs.version === undefined) doc.ecs.version = ECS_VERSION;
  const related = relatedWriter(lt);
  if (related) related(doc);

  // The client behind proxies first, as the reference: GeoIP and the IoC lookup then see the real client.
  if (lt.clientIpXff && ctx.trustedProxies) enrichClientIp(doc, lt.clientIpXff, ctx.trustedProxies);
  if (lt.geoip.length) enrichGeo(doc, lt.geoip, ctx.geo);
  if (ctx.ioc && (lt.iocIp.length || lt.iocDomain.length)) enrichIoc(doc, lt.iocIp, lt.iocDomain, ctx.ioc);
  if (lt.userAgentField && ctx.userAgents !== false) enrichUserAgent(doc, lt.userAgentField);
  if (ctx.organization) ctx.organization.enrich(doc);

  for (const rule of lt.exclude) if (matches(doc, rule)) return new ExcludedRecord(`excluded by [${lt.name}] exclude rule "${rule.text}"`);

  if (ownFields) prefixFields(doc, lt.fieldPrefix!, ownFields);

  // index_time = event_ingested names the index by the loader's time, as the reference's.
  const indexTime = lt.indexTime === 'event_ingested' ? ctx.ingestedDate : time ?? ctx.ingestedDate;
  const index = ownIndex === undefined ? indexOf(lt, indexTime, ctx) : indexOf({ ...lt, indexName: ownIndex }, indexTime, { ...ctx, memo: undefined });
  return { index, id: transformId ?? id, source: doc };
}

/** Does the field of `rule` hold a value (or, for a list, an element) that the rule matches? */
function matches(doc: Json, rule: ExcludeRule): boolean {
  const v = getPath(doc, rule.field);
  if (v === undefined || v === null) return false;
  const values = Array.isArray(v) ? v : [v];
  return values.some((x) => rule.test(typeof x === 'string' ? x : JSON.stringify(x)));
}

/** `renamed_newfields`: a field with a value (not null, "", 0 or false, as the reference's test) takes its new name. */
function renameFields(lt: LogType, raw: Json): void {
  for (const [to, from] of lt.renamedFields) {
    const v = raw[from];
    if (v === undefined || v === null || v === '' || v === 0 || v === false) continue;
    raw[to] = v;
    delete raw[from];
  }
}

/** The time in the object key (file_timestamp_format), once per object; undefined when the key does not match. */
function fileTime(lt: LogType, ctx: NormalizeContext): Date | undefined {
  if (ctx.fileTime === undefined) {
    const g = lt.fileTimestamp!.exec(ctx.key)?.groups;
    const n = (name: string, dflt: number) => (g?.[name] !== undefined ? Number(g[name]) : dflt);
    const t = g ? Date.UTC(n('year', 2000), n('month', 1) - 1, n('day', 1), n('hour', 0), n('minute', 0), n('second', 0), Math.floor(n('microsecond', 0) / 1000)) : NaN;
    ctx.fileTime = Number.isFinite(t) ? new Date(t) : null;
  }
  return ctx.fileTime ?? undefined;
}

/** Stores the field at `path` as text: an object or a list as its JSON text; strings, numbers and booleans stay. */
function jsonToText(raw: Json, path: readonly string[]): void {
  const parent = path.length === 1 ? raw : getPath(raw, path.slice(0, -1));
  if (!isPlainObject(parent)) return;
  const last = path[path.length - 1]!;
  const v = parent[last];
  if (typeof v === 'object' && v !== null) parent[last] = JSON.stringify(v);
}

/** `field_prefix`: the record's own top-level fields (and what the mapping merged into them) move under `prefix`, as the reference's add_field_prefix. */
function prefixFields(doc: Json, prefix: string, own: readonly string[]): void {
  const target = child(doc, prefix);
  for (const k of own) {
    if (k === prefix || doc[k] === undefined) continue;
    setOwn(target, k, doc[k]);
    doc[k] = undefined;
  }
}

/**
 * The record's own id when the log type names one (`doc_id`, plus `doc_id_suffix` when an id repeats
 * across updates, like GuardDuty's service.count), else a SHA-1 of the log type and the raw record:
 * the same record read twice gets the same _id, so a retry or redelivery overwrites instead of duplicating.
 */
function ownId(lt: LogType, raw: Json): string | undefined {
  for (const p of lt.docId) {
    const v = getPath(raw, p);
    if (blank(v) || typeof v === 'object') continue;
    return String(v);
  }
  return undefined;
}

/** `_<value>` of the first `doc_id_suffix` field the record has, else "". */
function idSuffix(lt: LogType, raw: Json): string {
  for (const s of lt.docIdSuffix) {
    const sv = getPath(raw, s);
    if (!blank(sv) && typeof sv !== 'object') return `_${String(sv)}`;
  }
  return '';
}

function hashId(lt: LogType, text: string): string {
  // crypto.hash (Node >= 20.12) is the one-shot form, several times cheaper than createHash per record.
  return typeof hash === 'function' ? hash('sha1', `${lt.name}\0${text}`, 'base64url') : createHash('sha1').update(`${lt.name}\0${text}`).digest('base64url');
}
