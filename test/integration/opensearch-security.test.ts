// The security plugin of the local OpenSearch (test/servers/opensearch.ts) enforces TLS, basic auth
// and fine-grained roles, so tests of roles and role mappings can rely on real allow/deny answers.
// Uses the shared node when it runs with security (SIEM_TEST_OPENSEARCH_SECURITY=1), else starts
// its own secured node for this file.
//
// "Dashboards login" (issue 15): the role mappings and the break-glass user the configurator sends for
// a login configuration, applied to this node and checked with real allow/deny answers. Internal users
// carrying the SAML group ids as backend roles stand in for users logging in through SAML (OpenSearch
// maps a SAML assertion's roles_key values to backend roles the same way).
import { randomUUID } from 'node:crypto';
import { Client } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySteps, type PasswordSource } from '../../lambdas/opensearch-configurator/configurator';
import { configuratorSettingsSchema, desiredSteps } from '../../lambdas/opensearch-configurator/desired-state';
import { openSearchClientOptions, serversInfo } from '../servers/clients';
import { startOpenSearch, type OpenSearchInfo, type RunningOpenSearch } from '../servers/opensearch';

let own: RunningOpenSearch | undefined;
let node: OpenSearchInfo;
let admin: Client;

/** Status code of a request (errors of the client carry it in meta). */
async function statusOf(call: Promise<{ statusCode: number | null }>): Promise<number | null> {
  try {
    return (await call).statusCode;
  } catch (error) {
    return (error as { meta?: { statusCode?: number } }).meta?.statusCode ?? null;
  }
}

beforeAll(async () => {
  const shared = serversInfo();
  if (shared.opensearch.security) {
    node = shared.opensearch;
  } else {
    own = await startOpenSearch({ security: true, heap: '512m' });
    node = own.info;
  }
  admin = new Client(openSearchClientOptions({ ...shared, opensearch: node }));
});

afterAll(async () => {
  await admin?.close();
  await own?.stop();
});

