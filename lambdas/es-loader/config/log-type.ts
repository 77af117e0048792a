/**
 * Validation of the merged aws.ini/user.ini sections and their compilation into `LogType` objects.
 * The zod schema is the source of truth for the allowed keys and values; every error names the file,
 * the [section], the key and what is allowed.
 */
import { z } from 'zod';
import { ConfigError } from '../errors';
import { timeParser, parseTzOffset, type Rotation, type TimeParser } from '../ecs/time';
import { coerce, ecsType, type EcsType } from '../ecs/fields';
import { partsOf } from '../ecs/paths';
import { compileTypedFields, type TypedField } from '../ecs/typed-fields';
import type { RawConfig, RawSection } from './ini-files';
import { applyReferenceGrammar, closest, compileListMappings, isListForm, isReferenceKey, REFERENCE_KEYS, type ListMapping } from './reference-grammar';

export const FILE_FORMATS = ['json', 'jsonl', 'ndjson', 'text', 'csv', 'multiline', 'cef', 'parquet', 'xml', 'winevtxml'] as const;
export type FileFormat = 'json' | 'jsonl' | 'text' | 'csv' | 'multiline' | 'cef' | 'parquet' | 'xml' | 'winevtxml';

/** Path into a raw record: `a.b.0.c` -> ['a','b','0','c']. */
export type FieldPath = string[];

export type EcsSource = { kind: 'raw'; path: FieldPath } | { kind: 'ecs'; field: string };
export interface EcsMapping {
  field: string;
  parts: string[];
  type: EcsType;
  /** Candidates in order; the first one with a value wins (as in the reference). */
  sources: EcsSource[];
  /** True when a candidate is a ${ecs.field} reference (resolved after the plain mappings). */
  hasRef: boolean;
}
export interface ExcludeRule {
  field: FieldPath;
  text: string;
  test: (value: string) => boolean;
}

export interface LogType {
  readonly name: string;
  readonly s3Key: RegExp;
  readonly s3KeyIgnored?: RegExp;
  readonly fileFormat: FileFormat;
  readonly jsonDelimiter?: string;
  readonly textHeaderLineNumber: number;
  readonly csvDelimiter: string;
  readonly logPattern?: RegExp;
  readonly multilineFirstline?: RegExp;
  /** `xml_firstline` (file_format = xml): a record starts at each line this matches at its start (formats/xml.ts). */
  readonly xmlFirstline?: RegExp;
  readonly timestampKeys: FieldPath[];
  readonly timestampFormat: string;
  readonly parseTime: TimeParser;
  readonly ecs: EcsMapping[];
  readonly staticEcs: Array<{ field: string; parts: string[]; value: unknown }>;
  readonly geoip: string[];
  /** ECS fields whose IPs are looked up in the IoC database (`ioc_ip`, issue 16). */
  readonly iocIp: string[];
  /** ECS fields whose domain names are looked up in the IoC database, as given and by parent domain (`ioc_domain`). */
  readonly iocDomain: string[];
  /** `clientip_xff = <client ip field> <x-forwarded-for field>`: the client IP behind proxies (enrich/client-ip.ts). */
  readonly clientIpXff?: { clientIp: string[]; xff: string[] };
  /** `user_agent_enrichment_field`: the user agent object parsed into name/version/os/device (enrich/user-agent.ts); empty: none. */
  readonly userAgentField?: string;
  readonly indexName: string;
  readonly indexSuffix?: string;
  readonly indexRotation: Rotation;
  readonly indexTzMinutes: number;
  readonly docId: FieldPath[];
  readonly docIdSuffix: FieldPath[];
  readonly maxLogCount: number;
  readonly exclude: ExcludeRule[];
  /** Rows of the exclusion CSV (`exclude_log_patterns_filename`, config/exclusion-csv.ts), tested on the record as decoded, before anything else. */
  readonly excludeRaw?: readonly ExcludeRule[];
  readonly transform?: string;
  /** Raw fields stored as OpenSearch `flat_object` (polymorphic objects). */
  readonly flatObject: string[];
  /** Original fields with a type in the index template (`keyword_fields` ... `ip_fields`, ecs/typed-fields.ts). */
  readonly typedFields: readonly TypedField[];
  /** `via_cwl`: objects are CloudWatch Logs subscription messages; each log event's message is one record (formats/cwl.ts). */
  readonly viaCwl: boolean;
  /** `cwl_timestamp = True` (or `timestamp_key = cwl_timestamp`): the log event's time is the record's time. */
  readonly cwlTimestamp: boolean;
  /** `loggroup`: with via_cwl, only log events of log groups whose name contains this text are loaded (others are skipped). */
  readonly loggroup?: string;
  /** `via_firelens`: each line is a FireLens record, the log line in `log` with the ECS metadata (formats/firelens.ts). */
  readonly viaFirelens: boolean;
  /** `ignore_container_stderr` (with via_firelens): lines the container wrote to stderr are skipped (the reference's default, True). */
  readonly ignoreContainerStderr: boolean;
  /** List-form mapping lines (`related.ip = [${source.ip}, ${destination.ip}]`), filled after the transform (ecs/basic.ts). */
  readonly listMappings: readonly ListMapping[];
  /** `index_time`: the time that names the rotated index, the record's (`@timestamp`) or the loader's (`event_ingested`). */
  readonly indexTime: '@timestamp' | 'event_ingested';
  /** `file_timestamp_format`: the time in the object key (named groups year ... microsecond, UTC), for `timestamp_key = file_timestamp`. */
  readonly fileTimestamp?: RegExp;
  /** `renamed_newfields`: [new name, original name] of top-level fields renamed before anything else reads the record. */
  readonly renamedFields: ReadonlyArray<readonly [string, string]>;
  /** `json_to_text`: original fields stored as text (an object or list as its JSON text) before the mapping. */
  readonly jsonToText: readonly FieldPath[];
  /** `field_prefix`: the record's own top-level fields are moved under this name once the document is built. */
  readonly fieldPrefix?: string;
  /** The ini file the section was defined in first. */
  readonly definedIn: string;
}

