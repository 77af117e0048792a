/**
 * The field model (docs/field-model.md) in a real OpenSearch: fixtures of nineteen log types loaded by
 * the loader with its own templates, then terms and sum aggregations on the typed fields (original
 * columns typed by the family templates, `typed.*` copies of paths inside flat_object fields) give
 * the exact buckets and totals, and `_field_caps` reports every field of the checked-in list
 * (lambdas/es-loader/ecs/aggregatable-fields.ts) aggregatable with its type. Also: an index created
 * before the field model (a column mapped keyword) still takes the documents, which is why the
 * documents keep the original text and a new type only applies from the next monthly index.
 */
import type { Client } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGGREGATABLE_FIELDS, ALL_LOG_FAMILIES } from '../../lambdas/es-loader/ecs/aggregatable-fields';
import { indexTemplates } from '../../lambdas/es-loader/ecs/templates';
import { count, failureMessages, fixture, makeLoader, osClient, putObject, resetIndices, s3Event, type TestLoader } from './es-loader-helpers';

const CASES = [
  { type: 'cloudtrail', file: 'fixture.json', key: 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/21/111122223333_CloudTrail_us-east-1_20261121T1010Z_EXAMPLEabcd1234.json.gz' },
  { type: 'vpcflowlogs', file: 'fixture.log', key: 'AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/26/123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20261126T1900Z_a1b2c3d4.log.gz' },
  { type: 'waf', file: 'fixture.json', key: 'AWSLogs/123456789012/WAF/ap-northeast-1/aws-waf-logs-aes-siem-ap-northeast-1/2026/11/21/10/aws-waf-logs-aes-siem-ap-northeast-1-1-2026-11-21-10-00-00-abcd.gz' },
  { type: 'guardduty', file: 'fixture.jsonl', key: 'AWSLogs/123456789012/GuardDuty/us-east-1/2026/11/21/a1b2c3d4-e5f6-3a4b-9c8d-0123456789ab.jsonl.gz' },
  { type: 'alb', file: 'fixture.log', key: 'AWSLogs/123456789012/elasticloadbalancing/us-east-1/2026/11/21/123456789012_elasticloadbalancing_us-east-1_app.my-loadbalancer.50dc6c495c0c9188_20261121T1005Z_10.0.0.10_2ry2qdws.log.gz' },
  { type: 'cloudfront_standard', file: 'fixture.log', key: 'cloudfront-logs/E2EXAMPLE12345.2026-11-21-10.a1b2c3d4.gz' },
  { type: 's3accesslog', file: 'fixture.log', key: 's3accesslog/2026-11-21-10-00-00-0123456789ABCDEF' },
  { type: 'securityhub', file: 'fixture.json', key: 'AWSLogs/123456789012/aws.securityhub/Security_Hub_Findings_-_Imported/ap-northeast-1/2026/11/21/10/siem-eventbridge-events-1-2026-11-21-10-05-03-a1b2c3d4.gz' },
  { type: 'workspaces_inventory', file: 'fixture.json', key: 'AWSLogs/123456789012/WorkSpaces/Inventory/ap-northeast-1/2026/11/21/workspaces-inventory-20261121_100000.json.gz' },
  { type: 'opensearch_metrics', file: 'fixture.jsonl', key: 'AWSLogs/123456789012/OpenSearch/metrics/2026/11/22/06/aes-siem_20261122T060000Z.jsonl.gz' },
  { type: 'apache_access', file: 'fixture.json', key: 'AWSLogs/123456789012/Apache/ap-northeast-1/web-site-name=shop/access/2026/11/21/10/aes-siem-apache-access-1-2026-11-21-10-05-00-2a3b4c5d-6e7f-8091-a2b3-c4d5e6f70819' },
  { type: 'nginx_access', file: 'fixture.json', key: 'AWSLogs/123456789012/Nginx/ap-northeast-1/access/2026/11/21/10/aes-siem-nginx-access-1-2026-11-21-10-05-00-4a5b6c7d-8e9f-0123-a4b5-c6d7e8f90123' },
  { type: 'rds_postgresql', file: 'fixture.json', key: 'AWSLogs/123456789012/RDS/PostgreSQL/postgresql/ap-northeast-1/2026/11/21/10/aes-siem-rds-postgresql-1-2026-11-21-10-05-00-1a2b3c4d-5e6f-4071-8293-a4b5c6d7e8f9' },
  { type: 'rds_mysql_audit', file: 'fixture.json', key: 'AWSLogs/123456789012/RDS/MySQL/audit/ap-northeast-1/2026/11/21/10/aes-siem-rds-mysql-audit-1-2026-11-21-10-05-00-2b3c4d5e-6f70-4182-93a4-b5c6d7e8f9a0' },
  { type: 'rds_mysql_error', file: 'fixture.json', key: 'AWSLogs/123456789012/RDS/MySQL/error/ap-northeast-1/2026/11/21/10/aes-siem-rds-mysql-error-1-2026-11-21-10-05-00-4d5e6f70-8192-43a4-b5c6-d7e8f9a0b1c2' },
  { type: 'rds_mysql_slowquery', file: 'fixture.json', key: 'AWSLogs/123456789012/RDS/MySQL/slowquery/ap-northeast-1/2026/11/21/10/aes-siem-rds-mysql-slowquery-1-2026-11-21-10-05-00-5e6f7081-92a3-44b5-c6d7-e8f9a0b1c2d3' },
  { type: 'clientvpn', file: 'fixture.json', key: 'AWSLogs/123456789012/ClientVPN/ap-northeast-1/2026/11/21/10/aes-siem-clientvpn-1-2026-11-21-10-05-00-1a2b3c4d-5e6f-7081-92a3-b4c5d6e7f809' },
  { type: 'cloudhsm', file: 'fixture.json', key: 'AWSLogs/123456789012/CloudHSM/ap-northeast-1/2026/11/21/10/aes-siem-cloudhsm-1-2026-11-21-10-05-00-1a2b3c4d-5e6f-7081-92a3-b4c5d6e7f809' },
  { type: 'securitylake', file: 'fixture.gz.parquet', key: 'aws/CLOUD_TRAIL_MGMT/1.0/region=ap-northeast-1/accountId=123456789012/eventDay=20261125/0123456789abcdef0123456789abcdef.gz.parquet' },
];

interface Bucket {
  key: string | number;
  doc_count: number;
}

async function search(client: Client, index: string, aggs: Record<string, unknown>): Promise<Record<string, { buckets?: Bucket[]; value?: number }>> {
  const r = await client.transport.request({ method: 'POST', path: `/${index}/_search`, body: { size: 0, aggs } });
  return (r.body as unknown as { aggregations: Record<string, { buckets?: Bucket[]; value?: number }> }).aggregations;
}

const buckets = (a: { buckets?: Bucket[] }) => (a.buckets ?? []).map((b) => [b.key, b.doc_count]);

describe('Field model in OpenSearch: typed fields aggregate', () => {
  let loader: TestLoader;
  let client: Client;

  beforeAll(async () => {
    client = osClient();
    await resetIndices(client);
    loader = await makeLoader();
    // Put the current templates, as the configurator does at deploy (the loader leaves existing ones alone).
    for (const t of indexTemplates(loader.rt.pipeline)) await client.transport.request({ method: 'PUT', path: `/_${t.kind}/${t.name}`, body: t.body });
  });
  afterAll(async () => {
    await resetIndices(client);
  });

  it('an index created before the field model (bytes mapped keyword) still takes every flow-log document', async () => {
    // This index exists already, as one created by the previous templates would: its explicit mappings win.
    await client.indices.create({ index: 'log-aws-vpcflowlogs-2026-11', body: { mappings: { properties: { bytes: { type: 'keyword' }, srcaddr: { type: 'keyword' } } } } });
    const c = CASES[1];
    const size = await putObject(c.key, fixture(c.type, c.file));
    expect(await loader.invoke(s3Event(c.key, { size }))).toBeUndefined();
    expect(loader.log.lastTotals()).toMatchObject({ read: 4, indexed: 4, failed: 0 });
    expect(await failureMessages(loader.dlqUrl)).toEqual([]);
    const mapping = await client.indices.getMapping({ index: 'log-aws-vpcflowlogs-2026-11' });
    const props = (mapping.body as unknown as Record<string, { mappings: { properties: Record<string, { type: string }> } }>)['log-aws-vpcflowlogs-2026-11'].mappings.properties;
    expect([props.bytes.type, props.srcaddr.type]).toEqual(['keyword', 'keyword']);
    await client.indices.delete({ index: 'log-aws-vpcflowlogs-2026-11' });
  });

  it('loads fixtures of nineteen log types with the field-model templates', async () => {
    for (const c of CASES) {
      const size = await putObject(c.key, fixture(c.type, c.file));
      expect(await loader.invoke(s3Event(c.key, { size })), c.type).toBeUndefined();
      expect(loader.log.lastTotals(), c.type).toMatchObject({ failed: 0 });
    }
    expect(await failureMessages(loader.dlqUrl)).toEqual([]);
    await client.indices.refresh({ index: 'log-aws-*,log-web-*,metrics-opensearch-*' });
    expect(await count(client, 'log-aws-vpcflowlogs-*')).toBe(4);
  });

  it('sums and buckets the VPC Flow Logs columns, which the documents keep as text', async () => {
    const a = await search(client, 'log-aws-vpcflowlogs-*', {
      bytes: { sum: { field: 'bytes' } },
      packets: { sum: { field: 'packets' } },
      actions: { terms: { field: 'action', order: { _key: 'asc' } } },
      ports: { terms: { field: 'dstport', order: { _key: 'asc' } } },
      sources: { terms: { field: 'srcaddr' } },
    });
    expect(a.bytes.value).toBe(4249 + 180 + 92);
    expect(a.packets.value).toBe(20 + 3 + 1);
    expect(buckets(a.actions)).toEqual([['ACCEPT', 2], ['REJECT', 1]]);
    expect(buckets(a.ports)).toEqual([[443, 1], [34567, 1], [51432, 1]]);
    expect(buckets(a.sources).sort()).toEqual([['10.0.1.5', 1], ['2001:db8:1234:a102::77', 1], ['81.2.69.160', 1]]);
  });

  it('buckets and sums the typed copies of CloudTrail and WAF flat_object paths', async () => {
    const ct = await search(client, 'log-aws-cloudtrail-*', {
      buckets: { terms: { field: 'typed.requestParameters.bucketName' }, aggs: { out: { sum: { field: 'typed.additionalEventData.bytesTransferredOut' } } } },
      inBytes: { sum: { field: 'typed.additionalEventData.bytesTransferredIn' } },
    });
    expect(buckets(ct.buckets)).toEqual([['aes-siem-111122223333-log', 1]]);
    expect((ct.buckets.buckets![0] as unknown as { out: { value: number } }).out.value).toBe(0);
    expect(ct.inBytes.value).toBe(1024);
    const waf = await search(client, 'log-aws-waf-*', {
      terminating: { terms: { field: 'typed.ruleGroupList.terminatingRule.ruleId' } },
      groups: { terms: { field: 'typed.ruleGroupList.ruleGroupId', order: { _key: 'asc' } } },
      clients: { cardinality: { field: 'httpRequest.clientIp' } },
    });
    expect(buckets(waf.terminating)).toEqual([['SQLi_QUERYARGUMENTS', 1]]);
    expect(buckets(waf.groups)).toEqual([['AWS#AWSManagedRulesCommonRuleSet', 1], ['AWS#AWSManagedRulesSQLiRuleSet', 1]]);
    expect(waf.clients.value).toBeGreaterThan(0);
    const gd = await search(client, 'log-aws-guardduty-*', { lists: { terms: { field: 'typed.service.additionalInfo.threatListName' } } });
    expect(buckets(gd.lists)).toEqual([['ProofPoint', 1]]);
  });

  it('sums the numeric columns of ELB, CloudFront and S3 access logs', async () => {
    const elb = await search(client, 'log-aws-elb-*', { received: { sum: { field: 'received_bytes' } }, slowest: { max: { field: 'request_processing_time' } } });
    expect(elb.received.value).toBe(34 + 0 + 116 + 0 + 0 + 218 + 45);
    expect(elb.slowest.value).toBeCloseTo(0.086, 6);
    const cf = await search(client, 'log-aws-cloudfront-*', { sent: { sum: { field: 'sc_bytes' } }, slowest: { max: { field: 'time_taken' } } });
    expect(cf.sent.value).toBe(392 + 12508 + 421 + 1210 + 0);
    expect(cf.slowest.value).toBeCloseTo(10.004, 6);
    const s3 = await search(client, 'log-aws-s3accesslog-*', { sent: { sum: { field: 'BytesSent' } }, status: { terms: { field: 'HTTPstatus', order: { _key: 'asc' } } } });
    expect(s3.sent.value).toBe(113 + 243);
    expect(buckets(s3.status)).toEqual([[200, 2], [403, 1]]);
    // Web servers: the response size is text in the documents (as the reference writes it), long in the template.
    const apache = await search(client, 'log-web-apache-*', { sent: { sum: { field: 'http.response.body.bytes' } } });
    const nginx = await search(client, 'log-web-nginx-*', { sent: { sum: { field: 'http.response.body.bytes' } } });
    expect([apache.sent.value, nginx.sent.value]).toEqual([5120 + 381 + 73 + 226 + 230, 612 + 153 + 48 + 157 + 153]);
  });

  it('takes the maximum and total RDS query and lock times, which the MySQL slow query documents keep as text', async () => {
    const pg = await search(client, 'log-aws-rds-postgresql-*', { slowest: { max: { field: 'rds.query_time' } }, total: { sum: { field: 'rds.query_time' } }, ms: { max: { field: 'postgresql.duration_ms' } } });
    expect(pg.slowest.value).toBeCloseTo(2.210118, 6);
    expect(pg.total.value).toBeCloseTo(1.523442 + 0.000026 + 2.210118, 6);
    expect(pg.ms.value).toBeCloseTo(2210.118, 3);
    const my = await search(client, 'log-aws-rds-mysql-*', {
      slowest: { max: { field: 'rds.query_time' } },
      total: { sum: { field: 'mysql.query_time' } },
      lock: { max: { field: 'mysql.lock_time' } },
      levels: { terms: { field: 'log.level', order: { _key: 'asc' } } },
    });
    expect(my.slowest.value).toBeCloseTo(12.514003, 6);
    expect(my.total.value).toBeCloseTo(3.000223 + 12.514003 + 5.25 + 2.00015, 6);
    expect(my.lock.value).toBeCloseTo(2.10001, 6);
    expect(buckets(my.levels)).toEqual([['Note', 7], ['System', 1], ['Warning', 1]]);
  });

  it('sums Client VPN traffic and durations and buckets its connections; buckets CloudHSM opcodes and users, whose entries keep their text', async () => {
    const vpn = await search(client, 'log-aws-clientvpn-*', {
      bytes: { sum: { field: 'network.bytes' } },
      longest: { max: { field: 'event.duration' } },
      devices: { terms: { field: 'clientvpn.device-type', order: { _key: 'asc' } } },
      failures: { terms: { field: 'clientvpn.connection-attempt-failure-reason' } },
    });
    expect(vpn.bytes.value).toBe(5242880 + 1048576);
    expect(vpn.longest.value).toBe(3604 * 1e9);
    expect(buckets(vpn.devices)).toEqual([['linux', 1], ['mac', 2], ['windows', 1]]);
    expect(buckets(vpn.failures)).toEqual([['NA', 3], ['Authentication failed', 1]]);
    const hsm = await search(client, 'log-aws-cloudhsm-*', {
      opcodes: { terms: { field: 'cloudhsm.opcode', order: { _key: 'asc' } } },
      targets: { terms: { field: 'user.target.name' } },
      last: { max: { field: 'cloudhsm.sequence_no' } },
    });
    expect(buckets(hsm.opcodes)).toEqual([['CN_CREATE_USER', 1], ['CN_GENERATE_KEY_PAIR', 1], ['CN_LOGIN', 2], ['CN_LOGOUT', 1]]);
    expect(buckets(hsm.targets)).toEqual([['kmsuser', 1]]);
    expect(hsm.last.value).toBe(0x1a8);
  });

  it('sums OCSF traffic and buckets API operations, classes and dispositions of the Security Lake rows (log-ocsf-*, keyword_fields/long_fields)', async () => {
    await client.indices.refresh({ index: 'log-ocsf-*' });
    const a = await search(client, 'log-ocsf-*', {
      bytes: { sum: { field: 'traffic.bytes' } },
      classes: { terms: { field: 'class_uid', order: { _key: 'asc' } } },
      operations: { terms: { field: 'api.operation', order: { _key: 'asc' } } },
      dispositions: { terms: { field: 'disposition', order: { _key: 'asc' } } },
    });
    expect(a.bytes.value).toBe(5120 + 60);
    expect(buckets(a.classes)).toEqual([[2001, 2], [3001, 1], [3005, 2], [4001, 2], [4003, 1]]);
    expect(buckets(a.operations)).toEqual([['AssumeRole', 1], ['CreateUser', 1], ['GetObject', 1]]);
    expect(buckets(a.dispositions)).toEqual([['Allowed', 1], ['Blocked', 1]]);
  });

  it('_field_caps: every field of the checked-in list is aggregatable with its type in its index family', async () => {
    const wrong: string[] = [];
    for (const [family, fields] of Object.entries(AGGREGATABLE_FIELDS)) {
      const index = family === ALL_LOG_FAMILIES ? 'log-aws-*' : `${family}-*`;
      const r = await client.fieldCaps({ index, fields: fields.map((f) => f.field).join(',') });
      const caps = (r.body as unknown as { fields: Record<string, Record<string, { aggregatable: boolean }>> }).fields;
      for (const { field, type } of fields) {
        const got = caps[field] ?? {};
        if (Object.keys(got).join() !== type || !got[type]?.aggregatable) wrong.push(`${index} ${field}: ${JSON.stringify(got)}, want aggregatable ${type}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
