/**
 * Timestamps: parsing the record's own time (`timestamp_format`), time zones written as `+09:00`
 * (the reference's `timestamp_tz`/`index_tz` syntax), and the rotation suffix of index names.
 */

/** Parses "+09:00" / "-04:30" / "Z" into minutes east of UTC; undefined when malformed. */
export function parseTzOffset(tz: string): number | undefined {
  if (tz === 'Z' || tz === 'UTC') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(tz);
  if (!m) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  if (Number(m[2]) > 14 || Number(m[3]) > 59) return undefined;
  return m[1] === '-' ? -minutes : minutes;
}

const MONTHS: Record<string, number> = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11 };

export type TimeParser = (value: unknown, now: Date) => Date | undefined;

/** ISO 8601 with or without zone (`2026-11-22T06:30:00Z`, `2026-11-22 06:30:00.123456+09:00`). */
function iso8601(defaultTzMinutes: number): TimeParser {
  const re = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;
  return (value) => {
    if (typeof value !== 'string') return undefined;
    const fast = isoUtcFast(value);
    if (fast !== undefined) return fast;
    const m = re.exec(value.trim());
    if (!m) return undefined;
    const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
    const tz = m[8] ? parseTzOffset(m[8]) : defaultTzMinutes;
    if (tz === undefined) return undefined;
    const t = Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), ms) - tz * 60_000;
    return Number.isFinite(t) ? new Date(t) : undefined;
  };
}

/** `n` decimal digits of `s` at `at` as a number, or -1 when one of them is not a digit. */
function digitsAt(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * The common UTC shape, `2026-11-22T06:30:00Z` or with a fraction (`.123Z`), parsed without the regular
 * expression (one per CloudTrail record). Gives exactly what the regular expression path gives, or
 * undefined to let that path decide.
 */
function isoUtcFast(s: string): Date | undefined {
  const n = s.length;
  if (n < 20 || s.charCodeAt(n - 1) !== 90 /* Z */ || s[4] !== '-' || s[7] !== '-' || (s[10] !== 'T' && s[10] !== ' ') || s[13] !== ':' || s[16] !== ':') return undefined;
  const y = digitsAt(s, 0, 4), mo = digitsAt(s, 5, 2), d = digitsAt(s, 8, 2), h = digitsAt(s, 11, 2), mi = digitsAt(s, 14, 2), sec = digitsAt(s, 17, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0) return undefined;
  let ms = 0;
  if (n > 20) {
    const sep = s[19];
    if ((sep !== '.' && sep !== ',') || n === 21) return undefined;
    const frac = digitsAt(s, 20, n - 21);
    if (frac < 0 || n - 21 > 15) return undefined;
    ms = n - 21 >= 3 ? digitsAt(s, 20, 3) : n - 21 === 2 ? frac * 10 : frac * 100;
  }
  const t = Date.UTC(y, mo - 1, d, h, mi, sec, ms);
  return Number.isFinite(t) ? new Date(t) : undefined;
}

/** Seconds or milliseconds since the epoch (numbers above 1e11 are taken as milliseconds: WAF writes ms, VPC Flow Logs s). */
const epoch: TimeParser = (value) => {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n)) return undefined;
  return new Date(n > 1e11 ? n : n * 1000);
};

/** Syslog `Nov 22 06:30:00` (no year: the year that puts the time not more than a day in the future). */
function syslog(defaultTzMinutes: number): TimeParser {
  const re = /^([A-Za-z]{3})\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})/;
  return (value, now) => {
    if (typeof value !== 'string') return undefined;
    const m = re.exec(value.trim());
    const month = m ? MONTHS[m[1].toLowerCase()] : undefined;
    if (!m || month === undefined) return undefined;
    let year = now.getUTCFullYear();
    const at = (y: number) => Date.UTC(y, month, +m[2], +m[3], +m[4], +m[5]) - defaultTzMinutes * 60_000;
    if (at(year) > now.getTime() + 86_400_000) year -= 1;
    return new Date(at(year));
  };
}

/**
 * A strftime-style format (the reference accepts Python's), compiled to a regular expression. Supported
 * directives: %Y %y %m %d %e %H %I %p %M %S %f %b %B %a %A %z %Z %j %%.
 */
