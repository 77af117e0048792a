/**
 * The desired state of the OpenSearch cluster, computed from the configurator's settings and the
 * loader's index templates: one list of steps, each a PUT of a document the configurator owns.
 *
 * Kept free of I/O so that the Terraform module (which hashes the settings), the Lambda and the tests
 * all see the same requests.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { allObjects, dashboardFiles, familyPatterns, type SavedObject } from './dashboards/generate';
import { MONITOR_NAMES, monitorDefinition } from './monitors';

export const STEP_KINDS = ['component-template', 'index-template', 'ism-policy', 'snapshot-repository', 'security-role', 'security-role-mapping', 'internal-user', 'notification-channel', 'monitor'] as const;
export type StepKind = (typeof STEP_KINDS)[number];
/** Groups that can be skipped (e.g. on a local server without the plugin or the `s3` repository type). */
export const STEP_GROUPS = { templates: ['component-template', 'index-template'], ism: ['ism-policy'], 'snapshot-repository': ['snapshot-repository'], security: ['security-role', 'security-role-mapping', 'internal-user'], alerting: ['notification-channel', 'monitor'] } as const satisfies Record<string, readonly StepKind[]>;
export type StepGroup = keyof typeof STEP_GROUPS;

/** The settings the Terraform module passes in the invocation input (and the tests build by hand). */
export const configuratorSettingsSchema = z.strictObject({
  /** ISM: delete indices this many days after creation (opensearch.indexRetentionDays). */
  indexRetentionDays: z.number().int().positive(),
  /** ISM: move to UltraWarm / cold storage this many days after creation. */
  warmAfterDays: z.number().int().positive().optional(),
  coldAfterDays: z.number().int().positive().optional(),
  snapshot: z
    .strictObject({
      repository: z.string().min(1),
      bucket: z.string().min(3),
      region: z.string().min(1),
      roleArn: z.string().startsWith('arn:'),
      basePath: z.string().default('snapshots'),
    })
    .optional(),
  security: z
    .strictObject({
      /** IAM role ARNs of the es-loader (write log-* and metrics-*). */
      loaderRoleArns: z.array(z.string()).default([]),
      /** IAM role ARNs of the index metrics exporter (cluster and index monitoring, read-only). */
      monitorRoleArns: z.array(z.string()).default([]),
      /** Backend roles (IAM role ARNs or SAML groups) of analysts: read-only on log-* and metrics-*. */
      analystBackendRoles: z.array(z.string()).default([]),
      /** Backend roles of SIEM administrators (everything, including security settings). */
      adminBackendRoles: z.array(z.string()).default([]),
      /**
       * The mapping of the built-in `all_access` role, written whole when present: the master role ARN
       * (OpenSearch Service maps it there; it must stay), the SAML admin groups, the Cognito admin
       * role, and the break-glass internal user.
       */
      allAccess: z.strictObject({ backendRoles: z.array(z.string()).min(1), users: z.array(z.string()).default([]) }).optional(),
      /** A break-glass user of the internal user database; its password is read from (or first generated into) the secret at run time. */
      internalUser: z.strictObject({ username: z.string().min(1), secretId: z.string().min(1) }).optional(),
    })
    .optional(),
  /** OpenSearch alerting: the SNS channel of the Notifications plugin and the monitors that notify it. */
  alerting: z
    .strictObject({
      channel: z.strictObject({ id: z.string().regex(/^[\w-]+$/), name: z.string().min(1), topicArn: z.string().startsWith('arn:'), roleArn: z.string().startsWith('arn:') }),
      monitors: z.array(z.enum(MONITOR_NAMES)).default([]),
    })
    .optional(),
  /**
   * OpenSearch Dashboards content (dashboards/): imported into the tenant through the saved-objects
   * API after the objects it would overwrite are exported to `backupBucket` (dashboards/install.ts).
   */
  dashboards: z
    .strictObject({
      /** Path of Dashboards on the domain endpoint. */
      basePath: z.string().startsWith('/').default('/_dashboards'),
      tenant: z.string().min(1).default('global'),
      backupBucket: z.string().min(3),
      backupPrefix: z.string().default('dashboards-backup/'),
    })
    .optional(),
  /** Step groups not to run (on a cluster without the plugin they need). */
  skip: z.array(z.enum(Object.keys(STEP_GROUPS) as [StepGroup, ...StepGroup[]])).default([]),
});
export type ConfiguratorSettings = z.infer<typeof configuratorSettingsSchema>;
export type ConfiguratorSettingsInput = z.input<typeof configuratorSettingsSchema>;

