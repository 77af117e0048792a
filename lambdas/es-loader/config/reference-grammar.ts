/**
 * The reference's configuration grammar (its aws.ini / user.ini, read by Python's configparser with
 * ExtendedInterpolation), so that a user.ini written for the reference loads unchanged and means the same.
 * docs/log-types.md "user.ini" lists every key with its status; REFERENCE_KEYS below is that list.
 *
 * Applied to the merged sections before validation (config/log-type.ts):
 * - `${option}` and `${section:option}` are replaced by that option's value, as configparser's
 *   ExtendedInterpolation does (`${nw1}.ipAddressV4`, `${cloudhsm:log_pattern}`); `$$` is `$`.
 *   A whole `${ecs.field}` token (a name with a dot) is left for the mapping compiler: it copies that
 *   ECS field, which is what the reference's textual expansion yields for a mapped field.
 * - keys the reference spells differently become ours (`timestamp_key_list`, `script_ecs`,
 *   `csv_delimiter = ,`), and an empty value means "not set" (the reference's [DEFAULT] sets most keys
 *   to an empty value).
 */
import { ConfigError } from '../errors';
import type { RawConfig, RawSection } from './ini-files';

type Status = 'implemented' | 'issue-14' | 'issue-16' | 'ignored';

/**
 * Every key of the reference's grammar (aws.ini v2.10.4 [DEFAULT] and sections, index.py's
 * create_logconfig, siem/__init__.py) that is not one of our own keys, with what it does here.
 * Keys that are also ours (s3_key, file_format, ecs, ...) keep the meaning they have in both.
 */
export const REFERENCE_KEYS: Readonly<Record<string, { status: Status; note: string }>> = {
  // [DEFAULT]-level settings of the loader itself
  bump_version: { status: 'ignored', note: "the reference's release number; informational" },
  custom_user_agent: { status: 'ignored', note: 'user agent of the loader; ours is fixed (aes-siem-es-loader)' },
  ignore_own_logs: { status: 'ignored', note: "boolean; the loader's own S3 reads are not logged to the log bucket here" },
  exclude_log_patterns_filename: {
    status: 'implemented',
    note: '[DEFAULT]: key of the exclusion CSV in the geo bucket (default exclude_log_patterns.csv, empty: none), read at cold start (config/exclusion-csv.ts)',
  },
  ecs_version: { status: 'ignored', note: 'documents carry ecs.version 1.10.0, the value of the reference\'s aws.ini' },
  cloud_provider: { status: 'ignored', note: 'cloud.provider is always aws' },
  // delivery paths
  via_cwl: { status: 'implemented', note: 'boolean; objects are CloudWatch Logs subscription messages (Firehose), one record per log event' },
  via_firelens: { status: 'implemented', note: 'boolean; each line is a FireLens record: the log line in `log`, decoded in file_format, with the ECS container/task metadata' },
  ignore_container_stderr: { status: 'implemented', note: 'boolean, default True; with via_firelens, lines the container wrote to stderr are skipped' },
  loggroup: { status: 'implemented', note: 'with via_cwl: only log groups whose name contains this text' },
  // reading
  xml_firstline: { status: 'implemented', note: 'file_format = xml: regular expression matching the first line of each XML record (at the line start)' },
  ignore_header_line_number: {
    status: 'implemented',
    note: 'whole number; header lines skipped, as text_header_line_number (which wins when both are set); the reference reads the key but its readers never apply it',
  },
  json_to_text: { status: 'implemented', note: 'original fields stored as text before mapping: an object or list as its JSON text (the reference: Python repr)' },
  // time
  timestamp_key_list: { status: 'implemented', note: 'candidate time fields, first one present wins (= timestamp_key with several fields)' },
  timestamp_format_list: { status: 'implemented', note: 'JSON list of formats tried in order on the time field found (instead of timestamp_format)' },
  timestamp_nano: { status: 'implemented', note: 'boolean; fractions beyond milliseconds are always truncated here' },
  file_timestamp_format: {
    status: 'implemented',
    note: 'regular expression with groups year month day hour minute second microsecond (UTC): the time in the object key, read by timestamp_key = file_timestamp and used when a record has no time field',
  },
  index_time: { status: 'implemented', note: '@timestamp (default) or event_ingested: which time names the rotated index' },
  // spellings of the reference's user.ini [deepsecurity] sample, which its loader does not read
  index: { status: 'implemented', note: 'index_name, unless the same file sets index_name' },
  format: { status: 'implemented', note: 'file_format, unless the same file sets file_format' },
  // transform
  script_ecs: { status: 'implemented', note: "the log type's built-in transform runs (our `transform`); fields it lists are documentation" },
  renamed_newfields: { status: 'implemented', note: 'original top-level fields renamed before anything else (`new = old` lines)' },
  field_prefix: { status: 'implemented', note: 'original top-level fields moved under this name once the document is built' },
  // enrichment
  clientip_xff: { status: 'implemented', note: '`<client ip field> <x-forwarded-for field>`: the client IP behind proxies' },
  ioc_ip: { status: 'implemented', note: 'ECS fields whose IPs are looked up in the IoC database (threat.matched.*)' },
  ioc_domain: { status: 'implemented', note: 'ECS fields whose domains are looked up in the IoC database' },
  user_agent_enrichment_field: { status: 'implemented', note: 'the ECS user agent object parsed into name/version/os/device; empty: none' },
};

