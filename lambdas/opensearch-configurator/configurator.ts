/**
 * Applies the desired state (desired-state.ts) to an OpenSearch cluster, idempotently: each document is
 * read first and written only when it differs, so a second run with the same input changes nothing.
 * A rejected write stops the run with a ConfiguratorError naming the step and OpenSearch's reason; the
 * Terraform `aws_lambda_invocation` then fails the deploy with that message.
 */
import type { Client } from '@opensearch-project/opensearch';
import { openSearchReason } from '../shared/opensearch';
import { ALERTING_MONITORS, NOTIFICATIONS_CONFIGS, type Step } from './desired-state';

export class ConfiguratorError extends Error {
  constructor(
    message: string,
    readonly step?: Pick<Step, 'kind' | 'name' | 'path'>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ConfiguratorError';
  }
}

export type StepAction = 'created' | 'updated' | 'unchanged';
export interface StepResult {
  readonly kind: Step['kind'];
  readonly name: string;
  readonly action: StepAction;
}

interface Current {
  /** The stored document in the shape comparable with the step's body. */
  readonly doc: Record<string, unknown>;
  /** Query string for an optimistic-concurrency update (ISM policies). */
  readonly updateQuery?: Record<string, string | number>;
  /** Id OpenSearch gave the document (monitors). */
  readonly id?: string;
}

function status(err: unknown): number | undefined {
  return (err as { meta?: { statusCode?: number } })?.meta?.statusCode;
}

/** Monitors have ids chosen by OpenSearch: the configurator's own is found by its name. */
function monitorSearch(name: string): Record<string, unknown> {
  return { size: 10, query: { match_phrase: { 'monitor.name': name } } };
}

async function read(client: Client, step: Step): Promise<Current | undefined> {
  let body: Record<string, unknown>;
  const request = step.kind === 'monitor' ? { method: 'POST', path: `${ALERTING_MONITORS}/_search`, body: monitorSearch(step.name) } : { method: 'GET', path: step.path };
  try {
    body = (await client.transport.request(request)).body as Record<string, unknown>;
  } catch (err) {
    // 404: no such document (or, for monitors, no alerting index yet: no monitor at all).
    if (status(err) === 404) return undefined;
    throw new ConfiguratorError(`Step ${step.kind} "${step.name}" failed: ${request.method} ${request.path}: ${openSearchReason(err)}`, step, { cause: err });
  }
  switch (step.kind) {
    case 'internal-user': {
      const doc = body[step.name] as Record<string, unknown> | undefined;
      return doc ? { doc } : undefined;
    }
    case 'notification-channel': {
      const c = (body.config_list as { config_id: string; config: Record<string, unknown> }[] | undefined)?.find((x) => x.config_id === step.name);
      return c ? { doc: c } : undefined;
    }
    case 'monitor': {
      const hits = ((body.hits as { hits?: { _id: string; _source: Record<string, unknown> }[] } | undefined)?.hits ?? []).map((h) => ({ id: h._id, doc: (h._source.monitor as Record<string, unknown> | undefined) ?? h._source }));
      return hits.find((h) => h.doc.name === step.name);
    }
    case 'component-template': {
      const t = (body.component_templates as { name: string; component_template: Record<string, unknown> }[] | undefined)?.find((x) => x.name === step.name);
      return t ? { doc: t.component_template } : undefined;
    }
    case 'index-template': {
      const t = (body.index_templates as { name: string; index_template: Record<string, unknown> }[] | undefined)?.find((x) => x.name === step.name);
      return t ? { doc: t.index_template } : undefined;
    }
    case 'ism-policy':
      return { doc: { policy: body.policy }, updateQuery: { if_seq_no: body._seq_no as number, if_primary_term: body._primary_term as number } };
    case 'snapshot-repository':
    case 'security-role':
    case 'security-role-mapping': {
      const doc = body[step.name] as Record<string, unknown> | undefined;
      return doc ? { doc } : undefined;
    }
  }
}

const sorted = (v: unknown): string[] => (Array.isArray(v) ? v.map(String).sort() : []);