export interface TemplateDefinition {
  /** When absent: an index template if the body has `index_patterns`, else a component template. */
  readonly kind?: 'component_template' | 'index_template';
  readonly name: string;
  readonly body: Record<string, unknown>;
}

export interface Step {
  readonly kind: StepKind;
  readonly name: string;
  /** Path of the document, for GET and PUT. */
  readonly path: string;
  /** Body of the PUT. */
  readonly body: Record<string, unknown>;
  /** SHA-256 (first 16 hex) of the body, stored with the document where OpenSearch allows (`_meta`, description, `ui_metadata`). */
  readonly hash: string;
  /** Internal user: the secret holding its password (read or generated at run time, never part of the body). */
  readonly secretId?: string;
}

/** Paths of the Notifications and Alerting plugins (https://docs.opensearch.org/latest/observing-your-data/notifications/api/). */
export const NOTIFICATIONS_CONFIGS = '/_plugins/_notifications/configs';
export const ALERTING_MONITORS = '/_plugins/_alerting/monitors';

/** FGAC role names the configurator owns. */
export const ROLE_NAMES = { loader: 'siem_loader', monitor: 'siem_monitor', analyst: 'siem_analyst', admin: 'siem_admin' } as const;

export const MANAGED_BY = 'siem-opensearch-configurator';

/** Deterministic JSON (sorted keys) for hashing. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value as object)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function shortHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16);
}

function withMeta(body: Record<string, unknown>, hash: string): Record<string, unknown> {
  const meta = (body._meta as Record<string, unknown> | undefined) ?? {};
  return { ...body, _meta: { ...meta, managed_by: MANAGED_BY, config_hash: hash } };
}

function patternsOf(body: Record<string, unknown>): string[] {
  const p = body.index_patterns;
  return Array.isArray(p) ? p.map(String) : p === undefined ? [] : [String(p)];
}

/**
 * ISM policy for one index family. Indices are date-rotated by the loader (`log-aws-cloudtrail-2026-11`),
 * so there is no rollover: indices age from creation through optional warm and cold states to deletion.
 * Actions per AWS's ISM documentation: `warm_migration` (UltraWarm), `cold_migration` (cold storage,
 * needs a timestamp field) and `cold_delete` for indices that live in cold storage
 * (https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ism.html).
 */
export function ismPolicy(family: string, patterns: readonly string[], s: Pick<ConfiguratorSettings, 'indexRetentionDays' | 'warmAfterDays' | 'coldAfterDays'>): Record<string, unknown> {
  const warm = s.warmAfterDays !== undefined && s.warmAfterDays < s.indexRetentionDays ? s.warmAfterDays : undefined;
  const cold = s.coldAfterDays !== undefined && s.coldAfterDays < s.indexRetentionDays && (warm === undefined || s.coldAfterDays > warm) ? s.coldAfterDays : undefined;
  const next = (after: 'hot' | 'warm' | 'cold') => {
    if (after === 'hot' && warm !== undefined) return { state_name: 'warm', conditions: { min_index_age: `${warm}d` } };
    if (after !== 'cold' && cold !== undefined) return { state_name: 'cold', conditions: { min_index_age: `${cold}d` } };
    return { state_name: 'delete', conditions: { min_index_age: `${s.indexRetentionDays}d` } };
  };
  const states: Record<string, unknown>[] = [{ name: 'hot', actions: [], transitions: [next('hot')] }];
  if (warm !== undefined) states.push({ name: 'warm', actions: [{ warm_migration: {} }], transitions: [next('warm')] });
  if (cold !== undefined) states.push({ name: 'cold', actions: [{ cold_migration: { timestamp_field: '@timestamp' } }], transitions: [next('cold')] });
  states.push({ name: 'delete', actions: [cold !== undefined ? { cold_delete: {} } : { delete: {} }], transitions: [] });
  return {
    policy: {
      description: `SIEM ${family}: delete ${s.indexRetentionDays} days after index creation${warm ? `, UltraWarm after ${warm} days` : ''}${cold ? `, cold after ${cold} days` : ''}`,
      default_state: 'hot',
      states,
      ism_template: [{ index_patterns: [...patterns], priority: 100 }],
    },
  };
}

