import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY = 'okta-logs/2026/11/21/okta-events-1.json.gz';

describe('Log type: okta', () => {
  const p = pipeline();

  it('turns System Log events (sign-in, MFA, admin actions, policy) into the expected documents', async () => {
    const items = await run(p, KEY, fixture('okta', 'fixture.json'));
    expect(docs(items)).toEqual(expected('okta'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'okta', totalRecords: 7, emitted: 7, failed: 0 });
  });

  it('derives the outcome, the user and the client as the reference sf_okta.py', async () => {
    const [login, failed, , denied, admin, , policy] = docs(await run(p, KEY, fixture('okta', 'fixture.json'))).map((d) => d._source);
    expect(login).toMatchObject({
      '@timestamp': '2026-11-21T10:00:01.123Z',
      '@log_type': 'okta',
      event: { action: 'user.session.start', outcome: 'success', kind: 'event', category: 'web', module: 'okta' },
      user: { name: 'alice', domain: 'example.com', email: 'alice@example.com' },
      client: { ip: '198.51.100.23', user: { full_name: 'Alice Example', id: '00u1a2b3c4d5e6f7g8h9' }, geo: { location: { lat: 35.6895, lon: 139.6917 }, city_name: 'Tokyo' } },
      source: { ip: '198.51.100.23', user: { full_name: 'Alice Example' } },
      related: { user: ['Alice Example'] },
      log: { level: 'INFO' },
      okta: { client: { device: 'Computer', ip: '198.51.100.23', user_agent: { browser: 'CHROME' } }, authentication_context: { credential_type: 'PASSWORD' } },
    });
    expect(failed!.event).toMatchObject({ outcome: 'failure' });
    expect(failed!.okta).toMatchObject({ outcome: { result: 'FAILURE', reason: 'VERIFICATION_ERROR' } });
    // DENY is a failure, ALLOW a success; a client without a location has no client.geo
    expect(denied!.event).toMatchObject({ outcome: 'failure' });
    expect(denied!.client).not.toHaveProperty('geo');
    expect(policy!.event).toMatchObject({ outcome: 'success' });
    // a non-User actor names no user
    expect(policy).not.toHaveProperty('user');
    expect(policy).not.toHaveProperty('related');
    // the application of an AppInstance target at the reference's path okta.target.app_name.*
    expect(admin!.okta).toMatchObject({ target: [{ type: 'AppUser' }, { type: 'AppInstance', app_name: { display_name: 'AWS IAM Identity Center' } }, { type: 'User' }] });
    for (const f of ['actor', 'outcome', 'target', 'eventType', 'published']) expect(login).not.toHaveProperty([f]);
    expect(login!.client).not.toHaveProperty('geographicalContext');
  });

  it('keeps the keys of objects inside lists as Okta writes them, as the reference (request.ip_chain[].geographicalContext)', async () => {
    const event = {
      uuid: 'a4000000-8f0d-11ee-9a6b-0123456789ab', published: '2026-11-21T11:00:04.000Z', eventType: 'user.session.end', severity: 'INFO',
      actor: { id: '00u1', type: 'User', alternateId: 'alice@example.com', displayName: 'Alice Example' },
      client: { ipAddress: '198.51.100.5', userAgent: { rawUserAgent: 'UNKNOWN' } },
      outcome: { result: 'SUCCESS', reason: null },
      request: { ipChain: [
        { ip: '198.51.100.5', geographicalContext: { city: 'Osaka', postalCode: '530-0001', geolocation: { lat: 34.69, lon: 135.5 } }, version: 'V4', source: null },
        { ip: '10.20.30.40', geographicalContext: null, version: 'V4', source: null },
      ] },
      debugContext: { debugData: { requestUri: '/login/signout' } },
    };
    const [d] = docs(await run(p, KEY, JSON.stringify(event) + '\n')).map((x) => x._source);
    expect(d!.okta).toMatchObject({
      request: { ip_chain: [
        { ip: '198.51.100.5', geographicalContext: { city: 'Osaka', postalCode: '530-0001', geolocation: { lat: 34.69, lon: 135.5 } }, version: 'V4' },
        { ip: '10.20.30.40', version: 'V4' },
      ] },
      debug_context: { debug_data: { request_uri: '/login/signout' } },
    });
    expect((d!.okta as { request: { ip_chain: object[] } }).request.ip_chain[1]).toEqual({ ip: '10.20.30.40', version: 'V4' });
  });

  it('keeps the keys of the targets as Okta writes them, the reference\'s paths okta.target.alternateId/displayName/detailEntry', async () => {
    const event = {
      uuid: 'a5000000-8f0d-11ee-9a6b-0123456789ab', published: '2026-11-21T11:00:05.000Z', eventType: 'system.api_token.create', severity: 'INFO',
      actor: { id: '00u1', type: 'User', alternateId: 'alice@example.com', displayName: 'Alice Example' },
      outcome: { result: 'SUCCESS' },
      target: [
        { id: '00T1', type: 'Token', alternateId: 'unknown', displayName: 'terraform', detailEntry: null },
        { id: '0oa1', type: 'AppInstance', alternateId: 'Salesforce.com', displayName: 'Salesforce.com', detailEntry: { signOnModeType: 'SAML_2_0' } },
      ],
    };
    const [d] = docs(await run(p, KEY, JSON.stringify(event) + '\n')).map((x) => x._source);
    expect((d!.okta as { target: unknown }).target).toEqual([
      { id: '00T1', type: 'Token', alternateId: 'unknown', displayName: 'terraform' },
      { id: '0oa1', type: 'AppInstance', alternateId: 'Salesforce.com', displayName: 'Salesforce.com', detailEntry: { signOnModeType: 'SAML_2_0' }, app_name: { alternate_id: 'Salesforce.com', display_name: 'Salesforce.com' } },
    ]);
  });

  it('goes to log-intra-audit-okta', async () => {
    expect(p.resolveLogType(KEY)).toMatchObject({ name: 'okta', indexName: 'log-intra-audit-okta' });
  });
});
