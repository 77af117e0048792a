import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';
import { ocsfParquet } from './ocsf-parquet';

const KEY = 'aws/CLOUD_TRAIL_MGMT/1.0/region=ap-northeast-1/accountId=123456789012/eventDay=20261125/0123456789abcdef0123456789abcdef.gz.parquet';

describe('Log type: securitylake', () => {
  const p = pipeline();

  it('reads the OCSF rows of a Security Lake parquet object (3 row groups) into the expected documents', async () => {
    const items = await run(p, KEY, fixture('securitylake', 'fixture.gz.parquet'), { gzip: false });
    expect(docs(items)).toEqual(expected('securitylake'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'securitylake', totalRecords: 8, emitted: 8, failed: 0, skipped: 0 });
  });

  it('reads the ZSTD-compressed form of the same rows into the same documents', async () => {
    const items = await run(p, KEY, fixture('securitylake', 'fixture.zstd.parquet'), { gzip: false });
    expect(docs(items)).toEqual(expected('securitylake'));
  });

  it('names the index and @log_type by the OCSF category, as the reference (by name, else by category_uid)', async () => {
    const d = docs(await run(p, KEY, fixture('securitylake', 'fixture.gz.parquet'), { gzip: false }));
    expect(d.map((x) => [x._source.class_uid, x._index, x._source['@log_type']])).toEqual([
      [3005, 'log-ocsf-audit-2026-11', 'ocsf-audit-activity'],
      [3005, 'log-ocsf-audit-2026-11', 'ocsf-audit-activity'],
      [4001, 'log-ocsf-network-2026-11', 'ocsf-network-activity'],
      [4001, 'log-ocsf-network-2026-11', 'ocsf-network-activity'],
      [4003, 'log-ocsf-network-2026-11', 'ocsf-network-activity'],
      [2001, 'log-ocsf-findings-2026-11', 'ocsf-findings'],
      // no category_name: from category_uid 2
      [2001, 'log-ocsf-findings-2026-11', 'ocsf-findings'],
      // "Identity & Access Management" (OCSF 1.x): its first word, as the reference
      [3001, 'log-ocsf-identity-2026-11', 'ocsf-identity-&-access-management'],
    ]);
    for (const x of d) expect(x._source).not.toHaveProperty('__index_name');
    for (const x of d) expect(x._source).not.toHaveProperty('__log_type');
  });

  it('derives the ECS fields of the reference: user, source/destination, account, instance, user agent; finding times', async () => {
    const [assume, denied, flow, , , finding, created, iam] = docs(await run(p, KEY, fixture('securitylake', 'fixture.gz.parquet'), { gzip: false }));
    // user.name: the session name of an assumed-role ARN
    expect(assume!._source).toMatchObject({ user: { id: 'ASIAEXAMPLEKEY000001', name: 'alice' }, source: { ip: '54.240.196.186', address: '54.240.196.186' }, user_agent: { name: 'Chrome' }, cloud: { account: { id: '123456789012' } } });
    expect(denied!._source).toMatchObject({ api: { response: { error: 'AccessDenied' } }, user: { name: 'bob' }, '@timestamp': '2026-11-25T11:10:11.000Z' });
    expect(flow!._source).toMatchObject({
      source: { ip: '10.0.1.25', port: 49152 },
      destination: { ip: '52.119.160.10', port: 443 },
      cloud: { account: { id: '123456789012' }, instance: { id: 'i-0a1b2c3d4e5f60718' } },
      related: { ip: ['10.0.1.25', '52.119.160.10'], hosts: ['i-0a1b2c3d4e5f60718'] },
      traffic: { bytes: 5120, packets: 12 },
    });
    // a finding's time is finding.modified_time, else finding.created_time
    expect(finding!._source['@timestamp']).toBe('2026-11-25T10:53:20.000Z');
    expect(created!._source['@timestamp']).toBe('2026-11-25T09:30:00.000Z');
    // user.name from actor.user.uid "<id>:<session>", then cut after the last ":"
    expect(iam!._source.user).toEqual({ name: 'i-0fedcba9876543210', id: 'ASIAEXAMPLEKEY000003' });
    // json_to_text: unmapped is text
    expect(finding!._source.unmapped).toBe('{"Compliance.Status":"FAILED","RecordState":"ACTIVE"}');
  });

  it('makes a row without category_uid a record error naming key and record; the other rows load', async () => {
    const rows = [
      { time: 1795605300000, category_uid: 4, category_name: 'Network Activity', class_uid: 4001, src_endpoint: { ip: '10.0.0.1' } },
      { time: 1795605301000, class_uid: 4001, src_endpoint: { ip: '10.0.0.2' } },
    ];
    const items = await run(p, KEY, ocsfParquet(rows, { rowGroupSize: 10 }), { gzip: false });
    expect(docs(items).map((d) => d._index)).toEqual(['log-ocsf-network-2026-11']);
    expect(items.filter((i) => i.kind === 'record-error').map((i) => (i as { reason: string }).reason)).toEqual([
      `${KEY}: record 1: transform securitylake failed: category_uid is missing: the OCSF category names the index`,
    ]);
  });

  it('recognises Security Lake keys of every source, and SecurityLake/ prefixes', () => {
    for (const src of ['CLOUD_TRAIL_MGMT', 'VPC_FLOW', 'ROUTE53', 'SH_FINDINGS', 'LAMBDA_EXECUTION', 'S3_DATA', 'EKS_AUDIT', 'WAF'])
      expect(p.resolveLogType(KEY.replace('CLOUD_TRAIL_MGMT', src))?.name).toBe('securitylake');
    expect(p.resolveLogType('SecurityLake/export/part-0001.parquet')?.name).toBe('securitylake');
  });
});
