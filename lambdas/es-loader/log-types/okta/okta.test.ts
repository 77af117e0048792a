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

  it('goes to log-intra-audit-okta', async () => {
    expect(p.resolveLogType(KEY)).toMatchObject({ name: 'okta', indexName: 'log-intra-audit-okta' });
  });
});
