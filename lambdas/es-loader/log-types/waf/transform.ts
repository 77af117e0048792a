/**
 * AWS WAF (v2) web ACL logs, via Firehose or delivered to S3 directly.
 * https://docs.aws.amazon.com/waf/latest/developerguide/logging-fields.html
 */
import { getPath, setField } from '../../ecs/paths';
import type { Transform } from '../types';

export const waf: Transform = ({ raw, doc }) => {
  const headers = getPath(raw, ['httpRequest', 'headers']);
  if (Array.isArray(headers)) {
    // httpRequest.header.<name>, the name lower-cased with - as _ (the reference's fields: header.host,
    // header.user_agent); a repeated header keeps its last value. The Authorization header is a
    // credential and is not copied.
    const byName: Record<string, string> = {};
    for (const h of headers as Array<{ name?: unknown; value?: unknown }>) {
      if (typeof h?.name !== 'string' || typeof h.value !== 'string') continue;
      const name = h.name.toLowerCase().replace(/-/g, '_');
      if (name === 'authorization') continue;
      byName[name] = h.value;
      if (name === 'user_agent') setField(doc, 'user_agent.original', h.value);
      else if (name === 'referer') setField(doc, 'http.request.referrer', h.value);
      else if (name === 'host') setField(doc, 'url.domain', h.value);
    }
    if (Object.keys(byName).length) setField(doc, 'httpRequest.header', byName);
  }
  const version = getPath(raw, ['httpRequest', 'httpVersion']);
  if (typeof version === 'string') setField(doc, 'http.version', version.replace(/^HTTP\//, ''));
  // webaclId: arn:aws:wafv2:<region>:<account>:<regional|global>/webacl/<name>/<id>
  const acl = raw.webaclId;
  if (typeof acl === 'string') {
    const m = /^arn:aws[\w-]*:wafv2:([\w-]*):(\d{12}):(regional|global)\/webacl\/([^/]+)\//.exec(acl);
    if (m) {
      setField(doc, 'cloud.account.id', m[2]);
      setField(doc, 'cloud.region', m[3] === 'global' ? 'global' : m[1]);
      setField(doc, 'rule.ruleset', m[4]);
    }
  }
  if (raw.action === 'BLOCK') setField(doc, 'event.outcome', 'failure');
  else if (raw.action === 'ALLOW') setField(doc, 'event.outcome', 'success');
};
