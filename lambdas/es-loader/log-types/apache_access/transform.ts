/** Apache access logs through CloudWatch Logs, as the reference's siem/sf_apache_access.py (log-types/apache_access/web.ts). */
import type { Transform } from '../types';
import { accessLog } from './web';

const RAW = ['authuser', 'datetime', 'ident', 'request_bytes', 'request_method', 'request_path', 'request_raw', 'request_version', 'referer', 'remotehost', 'response_body_bytes', 'response_bytes', 'response_status', 'useragent', 'xff'];

export const apache_access: Transform = ({ doc, key }) => accessLog(doc, key, RAW);
