/**
 * IoC enrichment of one document (issue 16), as the reference's es-loader does it (siem/__init__.py,
 * "IOC"): the values of the log type's `ioc_ip` and `ioc_domain` fields (a string or a list of strings
 * each) are looked up in the IoC database; on a match the document gets `threat.matched.providers`,
 * `types`, `indicators`, `names` and one `threat.enrichments` entry per matching indicator, naming
 * the fields the value was found in. Other `threat.*` fields of the document are kept.
 *
 * Not wired into the pipeline yet: the runtime will open the database once per container with
 * `openIocDatabase` (lambdas/shared/ioc/database.ts) and call this for each document.
 */
import type { IocDatabase } from '../../shared/ioc/database';
import { threatFields, type IocHit } from '../../shared/ioc/threat';

type Doc = Record<string, unknown>;

function valuesAt(doc: Doc, field: string): unknown {
  let cur: unknown = doc;
  for (const part of field.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Doc)[part];
  }
  return cur;
}

function collect(doc: Doc, fields: readonly string[]): Map<string, string[]> {
  const byValue = new Map<string, string[]>();
  const add = (v: unknown, field: string) => {
    if (typeof v !== 'string' || v.length === 0) return;
    const f = byValue.get(v);
    if (!f) byValue.set(v, [field]);
    else if (!f.includes(field)) f.push(field);
  };
  for (const field of fields) {
    const v = valuesAt(doc, field);
    if (Array.isArray(v)) for (const x of v) add(x, field);
    else add(v, field);
  }
  return byValue;
}

/** Adds `threat.matched` and `threat.enrichments` when a value matches; returns whether it did. */
export function enrichIoc(doc: Doc, ipFields: readonly string[], domainFields: readonly string[], db: IocDatabase | undefined): boolean {
  if (!db || (ipFields.length === 0 && domainFields.length === 0)) return false;
  const hits: IocHit[] = [];
  for (const [value, fields] of collect(doc, ipFields)) {
    const matches = db.matchIp(value);
    if (matches.length > 0) hits.push({ value, kind: 'ip', fields, matches });
  }
  for (const [value, fields] of collect(doc, domainFields)) {
    for (const hit of db.matchDomain(value)) hits.push({ value, kind: 'domain', fields, matches: hit.matches });
  }
  const threat = threatFields(hits);
  if (!threat) return false;
  const existing = doc.threat;
  doc.threat = { ...(existing !== null && typeof existing === 'object' && !Array.isArray(existing) ? existing : {}), matched: threat.matched, enrichments: threat.enrichments };
  return true;
}
