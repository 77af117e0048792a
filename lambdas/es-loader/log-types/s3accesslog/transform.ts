/**
 * Amazon S3 server access logs (what Control Tower enables on its buckets).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html
 */
import { getField, setField } from '../../ecs/paths';
import type { Transform } from '../types';

export const s3accesslog: Transform = ({ raw, doc }) => {
  // Requester is an IAM ARN, a canonical user id, or "-" for anonymous requests.
  const requester = raw.Requester;
  if (typeof requester === 'string' && requester.startsWith('arn:')) setField(doc, 'user.name', requester.slice(requester.lastIndexOf('/') + 1));
  const proto = raw.RequestURI_httpProtoversion;
  if (typeof proto === 'string' && proto.startsWith('HTTP/')) setField(doc, 'http.version', proto.slice(5));
  // Host header: <bucket>.s3.<region>.amazonaws.com, or s3.amazonaws.com for us-east-1's legacy endpoint.
  const endpoint = raw.HostHeader ?? raw.EndPoint;
  if (typeof endpoint === 'string' && getField(doc, 'cloud.region') === undefined) {
    const m = /(?:^|\.)s3[.-](?:dualstack\.)?([a-z]{2}(?:-gov)?-[a-z]+-\d)\.amazonaws\.com$/.exec(endpoint);
    if (m) setField(doc, 'cloud.region', m[1]);
    else if (/(^|\.)s3\.amazonaws\.com$/.test(endpoint)) setField(doc, 'cloud.region', 'us-east-1');
  }
  const status = Number(raw.HTTPstatus);
  if (Number.isFinite(status)) setField(doc, 'event.outcome', status < 400 ? 'success' : 'failure');
};
