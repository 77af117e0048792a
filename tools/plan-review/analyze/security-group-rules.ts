/** Security group rules that come or go, in any of the four ways the AWS provider can express them. */
import { changeKind, type ChangeKind, type JsonObject, type JsonValue, type ResourceChange } from '../plan-json';
import { isObject } from './resource';

export interface NetworkRuleItem {
  readonly address: string;
  readonly type: string;
  readonly kind: ChangeKind;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** An added ingress rule admits the whole internet (0.0.0.0/0 or ::/0). */
  readonly opensToInternet: boolean;
}

const OPEN_CIDRS = ['0.0.0.0/0', '::/0'];

function ruleText(direction: string, r: JsonObject): { text: string; open: boolean } {
  const protocol = String(r.ip_protocol ?? r.protocol ?? 'all');
  const from = r.from_port ?? null;
  const to = r.to_port ?? null;
  const ports = protocol === '-1' || protocol === 'all' ? 'all ports' : from === to ? `port ${String(from)}` : `ports ${String(from)}-${String(to)}`;
  const peers: string[] = [];
  const list = (v: JsonValue | undefined) => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : []);
  peers.push(...list(r.cidr_blocks), ...list(r.ipv6_cidr_blocks), ...list(r.cidr_ipv4), ...list(r.cidr_ipv6));
  peers.push(...list(r.prefix_list_ids), ...list(r.prefix_list_id));
  peers.push(...list(r.security_groups), ...list(r.source_security_group_id), ...list(r.referenced_security_group_id));
  if (r.self === true) peers.push('self');
  const open = direction === 'ingress' && peers.some((p) => OPEN_CIDRS.includes(p));
  return { text: `${direction} ${protocol === '-1' ? 'all protocols' : protocol} ${ports} ${direction === 'ingress' ? 'from' : 'to'} ${peers.join(', ') || '(none)'}`, open };
}

function networkItem(rc: ResourceChange): NetworkRuleItem | undefined {
  const kind = changeKind(rc.change.actions);
  if (kind === 'no-op' || kind === 'read' || kind === 'forget') return undefined;
  const before = kind === 'create' ? null : rc.change.before;
  const after = kind === 'delete' ? null : rc.change.after;
  const rules = (side: JsonObject | null): { text: string; open: boolean }[] => {
    if (!side) return [];
    switch (rc.type) {
      case 'aws_security_group_rule':
        return [ruleText(String(side.type ?? 'ingress'), side)];
      case 'aws_vpc_security_group_ingress_rule':
        return [ruleText('ingress', side)];
      case 'aws_vpc_security_group_egress_rule':
        return [ruleText('egress', side)];
      case 'aws_security_group': {
        const out: { text: string; open: boolean }[] = [];
        for (const dir of ['ingress', 'egress'] as const) {
          const list = side[dir];
          if (Array.isArray(list)) for (const r of list) if (isObject(r)) out.push(ruleText(dir, r));
        }
        return out;
      }
      default:
        return [];
    }
  };
  if (!['aws_security_group_rule', 'aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule', 'aws_security_group'].includes(rc.type)) return undefined;
  const b = rules(before);
  const a = rules(after);
  const added = a.filter((x) => !b.some((y) => y.text === x.text));
  const removed = b.filter((x) => !a.some((y) => y.text === x.text));
  if (added.length + removed.length === 0) return undefined;
  return { address: rc.address, type: rc.type, kind, added: added.map((x) => x.text), removed: removed.map((x) => x.text), opensToInternet: added.some((x) => x.open) };
}

/** Security group rules added or removed; an ingress rule from anywhere is flagged. */
export function detectSecurityGroupRuleChanges(rc: ResourceChange): NetworkRuleItem[] {
  const item = networkItem(rc);
  return item ? [item] : [];
}
