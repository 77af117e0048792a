/**
 * Organization context (issue 16), which the reference does not have: on every document that has a
 * `cloud.account.id` of the organization, the loader adds
 *   cloud.account.name                 the member's name in accounts/ (`security`, `log-archive` for those two)
 *   cloud.account.organizational_unit  the member's OU path, e.g. "Root/Workloads/Prod" (when set)
 *   cloud.account.tags                 the member's tags, e.g. { "team": "payments" } (when it has any)
 * `cloud.account.name` is ECS's own field; ECS has no OU or tag field, so the two others are custom fields
 * beside it (under cloud.account, where they describe the account, not the event; `labels` is not used
 * because some logs, such as WAF's, already carry a raw `labels` field).
 *
 * The same JSON document also carries the organization's trusted proxies (`clientip_xff`, client-ip.ts).
 * It is built at synth from accounts/ (`organizationContextFromConfig`), stored as an S3 object in the geo
 * bucket (visible in the plan; a Lambda environment is limited to 4 KB, too small for hundreds of accounts)
 * and read once per container; `siem-load --organization <accounts dir>` builds it from the folder.
 */
import { z } from 'zod';
import type { Json } from '../ecs/paths';
import { isPlainObject } from '../ecs/paths';
import { TrustedProxies } from './client-ip';

/** Where the central stack writes the context in the geo bucket (and the loader's default). */
export const ORGANIZATION_CONTEXT_KEY = 'OrganizationContext/organization-context.json';

const accountSchema = z.strictObject({
  name: z.string().min(1),
  organizationalUnit: z.string().min(1).optional(),
  tags: z.record(z.string(), z.string()).optional(),
});

export const organizationContextSchema = z.strictObject({
  version: z.literal(1, { error: 'must be 1 (the format this loader reads; deploy the loader with the central stack that wrote it)' }),
  /** Account id -> what the documents of that account get. */
  accounts: z.record(z.string(), accountSchema).superRefine((accounts, ctx) => {
    for (const id of Object.keys(accounts)) if (!/^\d{12}$/.test(id)) ctx.addIssue({ code: 'custom', path: [id], message: 'must be a 12-digit account id' });
  }),
  /** Trusted proxies (addresses/CIDR ranges) for clientip_xff. */
  trustedProxies: z.array(z.string()).default([]),
});
export type OrganizationContextFile = z.infer<typeof organizationContextSchema>;

/** What organizationContextFromConfig needs of a validated accounts/ (accounts/schema.ts). */
export interface OrganizationSource {
  readonly security: { readonly accountId: string };
  readonly logArchive?: { readonly accountId: string };
  readonly loader: { readonly trustedProxies: readonly string[] };
  readonly members: ReadonlyArray<{ readonly name: string; readonly accountId: string; readonly organizationalUnit?: string; readonly tags?: Readonly<Record<string, string>> }>;
}

/** The context document of an organization: deterministic (accounts by id, tags by key), so plans only change with accounts/. */
export function organizationContextFromConfig(org: OrganizationSource): OrganizationContextFile {
  const accounts: OrganizationContextFile['accounts'] = {};
  const entries: Array<[string, OrganizationContextFile['accounts'][string]]> = [];
  for (const m of org.members) {
    const tags = Object.keys(m.tags ?? {}).sort();
    entries.push([
      m.accountId,
      {
        name: m.name,
        ...(m.organizationalUnit ? { organizationalUnit: m.organizationalUnit } : {}),
        ...(tags.length ? { tags: Object.fromEntries(tags.map((k) => [k, m.tags![k]!])) } : {}),
      },
    ]);
  }
  const ids = new Set(entries.map(([id]) => id));
  if (!ids.has(org.security.accountId)) entries.push([org.security.accountId, { name: 'security' }]);
  if (org.logArchive && !ids.has(org.logArchive.accountId)) entries.push([org.logArchive.accountId, { name: 'log-archive' }]);
  for (const [id, a] of entries.sort(([x], [y]) => x.localeCompare(y))) accounts[id] = a;
  return { version: 1, accounts, trustedProxies: [...org.loader.trustedProxies] };
}

/** The JSON text of the S3 object (stable key order, one account per line for readable plan diffs). */
export function organizationContextJson(ctx: OrganizationContextFile): string {
  const lines = Object.entries(ctx.accounts).map(([id, a]) => `    ${JSON.stringify(id)}: ${JSON.stringify(a)}`);
  return `{\n  "version": 1,\n  "accounts": {\n${lines.join(',\n')}\n  },\n  "trustedProxies": ${JSON.stringify(ctx.trustedProxies)}\n}\n`;
}

interface AccountFields {
  name: string;
  organizational_unit?: string;
  tags?: Readonly<Record<string, string>>;
}

/** The loaded context: account lookup and trusted proxies. */
export class OrganizationContext {
  private readonly accounts = new Map<string, AccountFields>();
  readonly trustedProxies: TrustedProxies;

  constructor(readonly file: OrganizationContextFile) {
    for (const [id, a] of Object.entries(file.accounts)) {
      const fields: AccountFields = { name: a.name };
      if (a.organizationalUnit) fields.organizational_unit = a.organizationalUnit;
      // Shared by every document of the account (JSON.stringify reads it; nothing writes it).
      if (a.tags && Object.keys(a.tags).length) fields.tags = Object.freeze({ ...a.tags });
      this.accounts.set(id, fields);
    }
    this.trustedProxies = new TrustedProxies(file.trustedProxies);
  }

  get accountCount(): number {
    return this.accounts.size;
  }

  /**
   * Parses and validates the context's JSON; throws an Error whose one-line message names `where` and
   * the problem (the loader logs it and goes on without context).
   */
  static parse(text: string, where: string): OrganizationContext {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new Error(`${where}: not JSON (${(err as Error).message})`);
    }
    const r = organizationContextSchema.safeParse(data);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      throw new Error(`${where}: ${issue.path.join('.') || '(top)'}: ${issue.message}`);
    }
    try {
      return new OrganizationContext(r.data);
    } catch (err) {
      throw new Error(`${where}: trustedProxies: ${(err as Error).message}`);
    }
  }

  /** Adds the account's name, OU and tags to a document whose cloud.account.id is a known account. */
  enrich(doc: Json): void {
    const cloud = doc.cloud;
    if (!isPlainObject(cloud)) return;
    const account = cloud.account;
    if (!isPlainObject(account) || typeof account.id !== 'string') return;
    const a = this.accounts.get(account.id);
    if (!a) return;
    if (account.name === undefined) account.name = a.name;
    if (a.organizational_unit !== undefined && account.organizational_unit === undefined) account.organizational_unit = a.organizational_unit;
    if (a.tags !== undefined && account.tags === undefined) account.tags = a.tags;
  }
}
