/**
 * AWS Managed Microsoft AD security events forwarded to CloudWatch Logs, as the reference's
 * siem/sf_directory_service.py: event.action/outcome from the event id, cloud.instance.id when the log
 * stream names an instance (windows_event/windows.ts). The key's folder after MicrosoftAD is the Region
 * (`.../DirectoryService/MicrosoftAD/<region>/`), which the reference finds anywhere in the key.
 */
import { child } from '../../ecs/paths';
import type { Transform } from '../types';
import { windowsEventFields } from '../windows_event/windows';

const REGION = /\/MicrosoftAD\/([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d)\//;

export const directory_service: Transform = ({ doc, key, keyInfo }) => {
  windowsEventFields(doc);
  const m = keyInfo.region === undefined ? REGION.exec(key) : null;
  if (m) {
    const cloud = child(doc, 'cloud');
    if (cloud.region === undefined) cloud.region = m[1];
  }
};
