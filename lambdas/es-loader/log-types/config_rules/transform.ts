/**
 * AWS Config rules compliance changes as EventBridge delivers them through Firehose
 * ("Config Rules Compliance Change" events; the log is the ComplianceChangeNotification in `detail`).
 * https://docs.aws.amazon.com/config/latest/developerguide/monitor-config-with-cloudwatchevents.html
 */
import { child, getPath, type Json } from '../../ecs/paths';
import { unwrapEventBridge } from '../eventbridge';
import type { Transform } from '../types';

const OUTCOME: Record<string, string> = { COMPLIANT: 'success', NON_COMPLIANT: 'failure' };

export const config_rules: Transform = ({ doc }) => {
  const n = unwrapEventBridge(doc);
  const type = typeof n.resourceType === 'string' ? n.resourceType : '';
  const id = typeof n.resourceId === 'string' ? n.resourceId : '';
  // The resource the rule evaluated: an instance (EC2, SSM inventory, SSM compliance of an instance) or an IAM user/role.
  let instance: string | undefined;
  let user: Json | undefined;
  if (type === 'AWS::EC2::Instance' || type === 'AWS::SSM::ManagedInstanceInventory') instance = id;
  else if (type === 'AWS::SSM::AssociationCompliance' || type === 'AWS::SSM::PatchCompliance') instance = id.split('/').at(-1);
  else if (type === 'AWS::IAM::User' || type === 'AWS::IAM::Role') user = { id, name: typeof n.resourceName === 'string' && n.resourceName ? n.resourceName : undefined };
  else if (type === 'AWS::Config::ResourceCompliance') {
    const [targetType, targetId, ...rest] = id.split('/');
    if (targetId && rest.length === 0) {
      if (targetType === 'AWS::EC2::Instance') user = { id: targetId };
      else if (targetType === 'AWS::IAM::Role' || targetType === 'AWS::IAM::User') user = { id: targetId };
    }
  }
  const related: Json = {};
  if (instance) {
    child(child(doc, 'cloud'), 'instance').id = instance;
    related.hosts = [instance];
  }
  if (user) {
    doc.user = user;
    related.user = [user.name, user.id].filter((u) => typeof u === 'string' && u !== '');
  }
  if (Object.keys(related).length) doc.related = related;
  const compliance = getPath(n, ['newEvaluationResult', 'complianceType']);
  if (typeof compliance === 'string' && compliance) child(doc, 'event').outcome = OUTCOME[compliance] ?? 'unknown';
};
