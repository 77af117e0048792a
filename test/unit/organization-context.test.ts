import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { App, TerraformStack, Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { parseOrganization } from '../../accounts/load';
import type { Organization } from '../../accounts/schema';
import { OrganizationContext, organizationContextFromConfig, organizationContextJson } from '../../lambdas/es-loader/enrich/organization';
import { OrganizationContextObject } from '../../modules/organization-context';
import { CentralStack } from '../../stacks/central-stack';
import { exampleOrganization, resourcesOf, type SynthesizedStack } from '../helpers/synth';
import { accountsWith, problemLines } from '../helpers/accounts';

/** The example organization with `count` generated members (each with an OU and two tags) and loader settings. */
function organization(count: number, loader: Record<string, unknown> = {}): Organization {
  const { members: _members, ...file } = exampleOrganization();
  const members = Array.from({ length: count }, (_, i) => ({
    file: `members/member-${String(i + 1).padStart(3, '0')}.yaml`,
    data: {
      name: `member-${String(i + 1).padStart(3, '0')}`,
      accountId: String(700000000000 + i + 1),
      regions: ['ap-northeast-1'],
      organizationalUnit: `Root/Workloads/Team-${i % 20}`,
      tags: { team: `team-${i % 20}`, env: i % 2 ? 'prod' : 'dev' },
    },
  }));
  return parseOrganization({ file: 'organization.yaml', data: { ...file, loader: { ...file.loader, ...loader } } }, members);
}

function central(org: Organization): SynthesizedStack {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'siem-orgctx-'));
  const app = new App({ outdir });
  new CentralStack(app, 'central', { org });
  app.synth();
  return { name: 'central', dir: path.join(outdir, 'stacks', 'central'), json: JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'central', 'cdk.tf.json'), 'utf8')) };
}
const loaderEnv = (stack: SynthesizedStack) => Object.values(resourcesOf(stack, 'aws_lambda_function')).find((f) => f.function_name === 'aes-siem-es-loader')!.environment.variables as Record<string, string>;

describe('central stack: organization context for the loader', () => {
  it('writes the context of 300 members as one S3 object in the geo bucket (visible in the plan) and only its key and hash into the environment', () => {
    const stack = central(organization(300, { trustedProxies: ['198.51.100.0/24'] }));
    const objects = Object.values(resourcesOf(stack, 'aws_s3_object'));
    expect(objects).toHaveLength(1);
    const object = objects[0]!;
    expect(object).toMatchObject({ key: 'OrganizationContext/organization-context.json', content_type: 'application/json', server_side_encryption: 'aws:kms' });
    expect(object.bucket).toMatch(/^\$\{aws_s3_bucket\.geo-bucket_[0-9A-F]+\.id\}$/);
    // 300 members with an OU and tags are far over Lambda's 4 KB environment.
    expect(object.content.length).toBeGreaterThan(25_000);
    const ctx = OrganizationContext.parse(object.content, 'plan');
    expect(ctx.accountCount).toBe(302);
    const doc: Record<string, unknown> = { cloud: { account: { id: '700000000300' } } };
    ctx.enrich(doc);
    expect(doc).toEqual({ cloud: { account: { id: '700000000300', name: 'member-300', organizational_unit: 'Root/Workloads/Team-19', tags: { env: 'prod', team: 'team-19' } } } });
    expect(JSON.parse(object.content).trustedProxies).toEqual(['198.51.100.0/24']);

    const env = loaderEnv(stack);
    expect(env.ORGANIZATION_CONTEXT_KEY).toBe('OrganizationContext/organization-context.json');
    expect(env.ORGANIZATION_CONTEXT_SHA256).toMatch(/^[0-9a-f]{64}$/);
    expect(Buffer.byteLength(Object.entries(env).map(([k, v]) => k + v).join(''))).toBeLessThan(4096);
  });

  it('is deterministic: the object is the accounts/ content in account-id order, the hash is its SHA-256', () => {
    const org = organization(3);
    const stack = central(org);
    const content = Object.values(resourcesOf(stack, 'aws_s3_object'))[0]!.content as string;
    expect(content).toBe(organizationContextJson(organizationContextFromConfig(org)));
    expect(Object.keys(JSON.parse(content).accounts)).toEqual(['222222222222', '333333333333', '700000000001', '700000000002', '700000000003']);
    expect(loaderEnv(stack).ORGANIZATION_CONTEXT_SHA256).toBe(createHash('sha256').update(content).digest('hex'));
  });

  it('loader.organizationContext: false writes no accounts, and no object at all without trusted proxies', () => {
    const proxiesOnly = central(organization(3, { organizationContext: false, trustedProxies: ['2001:db8::/32'] }));
    const [object] = Object.values(resourcesOf(proxiesOnly, 'aws_s3_object'));
    expect(JSON.parse(object!.content)).toEqual({ version: 1, accounts: {}, trustedProxies: ['2001:db8::/32'] });

    const app = Testing.app();
    const stack = new TerraformStack(app, 'ctx');
    const env: Record<string, string> = {};
    new OrganizationContextObject(stack, 'ctx', { organization: organization(3, { organizationContext: false }), bucket: { name: 'geo', resourceId: 'geo' }, keyArn: 'arn:aws:kms:ap-northeast-1:222222222222:key/x', loader: { addEnvironment: (v) => Object.assign(env, v) } });
    expect(JSON.parse(Testing.synth(stack)).resource?.aws_s3_object).toBeUndefined();
    expect(env).toEqual({});
  });

  it('rejects a bad trusted proxy, OU path or tag in accounts/ with one line naming file and field', () => {
    const orgYaml = fs.readFileSync(path.resolve(__dirname, '../../accounts/organization.yaml'), 'utf8').replace(/^loader:\n/m, 'loader:\n  trustedProxies: ["10.0.0.0/40"]\n');
    const sandbox = `${fs.readFileSync(path.resolve(__dirname, '../../accounts/members/sandbox.yaml'), 'utf8')}organizationalUnit: /Root\ntags:\n  "team!": payments\n`;
    expect(problemLines(accountsWith({ 'organization.yaml': orgYaml, 'members/sandbox.yaml': sandbox }))).toEqual(
      [
        'organization.yaml: loader.trustedProxies[0]: must be an IPv4/IPv6 address or CIDR range such as 192.0.2.0/24 or 2001:db8::/32, got "10.0.0.0/40"',
        'sandbox.yaml: organizationalUnit: must be an OU path such as "Root/Workloads/Prod" (names separated by /)',
        'sandbox.yaml: tags.team!: must be an AWS tag key: 1-128 letters, digits, spaces and _ . : / = + - @',
      ],
    );
  });
});