/** Keys a section may hold besides ECS mapping lines (`ecs.field = original.field`). */
export const KNOWN_KEYS = [
  's3_key', 's3_key_ignored', 'file_format', 'json_delimiter', 'text_header_line_number', 'csv_delimiter',
  'log_pattern', 'multiline_firstline', 'timestamp_key', 'timestamp_format', 'timestamp_tz', 'ecs', 'static_ecs',
  'geoip', 'index_name', 'index_suffix', 'index_rotation', 'index_tz', 'doc_id', 'doc_id_suffix', 'max_log_count',
  'exclude', 'exclude[]', 'transform', 'flat_object', 'keyword_fields', 'long_fields', 'double_fields', 'ip_fields', 'description', 'index_time', 'via_cwl', 'cwl_timestamp', 'loggroup', 'ioc_ip', 'ioc_domain',
  'clientip_xff', 'user_agent_enrichment_field',
] as const;

const list = (s: string | undefined) => (s ?? '').split(/[\s,]+/).filter(Boolean);

const regexString = z.string().superRefine((s, ctx) => {
  try {
    new RegExp(pythonToJsRegex(s));
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `not a valid regular expression (${(e as Error).message})` });
  }
});

const tzString = z.string().refine((s) => parseTzOffset(s) !== undefined, { message: 'must be a time zone offset like +00:00 or -04:00' });
const intString = (min: number) =>
  z.string().regex(/^\d+$/, { message: `must be a whole number >= ${min}` }).transform(Number).refine((n) => n >= min, { message: `must be >= ${min}` });

/** The reference's booleans: True/False (any case), also yes/no, on/off, 1/0 as Python's configparser reads them. */
const boolString = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .refine((s) => ['true', 'false', 'yes', 'no', 'on', 'off', '1', '0'].includes(s), { message: 'must be True or False' })
  .transform((s) => ['true', 'yes', 'on', '1'].includes(s));

