/**
 * Amazon CloudFront standard (legacy) access logs. The helpers are shared with real-time logs.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logs-reference.html
 */
import { child, getField, setField, type Json } from '../../ecs/paths';
import type { Transform } from '../types';

/** Percent-decodes `s` as Python's urllib.parse.unquote does for valid UTF-8; an invalid sequence stays as it is. */
export function unquote(s: string): string {
  if (!s.includes('%')) return s;
  return s.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/**
 * What both CloudFront log kinds derive: http.version from cs-protocol-version ("HTTP/2.0" -> "2.0"),
 * the user agent percent-decoded (CloudFront encodes spaces as %20), event.outcome from sc-status
 * (success below 400; "000", written when the viewer went away before the response, gives none).
 */
export function cloudfrontCommon(raw: Json, doc: Json): void {
  const version = raw.cs_protocol_version;
  if (typeof version === 'string' && version.includes('/')) setField(doc, 'http.version', version.split('/')[1]);
  const ua = getField(doc, 'user_agent.original');
  if (typeof ua === 'string') setField(doc, 'user_agent.original', unquote(ua));
  const status = Number(raw.sc_status);
  if (status >= 100 && status < 600) child(doc, 'event').outcome = status < 400 ? 'success' : 'failure';
}

export const cloudfront_standard: Transform = ({ raw, doc, key }) => {
  // url.full: <cs-protocol>://<x-host-header><cs-uri-stem>[?<cs-uri-query>]
  if (typeof raw.cs_protocol === 'string' && typeof raw.x_host_header === 'string' && typeof raw.cs_uri_stem === 'string') {
    const q = typeof raw.cs_uri_query === 'string' ? `?${raw.cs_uri_query}` : '';
    setField(doc, 'url.full', `${raw.cs_protocol}://${raw.x_host_header}${raw.cs_uri_stem}${q}`);
  }
  cloudfrontCommon(raw, doc);
  // <prefix>/<distribution-id>.YYYY-MM-DD-HH.<id>.gz
  const m = /(?:^|\/)([0-9A-Z]{12,14})\./.exec(key);
  doc.distribution_id = m ? m[1] : 'unknown';
  if (typeof raw.date_time === 'string') raw.date_time = raw.date_time.replace('\t', ' ');
};
