/** NGINX access logs through CloudWatch Logs, as the reference's siem/sf_nginx_access.py (log-types/apache_access/web.ts). */
import { accessLog } from '../apache_access/web';
import type { Transform } from '../types';

const RAW = ['authuser', 'datetime', 'ident', 'request_method', 'request_path', 'request_raw', 'request_version', 'referer', 'remotehost', 'response_body_bytes', 'response_status', 'useragent', 'xff'];

export const nginx_access: Transform = ({ doc, key }) => accessLog(doc, key, RAW);