/** Python's configparser booleans (getboolean). */
const TRUE = new Set(['1', 'yes', 'true', 'on']);
const FALSE = new Set(['0', 'no', 'false', 'off']);
const BOOLEAN_KEYS = ['via_cwl', 'via_firelens', 'ignore_container_stderr', 'timestamp_nano', 'ignore_own_logs'];
const REGEX_KEYS = ['xml_firstline', 'file_timestamp_format'];
/** Keys whose empty value turns off something that is on by default. */
const KEEP_EMPTY = new Set(['user_agent_enrichment_field']);

/** Is `key` one of the reference's keys that are not our own (accepted by the validation)? */
export function isReferenceKey(key: string): boolean {
  return Object.hasOwn(REFERENCE_KEYS, key);
}

type Value = { value: string | string[]; file: string };

/**
 * The merged configuration with interpolation done, reference keys turned into ours and empty values
 * removed. Each section carries the [DEFAULT] values it inherits (after its own, so that the file that
 * defined the section stays first) and the names its `${...}` used as variables (`nw1 = ...`).
 */
export function applyReferenceGrammar(raw: RawConfig, transforms: ReadonlySet<string>): RawConfig {
  const byName = new Map(raw.sections.map((s) => [s.name, s]));
  const lookup = (section: string, key: string): Value | undefined =>
    byName.get(section)?.values.get(key) ?? raw.defaults.values.get(key);
  const sections = raw.sections.map((s) => {
    const variables = new Set<string>();
    const values = new Map<string, Value>();
    const keys = [...s.values.keys(), ...[...raw.defaults.values.keys()].filter((k) => !s.values.has(k))];
    for (const key of keys) {
      const v = lookup(s.name, key)!;
      const expand = (text: string) => interpolate(text, s.name, key, v.file, lookup, byName, variables, 0);
      const value = Array.isArray(v.value) ? v.value.map(expand) : expand(v.value);
      // An empty value is "not set" (the reference's [DEFAULT] lists most keys empty), except where empty means "none".
      if (value === '' && !KEEP_EMPTY.has(key)) continue;
      values.set(key, { value, file: v.file });
    }
    translate(s.name, values, transforms, variables, new Set(s.values.keys()));
    const out: RawSection = { name: s.name, values, variables };
    return out;
  });
  const defaults: RawSection = { name: 'DEFAULT', values: new Map([...raw.defaults.values].filter(([, v]) => v.value !== '')) };
  return { defaults, sections };
}

