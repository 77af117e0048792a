import { describe, expect, it } from 'vitest';
import { isCurrent } from './configurator';
import { configuratorSettingsSchema, desiredStateHash, desiredSteps, ismPolicy, securityRoles, type TemplateDefinition } from './desired-state';

const templates: TemplateDefinition[] = [
  { kind: 'component_template', name: 'siem-ecs-mappings', body: { template: { mappings: { properties: { '@timestamp': { type: 'date' } } } } } },
  { kind: 'index_template', name: 'log-aws-cloudtrail', body: { index_patterns: ['log-aws-cloudtrail-*'], composed_of: ['siem-ecs-mappings'], priority: 100 } },
  { kind: 'index_template', name: 'metrics-opensearch-index', body: { index_patterns: ['metrics-opensearch-index-*'], composed_of: ['siem-ecs-mappings'], priority: 100 } },
];
const settings = configuratorSettingsSchema.parse({
  indexRetentionDays: 365,
  snapshot: { repository: 'siem-snapshot', bucket: 'aes-siem-222222222222-snapshot', region: 'ap-northeast-1', roleArn: 'arn:aws:iam::222222222222:role/aes-siem-snapshot-role' },
  security: { loaderRoleArns: ['arn:aws:iam::222222222222:role/aes-siem-es-loader-role'], adminBackendRoles: ['arn:aws:iam::222222222222:role/aes-siem-opensearch-admin'] },
});

