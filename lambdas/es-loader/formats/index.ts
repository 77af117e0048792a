/**
 * The file formats, a registry of `{ split, decode }` per `file_format` (FORMATS below). `split` is a
 * streaming async generator over the object's text yielding batches of raw records: the record's own
 * text, its record number (0-based, counting every record of the object) and its line number. `decode`
 * turns one record into fields; it is separate and lazy, so records outside a requested range cost only
 * their splitting. A new format is one more entry (the compiler asks for every FileFormat).
 */
import type { FileFormat, LogType } from '../config/log-type';
import { parseCef } from './cef';
import { viaCwl } from './cwl';
import { viaFirelens } from './firelens';
import { jsonPieces } from './json-stream';
import { lineBatches } from './lines';
import { PARQUET } from './parquet';
import { decodeWinEvtXml, decodeXml, splitWinEvtXml, splitXml } from './xml';
import { DecodeError, type FormatState, type RawRecord, type RecordFormat } from './types';

export { DecodeError, SkipRecord, type CwlMeta, type FormatState, type RawRecord, type RecordFormat } from './types';

/**
 * The object literal of a record of this header, the k-th column's value being the expression
 * `value(k)`: every column is a property, so all records share one hidden class. "-" marks a field with
 * no value (VPC Flow Logs NODATA/SKIPDATA records, fields not applicable): it becomes undefined, which
 * JSON leaves out.
 */
function recordLiteral(header: string[], value: (k: number) => string): string {
  return `{\n${header.map((h, k) => `${JSON.stringify(h)}: ${value(k)} === '-' ? undefined : ${value(k)}`).join(',\n')}\n}`;
}

/** A constructor for records of this header from split values. */
function recordBuilder(header: string[]): (values: string[]) => Record<string, unknown> {
  return new Function('v', `return ${recordLiteral(header, (k) => `v[${k}]`)};`) as (values: string[]) => Record<string, unknown>;
}

/**
 * For a file whose fields are separated by single spaces (VPC Flow Logs): finds the fields with indexOf
 * and builds the record directly, without the intermediate array of `split` (about twice as fast).
 * Returns undefined unless the line has exactly one field per column, i.e. exactly when
 * `text.split(' ')` would have the header's length; the caller then takes the general path.
 */
function scanBuilder(header: string[]): (text: string) => Record<string, unknown> | undefined {
  const last = header.length - 1;
  const lines = ['let i = 0, j;'];
  header.forEach((_, k) => {
    if (k < last) lines.push(`j = t.indexOf(' ', i); if (j === -1) return undefined; const v${k} = t.slice(i, j); i = j + 1;`);
    else lines.push(`if (t.indexOf(' ', i) !== -1) return undefined; const v${k} = t.slice(i);`);
  });
  lines.push(`return ${recordLiteral(header, (k) => `v${k}`)};`);
  return new Function('t', lines.join('\n')) as (text: string) => Record<string, unknown> | undefined;
}

/** json: the JSON splitter (json-stream.ts), elements of `json_delimiter` arrays or top-level values. */
async function* splitJson(lt: LogType, chunks: AsyncIterable<string>): AsyncGenerator<RawRecord[]> {
  let record = 0;
  const nested = lt.jsonDelimiter?.includes('.') ? lt.jsonDelimiter.split('.') : undefined;
  for await (const pieces of jsonPieces(chunks, nested ? undefined : lt.jsonDelimiter)) {
    if (nested) {
      yield pieces.flatMap((p) => eachNested(p.text, nested).map((text) => ({ record: record++, line: p.line, text, error: p.error, lost: p.lost, byte: p.byte })));
      continue;
    }
    yield pieces.map((p) => ({ record: record++, line: p.line, text: p.text, error: p.error, lost: p.lost, byte: p.byte }));
  }
}

/**
 * A dotted `json_delimiter` (EventBridge events: `detail.findings`): one record per element of the array
 * at that path, each the whole top-level value with the array reduced to that one element, so the
 * record keeps its envelope (time, account, region). Anything else stays one record as it is.
 */
