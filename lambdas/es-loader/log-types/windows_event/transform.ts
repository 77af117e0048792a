/** Windows event logs (Security, System, Application...) through CloudWatch Logs, as the reference's siem/sf_windows_event.py (windows.ts). */
import type { Transform } from '../types';
import { windowsEventFields } from './windows';

export const windows_event: Transform = ({ doc }) => {
  windowsEventFields(doc);
};