describe('Function: opensearch-configurator desired state', () => {
  it('orders component templates before index templates, then ISM, snapshot repository, roles and mappings', () => {
    expect(desiredSteps(settings, templates).map((s) => `${s.kind} ${s.path}`)).toEqual([
      'component-template /_component_template/siem-ecs-mappings',
      'index-template /_index_template/log-aws-cloudtrail',
      'index-template /_index_template/metrics-opensearch-index',
      'ism-policy /_plugins/_ism/policies/log-aws-cloudtrail-retention',
      'ism-policy /_plugins/_ism/policies/metrics-opensearch-index-retention',
      'snapshot-repository /_snapshot/siem-snapshot',
      'security-role /_plugins/_security/api/roles/siem_loader',
      'security-role /_plugins/_security/api/roles/siem_monitor',
      'security-role /_plugins/_security/api/roles/siem_analyst',
      'security-role /_plugins/_security/api/roles/siem_admin',
      'security-role-mapping /_plugins/_security/api/rolesmapping/siem_loader',
      'security-role-mapping /_plugins/_security/api/rolesmapping/siem_monitor',
      'security-role-mapping /_plugins/_security/api/rolesmapping/siem_analyst',
      'security-role-mapping /_plugins/_security/api/rolesmapping/siem_admin',
    ]);
  });

  it('skips step groups', () => {
    const kinds = desiredSteps({ ...settings, skip: ['ism', 'security', 'snapshot-repository'] }, templates).map((s) => s.kind);
    expect(new Set(kinds)).toEqual(new Set(['component-template', 'index-template']));
  });

  it('deletes after the retention days when no warm/cold tier is configured', () => {
    expect(ismPolicy('log-aws-cloudtrail', ['log-aws-cloudtrail-*'], { indexRetentionDays: 90 })).toEqual({
      policy: {
        description: 'SIEM log-aws-cloudtrail: delete 90 days after index creation',
        default_state: 'hot',
        states: [
          { name: 'hot', actions: [], transitions: [{ state_name: 'delete', conditions: { min_index_age: '90d' } }] },
          { name: 'delete', actions: [{ delete: {} }], transitions: [] },
        ],
        ism_template: [{ index_patterns: ['log-aws-cloudtrail-*'], priority: 100 }],
      },
    });
  });

  it('moves through UltraWarm and cold storage, and deletes cold indices with cold_delete', () => {
    const p = ismPolicy('log-aws-vpcflowlogs', ['log-aws-vpcflowlogs-*'], { indexRetentionDays: 365, warmAfterDays: 30, coldAfterDays: 90 }).policy as { states: unknown[]; description: string };
    expect(p.description).toBe('SIEM log-aws-vpcflowlogs: delete 365 days after index creation, UltraWarm after 30 days, cold after 90 days');
    expect(p.states).toEqual([
      { name: 'hot', actions: [], transitions: [{ state_name: 'warm', conditions: { min_index_age: '30d' } }] },
      { name: 'warm', actions: [{ warm_migration: {} }], transitions: [{ state_name: 'cold', conditions: { min_index_age: '90d' } }] },
      { name: 'cold', actions: [{ cold_migration: { timestamp_field: '@timestamp' } }], transitions: [{ state_name: 'delete', conditions: { min_index_age: '365d' } }] },
      { name: 'delete', actions: [{ cold_delete: {} }], transitions: [] },
    ]);
  });

  it('gives the loader write access to log-* and metrics-* only, analysts read-only access', () => {
    const roles = securityRoles();
    expect(roles.loader.index_permissions).toEqual([{ index_patterns: ['log-*', 'metrics-*'], allowed_actions: ['create_index', 'write', 'indices:admin/mapping/put', 'indices_monitor'] }]);
    expect(roles.loader.cluster_permissions).not.toContain('*');
    expect(roles.analyst.index_permissions).toEqual([{ index_patterns: ['log-*', 'metrics-*'], allowed_actions: ['read', 'indices:admin/mappings/get', 'indices:admin/resolve/index'] }]);
    expect(JSON.stringify(roles.analyst)).not.toMatch(/write|delete|manage|create/);
  });

  it('maps the loader role ARN as a backend role', () => {
    const step = desiredSteps(settings, []).find((s) => s.path === '/_plugins/_security/api/rolesmapping/siem_loader');
    expect(step?.body).toEqual({ description: 'Managed by siem-opensearch-configurator', backend_roles: ['arn:aws:iam::222222222222:role/aes-siem-es-loader-role'], hosts: [], users: [] });
  });

  it('changes the state hash when a setting changes, and only then', () => {
    const h = desiredStateHash(settings, templates);
    expect(desiredStateHash(configuratorSettingsSchema.parse(JSON.parse(JSON.stringify(settings))), templates)).toBe(h);
    expect(desiredStateHash({ ...settings, indexRetentionDays: 366 }, templates)).not.toBe(h);
    expect(desiredStateHash(settings, templates.slice(0, 2))).not.toBe(h);
  });

  it('compares stored roles and mappings in the shape the security plugin returns them', () => {
    const steps = desiredSteps(settings, []);
    const role = steps.find((s) => s.name === 'siem_loader' && s.kind === 'security-role')!;
    // GET _plugins/_security/api/roles/<name> adds reserved/hidden/static and empty fls/masked_fields.
    const stored = {
      reserved: false,
      hidden: false,
      description: 'SIEM es-loader: write log-* and metrics-* only',
      cluster_permissions: [...(role.body.cluster_permissions as string[])].reverse(),
      index_permissions: [{ index_patterns: ['metrics-*', 'log-*'], fls: [], masked_fields: [], allowed_actions: ['write', 'create_index', 'indices_monitor', 'indices:admin/mapping/put'] }],
      tenant_permissions: [],
      static: false,
    };
    expect(isCurrent(role, stored)).toBe(true);
    expect(isCurrent(role, { ...stored, index_permissions: [{ ...stored.index_permissions[0], index_patterns: ['*'] }] })).toBe(false);
    const mapping = steps.find((s) => s.name === 'siem_loader' && s.kind === 'security-role-mapping')!;
    expect(isCurrent(mapping, { hosts: [], users: [], reserved: false, hidden: false, backend_roles: ['arn:aws:iam::222222222222:role/aes-siem-es-loader-role'], and_backend_roles: [], description: 'Managed by siem-opensearch-configurator' })).toBe(true);
    expect(isCurrent(mapping, { hosts: [], users: [], backend_roles: [], description: 'Managed by siem-opensearch-configurator' })).toBe(false);
  });

  it('compares a stored snapshot repository through its settings (OpenSearch stores strings)', () => {
    const step = desiredSteps(settings, []).find((s) => s.kind === 'snapshot-repository')!;
    const stored = { type: 's3', settings: { bucket: 'aes-siem-222222222222-snapshot', base_path: 'snapshots', region: 'ap-northeast-1', role_arn: 'arn:aws:iam::222222222222:role/aes-siem-snapshot-role', server_side_encryption: 'true' } };
    expect(isCurrent(step, stored)).toBe(true);
    expect(isCurrent(step, { ...stored, settings: { ...stored.settings, bucket: 'other' } })).toBe(false);
  });
});
