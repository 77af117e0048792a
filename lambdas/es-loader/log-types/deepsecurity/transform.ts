/**
 * Trend Micro Deep Security (Cloud One Workload Security) agent events in CEF
 * (https://cloudone.trendmicro.com/docs/workload-security/event-syslog-message-formats/), written by
 * syslog to a file and shipped by fluentd as JSON lines whose `message` is the syslog line, as the
 * reference's user.ini [deepsecurity] sample, its contributed guide and siem/sf_deepsecurity.py:
 * - the CEF header gives agent.name (vendor product version), rule.name (signature id and name) and
 *   event.severity; each `key=value` of the extension becomes a field of the record;
 * - the extension fields the reference maps become ECS (src/dst/spt/dpt/smac/dmac/in/out/proto/act/
 *   fname/cnt/cs1/cn1/msg) and leave the record; dvc is source.ip when there is no src;
 * - act `IDS:Reset` (an Intrusion Prevention rule in detect-only mode: nothing was reset) is written
 *   `DetectOnly:NotReset`, as the reference;
 * - TrendMicroDsPacketData (base64) is decoded, its Cookie lines dropped, and an X-Forwarded-For address
 *   in it becomes source.ip; the tenant name and id are dropped.
 * Differences (docs/log-types.md): CEF escapes are undone and values keep their inner spaces (the
 * reference drops the space before the last word of the last value); server.name is fluentd's hostname;
 * a src with a dvc keeps source.port/mac (the reference replaces source by {ip: dvc}).
 */
import { isIP } from 'node:net';
import { child, setField } from '../../ecs/paths';
import type { Transform } from '../types';

/** The seven header fields (Version ... Severity) and the extension text of a CEF line; undefined without a full header. */
function splitCef(line: string): { header: string[]; extension: string } | undefined {
  const start = line.search(/CEF:\s?\d+\|/);
  if (start < 0) return undefined;
  const header: string[] = [];
  let cur = '';
  let i = start;
  for (; i < line.length && header.length < 7; i++) {
    const c = line[i]!;
    if (c === '\\' && (line[i + 1] === '|' || line[i + 1] === '\\')) cur += line[++i];
    else if (c === '|') {
      header.push(cur);
      cur = '';
    } else cur += c;
  }
  return header.length === 7 ? { header, extension: line.slice(i) } : undefined;
}

/** `key=value ...` pairs: a value runs to the space before the next `key=`; `\=`, `\\`, `\n`, `\r` unescaped. */
function extensionFields(ext: string): Record<string, string> {
  const keys = [...ext.matchAll(/(?:^|\s)([A-Za-z0-9_.\-[\]]+)=/g)];
  const out: Record<string, string> = {};
  keys.forEach((m, k) => {
    const end = k + 1 < keys.length ? keys[k + 1]!.index : ext.length;
    const value = ext.slice(m.index + m[0].length, end).trim().replace(/\\([\\=nr])/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c));
    if (value !== '') out[m[1]!] = value;
  });
  return out;
}

/** ECS field <- extension key, as the reference's deepsecurity_ecs_keys; numbers for the ECS longs. */
const ECS: ReadonlyArray<readonly [string, string, 'ip' | 'long' | 'text']> = [
  ['destination.ip', 'dst', 'ip'], ['destination.port', 'dpt', 'long'], ['destination.mac', 'dmac', 'text'], ['destination.bytes', 'out', 'long'],
  ['source.ip', 'src', 'ip'], ['source.port', 'spt', 'long'], ['source.mac', 'smac', 'text'], ['source.bytes', 'in', 'long'],
  ['network.transport', 'proto', 'text'], ['event.action', 'act', 'text'], ['file.path', 'fname', 'text'], ['event.count', 'cnt', 'long'],
  ['rule.category', 'cs1', 'text'], ['host.id', 'cn1', 'text'], ['event.original', 'msg', 'text'],
];

/**
 * The packet's bytes as text, as the reference's b64decode(...).decode('utf-8', errors='backslashreplace'):
 * UTF-8, a byte that is not as `\xNN`. Not base64: kept as logged (the reference on a decoding error).
 */
function packetText(b64: string): string {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) return b64;
  const bytes = Buffer.from(b64, 'base64');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    let out = '';
    for (let i = 0; i < bytes.length; ) {
      // The longest valid UTF-8 sequence at i (1 to 4 bytes), else one byte escaped.
      let n = 0;
      for (let len = Math.min(4, bytes.length - i); len >= 1 && !n; len--) {
        try {
          out += new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(i, i + len));
          n = len;
        } catch {
          // shorter
        }
      }
      if (!n) {
        out += `\\x${bytes[i]!.toString(16).padStart(2, '0')}`;
        n = 1;
      }
      i += n;
    }
    return out;
  }
}

export const deepsecurity: Transform = ({ doc }) => {
  const message = typeof doc.message === 'string' ? doc.message : '';
  const cef = splitCef(message);
  if (!cef) throw new Error('message is not a Deep Security CEF event: no "CEF:<version>|" header with its 7 |-separated fields');
  const [, vendor, product, version, signature, name, severity] = cef.header;
  child(doc, 'agent').name = `${vendor} ${product} ${version}`;
  child(doc, 'rule').name = `${signature} ${name}`;
  const sev = Number(severity);
  child(doc, 'event').severity = severity !== '' && Number.isInteger(sev) ? sev : severity;

  const fields = extensionFields(cef.extension);
  if (fields.act !== undefined) fields.act = fields.act.replace(/IDS:Reset/g, 'DetectOnly:NotReset');
  for (const [k, v] of Object.entries(fields)) if (doc[k] === undefined) doc[k] = v;
  for (const [field, key, type] of ECS) {
    const v = fields[key];
    if (v === undefined || doc[key] !== v) continue;
    if (type === 'ip' && !isIP(v)) continue;
    const n = Number(v);
    setField(doc, field, type === 'long' && /^\d+$/.test(v) ? n : v);
    doc[key] = undefined;
  }
  const hostname = doc.fluent_hostname ?? doc.hostname;
  if (typeof hostname === 'string' && hostname !== '') setField(doc, 'server.name', hostname);
  const source = child(doc, 'source');
  if (typeof fields.dvc === 'string' && source.ip === undefined) source.ip = fields.dvc;

  if (typeof doc.TrendMicroDsPacketData === 'string') {
    const text = packetText(doc.TrendMicroDsPacketData);
    const kept = text.split('\n').filter((l) => !/^cookie/i.test(l)).join('\n');
    doc.TrendMicroDsPacketData = kept;
    const xff = /X-Forwarded-For: ([0-9.]+)/.exec(kept);
    if (xff) source.ip = xff[1];
  }
  if (Object.keys(source).length === 0) doc.source = undefined;
  doc.TrendMicroDsTenant = undefined;
  doc.TrendMicroDsTenantId = undefined;
};
