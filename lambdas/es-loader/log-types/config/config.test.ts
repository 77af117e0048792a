import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const HISTORY = 'AWSLogs/123456789012/Config/us-east-1/2026/11/21/ConfigHistory/123456789012_Config_us-east-1_ConfigHistory_AWS::EC2::SecurityGroup_20261121T101011Z_20261121T102000Z_1.json.gz';
const SNAPSHOT = 'AWSLogs/123456789012/Config/eu-west-1/2026/11/21/ConfigSnapshot/123456789012_Config_eu-west-1_ConfigSnapshot_20261121T060000Z_a1b2c3d4-0000-4000-8000-EXAMPLE00001.json.gz';

describe('Log type: config', () => {
  const p = pipeline();

  it('turns each configuration item of a history file into a document', async () => {
    const out = docs(await run(p, HISTORY, fixture('config', 'fixture-history.json')));
    expect(out).toEqual(expected('config', 'expected-history.json'));
    expect(out[0]._source).toMatchObject({
      '@timestamp': '2026-11-21T10:10:11.222Z',
      event: { action: 'OK', type: 'info', category: 'configuration', module: 'config-history' },
      cloud: { account: { id: '123456789012' }, region: 'us-east-1' },
      resourceType: 'AWS::EC2::SecurityGroup',
    });
    expect(out[0]._source.cloud).not.toHaveProperty('availability_zone');
    // configuration is a string in one item and an object in the other: both are flat objects
    expect(out[1]._source.configuration).toEqual({ value: '{"bucketName":"b"}' });
  });

  it('reads a pretty-printed snapshot file', async () => {
    const out = docs(await run(p, SNAPSHOT, fixture('config', 'fixture-snapshot.json')));
    expect(out).toEqual(expected('config', 'expected-snapshot.json'));
    expect(out[0]._source).toMatchObject({ event: { type: 'info', module: 'config-snapshot', action: 'ResourceDeleted' }, cloud: { availability_zone: 'eu-west-1a', region: 'eu-west-1' } });
  });

  it("dates a snapshot's items by the time in its file name, as the reference's [config-snapshot] (file_timestamp_format)", async () => {
    const later = SNAPSHOT.replace('_20261121T060000Z_', '_20261121T073015Z_');
    const [item] = docs(await run(p, later, fixture('config', 'fixture-snapshot.json')));
    // the item's configurationItemCaptureTime is 06:00:00; the oracle's reference document has 07:30:15
    expect(item!._source['@timestamp']).toBe('2026-11-21T07:30:15.000Z');
    expect(item!._index).toBe('log-aws-config-2026-11');
  });

  it('loads a deleted item whose configuration is null, with its instance', async () => {
    const out = docs(await run(p, SNAPSHOT, fixture('config', 'fixture-snapshot.json')));
    expect(out).toHaveLength(1);
    expect(out[0]._source).not.toHaveProperty('configuration');
    expect(out[0]._source.cloud).toMatchObject({ instance: { id: 'i-0abcd1234efgh5678' } });
    expect(out[0]._source.related).toEqual({ hosts: ['i-0abcd1234efgh5678'] });
  });

  it('fills cloud.instance.id, user.* and related.* for instances and IAM principals as the reference', async () => {
    const [sg, bucket, instance, role] = docs(await run(p, HISTORY, fixture('config', 'fixture-history.json'))).map((d) => d._source);
    const pick = (s: Record<string, unknown>) => ({ instance: (s.cloud as { instance?: unknown }).instance, user: s.user, related: s.related });
    expect(pick(sg)).toEqual({ instance: undefined, user: undefined, related: undefined });
    expect(pick(bucket)).toEqual({ instance: undefined, user: undefined, related: undefined });
    expect(pick(instance)).toEqual({ instance: { id: 'i-0abc1234def567890' }, user: undefined, related: { hosts: ['i-0abc1234def567890'], ip: ['10.0.1.20', '10.0.1.21', '203.0.113.25'] } });
    expect(pick(role)).toEqual({ instance: undefined, user: { id: 'AROA1234567890EXAMPLE', name: 'aes-siem-deploy' }, related: { user: ['aes-siem-deploy', 'AROA1234567890EXAMPLE'] } });
  });

  it('reads the target of compliance items, the addresses of interfaces, EIPs and NAT gateways', async () => {
    const item = (resourceType: string, resourceId: string, configuration: unknown, resourceName?: string) => ({
      configurationItemCaptureTime: '2026-11-21T10:00:00.000Z', awsAccountId: '123456789012', awsRegion: 'us-east-1',
      configurationItemStatus: 'OK', resourceType, resourceId, resourceName, configuration,
    });
    const body = JSON.stringify({ configurationItems: [
      item('AWS::Config::ResourceCompliance', 'AWS::EC2::Instance/i-0123', { complianceType: 'NON_COMPLIANT' }),
      item('AWS::Config::ResourceCompliance', 'AWS::IAM::User/AIDAEXAMPLE', { complianceType: 'COMPLIANT' }),
      item('AWS::SSM::PatchCompliance', 'AWS::SSM::ManagedInstanceInventory/i-0456', null),
      item('AWS::EC2::NetworkInterface', 'eni-1', { privateIpAddresses: [{ privateIpAddress: '10.0.0.9', association: { publicIp: '198.51.100.9' } }] }),
      item('AWS::EC2::EIP', 'eipalloc-1', { privateIpAddress: '10.0.0.7' }, '198.51.100.7'),
      item('AWS::EC2::NatGateway', 'nat-1', { natGatewayAddresses: [{ privateIp: '10.0.0.8', publicIp: '198.51.100.8' }] }),
      item('AWS::SSM::ManagedInstanceInventory', 'i-0789', { 'AWS:Network': { Content: { '0': { IPV4: '10.0.0.6', IPV6: 'fe80::1' } } } }),
    ] });
    const out = docs(await run(p, HISTORY, body)).map((d) => ({ instance: (d._source.cloud as { instance?: { id: string } }).instance?.id, user: d._source.user, related: d._source.related }));
    expect(out).toEqual([
      { instance: 'i-0123', user: undefined, related: { hosts: ['i-0123'] } },
      { instance: undefined, user: { id: 'AIDAEXAMPLE' }, related: { user: ['AIDAEXAMPLE'] } },
      { instance: 'i-0456', user: undefined, related: { hosts: ['i-0456'] } },
      { instance: undefined, user: undefined, related: { ip: ['10.0.0.9', '198.51.100.9'] } },
      { instance: undefined, user: undefined, related: { ip: ['10.0.0.7', '198.51.100.7'] } },
      { instance: undefined, user: undefined, related: { ip: ['10.0.0.8', '198.51.100.8'] } },
      { instance: 'i-0789', user: undefined, related: { hosts: ['i-0789'], ip: ['10.0.0.6', 'fe80::1'] } },
    ]);
  });

  it('ignores the writability check file', () => {
    const key = 'AWSLogs/123456789012/Config/ConfigWritabilityCheckFile';
    expect(p.resolveLogType(key)).toBeUndefined();
    expect(p.classify('AWSLogs/123456789012/Config/us-east-1/ConfigWritabilityCheckFile_ConfigHistory_x')?.ignored).toBeDefined();
  });
});
