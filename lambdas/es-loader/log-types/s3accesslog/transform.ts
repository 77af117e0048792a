/**
 * Amazon S3 server access logs (what Control Tower enables on its buckets).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html
 * Column names are the reference's (SigV, AuthType, EndPoint, S3AccessPointARN); AclRequired, which it
 * does not parse, keeps the AWS documentation's name.
 */
import { getField, setField } from '../../ecs/paths';
import type { Transform } from '../types';

/** The reference's region pattern (siem/utils.py RE_REGION). */
const REGION = /(global|(?:us|ap|ca|eu|il|me|mx|sa|af|cn)-(?:gov-)?[a-zA-Z]+-[0-9])/;
/** An account id as a path segment of the key (date-based partitioned prefixes:
 * `[prefix]<account>/<region>/<bucket>/YYYY/MM/DD/...`), as the reference's RE_ACCOUNT reads keys. */
const KEY_ACCOUNT = /(?:^|\W)(\d{12})\//;

export const s3accesslog: Transform = ({ raw, doc, key }) => {
  // Requester is an IAM ARN, a canonical user id, or "-" for anonymous requests.
  const requester = raw.Requester;
  if (typeof requester === 'string' && requester.startsWith('arn:')) setField(doc, 'user.name', requester.slice(requester.lastIndexOf('/') + 1));
  const proto = raw.RequestURI_httpProtoversion;
  if (typeof proto === 'string' && proto.startsWith('HTTP/')) setField(doc, 'http.version', proto.slice(5));

  // Account and region from the key; the region otherwise from the endpoint (<bucket>.s3.<region>.amazonaws.com).
  // The legacy global endpoint s3.amazonaws.com serves buckets of every region: no region then.
  if (getField(doc, 'cloud.account.id') === undefined) {
    const account = KEY_ACCOUNT.exec(key)?.[1];
    if (account) setField(doc, 'cloud.account.id', account);
  }
  if (getField(doc, 'cloud.region') === undefined) {
    const endpoint = raw.EndPoint;
    const region = REGION.exec(key)?.[1] ?? (typeof endpoint === 'string' ? REGION.exec(endpoint)?.[1] : undefined);
    if (region) setField(doc, 'cloud.region', region);
  }

  const status = Number(raw.HTTPstatus);
  if (raw.HTTPstatus !== undefined && Number.isFinite(status)) setField(doc, 'event.outcome', status < 400 ? 'success' : 'failure');

  // "-" is the log's "no value": the column is left out, as in the reference.
  for (const k of Object.keys(raw)) if (raw[k] === '-') delete raw[k];
};