/** The schema of one merged section. Strings in, typed values out. */
export const sectionSchema = z.object({
  s3_key: regexString.refine((s) => s.trim() !== '', { message: 'must be a non-empty regular expression matching the object keys of this log type' }),
  s3_key_ignored: regexString.optional(),
  file_format: z.enum(FILE_FORMATS, { message: `must be one of ${FILE_FORMATS.join(', ')}` }),
  json_delimiter: z.string().optional(),
  text_header_line_number: intString(0).default(0),
  csv_delimiter: z.enum(['space', 'comma', 'tab'], { message: 'must be one of space, comma, tab' }).default('space'),
  log_pattern: regexString.optional(),
  multiline_firstline: regexString.optional(),
  timestamp_key: z.string().optional(),
  timestamp_format: z.string().default('iso8601'),
  timestamp_tz: tzString.default('+00:00'),
  ecs: z.string().default(''),
  static_ecs: z.string().default(''),
  geoip: z.string().default(''),
  ioc_ip: z.string().default(''),
  ioc_domain: z.string().default(''),
  clientip_xff: z
    .string()
    .refine((v) => v.trim() === '' || /^\S+\s+\S+$/.test(v.trim()), { message: 'must be "<client ip field> <x-forwarded-for field>", e.g. source.ip http.request.header.x_forwarded_for' })
    .default(''),
  user_agent_enrichment_field: z.string().regex(/^[\w@.]*$/, { message: 'must be one field name such as user_agent' }).default('user_agent'),
  index_name: z
    .string({ message: 'is required: the index name without the rotation suffix, e.g. log-aws-cloudtrail' })
    .regex(/^[a-z0-9][a-z0-9_.+-]*$/, { message: 'must be a lowercase OpenSearch index name (a-z 0-9 _ - . +), e.g. log-aws-cloudtrail' }),
  index_suffix: z.string().regex(/^[a-z0-9_-]*$/, { message: 'must be lowercase letters, digits, _ or -' }).optional(),
  index_rotation: z.enum(['daily', 'weekly', 'monthly', 'yearly'], { message: 'must be one of daily, weekly, monthly, yearly' }).default('monthly'),
  index_tz: tzString.default('+00:00'),
  doc_id: z.string().optional(),
  doc_id_suffix: z.string().optional(),
  max_log_count: intString(1).default(100000),
  exclude: z.union([z.string(), z.array(z.string())]).optional(),
  'exclude[]': z.array(z.string()).optional(),
  transform: z.string().optional(),
  flat_object: z.string().default(''),
  keyword_fields: z.string().optional(),
  long_fields: z.string().optional(),
  double_fields: z.string().optional(),
  ip_fields: z.string().optional(),
  description: z.string().optional(),
  index_time: z.enum(['@timestamp', 'event_ingested'], { message: 'must be @timestamp or event_ingested' }).default('@timestamp'),
  via_cwl: boolString.default(false),
  cwl_timestamp: boolString.default(false),
  loggroup: z.string().optional(),
});

/** Python's named groups `(?P<name>...)` and back-references `(?P=name)` become JavaScript's. */
export function pythonToJsRegex(s: string): string {
  return s.replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
}

type Section = z.infer<typeof sectionSchema>;

/**
 * The log event's time (`cwl_timestamp`, epoch milliseconds; formats/cwl.ts puts it in the record) is the
 * record's time when the section asks for it (`cwl_timestamp = True`, or `timestamp_key = cwl_timestamp`
 * as in the reference's RDS sections), and, as in the reference, when a via_cwl section names no
 * timestamp_key at all. `cwl_timestamp = True` makes it the last candidate after timestamp_key.
 */
function cwlTimestampUsed(c: Section): boolean {
  return c.via_cwl && (c.cwl_timestamp || !c.timestamp_key?.trim() || list(c.timestamp_key).includes('cwl_timestamp'));
}
function cwlTimestampFallback(c: Section): boolean {
  return cwlTimestampUsed(c) && !list(c.timestamp_key).includes('cwl_timestamp');
}
/**
 * cwl_timestamp is a number of milliseconds; `epoch` reads it as it is, other formats (which never take a
 * number) get this wrapper, so that the section's own field keeps its format.
 */
function cwlTimeParser(inner: TimeParser): TimeParser {
  return (v, now) => (typeof v === 'number' ? (Number.isFinite(v) ? new Date(v) : undefined) : inner(v, now));
}
/**
 * `loggroup` counts only when the section itself sets it: the reference's [DEFAULT] has `loggroup = dummy`
 * (its Kinesis input's placeholder), which a copied [DEFAULT] must not turn into "skip every event".
 */
function cwlSettings(c: Section, section: RawSection, defaults: RawSection): Pick<LogType, 'viaCwl' | 'cwlTimestamp' | 'loggroup'> {
  // The reference grammar copies [DEFAULT] entries into each section (config/reference-grammar.ts): same value, same file.
  const entry = section.values.get('loggroup');
  const inherited = defaults.values.get('loggroup');
  const own = entry !== undefined && !(inherited && inherited.value === entry.value && inherited.file === entry.file) ? c.loggroup?.trim() : undefined;
  return { viaCwl: c.via_cwl, cwlTimestamp: cwlTimestampUsed(c), loggroup: c.via_cwl && own ? own : undefined };
}

