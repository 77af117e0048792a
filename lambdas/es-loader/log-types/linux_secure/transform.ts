/** Linux /var/log/secure lines through CloudWatch Logs, as the reference's siem/sf_linux_secure.py (log-types/linux_os_syslog/syslog.ts). */
import { linuxSyslog } from '../linux_os_syslog/syslog';
import type { Transform } from '../types';

export const linux_secure: Transform = ({ doc }) => {
  linuxSyslog(doc, false);
};