export function strftimeParser(format: string, defaultTzMinutes: number): TimeParser {
  const parts: string[] = [];
  const fields: string[] = [];
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== '%') {
      parts.push(c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+'));
      continue;
    }
    const d = format[++i];
    const add = (re: string, name: string) => {
      parts.push(`(${re})`);
      fields.push(name);
    };
    switch (d) {
      case 'Y': add('\\d{4}', 'Y'); break;
      case 'y': add('\\d{2}', 'y'); break;
      case 'm': add('\\d{1,2}', 'm'); break;
      case 'd': case 'e': add('\\s?\\d{1,2}', 'd'); break;
      case 'H': add('\\d{1,2}', 'H'); break;
      case 'I': add('\\d{1,2}', 'I'); break;
      case 'p': add('[AaPp][Mm]', 'p'); break;
      case 'M': add('\\d{2}', 'M'); break;
      case 'S': add('\\d{2}', 'S'); break;
      case 'f': add('\\d{1,9}', 'f'); break;
      case 'b': case 'B': add('[A-Za-z]+', 'b'); break;
      // The weekday name is read and ignored (the date gives it), as Python's strptime.
      case 'a': case 'A': add('[A-Za-z]+', 'a'); break;
      case 'z': add('Z|[+-]\\d{2}:?\\d{2}', 'z'); break;
      case 'Z': add('[A-Za-z]+', 'Z'); break;
      case 'j': add('\\d{3}', 'j'); break;
      case '%': parts.push('%'); break;
      default:
        throw new Error(`unsupported directive %${d} in timestamp_format "${format}"; supported: %Y %y %m %d %e %H %I %p %M %S %f %b %B %a %A %z %Z %j %%`);
    }
  }
  const re = new RegExp(`^\\s*${parts.join('')}\\s*$`);
  return (value) => {
    if (typeof value !== 'string') return undefined;
    const m = re.exec(value);
    if (!m) return undefined;
    let Y = 1970, mo = 0, d = 1, H = 0, Mi = 0, S = 0, ms = 0, tz = defaultTzMinutes, pm: boolean | undefined, doy: number | undefined;
    for (let i = 0; i < fields.length; i++) {
      const v = m[i + 1];
      switch (fields[i]) {
        case 'Y': Y = +v; break;
        case 'y': Y = 2000 + +v; break;
        case 'm': mo = +v - 1; break;
        case 'd': d = +v; break;
        case 'H': case 'I': H = +v; break;
        case 'p': pm = v.toLowerCase() === 'pm'; break;
        case 'M': Mi = +v; break;
        case 'S': S = +v; break;
        case 'f': ms = Number(v.slice(0, 3).padEnd(3, '0')); break;
        case 'b': { const x = MONTHS[v.slice(0, 3).toLowerCase()]; if (x === undefined) return undefined; mo = x; break; }
        case 'z': { const x = parseTzOffset(v); if (x === undefined) return undefined; tz = x; break; }
        case 'Z': if (v === 'UTC' || v === 'GMT') tz = 0; break;
        case 'j': doy = +v; break;
      }
    }
    if (pm !== undefined) H = (H % 12) + (pm ? 12 : 0);
    const t = doy !== undefined ? Date.UTC(Y, 0, doy, H, Mi, S, ms) : Date.UTC(Y, mo, d, H, Mi, S, ms);
    return Number.isFinite(t) ? new Date(t - tz * 60_000) : undefined;
  };
}

/** Builds the parser for a `timestamp_format` value; throws with the list of allowed values. */
export function timeParser(format: string, tz: string): TimeParser {
  const offset = parseTzOffset(tz);
  if (offset === undefined) throw new Error(`time zone "${tz}" is not of the form +HH:MM or -HH:MM`);
  if (format === 'iso8601') return iso8601(offset);
  if (format === 'epoch') return epoch;
  if (format === 'syslog') return syslog(offset);
  if (format.includes('%')) return strftimeParser(format, offset);
  throw new Error(`timestamp_format "${format}" is not one of iso8601, epoch, syslog or a strftime format such as %d/%b/%Y:%H:%M:%S %z`);
}

export type Rotation = 'daily' | 'weekly' | 'monthly' | 'yearly';

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * Rotation suffix of an index name for time `t` in the zone `tzMinutes`. Weekly uses the ISO 8601 week
 * (weeks start on Monday, week 1 holds the year's first Thursday) with the ISO week-year, written
 * `2026-w47` as in the reference.
 */
export function rotationSuffix(t: Date, rotation: Rotation, tzMinutes: number): string {
  const local = new Date(t.getTime() + tzMinutes * 60_000);
  const y = local.getUTCFullYear();
  switch (rotation) {
    case 'yearly':
      return String(y);
    case 'monthly':
      return `${y}-${pad(local.getUTCMonth() + 1)}`;
    case 'daily':
      return `${y}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
    case 'weekly': {
      const day = local.getUTCDay() || 7; // Monday=1..Sunday=7
      const thursday = new Date(Date.UTC(y, local.getUTCMonth(), local.getUTCDate() + 4 - day));
      const weekYear = thursday.getUTCFullYear();
      const week = Math.ceil(((thursday.getTime() - Date.UTC(weekYear, 0, 1)) / 86_400_000 + 1) / 7);
      return `${weekYear}-w${pad(week)}`;
    }
  }
}
