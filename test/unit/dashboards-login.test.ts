// Logging in to Dashboards (issue 15): the domain settings per login choice, the role mappings the
// configurator is asked to make, the configuration rules, and that no secret ever appears in the
// synthesized Terraform JSON.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOrganization } from '../../accounts/load';
import type { Organization } from '../../accounts/schema';
import { exampleOrganization, findResource, parsePolicy, resourcesOf, synthesize, type SynthesizedStack } from '../helpers/synth';

const org = exampleOrganization();
const central = (o: Organization = org): SynthesizedStack => synthesize(o).stacks.central!;
const ADMIN_ROLE = 'arn:aws:iam::222222222222:role/aes-siem-opensearch-admin';
const ADMIN_GROUP = '9067c1d2e3-1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const ANALYST_GROUP = '9067c1d2e3-6f7a8b9c-0d1e-4f2a-9b3c-4d5e6f7a8b9c';

function variant(opensearch: Record<string, unknown>): Organization {
  const { members, ...file } = org;
  return parseOrganization({ file: 'organization.yaml', data: { ...file, opensearch: { ...org.opensearch, ...opensearch } } }, members.map((m) => ({ file: `members/${m.name}.yaml`, data: m })));
}
const cognitoOrg = () => variant({ login: { cognito: { domainPrefix: 'example-siem-login' } } });

const domainOf = (s: SynthesizedStack) => Object.values(resourcesOf(s, 'aws_opensearch_domain'))[0]!;
/** The settings the configurator receives (the aws_lambda_invocation input). */
function configuratorInput(s: SynthesizedStack): { settings: { security: Record<string, any>; alerting?: Record<string, any> } } {
  return JSON.parse(Object.values(resourcesOf(s, 'aws_lambda_invocation'))[0]!.input);
}

