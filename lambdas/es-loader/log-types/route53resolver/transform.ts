/**
 * Route 53 Resolver query logs.
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-query-logs-format.html
 */
import { child, getField, setField } from '../../ecs/paths';
import type { Transform } from '../types';

const noDot = (s: string) => (s.endsWith('.') ? s.slice(0, -1) : s);

export const route53resolver: Transform = ({ raw, doc }) => {
  const name = getField(doc, 'dns.question.name');
  if (typeof name === 'string') setField(doc, 'dns.question.name', noDot(name));
  // Every answer (the reference keeps only the first), names without their trailing dot.
  if (Array.isArray(raw.answers)) {
    const answers = [];
    for (const a of raw.answers as Array<Record<string, unknown>>) {
      if (typeof a !== 'object' || a === null) continue;
      const ans: Record<string, unknown> = {};
      if (typeof a.Rdata === 'string') ans.data = noDot(a.Rdata);
      if (typeof a.Type === 'string') ans.type = a.Type;
      if (typeof a.Class === 'string') ans.class = a.Class;
      answers.push(ans);
    }
    if (answers.length) child(doc, 'dns').answers = answers;
    // NXDOMAIN and SERVFAIL responses carry an empty list: left out, as the reference does.
    else raw.answers = undefined;
  }
  const transport = getField(doc, 'network.transport');
  if (typeof transport === 'string') setField(doc, 'network.transport', transport.toLowerCase());
};
