import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY = 'AWSLogs/123456789012/aws.securityhub/Security_Hub_Findings_-_Imported/ap-northeast-1/2026/11/21/10/siem-eventbridge-events-1-2026-11-21-10-05-03-a1b2c3d4.gz';

describe('Log type: securityhub', () => {
  const p = pipeline();

  it('parses EventBridge "Security Hub Findings - Imported" events (concatenated and one per line) into the expected documents', async () => {
    const items = await run(p, KEY, fixture('securityhub', 'fixture.json'));
    expect(docs(items)).toEqual(expected('securityhub'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'securityhub', totalRecords: 5, emitted: 5, failed: 0 });
  });

  it('maps each product: GuardDuty (direction, malware, type split), a control, Inspector (CVE rule, package), Access Analyzer (archived, IAM role)', async () => {
    const [dns, probe, control, inspector, analyzer] = docs(await run(p, KEY, fixture('securityhub', 'fixture.json')));
    expect(dns._index).toBe('log-aws-securityhub-2026-11');
    expect(dns._source).toMatchObject({
      '@timestamp': '2026-11-21T10:05:02.118Z',
      event: { kind: 'alert', category: 'malware', module: 'guardduty', severity: 8, risk_score_norm: 60 },
      network: { direction: 'outbound' },
      dns: { question: { name: 'c2.bad.example' } },
      ThreatPurpose: 'Backdoor', ResourceTypeAffected: 'EC2', ThreatFamilyName: 'C&CActivity', DetectionMechanism: 'B', Artifact: 'DNS',
      cloud: { account: { id: '123456789012' }, region: 'ap-northeast-1', instance: { id: 'i-0a1b2c3d4e5f60718' } },
      related: { hosts: ['i-0a1b2c3d4e5f60718'], ip: ['10.0.1.25', '203.0.113.25', '2001:db8:1234:1a00::25'] },
      cwe_timestamp: '2026-11-21T10:05:03Z',
    });
    expect((dns._source.rule as { name: string }).name).not.toMatch(/\.$/);
    for (const k of ['detail', 'detail-type', 'account', 'time', 'resources', 'version', 'source', 'destination']) expect(dns._source).not.toHaveProperty(k);
    expect(probe._source).toMatchObject({
      event: { category: 'intrusion_detection' },
      network: { direction: 'inbound' },
      source: { ip: '198.51.100.7', port: 51234 },
      destination: { ip: '10.0.1.25', port: 22 },
    });
    expect(control._source).toMatchObject({ rule: { id: 'security-control/EC2.19' }, event: { module: 'security hub', risk_score_norm: 90 }, consolidated_controls_view: true, consolidated_control_findings: true });
    expect(inspector._source).toMatchObject({
      rule: { id: 'Software and Configuration Checks/Vulnerabilities/CVE-2026-20517' },
      event: { category: 'package', module: 'inspector' },
      cloud: { account: { id: '210987654321' }, region: 'us-east-1', instance: { id: 'i-0fedcba9876543210' } },
      related: { ip: ['172.31.8.14', '2600:1f18:abcd:ef01::14'] },
    });
    expect(analyzer._source).toMatchObject({ RecordState: 'ARCHIVED', Workflow: { Status: 'RESOLVED' }, user: { name: 'partner-readonly' }, related: { user: ['partner-readonly'] } });
    // One document per finding update: the id carries UpdatedAt.
    expect(analyzer._id).toBe('arn:aws:access-analyzer:ap-northeast-1:123456789012:analyzer/org-analyzer/arn:aws:iam::123456789012:role/partner-readonly_2026-11-21T10:45:12.000Z');
  });

  it('makes a document of each finding of an event that carries several (custom actions), and reports a record that is not an EventBridge event', async () => {
    const lines = fixture('securityhub', 'fixture.json').toString().split('\n');
    const control = JSON.parse(lines[1]!) as { detail: { findings: Array<Record<string, unknown>> } };
    const analyzer = JSON.parse(lines[3]!) as { detail: { findings: Array<Record<string, unknown>> } };
    control.detail.findings.push(analyzer.detail.findings[0]!);
    const items = await run(p, KEY, `${JSON.stringify(control)}\n{"findings": []}\n`);
    const [c, a] = docs(items);
    const all = docs(await run(p, KEY, fixture('securityhub', 'fixture.json')));
    expect(c).toEqual(all[2]);
    expect(a!._id).toBe(all[4]!._id);
    expect(a!._source).toMatchObject({ rule: { name: all[4]!._source.rule && (all[4]!._source.rule as { name: string }).name }, cwe_timestamp: '2026-11-21T10:30:07Z' });
    expect(items.filter((i) => i.kind === 'record-error').map((i) => (i as { reason: string }).reason)).toEqual([
      `${KEY}: record 2 (line 2): has no timestamp: field detail.findings.0.UpdatedAt or time is missing`,
    ]);
  });

  it.each([KEY, 'AWSLogs/123456789012/SecurityHub/ap-northeast-1/2026/11/21/x.gz'])('recognises %s', (key) => expect(p.resolveLogType(key)?.name).toBe('securityhub'));
  it('ignores the Firehose error prefix', () => expect(p.classify('AWSLogs/123456789012/SecurityHub/ap-northeast-1/error/x.gz')?.ignored).toBeTruthy());
});