function interpolate(
  text: string,
  section: string,
  key: string,
  file: string,
  lookup: (section: string, key: string) => Value | undefined,
  byName: ReadonlyMap<string, RawSection>,
  variables: Set<string>,
  depth: number,
): string {
  if (!text.includes('$')) return text;
  if (depth > 10) throw new ConfigError(`${file}: [${section}] ${key}: \${...} references nest more than 10 levels (a loop?)`, file, section, key);
  return text.replace(/\$(\$|\{([^}]*)\})/g, (whole, dollar: string, ref: string | undefined) => {
    if (dollar === '$') return '$';
    const r = ref!;
    const colon = r.indexOf(':');
    let target = section;
    let option = r;
    if (colon >= 0) {
      target = byName.has(r.slice(0, colon)) ? r.slice(0, colon) : ourName(r.slice(0, colon), byName);
      option = r.slice(colon + 1);
    } else if (r.includes('.') || r.startsWith('@')) return whole; // an ECS field: the mapping compiler resolves it
    const v = lookup(target, option);
    if (v === undefined || Array.isArray(v.value))
      throw new ConfigError(
        `${file}: [${section}] ${key}: refers to \${${r}}, but ${colon >= 0 ? `section [${target}]` : `[${section}]`} has no key "${option}"`,
        file,
        section,
        key,
      );
    if (colon < 0) variables.add(option);
    return interpolate(v.value, target, option, v.file, lookup, byName, variables, depth + 1);
  });
}

function ourName(name: string, byName: ReadonlyMap<string, RawSection>): string {
  for (const alias of [name.replace(/-/g, '_'), name.replace(/_/g, '-')]) if (byName.has(alias)) return alias;
  return name;
}