/** FGAC roles (https://docs.opensearch.org/latest/security/access-control/permissions/). */
export function securityRoles(): Record<keyof typeof ROLE_NAMES, Record<string, unknown>> {
  const siemIndices = ['log-*', 'metrics-*'];
  return {
    // Writes documents into log-* and metrics-* and nothing else. Bulk is a cluster-level action; the
    // loader checks that the index templates exist before the first document and creates a missing
    // one (sink/templates.ts), hence the template permissions.
    loader: {
      description: 'SIEM es-loader: write log-* and metrics-* only',
      cluster_permissions: ['cluster_monitor', 'indices:data/write/bulk', 'indices:admin/index_template/get', 'indices:admin/index_template/put', 'cluster:admin/component_template/get', 'cluster:admin/component_template/put'],
      index_permissions: [{ index_patterns: siemIndices, allowed_actions: ['create_index', 'write', 'indices:admin/mapping/put', 'indices_monitor'] }],
      tenant_permissions: [],
    },
    // Reads the statistics the index metrics exporter ships (_cat/indices, _cat/shards, _nodes/stats).
    monitor: {
      description: 'SIEM index metrics exporter: cluster and index statistics, no documents',
      cluster_permissions: ['cluster_monitor'],
      index_permissions: [{ index_patterns: ['*'], allowed_actions: ['indices_monitor'] }],
      tenant_permissions: [],
    },
    analyst: {
      description: 'SIEM analyst: search and read log-* and metrics-*, read-only Dashboards',
      cluster_permissions: ['cluster_composite_ops_ro'],
      index_permissions: [{ index_patterns: siemIndices, allowed_actions: ['read', 'indices:admin/mappings/get', 'indices:admin/resolve/index'] }],
      tenant_permissions: [{ tenant_patterns: ['global_tenant'], allowed_actions: ['kibana_all_read'] }],
    },
    admin: {
      description: 'SIEM administrator: everything, including security settings',
      cluster_permissions: ['*'],
      index_permissions: [{ index_patterns: ['*'], allowed_actions: ['*'] }],
      tenant_permissions: [{ tenant_patterns: ['*'], allowed_actions: ['kibana_all_write'] }],
    },
  };
}