describe('OpenSearch with the security plugin', () => {
  it('serves https with basic auth and turns away anonymous or wrong-password requests', async () => {
    expect(node.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(node.security).toBe(true);
    const options = openSearchClientOptions({ ...serversInfo(), opensearch: node });
    const anonymous = new Client({ ...options, auth: undefined });
    const wrong = new Client({ ...options, auth: { username: 'admin', password: 'not-the-password' } });
    expect(await statusOf(anonymous.info())).toBe(401);
    expect(await statusOf(wrong.info())).toBe(401);
    expect(await statusOf(admin.info())).toBe(200);
    await Promise.all([anonymous.close(), wrong.close()]);
  });

  it('grants a mapped user exactly the index permissions of its role', async () => {
    const suffix = randomUUID().replace(/-/g, '').slice(0, 12);
    const role = `writer_${suffix}`;
    const user = `loader_${suffix}`;
    const password = `Pw-${randomUUID()}`;
    await admin.transport.request({
      method: 'PUT',
      path: `/_plugins/_security/api/roles/${role}`,
      body: {
        cluster_permissions: ['cluster_composite_ops'],
        index_permissions: [{ index_patterns: [`log-${suffix}-*`], allowed_actions: ['crud', 'create_index'] }],
      },
    });
    await admin.transport.request({
      method: 'PUT',
      path: `/_plugins/_security/api/internalusers/${user}`,
      body: { password, backend_roles: [`backend-${suffix}`] },
    });
    await admin.transport.request({
      method: 'PUT',
      path: `/_plugins/_security/api/rolesmapping/${role}`,
      body: { backend_roles: [`backend-${suffix}`] },
    });
    const mapping = await admin.transport.request({ method: 'GET', path: `/_plugins/_security/api/rolesmapping/${role}` });
    expect(mapping.body).toEqual({ [role]: expect.objectContaining({ backend_roles: [`backend-${suffix}`] }) });

    const loader = new Client({
      ...openSearchClientOptions({ ...serversInfo(), opensearch: node }),
      auth: { username: user, password },
    });
    expect(await statusOf(loader.index({ index: `log-${suffix}-a`, id: '1', body: { ok: true } }))).toBe(201);
    expect(await statusOf(loader.index({ index: `other-${suffix}`, id: '1', body: { ok: true } }))).toBe(403);
    await loader.close();
  });
});

describe('Dashboards login: the role mappings the configurator sends (secured OpenSearch)', () => {
  const ADMIN_GROUP = '9067c1d2e3-1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
  const ANALYST_GROUP = '9067c1d2e3-6f7a8b9c-0d1e-4f2a-9b3c-4d5e6f7a8b9c';
  const suffix = randomUUID().replace(/-/g, '').slice(0, 8);
  const index = `log-aws-logintest${suffix}-2099-01`;
  // The login the example organization configures: SAML groups and a break-glass user. The test node's
  // admin reaches all_access through the backend role "admin" (like the master role ARN on AWS), so it
  // stays in the all_access mapping the configurator writes whole.
  const settings = configuratorSettingsSchema.parse({
    indexRetentionDays: 365,
    security: {
      loaderRoleArns: ['arn:aws:iam::222222222222:role/aes-siem-es-loader-role'],
      analystBackendRoles: [ANALYST_GROUP],
      adminBackendRoles: ['arn:aws:iam::222222222222:role/aes-siem-opensearch-admin'],
      allAccess: { backendRoles: ['admin', ADMIN_GROUP], users: ['siem-breakglass'] },
      internalUser: { username: 'siem-breakglass', secretId: 'aes-siem/opensearch/break-glass' },
    },
  });
  const steps = desiredSteps(settings, []);
  // Secrets Manager stand-in: the secret's current value and version (break-glass.ts in AWS).
  let secret = { password: `Bg-${randomUUID()}-Aa1!`, versionId: 'v1' };
  const passwords: PasswordSource = async () => secret;
  let allAccessBefore: Record<string, unknown>;
  const users: string[] = [];
  const clientAs = (username: string, password: string) => new Client({ ...openSearchClientOptions({ ...serversInfo(), opensearch: node }), auth: { username, password } });
  /** An internal user carrying a SAML group as its backend role: what a SAML login of that group becomes. */
  async function samlUser(group: string): Promise<Client> {
    const name = `saml-${group.slice(-6)}-${suffix}`;
    const password = `Pw-${randomUUID()}-Aa1!`;
    await admin.transport.request({ method: 'PUT', path: `/_plugins/_security/api/internalusers/${name}`, body: { password, backend_roles: [group] } });
    users.push(name);
    return clientAs(name, password);
  }

  beforeAll(async () => {
    allAccessBefore = ((await admin.transport.request({ method: 'GET', path: '/_plugins/_security/api/rolesmapping/all_access' })).body as Record<string, Record<string, unknown>>).all_access!;
    await admin.index({ index, id: '1', body: { '@timestamp': '2099-01-01T00:00:00Z', event: { action: 'ConsoleLogin' } }, refresh: true });
  });

  afterAll(async () => {
    // Give the node its own all_access mapping back, then remove what the test created.
    const { reserved: _r, hidden: _h, static: _s, ...mapping } = allAccessBefore as Record<string, unknown>;
    await admin?.transport.request({ method: 'PUT', path: '/_plugins/_security/api/rolesmapping/all_access', body: mapping }).catch(() => undefined);
    for (const u of [...users, 'siem-breakglass']) await admin?.transport.request({ method: 'DELETE', path: `/_plugins/_security/api/internalusers/${u}` }).catch(() => undefined);
    await admin?.indices.delete({ index, ignore_unavailable: true }).catch(() => undefined);
  });

  it('creates the break-glass user and the mappings, then changes nothing on a second run', async () => {
    const first = await applySteps(admin, steps, undefined, { passwords });
    expect(first.find((r) => r.kind === 'internal-user')).toEqual({ kind: 'internal-user', name: 'siem-breakglass', action: 'created' });
    const allAccess = ((await admin.transport.request({ method: 'GET', path: '/_plugins/_security/api/rolesmapping/all_access' })).body as any).all_access;
    expect({ backend_roles: allAccess.backend_roles, users: allAccess.users }).toEqual({ backend_roles: [ADMIN_GROUP, 'admin'], users: ['siem-breakglass'] });
    const analyst = ((await admin.transport.request({ method: 'GET', path: '/_plugins/_security/api/rolesmapping/siem_analyst' })).body as any).siem_analyst;
    expect(analyst.backend_roles).toEqual([ANALYST_GROUP]);
    const user = ((await admin.transport.request({ method: 'GET', path: '/_plugins/_security/api/internalusers/siem-breakglass' })).body as any)['siem-breakglass'];
    expect(user.attributes).toEqual({ managed_by: 'siem-opensearch-configurator', secret_version: 'v1' });
    expect((await applySteps(admin, steps, undefined, { passwords })).map((r) => r.action)).toEqual(steps.map(() => 'unchanged'));
  });

  it('an analyst (SAML analyst group) reads log-*, cannot write it, cannot read the security index or its API', async () => {
    const analyst = await samlUser(ANALYST_GROUP);
    expect(await statusOf(analyst.search({ index: 'log-*' }))).toBe(200);
    expect(((await analyst.search({ index })).body.hits.total as { value: number }).value).toBe(1);
    expect(await statusOf(analyst.index({ index, id: '2', body: { x: 1 } }))).toBe(403);
    expect(await statusOf(analyst.delete({ index, id: '1' }))).toBe(403);
    expect(await statusOf(analyst.search({ index: '.opendistro_security' }))).toBe(403);
    expect(await statusOf(analyst.transport.request({ method: 'GET', path: '/_plugins/_security/api/rolesmapping' }))).toBe(403);
    expect(await statusOf(analyst.transport.request({ method: 'GET', path: '/_plugins/_security/api/internalusers' }))).toBe(403);
    await analyst.close();
  });

  it('an administrator (SAML admin group) has all_access: writes any index', async () => {
    const adminUser = await samlUser(ADMIN_GROUP);
    const info = (await adminUser.transport.request({ method: 'GET', path: '/_plugins/_security/authinfo' })).body as { roles: string[] };
    expect(info.roles).toContain('all_access');
    expect(await statusOf(adminUser.index({ index: `other-logintest${suffix}`, id: '1', body: { x: 1 } }))).toBe(201);
    await admin.indices.delete({ index: `other-logintest${suffix}`, ignore_unavailable: true });
    await adminUser.close();
  });

  it('the break-glass user logs in with the password from the secret; a new secret version replaces it', async () => {
    const before = secret.password;
    const breakGlass = clientAs('siem-breakglass', before);
    const info = (await breakGlass.transport.request({ method: 'GET', path: '/_plugins/_security/authinfo' })).body as { roles: string[]; user_name: string };
    expect(info).toMatchObject({ user_name: 'siem-breakglass' });
    expect(info.roles).toContain('all_access');
    await breakGlass.close();

    secret = { password: `Bg-${randomUUID()}-Aa1!`, versionId: 'v2' };
    const rerun = await applySteps(admin, steps, undefined, { passwords });
    expect(rerun.filter((r) => r.action !== 'unchanged')).toEqual([{ kind: 'internal-user', name: 'siem-breakglass', action: 'updated' }]);
    const old = clientAs('siem-breakglass', before);
    const fresh = clientAs('siem-breakglass', secret.password);
    expect(await statusOf(old.info())).toBe(401);
    expect(await statusOf(fresh.info())).toBe(200);
    await Promise.all([old.close(), fresh.close()]);
  });
});