function sectionValues(defaults: RawSection, section: RawSection) {
  const values: Record<string, string | string[]> = {};
  const files: Record<string, string> = {};
  for (const src of [defaults, section]) for (const [k, v] of src.values) {
    values[k] = v.value;
    files[k] = v.file;
  }
  return { values, files };
}

/**
 * Validates and compiles every section. `transforms` lists the names a `transform` key may take.
 * Sections defined by a later file (user.ini) are matched before aws.ini's, so a user type can claim
 * keys more specifically.
 */
export function compileLogTypes(given: RawConfig, transforms: ReadonlySet<string>, fileOrder: string[]): LogType[] {
  const raw = applyReferenceGrammar(given, transforms);
  for (const [k, v] of raw.defaults.values) {
    if (k.includes('.') || ['s3_key', 'ecs', 'static_ecs', 'index_name', 'log_pattern', 'doc_id'].includes(k))
      throw new ConfigError(`${v.file}: [DEFAULT] key "${k}" cannot have a default; set it in each log type's section`, v.file, 'DEFAULT', k);
  }
  const types = raw.sections.map((s) => compileSection(raw.defaults, s, transforms));
  const rank = (t: LogType) => -fileOrder.indexOf(t.definedIn);
  return types.map((t, i) => ({ t, i })).sort((a, b) => rank(a.t) - rank(b.t) || a.i - b.i).map(({ t }) => t);
}

function fail(file: string, section: string, key: string | undefined, message: string): never {
  throw new ConfigError(`${file}: [${section}]${key ? ` ${key}` : ''}: ${message}`, file, section, key);
}

