/**
 * AWS Config configuration history and snapshot files (`configurationItems`).
 * https://docs.aws.amazon.com/config/latest/developerguide/config-item-table.html
 */
import { setField } from '../../ecs/paths';
import type { Transform } from '../types';

export const config: Transform = ({ raw, doc }) => {
  const status = raw.configurationItemStatus;
  if (status === 'ResourceDiscovered') setField(doc, 'event.type', 'creation');
  else if (status === 'ResourceDeleted' || status === 'ResourceDeletedNotRecorded') setField(doc, 'event.type', 'deletion');
  else if (status === 'OK') setField(doc, 'event.type', 'change');
};
