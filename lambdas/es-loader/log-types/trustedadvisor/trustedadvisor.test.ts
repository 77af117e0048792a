import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY = 'AWSLogs/123456789012/TrustedAdvisor/ap-northeast-1/2026/11/21/trustedadvisor-check-results-20261121_100005.json.gz';

describe('Log type: trustedadvisor', () => {
  const p = pipeline();

  it('parses the exporter\'s back-to-back check results and flagged resources into the expected documents', async () => {
    const items = await run(p, KEY, fixture('trustedadvisor', 'fixture.json'));
    expect(docs(items)).toEqual(expected('trustedadvisor'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'trustedadvisor', totalRecords: 8, emitted: 8, failed: 0 });
  });

  it('sets event.kind from the status, the region of each flagged resource, the EC2 instance of a Resource ARN and an IP of the metadata', async () => {
    const [mfa, sg, sgTokyo, sgVirginia, eip, eipFlagged, win, winFlagged] = docs(await run(p, KEY, fixture('trustedadvisor', 'fixture.json')));
    expect(mfa._index).toBe('log-aws-trustedadvisor-2026-11');
    expect(mfa._source).toMatchObject({
      '@timestamp': '2026-11-21T10:00:05.412Z',
      event: { kind: 'event', category: 'configuration', type: 'info', module: 'trustedadvisor' },
      rule: { name: 'MFA on Root Account' },
      cloud: { account: { id: '123456789012' }, region: 'ap-northeast-1' },
      trustedadvisor: { check: { id: '7DAFEmoDos', category: 'security' }, result: { status: 'ok' }, refreshable: true },
    });
    for (const k of ['check', 'result', 'account', 'creation_date', 'requestid']) expect(mfa._source).not.toHaveProperty(k);
    expect(sg._source).toMatchObject({ event: { kind: 'alert' }, trustedadvisor: { result: { resourcesSummary: { resourcesFlagged: 2 } } } });
    expect(sgTokyo._source).toMatchObject({ event: { kind: 'alert' }, cloud: { region: 'ap-northeast-1' }, trustedadvisor: { result: { flaggedResource: { number: 1 } } } });
    expect(sgVirginia._source).toMatchObject({ cloud: { region: 'us-east-1' }, trustedadvisor: { result: { flaggedResource: { number: 2, status: 'error' } } } });
    expect(sgVirginia._source).not.toHaveProperty('cloud.service');
    expect(eip._source).not.toHaveProperty('related');
    expect(eipFlagged._source).toMatchObject({ related: { ip: ['203.0.113.44'] } });
    expect(win._source).not.toHaveProperty('cloud.instance');
    expect(winFlagged._source).toMatchObject({ cloud: { service: { name: 'ec2' }, instance: { id: 'i-0a1b2c3d4e5f60718' } }, related: { hosts: ['i-0a1b2c3d4e5f60718'] }, event: { category: 'configuration' } });
  });

  it.each([KEY, 'central/AWSLogs/123456789012/trustedadvisor/us-east-1/2026/11/21/x.json.gz'])('recognises %s', (key) => expect(p.resolveLogType(key)?.name).toBe('trustedadvisor'));
});
