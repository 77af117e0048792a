import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY = 'AWSLogs/123456789012/GuardDuty/us-east-1/2026/11/21/a1b2c3d4-0000-4000-8000-EXAMPLE.jsonl.gz';

describe('Log type: guardduty', () => {
  const p = pipeline();

  it('turns exported findings into the expected ECS documents', async () => {
    expect(docs(await run(p, KEY, fixture('guardduty', 'fixture.jsonl')))).toEqual(expected('guardduty'));
  });

  it('uses the finding id plus service.count as _id, and maps the network and rule fields', async () => {
    const [ssh, dns, recon] = docs(await run(p, KEY, fixture('guardduty', 'fixture.jsonl')));
    expect(ssh._id).toBe('a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7_4');
    expect(ssh._index).toBe('log-aws-guardduty-2026-11');
    expect(ssh._source).toMatchObject({
      '@timestamp': '2026-11-21T10:05:00.000Z',
      source: { ip: '81.2.69.160', port: 32794, address: '81.2.69.160', geo: { location: { lat: 51.4, lon: -0.76 } } },
      destination: { ip: '10.0.0.1', port: 22, nat: { ip: '198.51.100.0' } },
      network: { direction: 'inbound' },
      rule: { name: 'UnauthorizedAccess:EC2/SSHBruteForce', category: 'UnauthorizedAccess' },
      event: { severity: 2, kind: 'alert', category: 'intrusion_detection' },
      cloud: { instance: { id: 'i-99999999' }, account: { id: '123456789012' }, region: 'us-east-1' },
    });
    expect(dns._source).toMatchObject({ dns: { question: { name: 'example-c2.com' } }, event: { severity: 8 } });
    expect(recon._source).toMatchObject({ user: { name: 'Mary_Major', id: 'ASIASZCPMEXAMPLE' }, source: { ip: '81.2.69.160' } });
  });

  it('makes the instance the source of an outbound connection', async () => {
    const finding = JSON.parse(fixture('guardduty', 'fixture.jsonl').toString().split('\n')[0]);
    finding.service.action.networkConnectionAction.connectionDirection = 'OUTBOUND';
    const [doc] = docs(await run(p, KEY, JSON.stringify(finding)));
    expect(doc._source).toMatchObject({ network: { direction: 'outbound' }, source: { ip: '10.0.0.1', port: 22 }, destination: { ip: '81.2.69.160', port: 32794 } });
  });
});
