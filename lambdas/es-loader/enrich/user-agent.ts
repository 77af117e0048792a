/**
 * User agents parsed with uap-core (github.com/ua-parser/uap-core, Apache-2.0): the user-agent database
 * that the reference's python `ua-parser` reads, so that `user_agent.*` carries the reference's values
 * (browsers, mobile devices, bots and command-line tools such as curl, aws-cli, Boto3, Wget).
 * The database ships as enrich/uap-regexes.json, generated from the pinned `uap-core` package by
 * uap-regexes-gen.ts; the matching below follows uap-core's specification (docs/specification.md) as the
 * python implementation reads it (first matching regex per parser, `$n` replacements, trimmed values).
 *
 * Fields, as the reference's siem/user_agent.py: `name` (family; "Other" when unknown, or the agent itself
 * when it is an AWS service or "AWS Internal"), `version` (major.minor.patch), `os.name`, `os.version`,
 * `os.full` ("name version"), `device.name`. An agent containing "%20" is URL-decoded first, and the decoded
 * text replaces `user_agent.original`, as in the reference.
 *
 * Parsing one distinct agent runs up to a thousand regular expressions (about 0.1-1 ms); agents repeat
 * heavily within a file and across files, so results are cached per agent (bounded LRU-ish map).
 */
import type { Json } from '../ecs/paths';
import { isPlainObject } from '../ecs/paths';
import uap from './uap-regexes.json';

interface UaRule {
  regex: string;
  family_replacement?: string;
  v1_replacement?: string;
  v2_replacement?: string;
}
interface OsRule {
  regex: string;
  os_replacement?: string;
  os_v1_replacement?: string;
  os_v2_replacement?: string;
  os_v3_replacement?: string;
  os_v4_replacement?: string;
}
interface DeviceRule {
  regex: string;
  regex_flag?: string;
  device_replacement?: string;
}

/** What the enrichment writes into the user agent object (besides `original`). */
export interface ParsedUserAgent {
  name: string;
  version?: string;
  os: { name: string; version?: string; full: string };
  device: { name: string };
}

type Compiled<R> = { re: RegExp; rule: R };
let compiled: { ua: Compiled<UaRule>[]; os: Compiled<OsRule>[]; device: Compiled<DeviceRule>[] } | undefined;

/** Regexes are compiled on first use (a loader with no user agent never pays for them). */
function rules() {
  if (!compiled) {
    const data = uap as unknown as { user_agent_parsers: UaRule[]; os_parsers: OsRule[]; device_parsers: DeviceRule[] };
    compiled = {
      ua: data.user_agent_parsers.map((rule) => ({ re: new RegExp(rule.regex), rule })),
      os: data.os_parsers.map((rule) => ({ re: new RegExp(rule.regex), rule })),
      device: data.device_parsers.map((rule) => ({ re: new RegExp(rule.regex, rule.regex_flag === 'i' ? 'i' : ''), rule })),
    };
  }
  return compiled;
}

/** A typical SDK agent. Each rule runs on it twice (a parse stops at the first rule that matches; this does not). */
const WARM_UP_AGENT = 'aws-sdk-java/2.20.0 Linux/5.10 OpenJDK_64-Bit_Server_VM/17.0.9+8-LTS Java/17.0.9 vendor/Amazon.com_Inc. io/sync http/Apache';

/**
 * Compiles every rule now instead of on the first agents met. V8 compiles a regular expression when it
 * first runs and again, to machine code, when it runs a second time: for uap-core's 1,175 rules about 100 ms
 * of CPU in all (60 + 36 ms measured), which the first records of a container would otherwise pay. The
 * Lambda's runtime calls this while its databases download (runtime/init.ts); `siem-load`, a short run that
 * may never see an agent, compiles each rule on first use.
 */
export function prepareUserAgentParser(): void {
  const r = rules();
  for (const list of [r.ua, r.os, r.device]) for (const { re } of list) for (let k = 0; k < 2; k++) re.exec(WARM_UP_AGENT);
}

/** `$1`..`$9` replaced by the match's groups (missing ones by ""), trimmed; undefined when empty. */
function multiReplace(template: string, m: RegExpExecArray): string | undefined {
  const s = template.replace(/\$(\d)/g, (_, d: string) => m[Number(d)] ?? '').trim();
  return s === '' ? undefined : s;
}
const group = (m: RegExpExecArray, i: number): string | undefined => (m[i] === undefined || m[i] === '' ? undefined : m[i]);

