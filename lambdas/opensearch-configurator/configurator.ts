/**
 * Applies the desired state (desired-state.ts) to an OpenSearch cluster, idempotently: each document is
 * read first and written only when it differs, so a second run with the same input changes nothing.
 * A rejected write stops the run with a ConfiguratorError naming the step and OpenSearch's reason; the
 * Terraform `aws_lambda_invocation` then fails the deploy with that message.
 */
import type { Client } from '@opensearch-project/opensearch';
import { openSearchReason } from '../shared/opensearch';
import type { Step } from './desired-state';

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
}

function status(err: unknown): number | undefined {
  return (err as { meta?: { statusCode?: number } })?.meta?.statusCode;
}

async function read(client: Client, step: Step): Promise<Current | undefined> {
  let body: Record<string, unknown>;
  try {
    body = (await client.transport.request({ method: 'GET', path: step.path })).body as Record<string, unknown>;
  } catch (err) {
    if (status(err) === 404) return undefined;
    throw new ConfiguratorError(`Step ${step.kind} "${step.name}" failed: GET ${step.path}: ${openSearchReason(err)}`, step, { cause: err });
  }
  switch (step.kind) {
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
  }
}

async function write(client: Client, step: Step, current: Current | undefined): Promise<void> {
  try {
    await client.transport.request({ method: 'PUT', path: step.path, body: step.body, querystring: current?.updateQuery });
  } catch (err) {
    throw new ConfiguratorError(`Step ${step.kind} "${step.name}" failed: PUT ${step.path}: OpenSearch rejected it: ${openSearchReason(err)}`, step, { cause: err });
  }
}

/** Runs the steps in order; stops at the first failure. */
export async function applySteps(client: Client, steps: readonly Step[], log: (r: StepResult) => void = () => undefined): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const step of steps) {
    const current = await read(client, step);
    let action: StepAction;
    if (current && isCurrent(step, current.doc)) action = 'unchanged';
    else {
      await write(client, step, current);
      action = current ? 'updated' : 'created';
    }
    const r = { kind: step.kind, name: step.name, action };
    log(r);
    results.push(r);
  }
  return results;
}
