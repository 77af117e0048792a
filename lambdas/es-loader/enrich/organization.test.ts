import { describe, expect, it } from 'vitest';
import { docs, pipeline, run } from '../log-types/testing';
import { OrganizationContext, organizationContextFromConfig, organizationContextJson, type OrganizationSource } from './organization';

const ORG: OrganizationSource = {
  security: { accountId: '111111111111' },
  logArchive: { accountId: '222222222222' },
  loader: { trustedProxies: ['198.51.100.0/24'] },
  members: [
    { name: 'workload-prod', accountId: '444444444444', organizationalUnit: 'Root/Workloads/Prod', tags: { team: 'payments', 'cost-center': '1234' } },
    { name: 'sandbox', accountId: '123456789012', tags: {} },
  ],
};
const VPC_KEY = 'AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/21/f.log.gz';
const VPC = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n2 123456789012 eni-1 81.2.69.160 10.0.1.5 49761 443 6 20 4249 1795255200 1795255260 ACCEPT OK\n';

describe('Enrichment: organization context', () => {
  it('builds one deterministic document from accounts/: members by id, tags by key, security and log archive named', () => {
    const ctx = organizationContextFromConfig(ORG);
    expect(ctx).toEqual({
      version: 1,
      accounts: {
        '111111111111': { name: 'security' },
        '123456789012': { name: 'sandbox' },
        '222222222222': { name: 'log-archive' },
        '444444444444': { name: 'workload-prod', organizationalUnit: 'Root/Workloads/Prod', tags: { 'cost-center': '1234', team: 'payments' } },
      },
      trustedProxies: ['198.51.100.0/24'],
    });
    expect(Object.keys(ctx.accounts)).toEqual(['111111111111', '123456789012', '222222222222', '444444444444']);
    expect(organizationContextJson(ctx)).toBe(
      '{\n  "version": 1,\n  "accounts": {\n' +
        '    "111111111111": {"name":"security"},\n' +
        '    "123456789012": {"name":"sandbox"},\n' +
        '    "222222222222": {"name":"log-archive"},\n' +
        '    "444444444444": {"name":"workload-prod","organizationalUnit":"Root/Workloads/Prod","tags":{"cost-center":"1234","team":"payments"}}\n' +
        '  },\n  "trustedProxies": ["198.51.100.0/24"]\n}\n',
    );
  });

  it('adds cloud.account.name, organizational_unit and tags to documents of a known account, and nothing to others', () => {
    const org = OrganizationContext.parse(organizationContextJson(organizationContextFromConfig(ORG)), 'organization-context.json');
    const prod: Record<string, unknown> = { cloud: { account: { id: '444444444444' }, provider: 'aws' } };
    org.enrich(prod);
    expect(prod).toEqual({ cloud: { account: { id: '444444444444', name: 'workload-prod', organizational_unit: 'Root/Workloads/Prod', tags: { 'cost-center': '1234', team: 'payments' } }, provider: 'aws' } });
    const named: Record<string, unknown> = { cloud: { account: { id: '444444444444', name: 'from the log' } } };
    org.enrich(named);
    expect((named.cloud as { account: unknown }).account).toMatchObject({ name: 'from the log', organizational_unit: 'Root/Workloads/Prod' });
    for (const other of [{ cloud: { account: { id: '999999999999' } } }, { cloud: { provider: 'aws' } }, { source: { ip: '81.2.69.160' } }]) {
      const copy = structuredClone(other);
      org.enrich(copy);
      expect(copy).toEqual(other);
    }
  });

  it('is on every document of the pipeline when given, and off when not', async () => {
    const organization = new OrganizationContext(organizationContextFromConfig(ORG));
    const [doc] = docs(await run(pipeline({ organization }), VPC_KEY, VPC));
    expect(doc!._source.cloud).toEqual({ account: { id: '123456789012', name: 'sandbox' }, region: 'us-east-1', provider: 'aws' });
    const [plain] = docs(await run(pipeline(), VPC_KEY, VPC));
    expect(plain!._source.cloud).toEqual({ account: { id: '123456789012' }, region: 'us-east-1', provider: 'aws' });
  });

  it('rejects a malformed context with one line naming the object and the field', () => {
    expect(() => OrganizationContext.parse('{', 's3://geo/OrganizationContext/organization-context.json')).toThrow(/^s3:\/\/geo\/OrganizationContext\/organization-context.json: not JSON \(/);
    expect(() => OrganizationContext.parse('{"version":1,"accounts":{"12":{"name":"x"}}}', 'ctx.json')).toThrow('ctx.json: accounts.12: must be a 12-digit account id');
    expect(() => OrganizationContext.parse('{"version":1,"accounts":{},"trustedProxies":["nope"]}', 'ctx.json')).toThrow('ctx.json: trustedProxies: "nope" is not an IPv4/IPv6 address or CIDR range');
  });

  it('scales to 300 members: about 30 KB as an S3 object (far over the 4 KB of a Lambda environment), parsed in milliseconds', () => {
    const members = Array.from({ length: 300 }, (_, i) => ({
      name: `member-${String(i).padStart(3, '0')}`,
      accountId: String(100000000000 + i),
      organizationalUnit: `Root/Workloads/Team-${i % 20}`,
      tags: { team: `team-${i % 20}`, env: i % 2 ? 'prod' : 'dev' },
    }));
    const text = organizationContextJson(organizationContextFromConfig({ ...ORG, members }));
    expect(text.length).toBeGreaterThan(4096);
    const org = OrganizationContext.parse(text, 'ctx.json');
    expect(org.accountCount).toBe(302);
    const doc: Record<string, unknown> = { cloud: { account: { id: '100000000299' } } };
    org.enrich(doc);
    expect(doc).toEqual({ cloud: { account: { id: '100000000299', name: 'member-299', organizational_unit: 'Root/Workloads/Team-19', tags: { env: 'prod', team: 'team-19' } } } });
  });
});