function translate(section: string, values: Map<string, Value>, transforms: ReadonlySet<string>, variables: Set<string>, own: ReadonlySet<string>): void {
  const str = (k: string) => {
    const v = values.get(k)?.value;
    return typeof v === 'string' ? v : undefined;
  };
  const fail = (k: string, message: string): never => {
    const file = values.get(k)!.file;
    throw new ConfigError(`${file}: [${section}] ${k}: ${message}`, file, section, k);
  };
  for (const k of BOOLEAN_KEYS) {
    const v = str(k);
    if (v !== undefined && !TRUE.has(v.toLowerCase()) && !FALSE.has(v.toLowerCase())) fail(k, `must be True or False (got "${v}")`);
  }
  for (const k of REGEX_KEYS) {
    const v = str(k);
    if (v === undefined) continue;
    try {
      new RegExp(v.replace(/\(\?P</g, '(?<'));
    } catch (e) {
      fail(k, `not a valid regular expression (${(e as Error).message})`);
    }
  }
  if (str('ignore_header_line_number') !== undefined && !/^\d+$/.test(str('ignore_header_line_number')!))
    fail('ignore_header_line_number', `must be a whole number >= 0 (got "${str('ignore_header_line_number')}")`);
  // Header lines skipped: our text_header_line_number, which wins when the section sets both.
  if (str('ignore_header_line_number') !== undefined && !own.has('text_header_line_number'))
    values.set('text_header_line_number', values.get('ignore_header_line_number')!);
  const formats = str('timestamp_format_list');
  if (formats !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(formats);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((f) => typeof f === 'string' && f !== ''))
      fail('timestamp_format_list', `must be a list of formats in double quotes, e.g. ["iso8601", "syslog", "%Y-%m-%d %H:%M:%S,%f"] (got "${formats}")`);
  }
  const fileTime = str('file_timestamp_format');
  if (fileTime !== undefined && !/\(\?P?<(year|month|day|hour|minute|second|microsecond)>/.test(fileTime))
    fail('file_timestamp_format', `must name the parts of the time with groups such as (?P<year>\\d{4}) (year month day hour minute second microsecond) (got "${fileTime}")`);
  const prefix = str('field_prefix');
  if (prefix !== undefined && !/^[\w@-]+$/.test(prefix)) fail('field_prefix', `must be one field name without dots, e.g. elasticache (got "${prefix}")`);
  for (const f of (str('json_to_text') ?? '').split(/\s+/).filter(Boolean))
    if (!/^[\w@-]+(\.[\w@-]+)*$/.test(f)) fail('json_to_text', `"${f}" is not a field name; list original fields separated by spaces, e.g. data requestParameters.filter`);
  // renamed_newfields = new1 new2, with a line `new1 = old field` each: those lines name fields, they are not settings.
  for (const name of (str('renamed_newfields') ?? '').split(/\s+/).filter(Boolean)) {
    if (!/^[\w@-]+$/.test(name)) fail('renamed_newfields', `"${name}" must be a field name without dots`);
    const old = str(name);
    if (old === undefined || old.trim() === '') fail('renamed_newfields', `lists "${name}" but the section has no line "${name} = <original field>"`);
    variables.add(name);
  }
  // `index` / `format` (the reference's [deepsecurity] sample) mean index_name / file_format, unless the same file sets those.
  for (const [alias, key] of [['index', 'index_name'], ['format', 'file_format']] as const) {
    const a = values.get(alias);
    if (a !== undefined && values.get(key)?.file !== a.file) values.set(key, a);
  }
  // The reference reads timestamp_key_list instead of timestamp_key when it is set.
  const list = values.get('timestamp_key_list');
  if (list) values.set('timestamp_key', list);
  // script_ecs names the reference's per-type script (siem/sf_<type>.py); ours is the built-in transform.
  if (values.has('script_ecs') && !values.has('transform')) {
    const builtIn = [section, section.replace(/-/g, '_')].find((n) => transforms.has(n));
    if (builtIn) values.set('transform', { value: builtIn, file: values.get('script_ecs')!.file });
  }
  // The reference's csv_delimiter is the character itself (`csv_delimiter = ,`).
  const delimiter = str('csv_delimiter');
  const named: Record<string, string> = { ',': 'comma', '\\t': 'tab', '\t': 'tab', ' ': 'space' };
  if (delimiter !== undefined && Object.hasOwn(named, delimiter)) values.set('csv_delimiter', { value: named[delimiter]!, file: values.get('csv_delimiter')!.file });
}

/** The closest of `candidates` to `key` (Levenshtein distance at most a third of its length), for "did you mean". */
export function closest(key: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const c of candidates) {
    const d = distance(key, c);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** One element of a list-form mapping: an ECS field of the finished document, or original-field candidates (first present wins). */
export type ListElement = { kind: 'ecs'; path: string[] } | { kind: 'raw'; candidates: string[][] };
/** `field = [a, b c, ${x.y}]`: every element's values, as a sorted list without duplicates (IP literals only for an `.ip` field). */
export interface ListMapping {
  readonly field: string;
  readonly path: string[];
  readonly ipOnly: boolean;
  readonly elements: ListElement[];
}

/** Is this mapping line list-form (`[a, b]`)? */
export const isListForm = (line: string) => /^\s*\[.*\]\s*$/s.test(line);

/**
 * Compiles the list-form mapping lines of a section (the reference's `related.ip = [${source.ip}, ${destination.ip}]`).
 * They apply whether or not `ecs` lists the field. `${x}` reads the finished document's ECS field x
 * when the section maps x (the reference expands it to x's original fields: the same value, unless the
 * type's transform refined it); otherwise x's own mapping line's candidates.
 */
export function compileListMappings(
  lines: ReadonlyMap<string, string>,
  ecsFields: readonly string[],
  fail: (field: string, message: string) => never,
): ListMapping[] {
  const out: ListMapping[] = [];
  for (const [field, line] of lines) {
    if (!isListForm(line)) continue;
    const elements = line
      .trim()
      .slice(1, -1)
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean)
      .map((e): ListElement => {
        const ref = /^\$\{([^}]+)\}$/.exec(e);
        if (!ref) return { kind: 'raw', candidates: e.split(/\s+/).map((p) => p.split('.')) };
        const x = ref[1]!;
        if (ecsFields.includes(x)) return { kind: 'ecs', path: x.split('.') };
        const own = lines.get(x);
        if (own === undefined || isListForm(own) || own.includes('${'))
          fail(field, `refers to \${${x}}, which this section neither lists in "ecs"/"static_ecs" nor maps with a line "${x} = <original field>"`);
        return { kind: 'raw', candidates: own.trim().split(/\s+/).map((p) => p.split('.')) };
      });
    out.push({ field, path: field.split('.'), ipOnly: field.includes('.ip'), elements });
  }
  return out;
}