function eachNested(text: string, path: string[]): string[] {
  let top: unknown;
  try {
    top = JSON.parse(text);
  } catch {
    return [text];
  }
  let parent: unknown = top;
  for (const k of path.slice(0, -1)) parent = typeof parent === 'object' && parent !== null ? (parent as Record<string, unknown>)[k] : undefined;
  const last = path[path.length - 1]!;
  const items = typeof parent === 'object' && parent !== null ? (parent as Record<string, unknown>)[last] : undefined;
  if (!Array.isArray(items)) return [text];
  // An empty list is no record (an inventory page with no WorkSpaces), as in the reference.
  if (items.length < 2) return items.length ? [text] : [];
  return items.map((item) => {
    (parent as Record<string, unknown>)[last] = [item];
    return JSON.stringify(top);
  });
}

/** jsonl, text, csv: one record per non-empty line after the header lines; csv reads its header there. */
async function* splitLines(lt: LogType, chunks: AsyncIterable<string>, state: FormatState): AsyncGenerator<RawRecord[]> {
  let record = 0;
  const skip = lt.textHeaderLineNumber || (lt.fileFormat === 'csv' ? 1 : 0);
  for await (const lines of lineBatches(chunks)) {
    const batch: RawRecord[] = [];
    for (const l of lines) {
      if (l.line <= skip) {
        // The last header line names the CSV columns (VPC Flow Logs: "version account-id ...").
        if (lt.fileFormat === 'csv' && l.line === skip) {
          state.header = splitCsv(l.text, lt.csvDelimiter).map(columnName);
          state.build = recordBuilder(state.header);
          state.scan = lt.csvDelimiter === ' ' ? scanBuilder(state.header) : undefined;
        }
        continue;
      }
      if (l.text.trim() === '') continue;
      l.record = record++;
      batch.push(l);
    }
    if (batch.length) yield batch;
  }
}

/** multiline: a record starts at each line matching `multiline_firstline` and runs until the next one. */
async function* splitMultiline(lt: LogType, chunks: AsyncIterable<string>): AsyncGenerator<RawRecord[]> {
  let record = 0;
  const first = lt.multilineFirstline!;
  let cur: { text: string; line: number } | undefined;
  for await (const lines of lineBatches(chunks)) {
    const batch: RawRecord[] = [];
    for (const l of lines) {
      if (l.line <= lt.textHeaderLineNumber) continue;
      if (first.test(l.text) || cur === undefined) {
        if (cur) batch.push({ record: record++, line: cur.line, text: cur.text });
        if (l.text.trim() === '' && !first.test(l.text)) continue;
        cur = { text: l.text, line: l.line };
      } else cur.text += `\n${l.text}`;
    }
    if (batch.length) yield batch;
  }
  if (cur) yield [{ record: record++, line: cur.line, text: cur.text }];
}

/** VPC Flow Logs header names use dashes (`account-id`); fields use underscores as in the reference. */
function columnName(h: string): string {
  return h.replace(/-/g, '_');
}

function splitCsv(text: string, delimiter: string): string[] {
  if (delimiter === ' ') return text.trim().split(/ +/);
  if (!text.includes('"')) return text.split(delimiter);
  // RFC 4180 quoting for comma/tab files
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') q = false;
      else cur += c;
    } else if (c === '"') q = true;
    else if (c === delimiter) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}


function decodeJson(_lt: LogType, rec: RawRecord): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(rec.text);
  } catch (err) {
    throw new DecodeError(`malformed JSON: ${(err as Error).message}`, { cause: err });
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new DecodeError('the JSON record is not an object');
  return v as Record<string, unknown>;
}

function decodeCsv(lt: LogType, rec: RawRecord, state: FormatState): Record<string, unknown> {
  const header = state.header;
  if (!header) throw new DecodeError('no header line before this record');
  // Space-separated files (VPC Flow Logs) mostly have exactly one space between fields: the scan.
  const built = state.scan?.(rec.text);
  if (built) return built;
  const values = splitCsv(rec.text, lt.csvDelimiter);
  if (values.length !== header.length)
    throw new DecodeError(`has ${values.length} fields but the header line names ${header.length} (${header.join(' ')})`);
  return state.build!(values);
}

