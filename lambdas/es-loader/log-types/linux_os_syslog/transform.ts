/**
 * Linux syslog lines (/var/log/messages) through CloudWatch Logs, as the reference's
 * siem/sf_linux_os_syslog.py: sshd, sudo and su lines are /var/log/secure events and go to the
 * log-linux-secure index (event.module secure); every line gets cloud.instance.id from its log stream.
 */
import type { Transform } from '../types';
import { linuxSyslog } from './syslog';

export const linux_os_syslog: Transform = ({ doc }) => {
  if (linuxSyslog(doc, true)) doc.__index_name = 'log-linux-secure';
};