function parseAgent(ua: string): { family: string; v: Array<string | undefined> } {
  for (const { re, rule } of rules().ua) {
    const m = re.exec(ua);
    if (!m) continue;
    const family = rule.family_replacement
      ? rule.family_replacement.includes('$1')
        ? rule.family_replacement.replace(/\$1/g, m[1] ?? '')
        : rule.family_replacement
      : m[1];
    return { family: family || 'Other', v: [rule.v1_replacement || group(m, 2), rule.v2_replacement || group(m, 3), group(m, 4)] };
  }
  return { family: 'Other', v: [] };
}

function parseOs(ua: string): { family: string; v: Array<string | undefined> } {
  for (const { re, rule } of rules().os) {
    const m = re.exec(ua);
    if (!m) continue;
    const pick = (replacement: string | undefined, i: number) => (replacement ? multiReplace(replacement, m) : m[i]);
    const family = rule.os_replacement ? multiReplace(rule.os_replacement, m) : m[1];
    return {
      family: family || 'Other',
      v: [pick(rule.os_v1_replacement, 2), pick(rule.os_v2_replacement, 3), pick(rule.os_v3_replacement, 4), pick(rule.os_v4_replacement, 5)],
    };
  }
  return { family: 'Other', v: [] };
}

function parseDevice(ua: string): string {
  for (const { re, rule } of rules().device) {
    const m = re.exec(ua);
    if (!m) continue;
    const family = rule.device_replacement ? multiReplace(rule.device_replacement, m) : m[1];
    return family || 'Other';
  }
  return 'Other';
}

/** The reference's test for agents that are AWS itself (CloudTrail's userAgent of service calls). */
const AWS_AGENT = /^(?:AWS Internal|[\w.-]+?\.amazonaws.com)$/;

const cache = new Map<string, ParsedUserAgent>();
/** Distinct agents remembered; a CloudTrail file of 200,000 records holds a few hundred to a few thousand. */
export const USER_AGENT_CACHE_MAX = 10_000;
let cacheMax = USER_AGENT_CACHE_MAX;

const joinVersion = (parts: Array<string | undefined>) => parts.filter((p) => p !== undefined && p !== null && p !== '').join('.');

/** python's urllib.parse.unquote: runs of %XX decoded as UTF-8 (bad bytes as U+FFFD), anything else kept. */
function unquote(s: string): string {
  return s.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => Buffer.from(run.replace(/%/g, ''), 'hex').toString('utf8'));
}

/** Parses an agent (already URL-decoded) into the reference's fields. Cached per distinct agent. */
export function parseUserAgent(ua: string): ParsedUserAgent {
  const hit = cache.get(ua);
  if (hit) return hit;
  const agent = parseAgent(ua);
  const os = parseOs(ua);
  const out: ParsedUserAgent = { name: agent.family === 'Other' && AWS_AGENT.test(ua) ? ua : agent.family, os: { name: os.family, full: os.family }, device: { name: parseDevice(ua) } };
  const version = joinVersion(agent.v.slice(0, 3));
  if (version) out.version = version;
  const osVersion = joinVersion(os.v);
  if (osVersion) {
    out.os.version = osVersion;
    out.os.full = `${os.family} ${osVersion}`;
  }
  if (cache.size >= cacheMax) cache.delete(cache.keys().next().value!);
  cache.set(ua, out);
  return out;
}

/** Entries in the parse cache (for tests). */
export function userAgentCacheSize(): number {
  return cache.size;
}

/** Tests: a smaller cache bound (the oldest agent is dropped first); `undefined` restores the default. */
export function setUserAgentCacheMax(max: number | undefined): void {
  cacheMax = max ?? USER_AGENT_CACHE_MAX;
  cache.clear();
}

/**
 * Fills `<field>.name`, `version`, `os.*` and `device.name` from `<field>.original` (the log type's
 * `user_agent_enrichment_field`, `user_agent` by default), as the reference does: a list takes its first
 * element, "-" and empty values are left alone, parsed values replace what the mapping put there.
 */
export function enrichUserAgent(doc: Json, field = 'user_agent'): void {
  const ua = doc[field];
  if (!isPlainObject(ua)) return;
  let original = ua.original;
  if (Array.isArray(original)) original = original[0];
  if (typeof original !== 'string' || original === '' || original === '-') return;
  if (original.includes('%20')) {
    original = unquote(original);
    ua.original = original;
  }
  const p = parseUserAgent(original as string);
  ua.name = p.name;
  if (p.version !== undefined) ua.version = p.version;
  const os = isPlainObject(ua.os) ? ua.os : (ua.os = {});
  os.name = p.os.name;
  if (p.os.version !== undefined) os.version = p.os.version;
  os.full = p.os.full;
  const device = isPlainObject(ua.device) ? ua.device : (ua.device = {});
  device.name = p.device.name;
}
