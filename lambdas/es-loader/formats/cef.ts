/**
 * `file_format = cef`: ArcSight Common Event Format lines, one event per line, possibly after a syslog
 * prefix: `CEF:Version|Device Vendor|Device Product|Device Version|Signature ID|Name|Severity|Extension`.
 * As the reference's siem/fileformat_cef.py, the header becomes cef_version, cef_device_vendor,
 * cef_device_product, cef_device_version, cef_device_event_class_id, cef_name, cef_severity, and each
 * `key=value` of the extension a field of its own; a custom field and its label (`cs1=... cs1Label=name`)
 * become `name=...`. CEF escaping is undone: `\|` and `\\` in the header, `\=`, `\\`, `\n`, `\r` in
 * extension values (the reference keeps the backslashes; docs/log-types.md). A line without a CEF header
 * of 7 fields is a record error.
 */
import { DecodeError } from './types';

const HEADER_NAMES = ['cef_device_vendor', 'cef_device_product', 'cef_device_version', 'cef_device_event_class_id', 'cef_name', 'cef_severity'] as const;

function unescapeValue(v: string): string {
  return v.replace(/\\([\\=nr])/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c));
}

/** The fields of one CEF line; throws DecodeError naming what is wrong. */
export function parseCef(line: string): Record<string, string> {
  const start = line.search(/CEF:\s?\d+\|/);
  if (start < 0) throw new DecodeError('is not a CEF event: no "CEF:<version>|" header');
  const out: Record<string, string> = {};
  // Header: seven fields separated by unescaped pipes.
  let i = start;
  const fields: string[] = [];
  let cur = '';
  while (i < line.length && fields.length < 7) {
    const c = line[i]!;
    if (c === '\\' && (line[i + 1] === '|' || line[i + 1] === '\\')) {
      cur += line[i + 1];
      i += 2;
      continue;
    }
    if (c === '|') {
      fields.push(cur);
      cur = '';
    } else cur += c;
    i++;
  }
  if (fields.length < 7) throw new DecodeError(`has a broken CEF header: ${fields.length + 1} of its 8 |-separated parts (Version|Device Vendor|Device Product|Device Version|Signature ID|Name|Severity|Extension)`);
  out.cef_version = fields[0]!.split(':').at(-1)!.trim();
  HEADER_NAMES.forEach((n, k) => (out[n] = fields[k + 1]!));
  // Extension: key=value pairs; a value runs up to the space before the next unescaped `key=`.
  const ext = line.slice(i);
  // A key starts the extension or follows a space; an escaped `\=` is never a key's end (`\` is not a key character).
  const keys = [...ext.matchAll(/(?:^|\s)([A-Za-z0-9_.\-[\]]+)=/g)];
  const ext2: Record<string, string> = {};
  keys.forEach((m, k) => {
    const valueStart = m.index + m[0].length;
    const valueEnd = k + 1 < keys.length ? keys[k + 1]!.index : ext.length;
    ext2[m[1]!] = unescapeValue(ext.slice(valueStart, valueEnd).trim());
  });
  for (const key of Object.keys(ext2)) {
    if (!key.endsWith('Label')) continue;
    const custom = key.slice(0, -5);
    if (ext2[custom] === undefined) continue;
    ext2[ext2[key]!] = ext2[custom]!;
    delete ext2[custom];
    delete ext2[key];
  }
  return Object.assign(out, ext2);
}
