/**
 * `threat.matched.*` and `threat.enrichments` of one document from its IoC hits, filled as the
 * reference's es-loader fills them (siem/__init__.py, "IOC"): providers, types and names of every
 * matching indicator; indicators = the document's matched values (the IP, the domain as seen in the
 * document); one enrichment per matching indicator with the fields it was found in.
 */
import type { IocMatch } from './database';

export interface IocHit {
  /** The value from the document that matched (an IP, or a domain name as written). */
  readonly value: string;
  readonly kind: 'ip' | 'domain';
  /** The document fields holding the value (`source.ip`, `dns.question.name`). */
  readonly fields: readonly string[];
  readonly matches: readonly IocMatch[];
}

export interface ThreatEnrichment {
  readonly indicator: { readonly provider: string; readonly type: string; readonly name?: string; readonly ip?: string };
  readonly matched: { readonly atomic?: string; readonly field: readonly string[] };
}

export interface ThreatFields {
  readonly matched: { readonly providers: string[]; readonly types: string[]; readonly indicators: string[]; readonly names: string[] };
  readonly enrichments: ThreatEnrichment[];
}

/** Undefined when nothing matched (the document then gets no `threat` fields). */
export function threatFields(hits: readonly IocHit[]): ThreatFields | undefined {
  const providers = new Set<string>();
  const types = new Set<string>();
  const indicators = new Set<string>();
  const names = new Set<string>();
  const enrichments: ThreatEnrichment[] = [];
  for (const hit of hits) {
    for (const m of hit.matches) {
      providers.add(m.provider);
      types.add(m.type);
      indicators.add(hit.value);
      if (m.name !== undefined) names.add(m.name);
      const indicator = { provider: m.provider, type: m.type, ...(m.name !== undefined ? { name: m.name } : {}), ...(hit.kind === 'ip' ? { ip: hit.value } : {}) };
      enrichments.push({ indicator, matched: { ...(hit.kind === 'domain' ? { atomic: hit.value } : {}), field: [...hit.fields] } });
    }
  }
  if (enrichments.length === 0) return undefined;
  return { matched: { providers: [...providers], types: [...types], indicators: [...indicators], names: [...names] }, enrichments };
}
