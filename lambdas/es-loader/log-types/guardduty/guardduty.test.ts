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
      rule: {
        id: 'UnauthorizedAccess:EC2/SSHBruteForce',
        name: '198.51.100.0 is performing SSH brute force attacks against i-99999999',
        description: '198.51.100.0 is performing SSH brute force attacks against i-99999999. Brute force attacks are used to gain unauthorized access to your instance by guessing the SSH password.',
      },
      event: { severity: 2, kind: 'alert', category: 'intrusion_detection' },
      severitylabel: 'low',
      ThreatPurpose: 'UnauthorizedAccess',
      ResourceTypeAffected: 'EC2',
      ThreatFamilyName: 'SSHBruteForce',
      cloud: { instance: { id: 'i-99999999' }, account: { id: '123456789012' }, region: 'us-east-1' },
    });
    expect(ssh._source).not.toHaveProperty('DetectionMechanism');
    expect(ssh._source).not.toHaveProperty('Artifact');
    expect(dns._source).toMatchObject({ dns: { question: { name: 'example-c2.com' } }, event: { severity: 8 } });
    expect(recon._source).toMatchObject({ user: { name: 'Mary_Major', id: 'ASIASZCPMEXAMPLE' }, source: { ip: '81.2.69.160' } });
  });

  it('splits the finding type, labels the severity and sets malware for Backdoor/CryptoCurrency/Trojan as the reference', async () => {
    const [, dns, recon] = docs(await run(p, KEY, fixture('guardduty', 'fixture.jsonl')));
    const pick = (s: Record<string, unknown>) => ({
      ThreatPurpose: s.ThreatPurpose, ResourceTypeAffected: s.ResourceTypeAffected, ThreatFamilyName: s.ThreatFamilyName,
      DetectionMechanism: s.DetectionMechanism, Artifact: s.Artifact, severitylabel: s.severitylabel,
      category: (s.event as { category: unknown }).category, rule: s.rule,
    });
    expect(pick(dns._source)).toEqual({
      ThreatPurpose: 'Backdoor', ResourceTypeAffected: 'EC2', ThreatFamilyName: 'C&CActivity', DetectionMechanism: 'B', Artifact: 'DNS',
      severitylabel: 'high', category: 'malware',
      rule: {
        id: 'Backdoor:EC2/C&CActivity.B!DNS',
        name: 'Command and Control server domain name queried by EC2 instance i-88888888',
        description: 'EC2 instance i-88888888 is querying a domain name associated with a known Command & Control server.',
      },
    });
    expect(pick(recon._source)).toMatchObject({ ThreatPurpose: 'Recon', ResourceTypeAffected: 'IAMUser', ThreatFamilyName: 'MaliciousIPCaller', severitylabel: 'medium', category: 'intrusion_detection' });
  });

  it('labels every severity band, critical (9 and above) included, where the reference crashes', async () => {
    const line = fixture('guardduty', 'fixture.jsonl').toString().split('\n')[0];
    const labels: unknown[] = [];
    for (const severity of [1, 3.9, 4, 6.9, 7, 8.9, 9, 10]) {
      const finding = JSON.parse(line);
      finding.severity = severity;
      labels.push(docs(await run(p, KEY, JSON.stringify(finding)))[0]._source.severitylabel);
    }
    expect(labels).toEqual(['low', 'low', 'medium', 'medium', 'high', 'high', 'critical', 'critical']);
  });

  it('DNS findings are outbound from the instance (source), as the reference swaps them', async () => {
    const [, dns] = docs(await run(p, KEY, fixture('guardduty', 'fixture.jsonl')));
    expect(dns._source.network).toEqual({ direction: 'outbound' });
    expect(dns._source.source).toEqual({ address: '10.0.0.2', ip: '10.0.0.2' });
    expect(dns._source).not.toHaveProperty('destination');
  });

  it('port probes, API calls and Kubernetes API calls are inbound; file findings have no direction and are malware', async () => {
    const base = JSON.parse(fixture('guardduty', 'fixture.jsonl').toString().split('\n')[0]);
    const variant = (type: string, action: Record<string, unknown> | undefined) => JSON.stringify({ ...base, id: type, type, service: { ...base.service, action } });
    const body = [
      variant('Recon:EC2/PortProbeUnprotectedPort', { actionType: 'PORT_PROBE', portProbeAction: { blocked: false, portProbeDetails: [{ localPortDetails: { port: 3389, portName: 'RDP' }, remoteIpDetails: { ipAddressV4: '203.0.113.7' } }] } }),
      variant('Discovery:Kubernetes/MaliciousIPCaller', { actionType: 'KUBERNETES_API_CALL', kubernetesApiCallAction: { requestUri: '/api', verb: 'get', remoteIpDetails: { ipAddressV6: '2001:db8::7', country: { countryName: 'Japan' } } } }),
      variant('Execution:EC2/MaliciousFile', undefined),
    ].join('\n');
    const out = docs(await run(p, KEY, body)).map((d) => ({
      direction: (d._source.network as { direction?: string } | undefined)?.direction,
      source: d._source.source,
      port: (d._source.destination as { port?: number }).port,
      category: (d._source.event as { category: string }).category,
    }));
    expect(out).toEqual([
      { direction: 'inbound', source: { address: '203.0.113.7', ip: '203.0.113.7' }, port: 3389, category: 'intrusion_detection' },
      { direction: 'inbound', source: { address: '2001:db8::7', ip: '2001:db8::7', geo: { country_name: 'Japan' } }, port: undefined, category: 'intrusion_detection' },
      { direction: undefined, source: undefined, port: undefined, category: 'malware' },
    ]);
  });

  it('makes the instance the source of an outbound connection', async () => {
    const finding = JSON.parse(fixture('guardduty', 'fixture.jsonl').toString().split('\n')[0]);
    finding.service.action.networkConnectionAction.connectionDirection = 'OUTBOUND';
    const [doc] = docs(await run(p, KEY, JSON.stringify(finding)));
    expect(doc._source).toMatchObject({ network: { direction: 'outbound' }, source: { ip: '10.0.0.1', port: 22 }, destination: { ip: '81.2.69.160', port: 32794 } });
  });
});
