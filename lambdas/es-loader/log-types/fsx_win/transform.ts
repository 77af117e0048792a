/**
 * Amazon FSx for Windows File Server file access audit events (object access, deletion, permission
 * changes...), as the reference's siem/sf_fsx_win.py: event.action/outcome from the event id,
 * cloud.instance.id when a log stream names an instance (windows_event/windows.ts).
 */
import type { Transform } from '../types';
import { windowsEventFields } from '../windows_event/windows';

export const fsx_win: Transform = ({ doc }) => {
  windowsEventFields(doc);
};
