/**
 * AWS Config configuration history and snapshot files (`configurationItems`).
 * https://docs.aws.amazon.com/config/latest/developerguide/config-item-table.html
 */
import { deleteField, getField, setField } from '../../ecs/paths';
import type { Transform } from '../types';

export const config: Transform = ({ raw, doc }) => {
  // Config writes "Not Applicable", "Regional" or "Multiple Availability Zones" where there is no single zone.
  const az = getField(doc, 'cloud.availability_zone');
  if (typeof az === 'string' && !/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/.test(az)) deleteField(doc, 'cloud.availability_zone');
  const status = raw.configurationItemStatus;
  if (status === 'ResourceDiscovered') setField(doc, 'event.type', 'creation');
  else if (status === 'ResourceDeleted' || status === 'ResourceDeletedNotRecorded') setField(doc, 'event.type', 'deletion');
  else if (status === 'OK') setField(doc, 'event.type', 'change');
};
