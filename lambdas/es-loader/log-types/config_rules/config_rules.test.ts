import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY = 'AWSLogs/123456789012/aws.config/Config_Rules_Compliance_Change/ap-northeast-1/2026/11/21/siem-eventbridge-events-1-2026-11-21-10-15-31-c3d4e5f6.gz';

describe('Log type: config_rules', () => {
  const p = pipeline();

  it('parses EventBridge "Config Rules Compliance Change" events into the expected documents', async () => {
    const items = await run(p, KEY, fixture('config_rules', 'fixture.json'));
    expect(docs(items)).toEqual(expected('config_rules'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'config_rules', totalRecords: 5, emitted: 5, failed: 0 });
  });

  it('maps the compliance to event.outcome and the evaluated instance or IAM principal, in log-aws-config', async () => {
    const [ec2, role, bucket, patch, user] = docs(await run(p, KEY, fixture('config_rules', 'fixture.json')));
    expect(ec2._index).toBe('log-aws-config-2026-11');
    expect(ec2._source).toMatchObject({
      '@timestamp': '2026-11-21T10:15:30.412Z',
      event: { kind: 'alert', category: 'configuration', type: 'change', module: 'config-rules', outcome: 'failure' },
      cloud: { account: { id: '123456789012' }, region: 'ap-northeast-1', instance: { id: 'i-0a1b2c3d4e5f60718' } },
      related: { hosts: ['i-0a1b2c3d4e5f60718'] },
      configRuleName: 'ec2-instance-no-public-ip',
      newEvaluationResult: { complianceType: 'NON_COMPLIANT', annotation: 'The instance has a public IP address 203.0.113.25.' },
    });
    for (const k of ['detail', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'version', 'id']) expect(ec2._source).not.toHaveProperty(k);
    expect(role._source).toMatchObject({ event: { outcome: 'success' }, user: { id: 'AROA3XFRBF23EXAMPLE7' }, related: { user: ['AROA3XFRBF23EXAMPLE7'] } });
    expect(bucket._source).toMatchObject({ event: { outcome: 'unknown' } });
    expect(bucket._source).not.toHaveProperty('related');
    expect(patch._source).toMatchObject({ cloud: { account: { id: '210987654321' }, region: 'us-east-1', instance: { id: 'i-0fedcba9876543210' } } });
    expect(user._source).toMatchObject({ event: { outcome: 'unknown' }, user: { id: 'AIDA3XFRBF23EXAMPLE9' } });
    // The same event read twice gets the same _id; different events differ.
    expect(new Set([ec2, role, bucket, patch, user].map((d) => d._id)).size).toBe(5);
  });

  it('recognises the Firehose prefix, and config history/snapshot files stay [config]', () => {
    expect(p.resolveLogType(KEY)?.name).toBe('config_rules');
    expect(p.resolveLogType('AWSLogs/123456789012/Config/ap-northeast-1/2026/11/21/ConfigHistory/123456789012_Config_ap-northeast-1_ConfigHistory_AWS::EC2::Instance_20261121T101530Z_20261121T111530Z_1.json.gz')?.name).toBe('config');
  });
});
