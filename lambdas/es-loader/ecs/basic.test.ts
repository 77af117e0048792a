import { describe, expect, it } from 'vitest';
import { docs, pipeline, run } from '../log-types/testing';
import { referenceLogType } from './basic';
import { ecsComponentTemplate } from './templates';

const VPC_KEY = 'AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/26/123456789012_vpcflowlogs_us-east-1_fl-0_20261126T1900Z_a.log.gz';
const GD_KEY = 'AWSLogs/123456789012/GuardDuty/us-east-1/2026/11/21/x.jsonl.gz';

describe("ECS: the reference's basic fields on every document", () => {
  it('a text record gets @log_type, @id = _id, bucket, key, the raw line as @message, ecs.version and related.ip (sorted, deduplicated)', async () => {
    const line = '2 123456789012 eni-1 10.0.0.9 10.0.0.1 443 49152 6 1 40 1795342800 1795342860 ACCEPT OK';
    const [d] = docs(await run(pipeline(), VPC_KEY, `version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n${line}\n`));
    expect(d!._source).toMatchObject({ '@log_type': 'vpcflowlogs', '@id': d!._id, '@log_s3bucket': 'aes-siem-111122223333-log', '@log_s3key': VPC_KEY, '@message': line, ecs: { version: '1.10.0' }, related: { ip: ['10.0.0.1', '10.0.0.9'] } });
  });

  it('a JSON record has no @message; @id is the doc_id without doc_id_suffix, as the reference', async () => {
    const finding = { id: 'f1', type: 'Recon:EC2/PortProbeUnprotectedPort', updatedAt: '2026-11-21T10:05:00.000Z', service: { count: 7, action: { networkConnectionAction: { remoteIpDetails: { ipAddressV4: '81.2.69.160' } } } }, resource: { accessKeyDetails: { userName: 'Mary_Major' }, instanceDetails: { networkInterfaces: [{ privateIpAddress: '81.2.69.160' }] } } };
    const [d] = docs(await run(pipeline(), GD_KEY, JSON.stringify(finding)));
    expect(d!._id).toBe('f1_7');
    expect(d!._source['@id']).toBe('f1');
    expect(d!._source).not.toHaveProperty('@message');
    expect(d!._source.related).toEqual({ ip: ['81.2.69.160'], user: ['Mary_Major'] });
  });

  it("uses the reference's log type names where ours differ", () => {
    expect(referenceLogType('opensearch_metrics', 'AWSLogs/1/OpenSearch/metrics/x')).toBe('index-metrics');
    expect(referenceLogType('cloudfront_standard', 'x')).toBe('cloudfront-standard');
    expect(referenceLogType('config', 'AWSLogs/1/Config/us-east-1/2026/11/21/ConfigSnapshot/1_Config_us-east-1_ConfigSnapshot_x.json.gz')).toBe('config-snapshot');
    expect(referenceLogType('config', 'AWSLogs/1/Config/us-east-1/2026/11/21/ConfigHistory/1_Config_us-east-1_ConfigHistory_x.json.gz')).toBe('config-history');
    expect(referenceLogType('my_apache', 'x')).toBe('my_apache');
  });

  it('maps the basic fields in the index template', () => {
    const props = (ecsComponentTemplate().body.template as { mappings: { properties: Record<string, unknown> } }).mappings.properties;
    for (const f of ['@log_type', '@log_s3bucket', '@log_s3key', '@id']) expect(props[f]).toEqual({ type: 'keyword', ignore_above: 1024 });
    expect(props['@message']).toMatchObject({ type: 'text' });
  });
});
