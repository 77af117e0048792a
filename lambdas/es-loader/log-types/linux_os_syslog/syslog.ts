/**
 * The fields the reference's siem/sf_linux_os_syslog.py derives from sshd and sudo lines, shared by
 * [linux_os_syslog] and [linux_secure]: user.name, source.ip/port, event.action/category/outcome,
 * related.user/ip, and cloud.instance.id from a log stream named after the instance (the CloudWatch
 * agent's default `{instance_id}`). The reference's patterns, in its order; where they match an IPv4
 * address they also match an IPv6 one here (docs/log-types.md).
 */
import { isIP } from 'node:net';
import { child, type Json } from '../../ecs/paths';

const IP = String.raw`(?:\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}|[0-9a-fA-F]*:[0-9a-fA-F:.]*[0-9a-fA-F])`;

const SSHD = [
  String.raw`(?<action>Accepted|Failed|failure|Invalid user|invalid user)\s.*?((publickey|password|none) for )?(invalid user )?(?<user>\S+)(\s+from.*?(?<source_ip>${IP}))?(\s+port\s+(?<source_port>\d+))?`,
  String.raw`^(?<action>(Disconnected|Received disconnect)) from (?<source_ip>[^ ]*) port (?<source_port>\d+)`,
  String.raw`^(?<action>error): AuthorizedKeysCommand \S+ (?<user>\S+) (SHA|RSA)`,
  String.raw`^pam_unix(\S+): (?<action>session closed) for user (?<user>\S+)`,
  String.raw`^pam_unix(\S+): (?<action>session opened) for user \S+ by (?<user>\S*)\(`,
  String.raw`^(?<action>Connection (reset|closed))\s+by\s+(?<source_ip>${IP})\s+port\s+(?<source_port>\d+)`,
  String.raw`.+\s+(from|with)\s+(?<source_ip>${IP})\s+port\s+(?<source_port>\d+)`,
  String.raw`^(?<action>reverse mapping checking).*\[(?<source_ip>${IP})\]`,
  String.raw`\s(?<source_ip>${IP})\s`,
].map((s) => new RegExp(s));

const SUDO = [
  String.raw`^(?<user>\S+) : .*COMMAND=(?<action>.*)`,
  String.raw`^pam_unix(\S+): (?<action>session closed) for user (?<user>\S+)`,
  String.raw`^pam_unix(\S+): (?<action>session opened) for user \S+ by (?<user>\S*)\(`,
].map((s) => new RegExp(s));

const INSTANCE_ID = /(?:\W|_|^)(i-(?:[0-9a-z]{8}|[0-9a-z]{17}))(?:\W|_|$)/;

function firstMatch(patterns: readonly RegExp[], text: string): Record<string, string | undefined> | undefined {
  for (const re of patterns) {
    const m = re.exec(text);
    if (m) return m.groups ?? {};
  }
  return undefined;
}

/** cloud.instance.id and related.hosts [hostname, instance id] when the log stream names an instance. */
function instance(doc: Json): void {
  const stream = doc['@log_stream'];
  const m = typeof stream === 'string' ? INSTANCE_ID.exec(stream) : null;
  if (!m) return;
  child(child(doc, 'cloud'), 'instance').id = m[1];
  const hosts = typeof doc.hostname === 'string' && doc.hostname !== '' ? [doc.hostname, m[1]] : [m[1]];
  child(doc, 'related').hosts = hosts;
}

function setUser(doc: Json, user: string | undefined): void {
  // An empty name (`by (uid=0)`) is left out, as the reference's del_none does.
  if (!user) return;
  child(doc, 'user').name = user;
  child(doc, 'related').user = [user];
}

function sshd(doc: Json, message: string): void {
  const event = child(doc, 'event');
  event.module = 'secure';
  const d = firstMatch(SSHD, message);
  if (!d) return;
  setUser(doc, d.user);
  if (d.source_ip !== undefined && isIP(d.source_ip)) {
    const source = child(doc, 'source');
    source.ip = d.source_ip;
    if (d.source_port !== undefined) source.port = Number(d.source_port);
    child(doc, 'related').ip = [d.source_ip];
  }
  if (d.action === undefined) return;
  event.category = 'authentication';
  event.action = d.action;
  const action = d.action.toLowerCase();
  if (action.includes('accept') || action.includes('opened')) event.outcome = 'success';
  else if (action.includes('fail') || action.includes('invalid') || action.includes('err')) event.outcome = 'failure';
  // A disconnection has no outcome, as the reference's.
  else if (!(action.includes('disconnect') || action.includes('reset') || action.includes('close'))) event.outcome = 'unknown';
}

function sudo(doc: Json, message: string): void {
  const event = child(doc, 'event');
  const d = firstMatch(SUDO, message);
  if (d) setUser(doc, d.user);
  // The reference replaces its event object for a sudo command, dropping module=secure: the
  // section's event.module stays (system in [linux_os_syslog]).
  if (d?.action === undefined) {
    event.module = 'secure';
    return;
  }
  event.action = d.action;
  event.outcome = 'success';
}

/** The reference's transform of a syslog line; returns true when the line belongs to /var/log/secure (sshd, sudo, su). */
export function linuxSyslog(doc: Json, allProcs: boolean): boolean {
  instance(doc);
  const proc = typeof doc.proc === 'string' ? doc.proc : '';
  const message = typeof doc.syslog_message === 'string' ? doc.syslog_message : '';
  if (proc.includes('sshd')) sshd(doc, message);
  else if (proc.includes('sudo')) sudo(doc, message);
  else return allProcs && proc === 'su';
  return true;
}
