/**
 * The Cognito login (the example organization uses SAML, planned by example-organization.test.ts) passes
 * `terraform validate` and an offline plan: the user pool, identity pool, group roles and the domain's
 * cognito_options are accepted by the AWS provider.
 */
import { describe, expect, it } from 'vitest';
import { parseOrganization } from '../../accounts/load';
import { offlineValidateAndPlan } from '../../tools/terraform/offline';
import { exampleOrganization, synthesize } from '../helpers/synth';

const org = exampleOrganization();
const { members, ...file } = org;
const cognito = parseOrganization(
  { file: 'organization.yaml', data: { ...file, opensearch: { ...org.opensearch, login: { cognito: { domainPrefix: 'example-siem-login' }, internalUser: { username: 'siem-breakglass' } } } } },
  members.map((m) => ({ file: `members/${m.name}.yaml`, data: m })),
);

describe('Dashboards login with Cognito: terraform validate + offline plan', () => {
  it('central validates and plans every resource for creation', async () => {
    const stack = synthesize(cognito).stacks.central!;
    const result = await offlineValidateAndPlan(stack.dir);
    expect(result.validate.stdout).toContain('The configuration is valid');
    const expected = Object.values(stack.json.resource).reduce((n, byName) => n + Object.keys(byName).length, 0);
    expect(result.plan.stdout).toContain(`Plan: ${expected} to add, 0 to change, 0 to destroy.`);
    const types = new Set((result.planJson.resource_changes ?? []).map((c) => c.type));
    for (const t of ['aws_cognito_user_pool', 'aws_cognito_user_pool_domain', 'aws_cognito_identity_pool', 'aws_cognito_identity_pool_roles_attachment', 'aws_cognito_user_group', 'aws_secretsmanager_secret']) expect(types, t).toContain(t);
  });
});