function compileSection(defaults: RawSection, section: RawSection, transforms: ReadonlySet<string>): LogType {
  const { values, files } = sectionValues(defaults, section);
  const name = section.name;
  const definedIn = [...section.values.values()][0]?.file ?? 'aws.ini';
  const fileOf = (k: string) => files[k] ?? definedIn;
  const known: Record<string, unknown> = {};
  const mappingLines = new Map<string, string>();
  for (const [k, v] of Object.entries(values)) {
    if ((KNOWN_KEYS as readonly string[]).includes(k)) known[k] = v;
    else if (k.includes('.') || k.startsWith('@')) {
      if (typeof v !== 'string') fail(fileOf(k), name, k, 'an ECS mapping line takes one value');
      mappingLines.set(k, v);
    } else if (section.variables?.has(k) || isReferenceKey(k)) continue;
    else {
      const guess = closest(k, [...KNOWN_KEYS, ...Object.keys(REFERENCE_KEYS)]);
      fail(fileOf(k), name, k, `unknown key${guess ? `; did you mean "${guess}"?` : '.'} Allowed: the keys listed in docs/log-types.md "user.ini" and ECS mapping lines such as "source.ip = srcaddr"`);
    }
  }
  const parsed = sectionSchema.safeParse(known);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue.path[0] ?? '');
    const got = key in known ? ` (got "${String(known[key])}")` : '';
    fail(fileOf(key), name, key, `${issue.code === 'invalid_type' && !(key in known) ? 'is required' : issue.message}${got}`);
  }
  const c = parsed.data;
  const format: FileFormat = c.file_format === 'ndjson' ? 'jsonl' : c.file_format;
  if ((format === 'text' || format === 'multiline') && !c.log_pattern)
    fail(fileOf('file_format'), name, 'log_pattern', `is required when file_format = ${format}: a regular expression with named groups, e.g. (?<client_ip>\\S+) ...`);
  if (format === 'multiline' && !c.multiline_firstline)
    fail(fileOf('file_format'), name, 'multiline_firstline', 'is required when file_format = multiline: a regular expression matching the first line of each record');
  // xml_firstline, via_firelens, ignore_container_stderr: reference-grammar keys, checked there (regular expression, booleans).
  const xmlFirstline = typeof values.xml_firstline === 'string' ? new RegExp(pythonToJsRegex(values.xml_firstline)) : undefined;
  if (format === 'xml' && !xmlFirstline)
    fail(fileOf('file_format'), name, 'xml_firstline', 'is required when file_format = xml: a regular expression matching the first line of each XML record, e.g. ^<record');
  const flag = (k: string, dflt: boolean) => (typeof values[k] === 'string' ? ['1', 'yes', 'true', 'on'].includes((values[k] as string).trim().toLowerCase()) : dflt);
  const viaFirelens = flag('via_firelens', false);
  if (viaFirelens && c.via_cwl) fail(fileOf('via_firelens'), name, 'via_firelens', 'cannot be combined with via_cwl = True: a section reads either CloudWatch Logs messages or FireLens records');
  let logPattern: RegExp | undefined;
  if (c.log_pattern) {
    logPattern = new RegExp(pythonToJsRegex(c.log_pattern), format === 'multiline' ? 's' : '');
    if (!/\(\?<[A-Za-z_]\w*>/.test(logPattern.source)) fail(fileOf('log_pattern'), name, 'log_pattern', 'must contain named groups such as (?<client_ip>\\S+); their names become the record fields');
  }
  let parseTime: TimeParser;
  // timestamp_format_list (reference grammar, checked to be a JSON list of strings): each format is tried in turn on the value.
  const formatList = typeof values.timestamp_format_list === 'string' ? (JSON.parse(values.timestamp_format_list) as string[]) : undefined;
  const formatKey = formatList ? 'timestamp_format_list' : 'timestamp_format';
  try {
    if (!formatList) parseTime = timeParser(c.timestamp_format, c.timestamp_tz);
    else {
      const parsers = formatList.map((f) => timeParser(f, c.timestamp_tz));
      parseTime = (v, now) => {
        for (const p of parsers) {
          const t = p(v, now);
          if (t) return t;
        }
        return undefined;
      };
    }
  } catch (e) {
    fail(fileOf(formatKey), name, formatKey, (e as Error).message);
  }
  const fileTimestamp = typeof values.file_timestamp_format === 'string' ? new RegExp(pythonToJsRegex(values.file_timestamp_format)) : undefined;
  if (!fileTimestamp && list(c.timestamp_key).includes('file_timestamp'))
    fail(fileOf('timestamp_key'), name, 'timestamp_key', 'file_timestamp needs file_timestamp_format, a regular expression that finds the time in the object key, e.g. _(?P<year>\\d{4})(?P<month>\\d{2})(?P<day>\\d{2})T');
  const renamedFields = list(typeof values.renamed_newfields === 'string' ? values.renamed_newfields : '').map((n) => [n, String(values[n]).trim()] as const);
  const jsonToText = list(typeof values.json_to_text === 'string' ? values.json_to_text : '');
  for (const f of jsonToText)
    if (list(c.flat_object).includes(f)) fail(fileOf('json_to_text'), name, 'json_to_text', `"${f}" is also in flat_object; a field is either text or a flat object, choose one`);
  if (c.transform !== undefined && !transforms.has(c.transform))
    fail(fileOf('transform'), name, 'transform', `"${c.transform}" is not a built-in transform; available: ${[...transforms].sort().join(', ')}`);

  const ecsFields = list(c.ecs);
  const listMappings = compileListMappings(mappingLines, [...ecsFields, ...list(c.static_ecs)], (f, m) => fail(fileOf(f), name, f, m));
  const ecs: EcsMapping[] = ecsFields.filter((f) => !isListForm(mappingLines.get(f) ?? '')).map((field) => {
    const line = mappingLines.get(field);
    if (line === undefined || line.trim() === '')
      fail(fileOf('ecs'), name, field, `is listed in "ecs" but has no mapping line; add "${field} = <original field>"`);
    const sources = list(line).map((tok): EcsSource => {
      const ref = /^\$\{(.+)\}$/.exec(tok);
      return ref ? { kind: 'ecs', field: ref[1] } : { kind: 'raw', path: tok.split('.') };
    });
    return { field, parts: partsOf(field), type: ecsType(field), sources, hasRef: sources.some((s) => s.kind === 'ecs') };
  });
  for (const m of ecs)
    for (const s of m.sources)
      if (s.kind === 'ecs' && !ecsFields.includes(s.field) && !list(c.static_ecs).includes(s.field))
        fail(fileOf(m.field), name, m.field, `refers to \${${s.field}} which is not listed in "ecs" or "static_ecs"`);
  const staticEcs = list(c.static_ecs).map((field) => {
    const v = mappingLines.get(field);
    if (v === undefined) fail(fileOf('static_ecs'), name, field, `is listed in "static_ecs" but has no value line; add "${field} = <constant>"`);
    return { field, parts: partsOf(field), value: coerce(field, v.trim()) };
  });
  for (const g of list(c.geoip))
    if (!['source', 'destination', 'client', 'server', 'host'].includes(g))
      fail(fileOf('geoip'), name, 'geoip', `"${g}" is not an ECS field set with an ip; allowed: source, destination, client, server, host`);

  for (const k of ['ioc_ip', 'ioc_domain'] as const)
    for (const f of list(c[k]))
      if (!/^[\w@-]+(\.[\w@-]+)*$/.test(f)) fail(fileOf(k), name, k, `"${f}" is not a field name; list dotted ECS fields separated by spaces, e.g. source.ip destination.ip`);

  const excludeLines = [...(c.exclude === undefined ? [] : Array.isArray(c.exclude) ? c.exclude : [c.exclude]), ...(c['exclude[]'] ?? [])];
  const exclude = excludeLines.map((line): ExcludeRule => {
    const m = /^\s*(\S+)\s*(=|~)\s*(.*?)\s*$/.exec(line);
    if (!m) fail(fileOf('exclude'), name, 'exclude', `"${line}" must be "<field> = <exact value>" or "<field> ~ <regular expression>"`);
    let test: (v: string) => boolean;
    if (m[2] === '=') test = (v) => v === m[3];
    else {
      let re: RegExp;
      try {
        re = new RegExp(m[3]);
      } catch (e) {
        fail(fileOf('exclude'), name, 'exclude', `"${m[3]}" is not a valid regular expression (${(e as Error).message})`);
      }
      test = (v) => re.test(v);
    }
    return { field: m[1].split('.'), text: line.trim(), test };
  });

  return {
    name,
    s3Key: new RegExp(pythonToJsRegex(c.s3_key)),
    s3KeyIgnored: c.s3_key_ignored ? new RegExp(pythonToJsRegex(c.s3_key_ignored)) : undefined,
    fileFormat: format,
    jsonDelimiter: c.json_delimiter || undefined,
    textHeaderLineNumber: c.text_header_line_number,
    csvDelimiter: { space: ' ', comma: ',', tab: '\t' }[c.csv_delimiter],
    logPattern,
    multilineFirstline: c.multiline_firstline ? new RegExp(pythonToJsRegex(c.multiline_firstline)) : undefined,
    xmlFirstline,
    timestampKeys: [...list(c.timestamp_key), ...(cwlTimestampFallback(c) ? ['cwl_timestamp'] : [])].map((k) => k.split('.')),
    timestampFormat: formatList ? formatList.join(' or ') : c.timestamp_format,
    parseTime: cwlTimestampUsed(c) && c.timestamp_format !== 'epoch' ? cwlTimeParser(parseTime) : parseTime,
    ecs,
    staticEcs,
    geoip: list(c.geoip),
    iocIp: list(c.ioc_ip),
    iocDomain: list(c.ioc_domain),
    clientIpXff: c.clientip_xff.trim() ? { clientIp: list(c.clientip_xff)[0]!.split('.'), xff: list(c.clientip_xff)[1]!.split('.') } : undefined,
    userAgentField: c.user_agent_enrichment_field || undefined,
    indexName: c.index_name,
    indexSuffix: c.index_suffix || undefined,
    indexRotation: c.index_rotation,
    indexTzMinutes: parseTzOffset(c.index_tz)!,
    docId: list(c.doc_id).map((k) => k.split('.')),
    docIdSuffix: list(c.doc_id_suffix).map((k) => k.split('.')),
    maxLogCount: c.max_log_count,
    exclude,
    transform: c.transform,
    flatObject: list(c.flat_object),
    typedFields: compileTypedFields(c, list(c.flat_object), (k, m) => fail(fileOf(k), name, k, m)),
    listMappings,
    indexTime: c.index_time,
    ...cwlSettings(c, section, defaults),
    viaFirelens,
    ignoreContainerStderr: flag('ignore_container_stderr', true),
    fileTimestamp,
    renamedFields,
    jsonToText: jsonToText.map((f) => f.split('.')),
    fieldPrefix: typeof values.field_prefix === 'string' ? values.field_prefix : undefined,
    definedIn,
  };
}