/** Every step, in the order they run: component templates before the index templates composed of them. */
export function desiredSteps(settings: ConfiguratorSettings, templates: readonly TemplateDefinition[]): Step[] {
  const steps: Step[] = [];
  const add = (kind: StepKind, name: string, path: string, body: Record<string, unknown>, hash = shortHash(body)) => steps.push({ kind, name, path, body, hash });
  const enc = encodeURIComponent;
  const isIndex = (t: TemplateDefinition) => (t.kind ? t.kind === 'index_template' : t.body.index_patterns !== undefined);
  const component = templates.filter((t) => !isIndex(t));
  const index = templates.filter(isIndex);
  for (const t of component) {
    const h = shortHash(t.body);
    add('component-template', t.name, `/_component_template/${enc(t.name)}`, withMeta(t.body, h), h);
  }
  for (const t of index) {
    const h = shortHash(t.body);
    add('index-template', t.name, `/_index_template/${enc(t.name)}`, withMeta(t.body, h), h);
  }
  for (const t of index) {
    const patterns = patternsOf(t.body);
    if (patterns.length === 0) continue;
    const body = ismPolicy(t.name, patterns, settings);
    const h = shortHash(body);
    const policy = body.policy as Record<string, unknown>;
    // ISM policies have no _meta; the hash rides in the description.
    add('ism-policy', `${t.name}-retention`, `/_plugins/_ism/policies/${enc(`${t.name}-retention`)}`, { policy: { ...policy, description: `${String(policy.description)} [${MANAGED_BY} ${h}]` } }, h);
  }
  if (settings.snapshot) {
    const s = settings.snapshot;
    // Manual snapshot repository on S3 with the snapshot role
    // (https://docs.aws.amazon.com/opensearch-service/latest/developerguide/managedomains-snapshot-registerdirectory.html).
    add('snapshot-repository', s.repository, `/_snapshot/${enc(s.repository)}`, {
      type: 's3',
      settings: { bucket: s.bucket, base_path: s.basePath, region: s.region, role_arn: s.roleArn, server_side_encryption: true },
    });
  }
  if (settings.security) {
    const roles = securityRoles();
    for (const key of Object.keys(ROLE_NAMES) as (keyof typeof ROLE_NAMES)[]) {
      add('security-role', ROLE_NAMES[key], `/_plugins/_security/api/roles/${ROLE_NAMES[key]}`, roles[key]);
    }
    const sec = settings.security;
    const mappings: [keyof typeof ROLE_NAMES, string[]][] = [
      ['loader', sec.loaderRoleArns],
      ['monitor', sec.monitorRoleArns],
      ['analyst', sec.analystBackendRoles],
      ['admin', sec.adminBackendRoles],
    ];
    if (sec.internalUser) {
      // The user first, so that the all_access mapping below names an existing user.
      const u = sec.internalUser;
      steps.push({ kind: 'internal-user', name: u.username, path: `/_plugins/_security/api/internalusers/${enc(u.username)}`, body: { backend_roles: [], attributes: { managed_by: MANAGED_BY } }, hash: shortHash(u), secretId: u.secretId });
    }
    for (const [key, backendRoles] of mappings) {
      add('security-role-mapping', ROLE_NAMES[key], `/_plugins/_security/api/rolesmapping/${ROLE_NAMES[key]}`, {
        description: `Managed by ${MANAGED_BY}`,
        backend_roles: [...backendRoles].sort(),
        hosts: [],
        users: [],
      });
    }
    if (sec.allAccess) {
      add('security-role-mapping', 'all_access', '/_plugins/_security/api/rolesmapping/all_access', {
        description: `Managed by ${MANAGED_BY}`,
        backend_roles: [...new Set(sec.allAccess.backendRoles)].sort(),
        hosts: [],
        users: [...new Set(sec.allAccess.users)].sort(),
      });
    }
  }
  if (settings.alerting) {
    const { channel, monitors } = settings.alerting;
    // The SNS channel of the Notifications plugin; OpenSearch Service publishes by assuming the role
    // (OpenSearch Service developer guide, "Notifications": SNS channels need an IAM role).
    add('notification-channel', channel.id, `${NOTIFICATIONS_CONFIGS}/${enc(channel.id)}`, {
      config_id: channel.id,
      config: { name: channel.name, description: `Alerts of the SIEM to ${channel.topicArn} [${MANAGED_BY}]`, config_type: 'sns', is_enabled: true, sns: { topic_arn: channel.topicArn, role_arn: channel.roleArn } },
    });
    for (const m of [...new Set(monitors)]) {
      const monitor = monitorDefinition(m, channel.id);
      const h = shortHash(monitor);
      // Monitors get ids from OpenSearch: the configurator finds its own by name and keeps the hash in `ui_metadata`.
      add('monitor', String(monitor.name), ALERTING_MONITORS, { ...monitor, ui_metadata: { siem: { managed_by: MANAGED_BY, config_hash: h } } }, h);
    }
  }
  const skipped = new Set<StepKind>(settings.skip.flatMap((g) => STEP_GROUPS[g]));
  return steps.filter((s) => !skipped.has(s.kind));
}

/** The saved objects the configurator imports into Dashboards (the specs of dashboards/ and an index pattern per family of `templates`). */
export function dashboardsObjects(templates: readonly TemplateDefinition[]): SavedObject[] {
  return allObjects(dashboardFiles(familyPatterns(templates)));
}

/** Hash of everything the configurator would write: what the Terraform invocation input carries. */
export function desiredStateHash(settings: ConfiguratorSettings, templates: readonly TemplateDefinition[]): string {
  const state: unknown[] = desiredSteps(settings, templates).map((s) => [s.kind, s.name, s.body]);
  // Dashboards content changes (a new panel) must run the configurator again, as template changes do.
  if (settings.dashboards) state.push(['dashboards', settings.dashboards.tenant, shortHash(dashboardsObjects(templates))]);
  return createHash('sha256').update(canonicalJson(state)).digest('hex');
}
