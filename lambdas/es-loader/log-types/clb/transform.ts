/**
 * Classic Load Balancer access logs. `elbRequest` is shared with the Application Load Balancer.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/access-log-collection.html
 */
import { child, type Json } from '../../ecs/paths';
import type { Transform } from '../types';

/**
 * url.full is the URL of the request line as the load balancer logged it ("GET <url> HTTP/1.1"). A
 * malformed request is logged as "- http://host:80- -": the "-" after the port (no path) is dropped.
 * event.outcome follows the status code the load balancer returned (ECS: success below 400).
 */
export function elbRequest(raw: Json, doc: Json): void {
  const request = raw.request;
  if (typeof request === 'string') {
    const url = request.split(' ')[1];
    if (url && url !== '-' && url.includes('://')) child(doc, 'url').full = url.endsWith('-') ? url.slice(0, -1) : url;
  }
  const status = Number(raw.elb_status_code);
  if (raw.elb_status_code !== '-' && raw.elb_status_code !== '' && Number.isFinite(status)) child(doc, 'event').outcome = status < 400 ? 'success' : 'failure';
}

export const clb: Transform = ({ raw, doc }) => elbRequest(raw, doc);
