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

  it('with dashboards on, the state hash also follows the saved objects (a new index family adds an index pattern)', () => {
    const withDashboards = configuratorSettingsSchema.parse({ ...settings, dashboards: { backupBucket: 'aes-siem-222222222222-snapshot' } });
    expect(withDashboards.dashboards).toEqual({ basePath: '/_dashboards', tenant: 'global', backupBucket: 'aes-siem-222222222222-snapshot', backupPrefix: 'dashboards-backup/' });
    const h = desiredStateHash(withDashboards, templates);
    expect(h).not.toBe(desiredStateHash(settings, templates));
    const moreFamilies = [...templates, { kind: 'index_template' as const, name: 'log-aws-msk', body: { index_patterns: ['log-aws-msk-*'], composed_of: ['siem-ecs-mappings'] } }];
    const steps = (t: TemplateDefinition[]) => desiredSteps(withDashboards, t).filter((s) => s.kind === 'index-template').length;
    expect(steps(moreFamilies)).toBe(steps(templates) + 1);
    // Without dashboards the new family changes the hash through its template; with dashboards the index pattern joins in.
    expect(desiredStateHash(withDashboards, moreFamilies)).not.toBe(desiredStateHash({ ...withDashboards, dashboards: undefined }, moreFamilies));
    expect(desiredStateHash(withDashboards, templates)).toBe(h);
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

  it('login: the break-glass user before the mappings, all_access mapped whole (master role kept), no password in any step', () => {
    const withLogin = configuratorSettingsSchema.parse({
      ...settings,
      security: {
        ...settings.security,
        analystBackendRoles: ['analyst-group-id'],
        allAccess: { backendRoles: ['arn:aws:iam::222222222222:role/aes-siem-opensearch-admin', 'admin-group-id'], users: ['siem-breakglass'] },
        internalUser: { username: 'siem-breakglass', secretId: 'aes-siem/opensearch/break-glass' },
      },
    });
    const steps = desiredSteps(withLogin, []).filter((s) => s.kind === 'internal-user' || s.kind === 'security-role-mapping');
    expect(steps.map((s) => `${s.kind} ${s.path}`)).toEqual([
      'internal-user /_plugins/_security/api/internalusers/siem-breakglass',
      'security-role-mapping /_plugins/_security/api/rolesmapping/siem_loader',
      'security-role-mapping /_plugins/_security/api/rolesmapping/siem_monitor',
      'security-role-mapping /_plugins/_security/api/rolesmapping/siem_analyst',
      'security-role-mapping /_plugins/_security/api/rolesmapping/siem_admin',
      'security-role-mapping /_plugins/_security/api/rolesmapping/all_access',
    ]);
    expect(steps[0]).toMatchObject({ body: { backend_roles: [], attributes: { managed_by: 'siem-opensearch-configurator' } }, secretId: 'aes-siem/opensearch/break-glass' });
    expect(steps.at(-1)!.body).toEqual({ description: 'Managed by siem-opensearch-configurator', backend_roles: ['admin-group-id', 'arn:aws:iam::222222222222:role/aes-siem-opensearch-admin'], hosts: [], users: ['siem-breakglass'] });
    expect(steps.find((s) => s.name === 'siem_analyst')!.body.backend_roles).toEqual(['analyst-group-id']);
    expect(JSON.stringify(desiredSteps(withLogin, []))).not.toMatch(/password/i);
  });

  it('alerting: the SNS channel, then one monitor per enabled name notifying it, with the hash in ui_metadata', () => {
    const alerting = configuratorSettingsSchema.parse({
      ...settings,
      alerting: { channel: { id: 'siem-alert-topic', name: 'aes-siem-alert', topicArn: 'arn:aws:sns:ap-northeast-1:222222222222:aes-siem-alert', roleArn: 'arn:aws:iam::222222222222:role/aes-siem-sns-role' }, monitors: ['root-account-use', 'waf-block-spike'] },
    });
    const steps = desiredSteps(alerting, []).filter((s) => s.kind === 'notification-channel' || s.kind === 'monitor');
    expect(steps.map((s) => `${s.kind} ${s.name}`)).toEqual(['notification-channel siem-alert-topic', 'monitor SIEM: Root account use', 'monitor SIEM: WAF block spike']);
    expect(steps[0]!.body).toEqual({
      config_id: 'siem-alert-topic',
      config: {
        name: 'aes-siem-alert',
        description: 'Alerts of the SIEM to arn:aws:sns:ap-northeast-1:222222222222:aes-siem-alert [siem-opensearch-configurator]',
        config_type: 'sns',
        is_enabled: true,
        sns: { topic_arn: 'arn:aws:sns:ap-northeast-1:222222222222:aes-siem-alert', role_arn: 'arn:aws:iam::222222222222:role/aes-siem-sns-role' },
      },
    });
    const monitor = steps[1]!.body as any;
    expect(monitor.triggers[0].query_level_trigger.actions[0].destination_id).toBe('siem-alert-topic');
    expect(monitor.ui_metadata).toEqual({ siem: { managed_by: 'siem-opensearch-configurator', config_hash: steps[1]!.hash } });
    expect(new Set(desiredSteps({ ...alerting, skip: ['alerting'] }, []).map((s) => s.kind)).has('monitor')).toBe(false);
  });
});
