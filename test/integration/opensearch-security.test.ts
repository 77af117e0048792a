// The security plugin of the local OpenSearch (test/servers/opensearch.ts) enforces TLS, basic auth
// and fine-grained roles, so tests of roles and role mappings can rely on real allow/deny answers.
// Uses the shared node when it runs with security (SIEM_TEST_OPENSEARCH_SECURITY=1), else starts
// its own secured node for this file.
import { randomUUID } from 'node:crypto';
import { Client } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