/** Every string under a key that names a secret (numbers and booleans are policy settings), anywhere in a JSON value, with its path. */
function secretLookingValues(value: unknown, at = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => secretLookingValues(v, `${at}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => (/password|secret_string|secret_binary/i.test(k) && typeof v === 'string' ? [`${at}.${k}`] : secretLookingValues(v, `${at}.${k}`)));
  }
  return [];
}

describe('Dashboards login', () => {
  describe('SAML through IAM Identity Center (the example organization)', () => {
    it('sets the domain SAML options from the configuration', () => {
      const saml = Object.values(resourcesOf(central(), 'aws_opensearch_domain_saml_options'));
      expect(saml).toHaveLength(1);
      const { '//': _metadata, ...options } = saml[0]!;
      expect(options).toEqual({
        domain_name: '${aws_opensearch_domain.opensearch_domain_A5C6F48F.domain_name}',
        saml_options: {
          enabled: true,
          idp: { entity_id: 'https://portal.sso.ap-northeast-1.amazonaws.com/saml/assertion/MjIyMjIyMjIyMjIyX2lucy1leGFtcGxlMTIzNA', metadata_content: org.opensearch.login.saml!.metadataXml },
          roles_key: 'Role',
          session_timeout_minutes: 60,
        },
      });
      expect(saml[0]!.saml_options.idp.metadata_content).toContain('<md:EntityDescriptor');
    });

    it('keeps the IAM master role and enables the internal user database for the break-glass user', () => {
      expect(domainOf(central()).advanced_security_options).toEqual({
        enabled: true,
        anonymous_auth_enabled: false,
        internal_user_database_enabled: true,
        master_user_options: { master_user_arn: ADMIN_ROLE },
      });
      expect(domainOf(central()).cognito_options).toBeUndefined();
    });

    it('asks the configurator to map admin groups to all_access and analyst groups to siem_analyst', () => {
      const sec = configuratorInput(central()).settings.security;
      expect(sec.allAccess).toEqual({ backendRoles: [ADMIN_ROLE, ADMIN_GROUP], users: ['siem-breakglass'] });
      expect(sec.analystBackendRoles).toEqual([ANALYST_GROUP]);
      expect(sec.adminBackendRoles).toEqual([ADMIN_ROLE]);
      expect(sec.internalUser).toEqual({ username: 'siem-breakglass', secretId: 'aes-siem/opensearch/break-glass' });
    });

    it('outputs the Dashboards URL and what the Identity Center SAML application needs', () => {
      const out = central().json.output as Record<string, { value: string }>;
      expect(out.dashboards_url!.value).toBe('https://${aws_opensearch_domain.opensearch_domain_A5C6F48F.dashboard_endpoint}');
      expect(out.saml_sp_entity_id!.value).toBe('https://${aws_opensearch_domain.opensearch_domain_A5C6F48F.endpoint}');
      expect(out.saml_acs_url!.value).toBe('https://${aws_opensearch_domain.opensearch_domain_A5C6F48F.endpoint}/_dashboards/_opendistro/_security/saml/acs');
      expect(out.break_glass_secret!.value).toBe('aes-siem/opensearch/break-glass');
      expect(Object.keys(synthesize(cognitoOrg()).stacks.central!.json.output ?? {})).not.toContain('saml_acs_url');
    });

    it('runs the configurator after the SAML options and the break-glass secret exist', () => {
      const invocation = Object.values(resourcesOf(central(), 'aws_lambda_invocation'))[0]!;
      expect(invocation.depends_on).toEqual(expect.arrayContaining(['aws_opensearch_domain_saml_options.opensearch_saml_B7BE3BC2', 'aws_secretsmanager_secret.dashboards-login_break-glass-secret_5AE5210F']));
    });
  });

  describe('break-glass internal user', () => {
    it('creates the secret without a value, encrypted with the central key', () => {
      const s = central();
      expect(Object.values(resourcesOf(s, 'aws_secretsmanager_secret')).map(({ '//': _metadata, ...r }) => r)).toEqual([
        {
          name: 'aes-siem/opensearch/break-glass',
          description: 'Password of the OpenSearch break-glass user siem-breakglass (generated by the configurator)',
          kms_key_id: '${aws_kms_key.key.arn}',
          recovery_window_in_days: 7,
        },
      ]);
      expect(resourcesOf(s, 'aws_secretsmanager_secret_version')).toEqual({});
    });

    it('lets only the configurator read the secret or put the generated password into it', () => {
      const role = findResource(central(), 'aws_iam_role_policy', (p) => typeof p.role === 'string' && p.role.includes('ops_configurator'));
      const statements = parsePolicy(role.policy).Statement;
      expect(statements).toContainEqual({
        Sid: 'BreakGlassPassword',
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'],
        Resource: 'arn:aws:secretsmanager:ap-northeast-1:222222222222:secret:aes-siem/opensearch/break-glass-??????',
      });
      expect(statements).toContainEqual(expect.objectContaining({ Sid: 'BreakGlassPasswordKey', Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.ap-northeast-1.amazonaws.com' } } }));
    });

    it('no secret value appears anywhere in the synthesized JSON of any stack (SAML, Cognito or none)', () => {
      for (const o of [org, cognitoOrg(), variant({ login: {} })]) {
        const app = synthesize(o);
        for (const stack of Object.values(app.stacks)) {
          const text = fs.readFileSync(path.join(stack.dir, 'cdk.tf.json'), 'utf8');
          expect(secretLookingValues(JSON.parse(text)), stack.name).toEqual([]);
          expect(text).not.toMatch(/aws_secretsmanager_secret_version|master_user_password|"random_password"/);
        }
      }
    });
  });

  describe('Amazon Cognito (the alternative)', () => {
    it('creates a user pool only administrators add users to, its domain, an identity pool and group roles', () => {
      const s = central(cognitoOrg());
      expect(Object.values(resourcesOf(s, 'aws_cognito_user_pool'))[0]).toMatchObject({
        name: 'aes-siem-dashboards',
        admin_create_user_config: { allow_admin_create_user_only: true },
        mfa_configuration: 'OPTIONAL',
        deletion_protection: 'ACTIVE',
      });
      expect(Object.values(resourcesOf(s, 'aws_cognito_user_pool_domain'))[0]).toMatchObject({ domain: 'example-siem-login' });
      expect(Object.values(resourcesOf(s, 'aws_cognito_identity_pool'))[0]).toMatchObject({ identity_pool_name: 'aes_siem_dashboards', allow_unauthenticated_identities: false, lifecycle: { ignore_changes: ['cognito_identity_providers'] } });
      expect(Object.values(resourcesOf(s, 'aws_cognito_user_group')).map((g) => [g.name, g.role_arn])).toEqual([
        ['admin', '${aws_iam_role.dashboards-login_admin-role_02B312C9.arn}'],
        ['analyst', '${aws_iam_role.dashboards-login_analyst-role_9FEF062F.arn}'],
      ]);
      const analyst = findResource(s, 'aws_iam_role', (r) => r.name === 'aes-siem-dashboards-analyst');
      expect(parsePolicy(analyst.assume_role_policy).Statement[0]).toMatchObject({
        Principal: { Federated: 'cognito-identity.amazonaws.com' },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' } },
      });
    });

    it('sets the domain cognito_options, no SAML, no internal user database', () => {
      const s = central(cognitoOrg());
      const d = domainOf(s);
      expect(d.cognito_options).toEqual({
        enabled: true,
        user_pool_id: '${aws_cognito_user_pool.dashboards-login_user-pool_AF89F859.id}',
        identity_pool_id: '${aws_cognito_identity_pool.dashboards-login_identity-pool_435C668D.id}',
        role_arn: '${aws_iam_role.dashboards-login_cognito-access-role_4435E04A.arn}',
      });
      expect(d.advanced_security_options.internal_user_database_enabled).toBe(false);
      expect(resourcesOf(s, 'aws_opensearch_domain_saml_options')).toEqual({});
      expect(findResource(s, 'aws_iam_role_policy_attachment', (a) => a.role.includes('cognito-access-role')).policy_arn).toBe('arn:aws:iam::aws:policy/AmazonOpenSearchServiceCognitoAccess');
    });

    it('maps the admin group role to all_access and the analyst group role to siem_analyst', () => {
      const sec = configuratorInput(central(cognitoOrg())).settings.security;
      expect(sec.allAccess).toEqual({ backendRoles: [ADMIN_ROLE, 'arn:aws:iam::222222222222:role/aes-siem-dashboards-admin'], users: [] });
      expect(sec.analystBackendRoles).toEqual(['arn:aws:iam::222222222222:role/aes-siem-dashboards-analyst']);
      expect(sec.internalUser).toBeUndefined();
    });
  });

  it('without a login section only IAM principals get in: no SAML, Cognito, internal users or extra mappings', () => {
    const s = central(variant({ login: {} }));
    expect(domainOf(s).advanced_security_options.internal_user_database_enabled).toBe(false);
    expect(resourcesOf(s, 'aws_opensearch_domain_saml_options')).toEqual({});
    expect(resourcesOf(s, 'aws_cognito_user_pool')).toEqual({});
    expect(resourcesOf(s, 'aws_secretsmanager_secret')).toEqual({});
    expect(configuratorInput(s).settings.security.allAccess).toEqual({ backendRoles: [ADMIN_ROLE], users: [] });
  });

  it('VPC domain with SAML: the access policy lets unsigned browser requests in (the VPC decides who reaches it)', () => {
    const s = central(variant({ network: { mode: 'vpc', subnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'], securityGroupIds: ['sg-0a1b2c3d4e5f60001'] } }));
    expect(parsePolicy(domainOf(s).access_policies).Statement).toContainEqual({ Sid: 'DashboardsLoginInVpc', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'es:ESHttp*', Resource: 'arn:aws:es:ap-northeast-1:222222222222:domain/aes-siem/*' });
  });

  describe('configuration rules (one line naming the file and field)', () => {
    const saml = org.opensearch.login.saml!;
    it.each<[string, Record<string, unknown>, string]>([
      ['SAML and Cognito together', { login: { saml, cognito: { domainPrefix: 'example-siem-login' } } }, 'organization.yaml: opensearch.login.cognito: opensearch.login.saml is set too; OpenSearch Service takes SAML or Cognito for Dashboards, not both. Keep one'],
      [
        'an entity id that is not the metadata\'s',
        { login: { saml: { ...saml, entityId: 'https://portal.sso.us-east-1.amazonaws.com/saml/assertion/OTHER' } } },
        'organization.yaml: opensearch.login.saml.entityId: is "https://portal.sso.us-east-1.amazonaws.com/saml/assertion/OTHER" but the metadata\'s entityID is "https://portal.sso.ap-northeast-1.amazonaws.com/saml/assertion/MjIyMjIyMjIyMjIyX2lucy1leGFtcGxlMTIzNA"; OpenSearch rejects assertions whose issuer differs. Use the metadata\'s value',
      ],
      ['metadata that is not SAML metadata', { login: { saml: { ...saml, metadataXml: '<html>login</html>' } } }, "organization.yaml: opensearch.login.saml.metadataXml: must be the identity provider's SAML metadata XML (an <EntityDescriptor> document)"],
      [
        'SAML on a public endpoint without allowed networks',
        { network: { mode: 'public', allowedCidrs: [] } },
        'organization.yaml: opensearch.network.allowedCidrs: is empty, so the domain answers only signed IAM requests and nobody could log in with opensearch.login.saml. List the networks Dashboards users come from, or use network mode "vpc"',
      ],
      ['a Cognito domain prefix with a reserved word', { login: { cognito: { domainPrefix: 'my-cognito-login' } } }, 'organization.yaml: opensearch.login.cognito.domainPrefix: must not contain "aws", "amazon" or "cognito" (reserved by Cognito)'],
      ['SAML without admin groups', { login: { saml: { ...saml, adminGroups: [] } } }, 'organization.yaml: opensearch.login.saml.adminGroups: must list at least one group, or nobody could administer OpenSearch from Dashboards'],
    ])('refuses %s', (_what, patch, message) => {
      expect(() => variant(patch)).toThrow(message);
    });
  });
});
