/**
 * Amazon CloudFront real-time logs (Kinesis Data Streams -> Firehose -> S3).
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/real-time-logs.html
 */
import { getField, setField } from '../../ecs/paths';
import { cloudfrontCommon } from '../cloudfront_standard/transform';
import type { Transform } from '../types';

/** A distribution id (12-14 upper-case letters and digits, at least one letter) as a folder of the key. */
const DISTRIBUTION = /(?:^|\/)((?=[0-9]{0,13}[A-Z])[A-Z0-9]{12,14})(?=\/)/;

export const cloudfront_realtime: Transform = ({ raw, doc, key }) => {
  const path = getField(doc, 'url.path');
  if (typeof path === 'string' && path.includes('?')) setField(doc, 'url.path', path.split('?')[0]);
  // url.full: <cs-protocol>://<cs-host><cs-uri-stem>[?<cs-uri-query>]
  if (typeof raw.cs_protocol === 'string' && typeof raw.cs_host === 'string' && typeof raw.cs_uri_stem === 'string') {
    const q = typeof raw.cs_uri_query === 'string' ? `?${raw.cs_uri_query}` : '';
    setField(doc, 'url.full', `${raw.cs_protocol}://${raw.cs_host}${raw.cs_uri_stem}${q}`);
  }
  cloudfrontCommon(raw, doc);
  const m = DISTRIBUTION.exec(key);
  doc.distribution_id = m ? m[1] : 'unknown';
};
