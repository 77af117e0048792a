/**
 * OpenSearch configurator against the real local OpenSearch: templates, ISM policies and FGAC roles
 * exist with the expected content after one run, a second run changes nothing, a rejected setting
 * fails naming the step and OpenSearch's reason.
 *
 * FGAC roles run against a secured node of this file's own (or the shared node when it is secured).
 * ISM needs the index-management plugin, which is not published on Maven Central: the ISM test runs
 * only against a server that has it; otherwise the policies are checked as the JSON the configurator
 * sends (lambdas/opensearch-configurator/desired-state.test.ts).
 *
 * Alerting (issue 15): the Notifications and Alerting plugins are not published on Maven Central and
 * cannot run here. The SNS channel and the monitors are therefore sent to a local HTTP endpoint that
 * records every request and answers as the plugins' REST APIs document; the tests assert the exact
 * requests (method, path, body), not that OpenSearch would run the monitors.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySteps, ConfiguratorError } from '../../lambdas/opensearch-configurator/configurator';
import { configuratorSettingsSchema, desiredSteps, ROLE_NAMES, type ConfiguratorSettingsInput, type TemplateDefinition } from '../../lambdas/opensearch-configurator/desired-state';
import { monitorDefinition } from '../../lambdas/opensearch-configurator/monitors';
import { loaderTemplates } from '../../lambdas/opensearch-configurator/loader-templates';
import { Client as OpenSearchClient } from '@opensearch-project/opensearch';
import { openSearchClient, openSearchClientOptions, serversInfo } from '../servers/clients';
import { startOpenSearch, type RunningOpenSearch } from '../servers/opensearch';

const info = serversInfo();
const haveIsm = info.opensearch.ism;
const haveSecurity = info.opensearch.security;
let client: Client;

const baseSettings: ConfiguratorSettingsInput = {
  indexRetentionDays: 365,
  snapshot: { repository: 'siem-snapshot', bucket: 'aes-siem-222222222222-snapshot', region: 'ap-northeast-1', roleArn: 'arn:aws:iam::222222222222:role/aes-siem-snapshot-role' },
  security: {
    loaderRoleArns: ['arn:aws:iam::222222222222:role/aes-siem-es-loader-role'],
    monitorRoleArns: ['arn:aws:iam::222222222222:role/aes-siem-index-metrics-exporter-role'],
    analystBackendRoles: ['arn:aws:iam::222222222222:role/siem-analysts'],
    adminBackendRoles: ['arn:aws:iam::222222222222:role/aes-siem-opensearch-admin'],
  },
  // The local server has no `s3` repository type (repository-s3 plugin); ISM/FGAC only with their plugins.
  skip: ['snapshot-repository', ...(haveIsm ? [] : (['ism'] as const)), ...(haveSecurity ? [] : (['security'] as const))],
};
const settings = configuratorSettingsSchema.parse(baseSettings);
const templates: TemplateDefinition[] = loaderTemplates();

async function get(path: string): Promise<any> {
  return (await client.transport.request({ method: 'GET', path })).body;
}

beforeAll(() => {
  client = openSearchClient();
});

afterAll(async () => {
  for (const path of ['/_index_template/ops-test', '/_component_template/ops-test-component', '/_index_template/ops-bad']) {
    await client.transport.request({ method: 'DELETE', path }).catch(() => undefined);
  }
});

describe('Function: opensearch-configurator (real OpenSearch)', () => {
  it('creates every component and index template of the loader, then leaves them alone', async () => {
    const steps = desiredSteps(settings, templates);
    // Start from a cluster without them (earlier test files may have let the loader install some, also
    // for user.ini log types: those index templates use the same components, which cannot be deleted
    // while any index template is composed of them).
    const components = new Set(steps.filter((x) => x.kind === 'component-template').map((x) => x.name));
    const existing = (await get('/_index_template')).index_templates as Array<{ name: string; index_template: { composed_of?: string[] } }>;
    const users = existing.filter((t) => (t.index_template.composed_of ?? []).some((c) => components.has(c))).map((t) => `/_index_template/${t.name}`);
    for (const path of new Set([...steps.filter((x) => x.kind === 'index-template').map((x) => x.path), ...users]))
      await client.transport.request({ method: 'DELETE', path }).catch(() => undefined);
    for (const s of steps.filter((x) => x.kind === 'component-template')) await client.transport.request({ method: 'DELETE', path: s.path }).catch(() => undefined);
    const first = await applySteps(client, steps);
    const templateResults = first.filter((r) => r.kind === 'index-template' || r.kind === 'component-template');
    expect(templateResults.length).toBe(templates.length);
    expect(templateResults.map((r) => r.action)).toEqual(templates.map(() => 'created'));

    // Stored content: the loader's body plus the configurator's _meta.
    for (const t of templates) {
      const isIndex = t.body.index_patterns !== undefined;
      const got = isIndex ? (await get(`/_index_template/${t.name}`)).index_templates[0].index_template : (await get(`/_component_template/${t.name}`)).component_templates[0].component_template;
      expect(got._meta).toMatchObject({ managed_by: 'siem-opensearch-configurator', config_hash: expect.stringMatching(/^[0-9a-f]{16}$/) });
      if (isIndex) expect(got.index_patterns).toEqual(t.body.index_patterns);
      const mappings = ((t.body.template as Record<string, unknown> | undefined)?.mappings ?? undefined) as { properties?: Record<string, unknown> } | undefined;
      if (mappings?.properties) expect(Object.keys(got.template.mappings.properties).sort()).toEqual(Object.keys(mappings.properties).sort());
    }

    const snapshotBefore = JSON.stringify(await get('/_index_template'));
    const second = await applySteps(client, steps);
    expect(second.map((r) => r.action)).toEqual(second.map(() => 'unchanged'));
    expect(JSON.stringify(await get('/_index_template'))).toBe(snapshotBefore);
  });

  it('an index created after the run gets the ECS mapping of its template', async () => {
    const ct = templates.find((t) => Array.isArray(t.body.index_patterns) && (t.body.index_patterns as string[]).some((p) => p.startsWith('log-aws-cloudtrail')));
    expect(ct, 'the loader has a CloudTrail index template').toBeDefined();
    await client.indices.create({ index: 'log-aws-cloudtrail-2099-01' });
    const mapping = (await get('/log-aws-cloudtrail-2099-01/_mapping'))['log-aws-cloudtrail-2099-01'].mappings;
    expect(mapping.properties['@timestamp'].type).toBe('date');
    expect(mapping.properties.source.properties.ip.type).toBe('ip');
    await client.indices.delete({ index: 'log-aws-cloudtrail-2099-01' });
  });

  it('updates a template whose content changed and reports it', async () => {
    const own: TemplateDefinition[] = [
      { name: 'ops-test-component', body: { template: { mappings: { properties: { 'ops.value': { type: 'keyword' } } } } } },
      { name: 'ops-test', body: { index_patterns: ['ops-test-*'], composed_of: ['ops-test-component'], priority: 5, template: { settings: { number_of_shards: 1 } } } },
    ];
    const only = { ...settings, skip: ['snapshot-repository', 'ism', 'security'] as const };
    expect((await applySteps(client, desiredSteps({ ...only, skip: [...only.skip] }, own))).map((r) => r.action)).toEqual(['created', 'created']);
    own[1] = { name: 'ops-test', body: { ...own[1]!.body, priority: 6 } };
    expect((await applySteps(client, desiredSteps({ ...only, skip: [...only.skip] }, own))).map((r) => `${r.name}:${r.action}`)).toEqual(['ops-test-component:unchanged', 'ops-test:updated']);
    expect((await get('/_index_template/ops-test')).index_templates[0].index_template.priority).toBe(6);
  });

  it('fails naming the step and OpenSearch\'s reason when a setting is rejected', async () => {
    const bad: TemplateDefinition[] = [{ name: 'ops-bad', body: { index_patterns: ['ops-bad-*'], template: { settings: { number_of_shards: 0 } } } }];
    const err = await applySteps(client, desiredSteps({ ...settings, skip: ['snapshot-repository', 'ism', 'security'] }, bad)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfiguratorError);
    expect((err as Error).message).toMatch(/^Step index-template "ops-bad" failed: PUT \/_index_template\/ops-bad: OpenSearch rejected it: HTTP 400: /);
    expect((err as Error).message).toContain('index.number_of_shards');
  });

  it('sends the snapshot repository registration AWS documents (type s3, bucket, region, role_arn)', () => {
    const step = desiredSteps({ ...settings, skip: [] }, []).find((s) => s.kind === 'snapshot-repository');
    expect(step).toEqual({
      kind: 'snapshot-repository',
      name: 'siem-snapshot',
      path: '/_snapshot/siem-snapshot',
      body: {
        type: 's3',
        settings: { bucket: 'aes-siem-222222222222-snapshot', base_path: 'snapshots', region: 'ap-northeast-1', role_arn: 'arn:aws:iam::222222222222:role/aes-siem-snapshot-role', server_side_encryption: true },
      },
      hash: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
  });

  it('the Lambda handler applies the invocation input Terraform sends and reports counts', async () => {
    const os = info.opensearch;
    Object.assign(process.env, {
      OPENSEARCH_ENDPOINT: os.url,
      OPENSEARCH_AUTH: os.username ? 'basic' : 'none',
      ...(os.username ? { OPENSEARCH_USERNAME: os.username, OPENSEARCH_PASSWORD: os.password } : {}),
    });
    const { handler } = await import('../../lambdas/opensearch-configurator/index');
    const input = { desiredStateHash: 'from-terraform', settings: { ...baseSettings, skip: ['snapshot-repository', 'ism', 'security'] } };
    const first = await handler(input);
    expect(first.requestedHash).toBe('from-terraform');
    expect(first.desiredStateHash).toMatch(/^[0-9a-f]{64}$/);
    expect(first.results.length).toBe(templates.length);
    const second = await handler(input);
    expect(second.counts).toEqual({ created: 0, updated: 0, unchanged: templates.length });
    await expect(handler({ settings: { indexRetentionDays: 0 } })).rejects.toThrow(/^Invalid invocation input: settings.indexRetentionDays: /);
  });

  it.runIf(haveIsm)('creates one ISM policy per index family with the retention, unchanged on a second run', async () => {
    const steps = desiredSteps(settings, templates).filter((s) => s.kind === 'ism-policy');
    expect(steps.length).toBeGreaterThan(0);
    await applySteps(client, steps);
    const policy = (await get(`/_plugins/_ism/policies/${steps[0]!.name}`)).policy;
    expect(policy.default_state).toBe('hot');
    expect(policy.states.map((s: { name: string }) => s.name)).toEqual(['hot', 'delete']);
    expect(policy.states[0].transitions[0]).toEqual({ state_name: 'delete', conditions: { min_index_age: '365d' } });
    expect((await applySteps(client, steps)).every((r) => r.action === 'unchanged')).toBe(true);
  });

});

// The shared node runs without the security plugin (the loader tests talk plain HTTP); FGAC roles are
// checked on a secured node of their own, so that CI exercises them with real allow/deny answers.
describe('Function: opensearch-configurator (secured OpenSearch: FGAC roles)', () => {
  let own: RunningOpenSearch | undefined;
  let secured: Client;
  let securedOptions: ReturnType<typeof openSearchClientOptions>;
  const securedSettings = configuratorSettingsSchema.parse({ ...baseSettings, skip: ['snapshot-repository', 'ism'] });
  const getSecured = async (path: string): Promise<any> => (await secured.transport.request({ method: 'GET', path })).body;

  beforeAll(async () => {
    let node = info.opensearch;
    if (!haveSecurity) {
      own = await startOpenSearch({ security: true, heap: '512m' });
      node = own.info;
    }
    securedOptions = openSearchClientOptions({ ...info, opensearch: node });
    secured = new OpenSearchClient(securedOptions);
  });

  afterAll(async () => {
    await secured?.close();
    await own?.stop();
  });

  it('creates the FGAC roles and mappings, unchanged on a second run', async () => {
    const steps = desiredSteps(securedSettings, []).filter((s) => s.kind.startsWith('security'));
    for (const s of [...steps].reverse()) await secured.transport.request({ method: 'DELETE', path: s.path }).catch(() => undefined);
    expect((await applySteps(secured, steps)).map((r) => r.action)).toEqual(steps.map(() => 'created'));
    const loader = (await getSecured(`/_plugins/_security/api/roles/${ROLE_NAMES.loader}`))[ROLE_NAMES.loader];
    expect(loader.index_permissions).toEqual([{ index_patterns: ['log-*', 'metrics-*'], fls: [], masked_fields: [], allowed_actions: ['create_index', 'write', 'indices:admin/mapping/put', 'indices_monitor'] }]);
    const analyst = (await getSecured(`/_plugins/_security/api/roles/${ROLE_NAMES.analyst}`))[ROLE_NAMES.analyst];
    expect(analyst.index_permissions[0].allowed_actions).toEqual(['read', 'indices:admin/mappings/get', 'indices:admin/resolve/index']);
    const mapping = (await getSecured(`/_plugins/_security/api/rolesmapping/${ROLE_NAMES.loader}`))[ROLE_NAMES.loader];
    expect(mapping.backend_roles).toEqual(['arn:aws:iam::222222222222:role/aes-siem-es-loader-role']);
    expect((await applySteps(secured, steps)).map((r) => r.action)).toEqual(steps.map(() => 'unchanged'));
  });

  it('enforces the roles: the loader writes log-* only, the analyst reads only', async () => {
    // Internal users carrying the IAM role ARNs as backend roles stand in for SigV4-signed callers.
    const password = 'Ops-Test-Passw0rd!x';
    const asUser = async (name: string, backendRole: string): Promise<Client> => {
      await secured.transport.request({ method: 'PUT', path: `/_plugins/_security/api/internalusers/${name}`, body: { password, backend_roles: [backendRole] } });
      return new OpenSearchClient({ ...securedOptions, auth: { username: name, password } });
    };
    const loader = await asUser('ops-loader', 'arn:aws:iam::222222222222:role/aes-siem-es-loader-role');
    const analyst = await asUser('ops-analyst', 'arn:aws:iam::222222222222:role/siem-analysts');
    const status = (p: Promise<unknown>) => p.then(() => 200, (e: { meta?: { statusCode?: number } }) => e.meta?.statusCode ?? -1);

    const bulk = (c: Client, index: string) =>
      c.bulk({ refresh: true, body: [{ create: { _index: index, _id: 'a1' } }, { '@timestamp': '2099-01-01T00:00:00Z', message: 'x' }] }).then((r) => {
        const item = (r.body.items as { create: { status: number } }[])[0]!.create;
        return item.status;
      });
    expect(await bulk(loader, 'log-aws-opstest-2099-01')).toBe(201);
    expect(await bulk(loader, 'metrics-opstest-2099-01')).toBe(201);
    expect(await bulk(loader, 'other-opstest')).toBe(403);
    expect(await status(loader.search({ index: 'log-aws-opstest-2099-01' }))).toBe(403);
    expect(await status(loader.indices.delete({ index: 'log-aws-opstest-2099-01' }))).toBe(403);

    expect(await status(analyst.search({ index: 'log-*' }))).toBe(200);
    expect(await status(analyst.search({ index: 'other-opstest' }))).toBe(403);
    expect(await bulk(analyst, 'log-aws-opstest-2099-01')).toBe(403);
    expect(await status(analyst.indices.delete({ index: 'log-aws-opstest-2099-01' }))).toBe(403);

    await secured.indices.delete({ index: 'log-aws-opstest-2099-01,metrics-opstest-2099-01,other-opstest', ignore_unavailable: true });
    for (const u of ['ops-loader', 'ops-analyst']) await secured.transport.request({ method: 'DELETE', path: `/_plugins/_security/api/internalusers/${u}` });
  });
});

describe('Function: opensearch-configurator alerting (recording endpoint: the plugins cannot run here)', () => {
  interface Recorded {
    readonly method: string;
    readonly path: string;
    readonly body?: unknown;
  }
  const TOPIC = 'arn:aws:sns:ap-northeast-1:222222222222:aes-siem-alert';
  const SNS_ROLE = 'arn:aws:iam::222222222222:role/aes-siem-sns-role';
  const alerting = configuratorSettingsSchema.parse({
    indexRetentionDays: 365,
    alerting: { channel: { id: 'siem-alert-topic', name: 'aes-siem-alert', topicArn: TOPIC, roleArn: SNS_ROLE }, monitors: ['root-account-use', 'guardduty-high-finding'] },
  });
  const steps = desiredSteps(alerting, []);
  const requests: Recorded[] = [];
  /** What the fake plugins hold: channel configs by id, monitors by id. */
  const channels = new Map<string, Record<string, unknown>>();
  const monitors = new Map<string, Record<string, unknown>>();
  let server: http.Server;
  let recorder: Client;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString('utf8')));
      req.on('end', () => {
        const body = data ? JSON.parse(data) : undefined;
        const path = (req.url ?? '').split('?')[0]!;
        requests.push({ method: req.method!, path, ...(body === undefined ? {} : { body }) });
        const reply = (status: number, payload: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(payload));
        };
        const channel = /^\/_plugins\/_notifications\/configs\/([^/]+)$/.exec(path);
        if (req.method === 'GET' && channel) {
          const c = channels.get(channel[1]!);
          // Notifications plugin: GET of an unknown config id is a 404.
          return c ? reply(200, { start_index: 0, total_hits: 1, total_hit_relation: 'eq', config_list: [{ config_id: channel[1], last_updated_time_ms: 1, created_time_ms: 1, config: c }] }) : reply(404, { error: { type: 'status_exception', reason: 'NotificationConfig not found' }, status: 404 });
        }
        if (req.method === 'POST' && path === '/_plugins/_notifications/configs') {
          channels.set(body.config_id, body.config);
          return reply(200, { config_id: body.config_id });
        }
        if (req.method === 'PUT' && channel) {
          channels.set(channel[1]!, body.config);
          return reply(200, { config_id: channel[1] });
        }
        if (req.method === 'POST' && path === '/_plugins/_alerting/monitors/_search') {
          // Before the first monitor the alerting config index does not exist: 404.
          if (monitors.size === 0) return reply(404, { error: { type: 'index_not_found_exception', reason: 'no such index [.opendistro-alerting-config]' }, status: 404 });
          const name = body.query.match_phrase['monitor.name'];
          const hits = [...monitors].filter(([, m]) => m.name === name).map(([id, m]) => ({ _index: '.opendistro-alerting-config', _id: id, _score: 1, _source: m }));
          return reply(200, { hits: { total: { value: hits.length, relation: 'eq' }, hits } });
        }
        if (req.method === 'POST' && path === '/_plugins/_alerting/monitors') {
          const id = `monitor-${monitors.size + 1}`;
          monitors.set(id, body);
          return reply(201, { _id: id, _version: 1, monitor: body });
        }
        const monitor = /^\/_plugins\/_alerting\/monitors\/([^/]+)$/.exec(path);
        if (req.method === 'PUT' && monitor && monitors.has(monitor[1]!)) {
          monitors.set(monitor[1]!, body);
          return reply(200, { _id: monitor[1], _version: 2, monitor: body });
        }
        reply(400, { error: { type: 'illegal_argument_exception', reason: `unexpected ${req.method} ${path}` }, status: 400 });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    recorder = new OpenSearchClient({ node: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  });

  afterAll(async () => {
    await recorder?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  const monitorBody = (name: 'root-account-use' | 'guardduty-high-finding', hash: string) => ({ ...monitorDefinition(name, 'siem-alert-topic'), ui_metadata: { siem: { managed_by: 'siem-opensearch-configurator', config_hash: hash } } });

  it('first run: creates the SNS channel with the alerting role, then each enabled monitor notifying it', async () => {
    const results = await applySteps(recorder, steps);
    expect(results).toEqual([
      { kind: 'notification-channel', name: 'siem-alert-topic', action: 'created' },
      { kind: 'monitor', name: 'SIEM: Root account use', action: 'created' },
      { kind: 'monitor', name: 'SIEM: GuardDuty High or Critical finding', action: 'created' },
    ]);
    expect(requests).toEqual([
      { method: 'GET', path: '/_plugins/_notifications/configs/siem-alert-topic' },
      {
        method: 'POST',
        path: '/_plugins/_notifications/configs',
        body: {
          config_id: 'siem-alert-topic',
          config: {
            name: 'aes-siem-alert',
            description: `Alerts of the SIEM to ${TOPIC} [siem-opensearch-configurator]`,
            config_type: 'sns',
            is_enabled: true,
            sns: { topic_arn: TOPIC, role_arn: SNS_ROLE },
          },
        },
      },
      { method: 'POST', path: '/_plugins/_alerting/monitors/_search', body: { size: 10, query: { match_phrase: { 'monitor.name': 'SIEM: Root account use' } } } },
      { method: 'POST', path: '/_plugins/_alerting/monitors', body: monitorBody('root-account-use', steps[1]!.hash) },
      { method: 'POST', path: '/_plugins/_alerting/monitors/_search', body: { size: 10, query: { match_phrase: { 'monitor.name': 'SIEM: GuardDuty High or Critical finding' } } } },
      { method: 'POST', path: '/_plugins/_alerting/monitors', body: monitorBody('guardduty-high-finding', steps[2]!.hash) },
    ]);
    // The monitor as sent: a query-level monitor on the GuardDuty indices, severity >= 7 in the last 10 minutes.
    const guardduty = requests[5]!.body as any;
    expect(guardduty.inputs).toEqual([
      {
        search: {
          indices: ['log-aws-guardduty-*'],
          query: { size: 5, query: { bool: { filter: [{ range: { 'event.severity': { gte: 7 } } }, { range: { '@timestamp': { gte: '{{period_end}}||-10m', lte: '{{period_end}}', format: 'epoch_millis' } } }] } } },
        },
      },
    ]);
    expect(guardduty.triggers[0].query_level_trigger).toMatchObject({ severity: '1', condition: { script: { source: 'ctx.results[0].hits.total.value > 0', lang: 'painless' } } });
  });

  it('second run: only reads, writes nothing', async () => {
    requests.length = 0;
    expect((await applySteps(recorder, steps)).map((r) => r.action)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /_plugins/_notifications/configs/siem-alert-topic',
      'POST /_plugins/_alerting/monitors/_search',
      'POST /_plugins/_alerting/monitors/_search',
    ]);
  });

  it('a changed topic or monitor is updated in place (PUT on the channel id and the monitor id OpenSearch gave)', async () => {
    requests.length = 0;
    const moved = configuratorSettingsSchema.parse({ ...alerting, alerting: { ...alerting.alerting!, channel: { ...alerting.alerting!.channel, topicArn: `${TOPIC}-2` } } });
    const changed = desiredSteps(moved, []);
    // The monitor's definition is unchanged (it names the channel id, not the topic): only the channel moves.
    expect((await applySteps(recorder, changed)).map((r) => `${r.name}:${r.action}`)).toEqual(['siem-alert-topic:updated', 'SIEM: Root account use:unchanged', 'SIEM: GuardDuty High or Critical finding:unchanged']);
    expect(requests[1]).toEqual({ method: 'PUT', path: '/_plugins/_notifications/configs/siem-alert-topic', body: { config: (changed[0]!.body as any).config } });

    requests.length = 0;
    monitors.set('monitor-1', { ...monitors.get('monitor-1')!, ui_metadata: { siem: { managed_by: 'siem-opensearch-configurator', config_hash: 'an-older-definition' } } });
    expect((await applySteps(recorder, changed)).map((r) => r.action)).toEqual(['unchanged', 'updated', 'unchanged']);
    expect(requests.filter((r) => r.method === 'PUT')).toEqual([{ method: 'PUT', path: '/_plugins/_alerting/monitors/monitor-1', body: monitorBody('root-account-use', steps[1]!.hash) }]);
  });
});
