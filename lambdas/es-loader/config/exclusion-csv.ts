/**
 * `exclude_log_patterns_filename` ([DEFAULT], default `exclude_log_patterns.csv`): a CSV in the geo
 * bucket whose rows name records not to load, as the reference's (aws.ini [DEFAULT] comments,
 * utils.convert_csv_into_log_patterns / match_log_with_exclude_patterns):
 *
 *   log_type,field,pattern,pattern_type,comment
 *   cloudtrail,eventSource,athena.amazonaws.com,text,comment for your memo
 *   cloudtrail,userIdentity.invokedBy,.*\.amazonaws.com,regex,regex is acceptable
 *
 * `text`: the field's whole value is the pattern; otherwise the pattern is a regular expression that must
 * match the whole value. The field (dotted) is read from the record as decoded, before anything else
 * (renamed_newfields, the mapping, the transform): a record that matches is skipped with the row as reason.
 * `log_type` is the reference's name or ours (`cloudfront-standard` or `cloudfront_standard`); a row for a
 * type that does not exist is an error, as is a missing column or an invalid regular expression: one
 * line naming the file and the row.
 */
import { ConfigError } from '../errors';
import type { ExcludeRule } from './log-type';
import { pythonToJsRegex } from './log-type';

export const DEFAULT_EXCLUSION_CSV = 'exclude_log_patterns.csv';
const COLUMNS = ['log_type', 'field', 'pattern', 'pattern_type'] as const;

/** Rows of a CSV (RFC 4180: quoted fields may hold commas, quotes doubled, line breaks). */
export function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"' && cur === '') quoted = true;
    else if (c === ',') {
      row.push(cur);
      cur = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cur);
      rows.push(row);
      row = [];
      cur = '';
    } else cur += c;
  }
  if (cur !== '' || row.length) {
    row.push(cur);
    rows.push(row);
  }
  return rows;
}

/**
 * The exclusion rules of each log type (by our section name). `sectionOf` gives our section for a
 * CSV log_type, undefined when there is none. Throws ConfigError naming the file and the row.
 */
export function parseExclusionCsv(text: string, file: string, sectionOf: (logType: string) => string | undefined): Map<string, ExcludeRule[]> {
  const rows = csvRows(text.replace(/^\uFEFF/, ''));
  const fail = (row: number, message: string): never => {
    throw new ConfigError(`${file}: row ${row}: ${message}`, file);
  };
  const header = (rows[0] ?? []).map((h) => h.trim());
  const at = Object.fromEntries(COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<(typeof COLUMNS)[number], number>;
  const missing = COLUMNS.filter((c) => at[c] < 0);
  if (missing.length) fail(1, `the header must name the columns log_type,field,pattern,pattern_type (and optionally comment); missing: ${missing.join(', ')}`);
  const out = new Map<string, ExcludeRule[]>();
  rows.slice(1).forEach((cells, i) => {
    const n = i + 2;
    if (cells.every((c) => c.trim() === '')) return;
    const get = (c: (typeof COLUMNS)[number]) => (cells[at[c]] ?? '').trim();
    const logType = get('log_type');
    const field = get('field');
    const pattern = cells[at.pattern] ?? '';
    const type = get('pattern_type').toLowerCase();
    if (!logType || !field) fail(n, 'log_type and field must not be empty');
    const section = sectionOf(logType);
    if (section === undefined) fail(n, `log_type "${logType}" is not a log type of aws.ini or user.ini`);
    let test: (v: string) => boolean;
    if (type === 'text') test = (v) => v === pattern;
    else {
      let re: RegExp;
      try {
        re = new RegExp(`^(?:${pythonToJsRegex(pattern)})$`);
      } catch (e) {
        fail(n, `pattern "${pattern}" is not a valid regular expression (${(e as Error).message}); write pattern_type text for a literal value`);
      }
      test = (v) => re.test(v);
    }
    const rule: ExcludeRule = { field: field.split('.'), text: `${file} row ${n} (${logType},${field},${pattern},${type || 'regex'})`, test };
    out.set(section!, [...(out.get(section!) ?? []), rule]);
  });
  return out;
}