/** Whether the stored document already is what the step would write. */
export function isCurrent(step: Step, doc: Record<string, unknown>): boolean {
  switch (step.kind) {
    case 'component-template':
    case 'index-template':
      // OpenSearch normalizes template bodies (settings flattened and stringified), so the stored body
      // is compared through the hash the configurator put into `_meta`.
      return (doc._meta as Record<string, unknown> | undefined)?.config_hash === step.hash;
    case 'ism-policy':
      return ((doc.policy as Record<string, unknown> | undefined)?.description ?? null) === (step.body.policy as Record<string, unknown>).description;
    case 'snapshot-repository': {
      const want = step.body.settings as Record<string, unknown>;
      const have = (doc.settings as Record<string, unknown> | undefined) ?? {};
      return doc.type === step.body.type && Object.keys(want).every((k) => String(have[k]) === String(want[k])) && Object.keys(have).every((k) => k in want);
    }
    case 'security-role': {
      const norm = (r: Record<string, unknown>) => ({
        description: r.description ?? '',
        cluster: sorted(r.cluster_permissions),
        index: ((r.index_permissions as Record<string, unknown>[] | undefined) ?? []).map((p) => ({
          patterns: sorted(p.index_patterns),
          actions: sorted(p.allowed_actions),
          fls: sorted(p.fls),
          masked: sorted(p.masked_fields),
          dls: p.dls ?? '',
        })),
        tenant: ((r.tenant_permissions as Record<string, unknown>[] | undefined) ?? []).map((p) => ({ patterns: sorted(p.tenant_patterns), actions: sorted(p.allowed_actions) })),
      });
      return JSON.stringify(norm(doc)) === JSON.stringify(norm(step.body));
    }
    case 'security-role-mapping': {
      const norm = (m: Record<string, unknown>) => ({ d: m.description ?? '', b: sorted(m.backend_roles), h: sorted(m.hosts), u: sorted(m.users) });
      return JSON.stringify(norm(doc)) === JSON.stringify(norm(step.body));
    }
    case 'internal-user': {
      // The password hash is never returned: the user records which version of the secret it was set from.
      const version = (m: Record<string, unknown>) => (m.attributes as Record<string, unknown> | undefined)?.secret_version ?? null;
      return version(doc) !== null && version(doc) === version(step.body) && JSON.stringify(sorted(doc.backend_roles)) === JSON.stringify(sorted(step.body.backend_roles));
    }
    case 'notification-channel': {
      const norm = (c: Record<string, unknown> | undefined) => {
        const sns = (c?.sns as Record<string, unknown> | undefined) ?? {};
        return [c?.name, c?.description, c?.config_type, c?.is_enabled, sns.topic_arn, sns.role_arn];
      };
      return JSON.stringify(norm(doc.config as Record<string, unknown> | undefined)) === JSON.stringify(norm(step.body.config as Record<string, unknown>));
    }
    case 'monitor':
      return ((doc.ui_metadata as { siem?: { config_hash?: string } } | undefined)?.siem?.config_hash ?? null) === step.hash;
  }
}

/** The request that creates (no `current`) or updates the step's document. */
function writeRequest(step: Step, current: Current | undefined, password?: string): { method: string; path: string; body: Record<string, unknown>; querystring?: Record<string, string | number> } {
  switch (step.kind) {
    case 'notification-channel':
      return current ? { method: 'PUT', path: step.path, body: { config: step.body.config } } : { method: 'POST', path: NOTIFICATIONS_CONFIGS, body: step.body };
    case 'monitor':
      return current ? { method: 'PUT', path: `${ALERTING_MONITORS}/${encodeURIComponent(current.id ?? '')}`, body: step.body } : { method: 'POST', path: ALERTING_MONITORS, body: step.body };
    case 'internal-user':
      return { method: 'PUT', path: step.path, body: { ...step.body, password } };
    default:
      return { method: 'PUT', path: step.path, body: step.body, querystring: current?.updateQuery };
  }
}

async function write(client: Client, step: Step, current: Current | undefined, password?: string): Promise<void> {
  const request = writeRequest(step, current, password);
  try {
    await client.transport.request(request);
  } catch (err) {
    throw new ConfiguratorError(`Step ${step.kind} "${step.name}" failed: ${request.method} ${request.path}: OpenSearch rejected it: ${openSearchReason(err)}`, step, { cause: err });
  }
}

/** A password read from a secret, with the secret version it comes from (break-glass.ts reads Secrets Manager). */
export interface SecretPassword {
  readonly password: string;
  readonly versionId: string;
}
/** Password of the user stored in `secretId`. */
export type PasswordSource = (secretId: string) => Promise<SecretPassword>;

export interface ApplyOptions {
  /** Where the break-glass user's password comes from (Secrets Manager in AWS). Needed only for an internal-user step. */
  readonly passwords?: PasswordSource;
}

/** Runs the steps in order; stops at the first failure. */
export async function applySteps(client: Client, steps: readonly Step[], log: (r: StepResult) => void = () => undefined, options: ApplyOptions = {}): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const desired of steps) {
    let step = desired;
    let password: string | undefined;
    if (desired.secretId !== undefined) {
      if (!options.passwords) throw new ConfiguratorError(`Step ${desired.kind} "${desired.name}" failed: no password source for secret ${desired.secretId}`, desired);
      const secret = await options.passwords(desired.secretId);
      password = secret.password;
      step = { ...desired, body: { ...desired.body, attributes: { ...(desired.body.attributes as Record<string, unknown>), secret_version: secret.versionId } } };
    }
    const current = await read(client, step);
    let action: StepAction;
    if (current && isCurrent(step, current.doc)) action = 'unchanged';
    else {
      await write(client, step, current, password);
      action = current ? 'updated' : 'created';
    }
    const r = { kind: step.kind, name: step.name, action };
    log(r);
    results.push(r);
  }
  return results;
}
