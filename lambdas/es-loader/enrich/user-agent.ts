/**
 * A small user-agent classifier for `user_agent.name`, `user_agent.version` and `user_agent.os.name`.
 * It knows the browsers and AWS tools that show up in WAF, ALB and S3 access logs; anything else keeps
 * only `user_agent.original`. Results are cached (bounded) because agents repeat heavily within a file.
 */
import type { Json } from '../ecs/paths';
import { isPlainObject } from '../ecs/paths';

interface Parsed {
  name?: string;
  version?: string;
  os?: string;
}

// Order matters: Edge and Opera identify as Chrome too, Chrome as Safari.
const AGENTS: Array<[RegExp, string]> = [
  [/\bEdg(?:e|A|iOS)?\/([\d.]+)/, 'Edge'],
  [/\bOPR\/([\d.]+)/, 'Opera'],
  [/\bFirefox\/([\d.]+)/, 'Firefox'],
  [/\bCriOS\/([\d.]+)/, 'Chrome Mobile iOS'],
  [/\bChrome\/([\d.]+)/, 'Chrome'],
  [/\bVersion\/([\d.]+).*\bSafari\//, 'Safari'],
  [/^curl\/([\d.]+)/, 'curl'],
  [/^Wget\/([\d.]+)/, 'Wget'],
  [/^python-requests\/([\d.]+)/, 'Python Requests'],
  [/^aws-cli\/([\d.]+)/, 'aws-cli'],
  [/^Boto3\/([\d.]+)/, 'Boto3'],
  [/^aws-sdk-(\w+)\/([\d.]+)/, 'aws-sdk'],
  [/^Go-http-client\/([\d.]+)/, 'Go-http-client'],
  [/\b(?:Googlebot|bingbot)\/([\d.]+)/, 'Bot'],
];
const OSES: Array<[RegExp, string]> = [
  [/Windows NT/, 'Windows'],
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Mac OS X/, 'Mac OS X'],
  [/Android/, 'Android'],
  [/CrOS/, 'Chrome OS'],
  [/Linux/, 'Linux'],
];

const cache = new Map<string, Parsed>();
const CACHE_MAX = 2000;

export function parseUserAgent(ua: string): Parsed {
  const hit = cache.get(ua);
  if (hit) return hit;
  const out: Parsed = {};
  for (const [re, name] of AGENTS) {
    const m = re.exec(ua);
    if (m) {
      out.name = name === 'aws-sdk' ? `aws-sdk-${m[1]}` : name;
      out.version = name === 'aws-sdk' ? m[2] : m[1];
      break;
    }
  }
  for (const [re, os] of OSES)
    if (re.test(ua)) {
      out.os = os;
      break;
    }
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(ua, out);
  return out;
}

/** Fills user_agent.name/version/os.name from user_agent.original when they are not set. */
export function enrichUserAgent(doc: Json): void {
  const ua = doc.user_agent;
  if (!isPlainObject(ua) || typeof ua.original !== 'string' || ua.name !== undefined) return;
  const p = parseUserAgent(ua.original);
  if (p.name) ua.name = p.name;
  if (p.version) ua.version = p.version;
  if (p.os) ua.os = { name: p.os };
}