/**
 * A log_pattern prepared for decoding: the same expression with its named groups made plain groups, and
 * a builder that makes the record from the group numbers with one fixed shape. Reading `m.groups` makes
 * V8 build a dictionary object per match; for ALB's 45 groups that cost about 4 times the match itself.
 * A group that did not take part in the match is an undefined property, which JSON leaves out.
 * Undefined (the old path) when the pattern has a back-reference by name or a group named __proto__.
 */
interface PatternPlan {
  re: RegExp;
  build: (m: RegExpExecArray) => Record<string, unknown>;
}
const patternPlans = new WeakMap<LogType, PatternPlan | null>();

export function patternPlan(re: RegExp): PatternPlan | undefined {
  const src = re.source;
  if (src.includes('\\k<')) return undefined;
  const names: Array<[string, number]> = [];
  let out = '';
  let group = 0;
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      out += c + (src[i + 1] ?? '');
      i++;
      continue;
    }
    if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') {
      const named = /^\(\?<([A-Za-z_$][\w$]*)>/.exec(src.slice(i, i + 200));
      if (named) {
        group++;
        if (named[1] === '__proto__') return undefined;
        names.push([named[1]!, group]);
        out += '(';
        i += named[0].length - 1;
        continue;
      }
      if (src[i + 1] !== '?') group++;
    }
    out += c;
  }
  const build = new Function('m', `return {\n${names.map(([n, g]) => `${JSON.stringify(n)}: m[${g}]`).join(',\n')}\n};`) as PatternPlan['build'];
  return { re: new RegExp(out, re.flags), build };
}

function decodePattern(lt: LogType, rec: RawRecord): Record<string, unknown> {
  let plan = patternPlans.get(lt);
  if (plan === undefined) patternPlans.set(lt, (plan = patternPlan(lt.logPattern!) ?? null));
  if (plan) {
    const m = plan.re.exec(rec.text);
    if (!m) throw new DecodeError(`does not match the log_pattern of [${lt.name}]`);
    return plan.build(m);
  }
  const m = lt.logPattern!.exec(rec.text);
  if (!m || !m.groups) throw new DecodeError(`does not match the log_pattern of [${lt.name}]`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m.groups)) if (v !== undefined) out[k] = v;
  return out;
}


/** Every `file_format` (`ndjson` is compiled to `jsonl`, config/log-type.ts). */
export const FORMATS: { readonly [F in FileFormat]: RecordFormat } = {
  json: { split: splitJson, decode: decodeJson },
  jsonl: { split: splitLines, decode: decodeJson },
  text: { split: splitLines, decode: decodePattern },
  csv: { split: splitLines, decode: decodeCsv },
  multiline: { split: splitMultiline, decode: decodePattern },
  cef: { split: splitLines, decode: (_lt, rec) => parseCef(rec.text) },
  xml: { split: splitXml, decode: decodeXml },
  winevtxml: { split: splitWinEvtXml, decode: decodeWinEvtXml },
  parquet: PARQUET,
};

/** The `via_cwl` form of each format (cwl.ts), and the `via_firelens` form (firelens.ts). */
const VIA_CWL = new Map<FileFormat, RecordFormat>();
const VIA_FIRELENS = new Map<FileFormat, RecordFormat>();

/** The format of a log type's objects: its file_format, inside the CloudWatch Logs envelope with `via_cwl`, in FireLens records with `via_firelens`. */
export function formatOf(lt: LogType): RecordFormat {
  if (!lt.viaCwl && !lt.viaFirelens) return FORMATS[lt.fileFormat];
  const forms = lt.viaCwl ? VIA_CWL : VIA_FIRELENS;
  let f = forms.get(lt.fileFormat);
  if (!f) forms.set(lt.fileFormat, (f = (lt.viaCwl ? viaCwl : viaFirelens)(FORMATS[lt.fileFormat])));
  return f;
}

/** Splits an object's text into raw records in the log type's format (`formatOf(lt).split`). */
export function recordBatches(lt: LogType, chunks: AsyncIterable<string>, state: FormatState): AsyncGenerator<RawRecord[]> {
  return formatOf(lt).split(lt, chunks, state);
}

/** Turns a raw record's text into its fields (`formatOf(lt).decode`). */
export function decodeRecord(lt: LogType, rec: RawRecord, state: FormatState): Record<string, unknown> {
  return formatOf(lt).decode(lt, rec, state);
}
