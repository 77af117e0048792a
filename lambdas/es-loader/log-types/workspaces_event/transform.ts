/**
 * Amazon WorkSpaces access events ("WorkSpaces Access": a successful client login) as EventBridge
 * delivers them through Firehose.
 * https://docs.aws.amazon.com/workspaces/latest/adminguide/cloudwatch-events.html
 */
import { child } from '../../ecs/paths';
import { unwrapEventBridge } from '../eventbridge';
import type { Transform } from '../types';

export const workspaces_event: Transform = ({ doc }) => {
  const d = unwrapEventBridge(doc);
  // `WorkspaceId`, as in the WorkSpaces inventory (the reference renames it so both share the field).
  if (d.workspaceId !== undefined) {
    doc.WorkspaceId = d.workspaceId;
    doc.workspaceId = undefined;
  }
  child(doc, 'event').category = ['authentication', 'host'];
  const related: Record<string, unknown> = {};
  if (typeof d.clientIpAddress === 'string' && d.clientIpAddress) related.ip = [d.clientIpAddress];
  if (typeof d.workspaceId === 'string' && d.workspaceId) related.hosts = [d.workspaceId];
  if (Object.keys(related).length) doc.related = related;
};
