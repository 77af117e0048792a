/**
 * Amazon WorkSpaces inventory, as the reference's exporter Lambda writes it: per DescribeWorkspaces page
 * an EventBridge-like object whose `detail.Workspaces` lists the WorkSpaces (each merged with its
 * connection status); `json_delimiter = detail.Workspaces` makes each WorkSpace a record.
 * https://docs.aws.amazon.com/workspaces/latest/api/API_Workspace.html
 */
import { child } from '../../ecs/paths';
import { unwrapEventBridge } from '../eventbridge';
import type { Transform } from '../types';

const str = (v: unknown): v is string => typeof v === 'string' && v !== '';

export const workspaces_inventory: Transform = ({ doc }) => {
  const w = unwrapEventBridge(doc, { list: 'Workspaces', keepTime: true });
  child(doc, 'event').category = ['host'];
  const related: Record<string, unknown> = {};
  const hosts = [w.ComputerName, w.WorkspaceId].filter(str);
  if (hosts.length) related.hosts = hosts;
  if (str(w.IpAddress)) related.ip = [w.IpAddress];
  if (str(w.UserName)) related.user = [w.UserName];
  if (Object.keys(related).length) doc.related = related;
};
